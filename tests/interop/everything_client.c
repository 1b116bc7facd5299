/* The C client of everything.x: calls a server (the generated Python one in the
 * tests) with the known values of known_values.h and checks every reply against
 * what everything_server.c computes. Echoed values are compared through their
 * XDR bytes (libtirpc's encoding is the reference), plus a few fields by hand.
 *
 *   everything_client HOST tcp|udp      exit 0 and "all checks passed", or 1 */
#include <stdio.h>
#include <string.h>
#include <rpc/rpc.h>
#include "everything.h"
#include "known_values.h"

static int failures;
#define CHECK(cond)                                   \
    do {                                              \
        if (!(cond)) {                                \
            printf("FAILED line %d: %s\n", __LINE__, #cond); \
            failures++;                               \
        }                                             \
    } while (0)

/* Same XDR bytes: the deep equality of two values of one type. */
static int same(xdrproc_t proc, void *a, void *b)
{
    static char ba[1 << 16], bb[1 << 16];
    XDR xa, xb;
    xdrmem_create(&xa, ba, sizeof ba, XDR_ENCODE);
    xdrmem_create(&xb, bb, sizeof bb, XDR_ENCODE);
    if (!proc(&xa, a) || !proc(&xb, b))
        return 0;
    return xdr_getpos(&xa) == xdr_getpos(&xb) && memcmp(ba, bb, xdr_getpos(&xa)) == 0;
}

static void check_version_1(CLIENT *clnt)
{
    CHECK(ping_1(clnt) != NULL);

    for (int variant = 0; variant < 2; variant++) {
        everything e;
        known_everything(&e, variant);
        everything *r = echo_1(e, clnt);
        CHECK(r != NULL && same((xdrproc_t)xdr_everything, &e, r));
        if (r != NULL && variant == 0) {
            CHECK(r->sc.uh == 18000000000000000000ULL && r->sc.h == -9000000000000LL);
            CHECK(r->sc.f == 1.5f && r->sc.d == -2.25 && r->sc.lv == LOW);
            CHECK(strcmp(r->co.who, "who") == 0 && r->co.names.names_len == 2);
            CHECK(r->co.chain != NULL && r->co.chain->next->next->value == 3);
            CHECK(r->sh.kind == GREEN && r->sh.shape_u.box.corner[1].y == 4);
            CHECK(r->oc.status == 2 && strcmp(r->oc.outcome_u.message, "two") == 0);
        }
        if (r != NULL && variant == 1) {
            CHECK(r->oc.status == 42 && r->oc.outcome_u.raw.raw_len == 1);
            CHECK(r->co.chain == NULL && r->co.opt_point == NULL && r->num.number_u.d == 3.25);
        }

        scalars sc;
        known_scalars(&sc, variant);
        scalars *rs = echo_scalars_1(sc, clnt);
        CHECK(rs != NULL && same((xdrproc_t)xdr_scalars, &sc, rs));

        containers co;
        known_containers(&co, variant);
        containers *rc = echo_containers_1(co, clnt);
        CHECK(rc != NULL && same((xdrproc_t)xdr_containers, &co, rc));

        nodelist *walked = walk_1(co.chain, clnt);
        CHECK(walked != NULL && same((xdrproc_t)xdr_nodelist, &co.chain, walked));

        shape *rsh = echo_shape_1(e.sh, clnt);
        CHECK(rsh != NULL && same((xdrproc_t)xdr_shape, &e.sh, rsh));

        number *rn = echo_number_1(e.num, clnt);
        CHECK(rn != NULL && same((xdrproc_t)xdr_number, &e.num, rn));
    }

    int *sum = add3_1(1, 20, 300, clnt);
    CHECK(sum != NULL && *sum == 321);
    point p = {5, -5};
    point *moved = move_1(p, 10, 100, clnt);
    CHECK(moved != NULL && moved->x == 15 && moved->y == 95);
    name *hi = greet_1("ada", clnt);
    CHECK(hi != NULL && strcmp(*hi, "hi ada") == 0);

    ticks *before = counter_1(clnt);
    CHECK(before != NULL);
    ticks start = before ? *before : 0;
    CHECK(sink_1("four", 38, clnt) != NULL);
    ticks *after = counter_1(clnt);
    CHECK(after != NULL && *after == start + 42);

    outcome *q = divide_1(-7, 2, clnt);
    CHECK(q != NULL && q->status == 0 && q->outcome_u.quotient == -3);
    q = divide_1(1, 0, clnt);
    CHECK(q != NULL && q->status == -1);
    q = divide_1(-9223372036854775807LL - 1, -1, clnt);
    CHECK(q != NULL && q->status == 1 && strcmp(q->outcome_u.message, "overflow") == 0);

    everything e;
    known_everything(&e, 0);
    maybe_point *found = find_1(e.co.chain, 3, clnt);
    CHECK(found != NULL && *found != NULL && (*found)->x == 3 && (*found)->y == 2);
    found = find_1(e.co.chain, 99, clnt);
    CHECK(found != NULL && *found == NULL);

    char a[3] = {1, 2, 3}, b[2] = {4, 5};
    blob ba = {3, a};
    small_blob bb = {2, b};
    blob *joined = concat_1(ba, bb, clnt);
    CHECK(joined != NULL && joined->blob_len == 5 && memcmp(joined->blob_val, "\1\2\3\4\5", 5) == 0);
}

static void check_version_2(CLIENT *clnt)
{
    int *sum = add3_2(1, 20, 300, clnt);
    CHECK(sum != NULL && *sum == 1321);
    everything e;
    known_everything(&e, 0);
    everything *r = echo_2(e, clnt);
    CHECK(r != NULL && same((xdrproc_t)xdr_everything, &e, r));
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s HOST tcp|udp\n", argv[0]);
        return 2;
    }
    CLIENT *v1 = clnt_create(argv[1], EVERYTHING_PROG, EVERYTHING_V1, argv[2]);
    CLIENT *v2 = clnt_create(argv[1], EVERYTHING_PROG, EVERYTHING_V2, argv[2]);
    if (v1 == NULL || v2 == NULL) {
        clnt_pcreateerror(argv[1]);
        return 1;
    }
    check_version_1(v1);
    check_version_2(v2);
    clnt_destroy(v1);
    clnt_destroy(v2);
    if (failures == 0)
        printf("all checks passed\n");
    return failures ? 1 : 0;
}
