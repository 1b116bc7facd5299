#ifndef TESTVIRT_COMMON_H
# define TESTVIRT_COMMON_H

# if !defined __VIR_LIBVIRT_H_INCLUDES__
#  error "include the umbrella header instead"
# endif

# define LIBVIR_VERSION_NUMBER 10000000

# ifndef VIR_DEPRECATED
#  define VIR_DEPRECATED __attribute__((__deprecated__))
# endif

/* The kinds of value a typed parameter holds: the wire protocol uses them
 * as case labels of its union. */
typedef enum {
    VIR_TYPED_PARAM_INT     = 1,
    VIR_TYPED_PARAM_UINT    = 2,
    VIR_TYPED_PARAM_LLONG   = 3,
    VIR_TYPED_PARAM_ULLONG  = 4,
    VIR_TYPED_PARAM_DOUBLE  = 5,
    VIR_TYPED_PARAM_BOOLEAN = 6,
    VIR_TYPED_PARAM_STRING  = 7,

# ifdef VIR_ENUM_SENTINELS
    VIR_TYPED_PARAM_LAST
# endif
} virTypedParameterType;

# define VIR_TYPED_PARAM_FIELD_LENGTH 80

typedef struct _virTypedParameter virTypedParameter;

struct _virTypedParameter {
    char field[VIR_TYPED_PARAM_FIELD_LENGTH];
    int type;
    union {
        int i;
        unsigned int ui;
        long long int l;
        unsigned long long int ul;
        double d;
        char b;
        char *s;
    } value;
};

typedef virTypedParameter *virTypedParameterPtr;

#endif
