/* The project's private header, found with -I src as its build gives it. */
#pragma once
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <libvirt/libvirt.h>

#define VIR_ERR_MAX_LEN 1024
#define VIR_INT64_STR_BUFLEN 21
