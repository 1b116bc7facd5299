# cython: language_level=3
# Cython code that cimports the generated zlib declarations: compress/uncompress
# and a streaming deflate/inflate with z_stream.
from zlib_cy._decls cimport *


def round_trip(bytes data):
    cdef uLongf packed_len = compressBound(len(data))
    cdef bytearray packed = bytearray(packed_len)
    cdef unsigned char[::1] p = packed
    if compress(&p[0], &packed_len, <const Bytef *><const char *>data, len(data)) != Z_OK:
        raise RuntimeError("compress")
    cdef uLongf out_len = len(data)
    cdef bytearray out = bytearray(out_len)
    cdef unsigned char[::1] o = out
    if uncompress(&o[0], &out_len, &p[0], packed_len) != Z_OK:
        raise RuntimeError("uncompress")
    return bytes(packed[:packed_len]), bytes(out[:out_len])


def stream(bytes data, int chunk):
    cdef z_stream s
    s.zalloc = NULL
    s.zfree = NULL
    s.opaque = NULL
    if deflateInit_(&s, 9, ZLIB_VERSION, sizeof(z_stream)) != Z_OK:
        raise RuntimeError("deflateInit")
    s.next_in = <Bytef *><char *>data
    s.avail_in = len(data)
    cdef bytearray buf = bytearray(chunk)
    cdef unsigned char[::1] b = buf
    pieces = []
    cdef int rc = Z_OK
    while rc != Z_STREAM_END:
        s.next_out = &b[0]
        s.avail_out = chunk
        rc = deflate(&s, Z_FINISH)
        pieces.append(bytes(buf[: chunk - s.avail_out]))
    deflateEnd(&s)
    return b"".join(pieces)
