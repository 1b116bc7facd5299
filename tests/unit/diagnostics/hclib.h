/* A C header a .x file %#includes (header_consts.x): constants, and a type. */
#define HC_UUID_BUFLEN (16)
typedef struct hc_handle_s *hc_handle;
#define HC_NAME "name"
