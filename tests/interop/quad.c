/* The reference for quadruple (IEEE 754 binary128), which libtirpc lacks: GCC's
 * _Float128 in XDR's byte order (big-endian, 16 bytes).
 *
 *   quad enc DOUBLE...   each double (C99 hex-float or decimal) widened to
 *                        binary128, printed as 32 hex digits
 *   quad dec HEX...      each 32-hex-digit binary128 rounded to the nearest
 *                        double, printed as a C99 hex float (%a)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void to_xdr(_Float128 value, unsigned char out[16])
{
    unsigned char raw[16];
    memcpy(raw, &value, 16);
    for (int k = 0; k < 16; k++)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        out[k] = raw[15 - k];
#else
        out[k] = raw[k];
#endif
}

static _Float128 from_xdr(const unsigned char in[16])
{
    unsigned char raw[16];
    _Float128 value;
    for (int k = 0; k < 16; k++)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        raw[15 - k] = in[k];
#else
        raw[k] = in[k];
#endif
    memcpy(&value, raw, 16);
    return value;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    for (int i = 2; i < argc; i++) {
        unsigned char bytes[16];
        if (strcmp(argv[1], "enc") == 0) {
            to_xdr((_Float128)strtod(argv[i], NULL), bytes);
            for (int k = 0; k < 16; k++)
                printf("%02x", bytes[k]);
            printf("\n");
        } else if (strcmp(argv[1], "dec") == 0 && strlen(argv[i]) == 32) {
            for (int k = 0; k < 16; k++) {
                unsigned int byte;
                if (sscanf(argv[i] + 2 * k, "%2x", &byte) != 1)
                    return 2;
                bytes[k] = (unsigned char)byte;
            }
            printf("%a\n", (double)from_xdr(bytes));
        } else {
            fprintf(stderr, "usage: %s enc DOUBLE... | dec HEX...\n", argv[0]);
            return 2;
        }
    }
    return 0;
}
