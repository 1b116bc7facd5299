/* The C client of the classic example: ADD and SUB through rpcbind.
 *
 *   simp_client HOST tcp|udp            calls ADD(3, 4) and SUB(3, 4), checks 7 and -1
 *
 * (The call-rate loop of the benchmark is bench/rpc/add_rate.c.) */
#include <stdio.h>
#include <rpc/rpc.h>
#include "simp.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s HOST tcp|udp\n", argv[0]);
        return 2;
    }
    CLIENT *clnt = clnt_create(argv[1], SIMP_PROG, SIMP_VERSION, argv[2]);
    if (clnt == NULL) {
        clnt_pcreateerror(argv[1]);
        return 1;
    }
    operands ops = {3, 4};
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
