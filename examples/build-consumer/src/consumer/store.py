"""Entries to bytes and back: XDR codecs from kv.x, compression from zlib through cffi."""

from __future__ import annotations

from consumer import _zlib
from consumer.kv import const, types

#: Values longer than this are compressed.
THRESHOLD = 128


def _compress(data: bytes) -> bytes:
    size = _zlib.ffi.new("unsigned long *", _zlib.compressBound(len(data)))
    out = _zlib.ffi.new("unsigned char[]", size[0])
    if _zlib.compress(out, size, data, len(data)) != 0:
        raise ValueError("zlib compress failed")
    return bytes(_zlib.ffi.buffer(out, size[0]))


def _uncompress(data: bytes, limit: int = const.MAX_VALUE) -> bytes:
    size = _zlib.ffi.new("unsigned long *", limit)
    out = _zlib.ffi.new("unsigned char[]", limit)
    if _zlib.uncompress(out, size, data, len(data)) != 0:
        raise ValueError("zlib uncompress failed")
    return bytes(_zlib.ffi.buffer(out, size[0]))


def pack(name: str, value: bytes) -> bytes:
    """An ``entry`` as XDR bytes; a long value is compressed."""
    compressed = len(value) > THRESHOLD
    entry = types.entry(name, _compress(value) if compressed else value, compressed)
    return entry.to_xdr()


def unpack(data: bytes) -> tuple[str, bytes]:
    """The name and the original value of XDR bytes made by :func:`pack`."""
    entry = types.entry.from_xdr(data)
    return entry.name, _uncompress(entry.value) if entry.compressed else entry.value


def checksum(data: bytes) -> int:
    """zlib's CRC-32 of ``data``."""
    return int(_zlib.crc32(0, data, len(data)))
