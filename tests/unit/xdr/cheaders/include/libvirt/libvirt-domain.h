#ifndef TESTVIRT_DOMAIN_H
# define TESTVIRT_DOMAIN_H

# ifndef __VIR_LIBVIRT_H_INCLUDES__
#  error "include the umbrella header instead"
# endif

typedef struct _virDomain virDomain;
typedef virDomain *virDomainPtr;

typedef enum {
    VIR_DOMAIN_NOSTATE = 0,
    VIR_DOMAIN_RUNNING = 1,
    VIR_DOMAIN_BLOCKED,
    VIR_DOMAIN_PAUSED,
    VIR_DOMAIN_SHUTDOWN,
    VIR_DOMAIN_SHUTOFF,
    VIR_DOMAIN_CRASHED,
    VIR_DOMAIN_PMSUSPENDED,
# ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_LAST
# endif
} virDomainState;

typedef enum {
    VIR_DOMAIN_AFFECT_CURRENT = 0,
    VIR_DOMAIN_AFFECT_LIVE    = 1 << 0,
    VIR_DOMAIN_AFFECT_CONFIG  = 1 << 1,
} virDomainModificationImpact;

/* The largest memory size in KiB a 64-bit byte count can say. */
# define VIR_DOMAIN_MEMORY_PARAM_UNLIMITED 9007199254740991LL
# define VIR_DOMAIN_SEND_KEY_MAX_KEYS  16
# define VIR_DOMAIN_CPU_STATS_F(n) (n)

int virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags);

#endif
