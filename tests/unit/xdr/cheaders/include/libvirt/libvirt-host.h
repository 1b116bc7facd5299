#ifndef TESTVIRT_HOST_H
# define TESTVIRT_HOST_H

# ifndef __VIR_LIBVIRT_H_INCLUDES__
#  error "include the umbrella header instead"
# endif

typedef struct _virConnect virConnect;
typedef virConnect *virConnectPtr;

/* Bytes of a raw UUID; the protocol's UUIDs are fixed opaque of this size. */
# define VIR_UUID_BUFLEN (16)

# define VIR_UUID_STRING_BUFLEN (36+1)

# define VIR_SECURITY_LABEL_BUFLEN (4096 + 1)
# define VIR_SECURITY_MODEL_BUFLEN (256 + 1)
# define VIR_SECURITY_DOI_BUFLEN (256 + 1)

# define VIR_NODE_CPU_STATS_FIELD_LENGTH 80
# define VIR_NODE_CPU_STATS_KERNEL "kernel"

typedef enum {
    VIR_NODE_CPU_STATS_ALL_CPUS = -1,
} virNodeGetCPUStatsAllCPUs;

typedef enum {
    VIR_CONNECT_RO         = (1 << 0),
    VIR_CONNECT_NO_ALIASES = (1 << 1),
} virConnectFlags;

typedef struct _virNodeInfo virNodeInfo;
struct _virNodeInfo {
    char model[32];
    unsigned long memory;
    unsigned int cpus;
};

int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer);

#endif
