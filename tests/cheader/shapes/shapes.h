/* Declarations other bindings generators trip on, and a header that needs -D. */
#ifndef SHAPES_WIDTH
#error SHAPES_WIDTH must be defined (-D SHAPES_WIDTH=...)
#endif

/* Two declarators of one anonymous struct (libpng's png_image, png_imagep). */
typedef struct { int a; } sh_pair, *sh_pairp;
int sh_pair_get(sh_pairp p);

/* A pointer typedef of a struct defined in place (libcap's cap_user_header_t). */
typedef struct sh_node { int value; } *sh_nodep;
int sh_node_get(sh_nodep p);

/* typedef before the struct, under the struct's own name (lz4's streams). */
typedef struct sh_list sh_list;
struct sh_list { int value; const sh_list *next; };
union sh_any { char pad[8]; sh_list list; };
int sh_any_get(union sh_any *u);

/* const char * behind a typedef (libpng's png_const_charp). */
typedef const char *sh_text;
int sh_length(sh_text s);

/* Array sizes written with sizeof of a typedef and of a struct (glibc's sockaddr_in). */
typedef long sh_word;
struct sh_tag { int x; };
struct sh_sized { sh_word bits[64 / (8 * (int)sizeof(sh_word))]; char pad[sizeof(struct sh_tag) + 2]; };
int sh_sized_bytes(void);

int sh_width(void);

/* A global variable, read and written through lib (readline's rl_* are such). */
extern int sh_counter;
int sh_bump(void);

/* An umbrella's part: bound with this header, as curl.h's easy.h and multi.h are. */
#include "shapes_part.h"

/* A constant of another header's constant, and another name for a function
 * (gmp's `#define mpz_add __gmpz_add`). */
#include <limits.h>
#define SH_HALF_INT_MAX (INT_MAX / 2)
#define sh_part_alias sh_part

/* Names made by pasting in a function-like macro (pcre2's PCRE2_SUFFIX(...)). */
#define SH_GLUE(a, b) a##b
#define sh_part_pasted SH_GLUE(sh_, part)
#define SH_PASTED_TEN SH_GLUE(1, 0)
#define SH_UNSIGNED_MAX (~(unsigned long)0)
/* A macro that names a type, used in a cast (pcre2's PCRE2_SIZE). */
#define SH_LEN unsigned long
#define SH_UNSET (~(SH_LEN)0)
