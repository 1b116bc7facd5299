#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "ctest.h"

struct ct_opaque { char name[32]; };

ct_point ct_add(ct_point a, ct_point b) { ct_point r = {a.x + b.x, a.y + b.y}; return r; }
ct_offset ct_scale(ct_vec v, int32_t f) { ct_point r = {v.x * f, v.y * f}; return r; }
int ct_flags_sum(struct ct_flags f) { return (int)(f.ready + f.mode + f.count); }
double ct_value_as_double(union ct_value v, int is_int) { return is_int ? (double)v.i : v.d; }
ct_point ct_apply(ct_point p, ct_transform fn, void *user) { return fn(p, user); }

int ct_visit_all(const struct ct_shape *shapes, int n, ct_visit fn, void *user)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += fn(&shapes[i], user);
    return total;
}

int ct_sum(int n, ...)
{
    va_list ap;
    int total = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        total += va_arg(ap, int);
    va_end(ap);
    return total;
}

int ct_divmod(int a, int b, int *q, int *r)
{
    if (b == 0)
        return -1;
    *q = a / b;
    *r = a % b;
    return 0;
}

size_t ct_fill(struct ct_buffer *buf, unsigned char byte) { memset(buf->data, byte, buf->len); return buf->len; }

ct_handle *ct_open(const char *name)
{
    ct_handle *h = calloc(1, sizeof *h);
    strncpy(h->name, name, sizeof h->name - 1);
    ct_counter++;
    ct_last = h;
    return h;
}

const char *ct_name(const ct_handle *h) { return h->name; }
void ct_close(ct_handle *h)
{
    if (ct_last == h)
        ct_last = NULL;
    free(h);
}
bool ct_is_large(ct_size s) { return s == CT_LARGE; }
uint64_t ct_mix(uint8_t a, int16_t b, uint32_t c, int64_t d) { return (uint64_t)(a + b + c + d); }

int ct_counter = 7;
const char *ct_greeting = "hello";
ct_handle *ct_last = NULL;

const char *ct_color_name(enum ct_color c)
{
    switch (c) {
    case CT_RED: return "red";
    case CT_GREEN: return "green";
    case CT_BLUE: return "blue";
    }
    return "?";
}

int ct_shape_grid_sum(const struct ct_shape *s)
{
    int total = 0;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            total += s->grid[i][j];
    return total;
}
