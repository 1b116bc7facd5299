/* A library's public umbrella header, of the shape libvirt's has: the part
 * headers refuse to be included on their own. Written for idlgen's tests. */
#ifndef TESTVIRT_H
# define TESTVIRT_H

# include <sys/types.h>

# ifdef __cplusplus
extern "C" {
# endif

# define __VIR_LIBVIRT_H_INCLUDES__
# include <libvirt/libvirt-common.h>
# include <libvirt/libvirt-host.h>
# include <libvirt/libvirt-domain.h>
# undef __VIR_LIBVIRT_H_INCLUDES__

# ifdef __cplusplus
}
# endif

#endif
