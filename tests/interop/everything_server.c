/* The C echo server of everything.x (rpcgen -N -m dispatch + libtirpc).
 *
 * Procedures named ECHO* return what they received; the others compute a small,
 * documented function of their arguments so the tests can check each argument
 * arrived. Registers versions 1 and 2 over TCP and UDP with rpcbind; never
 * unregisters (like every rpcgen server): the tests run `rpcinfo -d`. */
#include <stdio.h>
#include <string.h>
#include <rpc/rpc.h>
#include <rpc/pmap_clnt.h>
#include "everything.h"

extern void everything_prog_1(struct svc_req *rqstp, SVCXPRT *transp);
extern void everything_prog_2(struct svc_req *rqstp, SVCXPRT *transp);

/* The reply is sent before the arguments are freed, so a shallow copy echoes. */
#define ECHO_BODY(type)         \
    static type echoed;         \
    (void)req;                  \
    echoed = arg;               \
    return &echoed

void *ping_1_svc(struct svc_req *req)
{
    static char ok;
    (void)req;
    return &ok;
}

everything *echo_1_svc(everything arg, struct svc_req *req) { ECHO_BODY(everything); }
scalars *echo_scalars_1_svc(scalars arg, struct svc_req *req) { ECHO_BODY(scalars); }
containers *echo_containers_1_svc(containers arg, struct svc_req *req) { ECHO_BODY(containers); }
nodelist *walk_1_svc(nodelist arg, struct svc_req *req) { ECHO_BODY(nodelist); }
shape *echo_shape_1_svc(shape arg, struct svc_req *req) { ECHO_BODY(shape); }
number *echo_number_1_svc(number arg, struct svc_req *req) { ECHO_BODY(number); }

/* a + b + c, wrapping like the C int it is computed in (unsigned, to stay defined) */
int *add3_1_svc(int a, int b, int c, struct svc_req *req)
{
    static int sum;
    (void)req;
    sum = (int)((unsigned)a + (unsigned)b + (unsigned)c);
    return &sum;
}

/* p moved by (dx, dy) */
point *move_1_svc(point p, int dx, int dy, struct svc_req *req)
{
    static point moved;
    (void)req;
    moved.x = (int)((unsigned)p.x + (unsigned)dx);
    moved.y = (int)((unsigned)p.y + (unsigned)dy);
    return &moved;
}

/* "hi " + who, cut at MAXNAME */
name *greet_1_svc(name who, struct svc_req *req)
{
    static char buffer[MAXNAME + 1];
    static name greeting;
    (void)req;
    snprintf(buffer, sizeof buffer, "hi %s", who);
    greeting = buffer;
    return &greeting;
}

/* SINK adds strlen(t) + n to a counter that COUNTER returns (modulo 2^64). */
static u_quad_t counter;

void *sink_1_svc(text t, quad_t n, struct svc_req *req)
{
    static char ok;
    (void)req;
    counter += (u_quad_t)strlen(t) + (u_quad_t)n;
    return &ok;
}

ticks *counter_1_svc(struct svc_req *req)
{
    static ticks value;
    (void)req;
    value = counter;
    return &value;
}

/* a / b truncated: status 0 and the quotient; b == 0: status -1 (void);
 * overflow (INT64_MIN / -1): status 1, message "overflow". */
outcome *divide_1_svc(quad_t a, quad_t b, struct svc_req *req)
{
    static outcome out;
    (void)req;
    memset(&out, 0, sizeof out);
    if (b == 0) {
        out.status = -1;
    } else if (b == -1 && a == (-9223372036854775807LL - 1)) {
        out.status = 1;
        out.outcome_u.message = "overflow";
    } else {
        out.status = 0;
        out.outcome_u.quotient = a / b;
    }
    return &out;
}

/* The first node whose value is `value`: point(value, its index); none: NULL. */
maybe_point *find_1_svc(nodelist list, int value, struct svc_req *req)
{
    static point found;
    static maybe_point answer;
    (void)req;
    answer = NULL;
    for (int index = 0; list != NULL; list = list->next, index++) {
        if (list->value == value) {
            found.x = value;
            found.y = index;
            answer = &found;
            break;
        }
    }
    return &answer;
}

/* a followed by b */
blob *concat_1_svc(blob a, small_blob b, struct svc_req *req)
{
    static char joined[1 << 16];
    static blob out;
    (void)req;
    u_int n = a.blob_len < sizeof joined - 4 ? a.blob_len : (u_int)(sizeof joined - 4);
    memcpy(joined, a.blob_val, n);
    memcpy(joined + n, b.small_blob_val, b.small_blob_len);
    out.blob_len = n + b.small_blob_len;
    out.blob_val = joined;
    return &out;
}

/* Version 2: ADD3 adds 1000 more (so a test sees which version answered). */
int *add3_2_svc(int a, int b, int c, struct svc_req *req)
{
    static int sum;
    (void)req;
    sum = (int)((unsigned)a + (unsigned)b + (unsigned)c + 1000u);
    return &sum;
}

everything *echo_2_svc(everything arg, struct svc_req *req) { ECHO_BODY(everything); }

int main(void)
{
    SVCXPRT *udp = svcudp_create(RPC_ANYSOCK);
    SVCXPRT *tcp = svctcp_create(RPC_ANYSOCK, 0, 0);
    if (udp == NULL || tcp == NULL) {
        fprintf(stderr, "everything_server: cannot create transports\n");
        return 1;
    }
    pmap_unset(EVERYTHING_PROG, EVERYTHING_V1);
    pmap_unset(EVERYTHING_PROG, EVERYTHING_V2);
    if (!svc_register(udp, EVERYTHING_PROG, EVERYTHING_V1, everything_prog_1, IPPROTO_UDP) ||
        !svc_register(tcp, EVERYTHING_PROG, EVERYTHING_V1, everything_prog_1, IPPROTO_TCP) ||
        !svc_register(udp, EVERYTHING_PROG, EVERYTHING_V2, everything_prog_2, IPPROTO_UDP) ||
        !svc_register(tcp, EVERYTHING_PROG, EVERYTHING_V2, everything_prog_2, IPPROTO_TCP)) {
        fprintf(stderr, "everything_server: cannot register with rpcbind\n");
        return 1;
    }
    fprintf(stderr, "everything_server: serving\n");
    svc_run();
    return 1;
}
