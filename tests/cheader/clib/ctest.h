/* A C library of our own that uses every construct the C front-end takes. */
#ifndef CTEST_H
#define CTEST_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define CT_VERSION "1.0"
#define CT_MAX 16
#define CT_MASK (1u << 4 | 0x3)
#define CT_RATIO 0.5f
#define CT_NEG (-CT_MAX)
#define CT_SQUARE(x) ((x) * (x))        /* function-like: skipped with a warning */

enum ct_color { CT_RED, CT_GREEN = 5, CT_BLUE };           /* implicit and explicit */
typedef enum { CT_SMALL = -1, CT_LARGE = 1 << 10 } ct_size;

typedef struct ct_point {
    int32_t x;
    int32_t y;
} ct_point;

typedef ct_point ct_vec;                 /* a typedef chain */
typedef ct_vec ct_offset;

struct ct_flags {
    unsigned int ready : 1;
    unsigned int mode : 3;
    unsigned int count : 12;
};

union ct_value {
    int64_t i;
    double d;
    char bytes[8];
};

struct ct_shape {
    enum ct_color color;
    union {                              /* an anonymous member */
        ct_point center;
        int32_t radius;
    };
    struct ct_flags flags;
    const char *name;
    volatile int32_t ticks;
    _Bool visible;
    uint8_t grid[2][3];                  /* a two-dimensional array */
};

struct ct_buffer {                       /* a flexible array member */
    size_t len;
    unsigned char data[];
};

struct ct_opaque;                        /* an incomplete type */
typedef struct ct_opaque ct_handle;

typedef ct_point (*ct_transform)(ct_point p, void *user);   /* callback by value */
typedef int (*ct_visit)(const struct ct_shape *shape, void *user);

ct_point ct_add(ct_point a, ct_point b);                 /* struct by value in and out */
ct_offset ct_scale(ct_vec v, int32_t factor);
int ct_flags_sum(struct ct_flags f);
double ct_value_as_double(union ct_value v, int is_int);
ct_point ct_apply(ct_point p, ct_transform fn, void *user);
int ct_visit_all(const struct ct_shape *shapes, int n, ct_visit fn, void *user);
int ct_sum(int n, ...);                                  /* varargs */
int ct_divmod(int a, int b, int *quotient, int *remainder);   /* out-parameters */
size_t ct_fill(struct ct_buffer *buf, unsigned char byte);
ct_handle *ct_open(const char *name);
const char *ct_name(const ct_handle *h);
void ct_close(ct_handle *h);
bool ct_is_large(ct_size s);
uint64_t ct_mix(uint8_t a, int16_t b, uint32_t c, int64_t d);
const char *ct_color_name(enum ct_color c);
int ct_shape_grid_sum(const struct ct_shape *s);

extern int ct_counter;                                   /* globals */
extern const char *ct_greeting;
extern ct_handle *ct_last;

#endif
