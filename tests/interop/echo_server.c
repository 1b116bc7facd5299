/* The C echo server: each procedure returns what it received (or a simple function of it). */
#include <stdio.h>
#include <string.h>
#include <rpc/rpc.h>
#include <rpc/pmap_clnt.h>
#include "echo.h"

extern void echo_prog_1(struct svc_req *rqstp, SVCXPRT *transp);

/* libtirpc has no xdr_quadruple (FIELD-NOTES): move the 16 bytes verbatim, which is
 * all an echo needs. */
bool_t xdr_quadruple(XDR *xdrs, quadruple *value)
{
    return xdr_opaque(xdrs, (char *)value, 16);
}

everything *echo_1_svc(everything arg, struct svc_req *req)
{
    static everything result;
    (void)req;
    result = arg;
    return &result;
}

int *add3_1_svc(int a, int b, int c, struct svc_req *req)
{
    static int result;
    (void)req;
    result = a + b + c;
    return &result;
}

void *nothing_1_svc(struct svc_req *req)
{
    static char dummy;
    (void)req;
    return &dummy;
}

point *move_1_svc(point p, int dx, int dy, struct svc_req *req)
{
    static point result;
    (void)req;
    result.x = p.x + dx;
    result.y = p.y + dy;
    return &result;
}

nodelist *walk_1_svc(nodelist list, struct svc_req *req)
{
    static nodelist result;
    (void)req;
    result = list;
    return &result;
}

name *greet_1_svc(name who, struct svc_req *req)
{
    static char buffer[MAXNAME + 1];
    static name result;
    (void)req;
    snprintf(buffer, sizeof buffer, "hi %s", who);
    result = buffer;
    return &result;
}

int main(void)
{
    SVCXPRT *udp = svcudp_create(RPC_ANYSOCK);
    SVCXPRT *tcp = svctcp_create(RPC_ANYSOCK, 0, 0);
    if (udp == NULL || tcp == NULL)
        return 1;
    pmap_unset(ECHO_PROG, ECHO_V1);
    if (!svc_register(udp, ECHO_PROG, ECHO_V1, echo_prog_1, IPPROTO_UDP) ||
        !svc_register(tcp, ECHO_PROG, ECHO_V1, echo_prog_1, IPPROTO_TCP))
        return 1;
    svc_run();
    return 1;
}
