# cython: language_level=3
# The classic example through the generated stdio declarations.
from cstdio_cy._decls cimport *


def write(bytes path, bytes text):
    cdef FILE *f = fopen(path, b"w")
    if f == NULL:
        raise OSError(path)
    fputs(text, f)
    return fclose(f)


def read_line(bytes path):
    cdef char line[256]
    cdef FILE *f = fopen(path, b"r")
    if f == NULL:
        raise OSError(path)
    try:
        return fgets(line, sizeof(line), f)  # char * → bytes
    finally:
        fclose(f)
