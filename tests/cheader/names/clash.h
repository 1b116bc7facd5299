/* Two C names that become one Python name: an error at the second one. */
#define type 1
#define type_ 2
