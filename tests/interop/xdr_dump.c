/* The reference bytes for the differential tests, from libtirpc's xdrmem and the
 * routines rpcgen writes for everything.x.
 *
 *   xdr_dump known           one line per known value: "TYPE VARIANT HEX"
 *   xdr_dump recode TYPE     decode a TYPE from stdin (all of it), encode it
 *                            again, print the HEX; exit 1 if libtirpc rejects it
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rpc/rpc.h>
#include "everything.h"
#include "known_values.h"

#define BUFSIZE (1 << 20)

struct type {
    const char *name;
    xdrproc_t proc;
    size_t size;
};

static const struct type types[] = {
    {"everything", (xdrproc_t)xdr_everything, sizeof(everything)},
    {"scalars", (xdrproc_t)xdr_scalars, sizeof(scalars)},
    {"containers", (xdrproc_t)xdr_containers, sizeof(containers)},
    {"rect", (xdrproc_t)xdr_rect, sizeof(rect)},
    {"nodelist", (xdrproc_t)xdr_nodelist, sizeof(nodelist)},
    {"shape", (xdrproc_t)xdr_shape, sizeof(shape)},
    {"outcome", (xdrproc_t)xdr_outcome, sizeof(outcome)},
    {"flag", (xdrproc_t)xdr_flag, sizeof(flag)},
    {"number", (xdrproc_t)xdr_number, sizeof(number)},
    {"digest", (xdrproc_t)xdr_digest, sizeof(digest)},
    {"palette", (xdrproc_t)xdr_palette, sizeof(palette)},
    {"name", (xdrproc_t)xdr_name, sizeof(name)},
    {"text", (xdrproc_t)xdr_text, sizeof(text)},
    {"counts", (xdrproc_t)xdr_counts, sizeof(counts)},
    {"hypers", (xdrproc_t)xdr_hypers, sizeof(hypers)},
    {"ticks", (xdrproc_t)xdr_ticks, sizeof(ticks)},
    {"level", (xdrproc_t)xdr_level, sizeof(level)},
};

static int print_hex(const char *label, int variant, xdrproc_t proc, void *value)
{
    static char buf[BUFSIZE];
    XDR x;
    xdrmem_create(&x, buf, sizeof buf, XDR_ENCODE);
    if (!proc(&x, value))
        return 0;
    if (label != NULL)
        printf("%s %d ", label, variant);
    for (u_int k = 0; k < xdr_getpos(&x); k++)
        printf("%02x", (unsigned char)buf[k]);
    printf("\n");
    return 1;
}

static int known(void)
{
    for (int variant = 0; variant < 2; variant++) {
        everything e;
        known_everything(&e, variant);
        if (!print_hex("everything", variant, (xdrproc_t)xdr_everything, &e) ||
            !print_hex("scalars", variant, (xdrproc_t)xdr_scalars, &e.sc) ||
            !print_hex("containers", variant, (xdrproc_t)xdr_containers, &e.co) ||
            !print_hex("nodelist", variant, (xdrproc_t)xdr_nodelist, &e.co.chain) ||
            !print_hex("shape", variant, (xdrproc_t)xdr_shape, &e.sh) ||
            !print_hex("outcome", variant, (xdrproc_t)xdr_outcome, &e.oc) ||
            !print_hex("flag", variant, (xdrproc_t)xdr_flag, &e.fl) ||
            !print_hex("number", variant, (xdrproc_t)xdr_number, &e.num))
            return 1;
    }
    return 0;
}

static int recode(const char *type_name)
{
    static char in[BUFSIZE];
    const struct type *t = NULL;
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++)
        if (strcmp(types[k].name, type_name) == 0)
            t = &types[k];
    if (t == NULL) {
        fprintf(stderr, "xdr_dump: no type %s\n", type_name);
        return 2;
    }
    size_t n = fread(in, 1, sizeof in, stdin);
    void *value = calloc(1, t->size);
    XDR dec;
    xdrmem_create(&dec, in, (u_int)n, XDR_DECODE);
    if (value == NULL || !t->proc(&dec, value) || xdr_getpos(&dec) != n) {
        fprintf(stderr, "xdr_dump: libtirpc rejects these %zu bytes as %s\n", n, type_name);
        return 1;
    }
    int ok = print_hex(NULL, 0, t->proc, value);
    xdr_free(t->proc, value);
    free(value);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "known") == 0)
        return known();
    if (argc == 3 && strcmp(argv[1], "recode") == 0)
        return recode(argv[2]);
    fprintf(stderr, "usage: %s known | recode TYPE\n", argv[0]);
    return 2;
}
