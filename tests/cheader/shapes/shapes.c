#include <string.h>
#include "shapes.h"

int sh_pair_get(sh_pairp p) { return p->a; }
int sh_node_get(sh_nodep p) { return p->value; }
int sh_any_get(union sh_any *u) { return u->list.value; }
int sh_length(sh_text s) { return (int)strlen(s); }
int sh_sized_bytes(void) { return (int)sizeof(struct sh_sized); }
int sh_width(void) { return SHAPES_WIDTH; }
int sh_counter = 40;
int sh_bump(void) { return ++sh_counter; }
int sh_part(int x) { return x + 1; }
