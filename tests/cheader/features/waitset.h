/* A header whose struct holds glibc's fd_set by value, as curl's curl.h brings it in.
   Its member is `fds_bits` with _XOPEN_SOURCE (which Python.h turns on) and `__fds_bits`
   without: the cdef must name the one the compiled extension sees. */
#ifndef WAITSET_H
#define WAITSET_H

#include <sys/select.h>

struct waitset {
    fd_set readable;
    int count;
};

#endif
