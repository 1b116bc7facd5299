/* Differential check: decode an `everything` from stdin with libtirpc's rpcgen
 * routines, encode it again, write the bytes to stdout. Equal bytes mean the
 * generated Python codec and libtirpc agree on the wire form. */
#include <stdio.h>
#include <rpc/rpc.h>
#include "echo.h"

bool_t xdr_quadruple(XDR *xdrs, quadruple *value)
{
    return xdr_opaque(xdrs, (char *)value, 16);
}

int main(void)
{
    static char in[1 << 20], out[1 << 20];
    size_t n = fread(in, 1, sizeof in, stdin);
    XDR dec, enc;
    everything value = {0};
    xdrmem_create(&dec, in, (u_int)n, XDR_DECODE);
    if (!xdr_everything(&dec, &value) || xdr_getpos(&dec) != n) {
        fprintf(stderr, "libtirpc could not decode the %zu bytes\n", n);
        return 1;
    }
    xdrmem_create(&enc, out, sizeof out, XDR_ENCODE);
    if (!xdr_everything(&enc, &value))
        return 1;
    fwrite(out, 1, xdr_getpos(&enc), stdout);
    return 0;
}
