/* A header that needs a library whose folder is not given: it cannot be
 * preprocessed, and spoils nothing else. */
#include <glib.h>
#define VIR_GLIB_ONLY 3
