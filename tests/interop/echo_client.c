/* The C client of the interop tests: calls a server of echo.x (the generated
 * Python one) with known values and checks every reply. Exit status 0 when all
 * checks pass; each failed check is printed. Usage: echo_client HOST tcp|udp */
#include <stdio.h>
#include <string.h>
#include <rpc/rpc.h>
#include "echo.h"

bool_t xdr_quadruple(XDR *xdrs, quadruple *value)
{
    return xdr_opaque(xdrs, (char *)value, 16);
}

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAILED: %s\n", #cond); failures++; } } while (0)

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    CLIENT *clnt = clnt_create(argv[1], ECHO_PROG, ECHO_V1, argv[2]);
    if (clnt == NULL) {
        clnt_pcreateerror(argv[1]);
        return 1;
    }
    int *sum = add3_1(1, 20, 300, clnt);
    CHECK(sum != NULL && *sum == 321);
    CHECK(nothing_1(clnt) != NULL);
    point p = {5, -5};
    point *moved = move_1(p, 10, 100, clnt);
    CHECK(moved != NULL && moved->x == 15 && moved->y == 95);
    name *hi = greet_1("ada", clnt);
    CHECK(hi != NULL && strcmp(*hi, "hi ada") == 0);

    node n3 = {3, "three", NULL}, n2 = {2, "two", &n3}, n1 = {1, "one", &n2};
    nodelist *walked = walk_1(&n1, clnt);
    CHECK(walked != NULL && *walked != NULL && (*walked)->value == 1 && (*walked)->next->next->value == 3);
    CHECK(walked != NULL && *walked != NULL && strcmp((*walked)->next->label, "two") == 0);

    everything e;
    memset(&e, 0, sizeof e);
    e.b = TRUE;
    e.i = -123456;
    e.u = 4000000000u;
    e.h = -9000000000000LL;
    e.uh = 18000000000000000000ULL;
    e.f = 1.5f;
    e.d = -2.25;
    e.c = -5;
    e.s = -300;
    e.us = 65000;
    e.col = BLUE;
    memset(e.digest, 0xab, sizeof e.digest);
    char blob[3] = {1, 2, 3};
    e.blob.blob_len = 3;
    e.blob.blob_val = blob;
    e.who = "who";
    e.note = "a note";
    int fixed[4] = {1, 2, 3, 4};
    memcpy(e.fixed4, fixed, sizeof fixed);
    int cs[2] = {7, 8};
    e.cs.counts_len = 2;
    e.cs.counts_val = cs;
    point pts[1] = {{9, 9}};
    e.pts.pts_len = 1;
    e.pts.pts_val = pts;
    e.corners[0].x = 1;
    e.corners[1].y = 2;
    e.maybe_point = &p;
    e.list = &n1;
    e.sh.kind = GREEN;
    e.sh.shape_u.text = "green";
    e.mb.tag = 1;
    e.mb.maybe_u.big = -1;
    e.fl.set = TRUE;
    e.fl.flag_u.bits = 0xFFFFFFFFFFFFFFFFULL;

    everything *r = echo_1(e, clnt);
    CHECK(r != NULL);
    if (r != NULL) {
        CHECK(r->b == TRUE && r->i == -123456 && r->u == 4000000000u);
        CHECK(r->h == -9000000000000LL && r->uh == 18000000000000000000ULL);
        CHECK(r->f == 1.5f && r->d == -2.25 && r->c == -5 && r->s == -300 && r->us == 65000);
        CHECK(r->col == BLUE && memcmp(r->digest, e.digest, sizeof e.digest) == 0);
        CHECK(r->blob.blob_len == 3 && memcmp(r->blob.blob_val, blob, 3) == 0);
        CHECK(strcmp(r->who, "who") == 0 && strcmp(r->note, "a note") == 0);
        CHECK(memcmp(r->fixed4, fixed, sizeof fixed) == 0);
        CHECK(r->cs.counts_len == 2 && r->cs.counts_val[1] == 8);
        CHECK(r->pts.pts_len == 1 && r->pts.pts_val[0].x == 9);
        CHECK(r->corners[0].x == 1 && r->corners[1].y == 2);
        CHECK(r->maybe_point != NULL && r->maybe_point->x == 5);
        CHECK(r->list != NULL && r->list->next->next->value == 3 && r->list->next->next->next == NULL);
        CHECK(r->sh.kind == GREEN && strcmp(r->sh.shape_u.text, "green") == 0);
        CHECK(r->mb.tag == 1 && r->mb.maybe_u.big == -1);
        CHECK(r->fl.set == TRUE && r->fl.flag_u.bits == 0xFFFFFFFFFFFFFFFFULL);
    }
    clnt_destroy(clnt);
    if (failures == 0)
        printf("all checks passed\n");
    return failures ? 1 : 0;
}
