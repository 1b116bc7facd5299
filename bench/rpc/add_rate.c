/* The C side of the RPC call-rate benchmark: ADD of simp.x, N times, against a
 * server found through rpcbind (the C server or the generated Python one).
 *
 *   add_rate HOST tcp|udp N [PORT]    prints one line: calls per second (an integer)
 *
 * Without PORT, rpcbind on HOST finds the server (clnt_create); with it, the
 * client goes straight to HOST:PORT (clnttcp_create / clntudp_create), so a
 * registration that another program removes meanwhile does not matter.
 * Each result is checked; a wrong one or a failed call exits 1. The clock is
 * CLOCK_MONOTONIC around the N calls only (clnt_create and rpcbind excluded). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <rpc/rpc.h>
#include "simp.h"

int main(int argc, char **argv)
{
    if ((argc != 4 && argc != 5) || atol(argv[3]) <= 0) {
        fprintf(stderr, "usage: %s HOST tcp|udp N [PORT]\n", argv[0]);
        return 2;
    }
    long n = atol(argv[3]);
    CLIENT *clnt;
    if (argc == 5) {
        struct sockaddr_in addr;
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_port = htons((unsigned short)atoi(argv[4]));
        if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
            fprintf(stderr, "%s: not an IPv4 address\n", argv[1]);
            return 2;
        }
        int sock = RPC_ANYSOCK;
        if (strcmp(argv[2], "tcp") == 0) {
            clnt = clnttcp_create(&addr, SIMP_PROG, SIMP_VERSION, &sock, 0, 0);
        } else {
            struct timeval retry = {1, 0};
            clnt = clntudp_create(&addr, SIMP_PROG, SIMP_VERSION, retry, &sock);
        }
    } else {
        clnt = clnt_create(argv[1], SIMP_PROG, SIMP_VERSION, argv[2]);
    }
    if (clnt == NULL) {
        clnt_pcreateerror(argv[1]);
        return 1;
    }
    operands ops = {0, 4};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) {
        ops.x = (int)(i & 0xffffff);
        int *sum = add_1(ops, clnt);
        if (sum == NULL) {
            clnt_perror(clnt, "ADD");
            return 1;
        }
        if (*sum != ops.x + 4) {
            fprintf(stderr, "ADD(%d, 4) = %d\n", ops.x, *sum);
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%.0f\n", (double)n / seconds);
    clnt_destroy(clnt);
    return 0;
}
