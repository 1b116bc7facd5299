"""TCP record marking (RFC 5531 §11): records made of fragments.

Each fragment starts with four bytes: the last-fragment bit and a 31-bit
length. Readers enforce a maximum record size *before* reading or allocating
what a header declares; writers split records larger than the maximum
fragment size, so both directions are exercised by multi-fragment records.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from idlgen_runtime.oncrpc.errors import RpcTransportError

LAST_FRAGMENT = 0x80000000
DEFAULT_MAX_RECORD = 4 * 1024 * 1024
DEFAULT_MAX_FRAGMENT = 0x7FFFFFFF
_U32 = struct.Struct(">I")


def frame(data: bytes | bytearray, max_fragment: int = DEFAULT_MAX_FRAGMENT) -> bytes:
    """``data`` as one record: fragments of at most ``max_fragment`` bytes, each with a header."""
    n = len(data)
    if n <= max_fragment:
        return _U32.pack(LAST_FRAGMENT | n) + data
    parts = []
    for start in range(0, n, max_fragment):
        chunk = data[start : start + max_fragment]
        last = LAST_FRAGMENT if start + max_fragment >= n else 0
        parts.append(_U32.pack(last | len(chunk)))
        parts.append(bytes(chunk))
    return b"".join(parts)


def read_record(stream: BinaryIO, max_record: int = DEFAULT_MAX_RECORD) -> bytes | None:
    """One whole record from a buffered stream; None at a clean end of stream."""
    head = stream.read(4)
    if len(head) == 4:  # the common case: one fragment
        (word,) = _U32.unpack(head)
        if word & LAST_FRAGMENT and (length := word & ~LAST_FRAGMENT) <= max_record:
            chunk = stream.read(length)
            if len(chunk) < length:
                raise RpcTransportError("connection closed inside a fragment")
            return chunk
    parts: list[bytes] = []
    size = 0
    while True:
        if not head:
            if parts:
                raise RpcTransportError("connection closed inside a record")
            return None
        if len(head) < 4:
            raise RpcTransportError("connection closed inside a fragment header")
        (word,) = _U32.unpack(head)
        length = word & ~LAST_FRAGMENT
        size += length
        if size > max_record:
            raise RpcTransportError(f"record of more than {max_record} bytes")
        chunk = stream.read(length)
        if len(chunk) < length:
            raise RpcTransportError("connection closed inside a fragment")
        parts.append(chunk)
        if word & LAST_FRAGMENT:
            return parts[0] if len(parts) == 1 else b"".join(parts)
        head = stream.read(4)


class RecordParser:
    """Incremental record reassembly for non-blocking servers.

    ``feed`` bytes as they arrive; ``records()`` yields each complete record.
    A header declaring more than ``max_record`` raises RpcTransportError at once.
    """

    def __init__(self, max_record: int = DEFAULT_MAX_RECORD) -> None:
        self.max_record = max_record
        self._buf = bytearray()
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the records they complete."""
        self._buf += data
        done: list[bytes] = []
        buf = self._buf
        pos = 0
        while len(buf) - pos >= 4:
            (word,) = _U32.unpack_from(buf, pos)
            length = word & ~LAST_FRAGMENT
            if self._size + length > self.max_record:
                raise RpcTransportError(f"record of more than {self.max_record} bytes")
            if len(buf) - pos - 4 < length:
                break
            self._parts.append(bytes(buf[pos + 4 : pos + 4 + length]))
            self._size += length
            pos += 4 + length
            if word & LAST_FRAGMENT:
                done.append(self._parts[0] if len(self._parts) == 1 else b"".join(self._parts))
                self._parts = []
                self._size = 0
        del buf[:pos]
        return done

    @property
    def pending(self) -> bool:
        """Whether part of a record has been received (a truncated record if the peer closes)."""
        return bool(self._buf or self._parts)
