/* The C side of the classic example: a server built with rpcgen -m and libtirpc. */
#include <stdio.h>
#include <stdlib.h>
#include <rpc/rpc.h>
#include <rpc/pmap_clnt.h>
#include "simp.h"

extern void simp_prog_1(struct svc_req *rqstp, SVCXPRT *transp);

int *add_1_svc(operands arg, struct svc_req *req)
{
    static int result;
    (void)req;
    result = arg.x + arg.y;
    return &result;
}

int *sub_1_svc(operands arg, struct svc_req *req)
{
    static int result;
    (void)req;
    result = arg.x - arg.y;
    return &result;
}

int main(void)
{
    SVCXPRT *udp = svcudp_create(RPC_ANYSOCK);
    SVCXPRT *tcp = svctcp_create(RPC_ANYSOCK, 0, 0);
    if (udp == NULL || tcp == NULL) {
        fprintf(stderr, "simp_server: cannot create transports\n");
        return 1;
    }
    pmap_unset(SIMP_PROG, SIMP_VERSION);
    if (!svc_register(udp, SIMP_PROG, SIMP_VERSION, simp_prog_1, IPPROTO_UDP) ||
        !svc_register(tcp, SIMP_PROG, SIMP_VERSION, simp_prog_1, IPPROTO_TCP)) {
        fprintf(stderr, "simp_server: cannot register with rpcbind\n");
        return 1;
    }
    fprintf(stderr, "simp_server: serving\n");
    svc_run();
    return 1;
}
