/* The C client of the classic example: ADD and SUB through rpcbind, and a rate loop.
 *
 *   simp_client HOST tcp|udp            calls ADD(3, 4) and SUB(3, 4), checks 7 and -1
 *   simp_client HOST tcp|udp N          calls ADD N times, prints calls per second
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <rpc/rpc.h>
#include "simp.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST tcp|udp [N]\n", argv[0]);
        return 2;
    }
    CLIENT *clnt = clnt_create(argv[1], SIMP_PROG, SIMP_VERSION, argv[2]);
    if (clnt == NULL) {
        clnt_pcreateerror(argv[1]);
        return 1;
    }
    operands ops = {3, 4};
    if (argc > 3) {
        long n = atol(argv[3]);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long i = 0; i < n; i++) {
            ops.x = (int)i;
            int *r = add_1(ops, clnt);
            if (r == NULL || *r != (int)i + 4) {
                clnt_perror(clnt, "ADD");
                return 1;
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("%.0f\n", n / secs);
        return 0;
    }
    int *sum = add_1(ops, clnt);
    int *diff = sub_1(ops, clnt);
    if (sum == NULL || diff == NULL) {
        clnt_perror(clnt, "simp_client");
        return 1;
    }
    printf("ADD(3, 4) = %d\nSUB(3, 4) = %d\n", *sum, *diff);
    clnt_destroy(clnt);
    return (*sum == 7 && *diff == -1) ? 0 : 1;
}
