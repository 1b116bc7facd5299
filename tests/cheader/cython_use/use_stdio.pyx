# cython: language_level=3
# The classic example through the generated stdio declarations.
from cstdio_cy._decls cimport *


def write(bytes path, bytes text):
    cdef FILE *f = fopen(path, b"w")
    if f == NULL:
        raise OSError(path)
    fputs(text, f)
    return fclose(f)
