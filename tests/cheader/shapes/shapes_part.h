/* Included with quotes by shapes.h from its own folder: part of the same API. */
#define SH_PART_VERSION 3
int sh_part(int x);
