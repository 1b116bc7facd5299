"""TCP record marking (RFC 5531 §11): records made of fragments.

Each fragment starts with four bytes: the last-fragment bit and a 31-bit
length. Readers enforce a maximum record size *before* reading or allocating
what a header declares; writers split records larger than the maximum
fragment size, so both directions are exercised by multi-fragment records.

An empty fragment that is not the last carries nothing and ends nothing: a
stream of them would keep a reader busy forever without a record ever
completing. No writer sends one (libtirpc flushes a fragment only when it
holds data), and libtirpc's non-blocking reader kills the connection on one,
so every reader here refuses it. Every accepted fragment then brings at least
one byte of the record, and ``max_record`` bounds the fragments too.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from idlgen_runtime.oncrpc.errors import RpcTransportError

LAST_FRAGMENT = 0x80000000
DEFAULT_MAX_RECORD = 4 * 1024 * 1024
DEFAULT_MAX_FRAGMENT = 0x7FFFFFFF
_U32 = struct.Struct(">I")
EMPTY_FRAGMENT = "an empty fragment that is not the last"


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
    if not head:
        return None
    # Fragments join in one buffer, bounded by max_record however small they are.
    data = bytearray()
    while True:
        if len(head) < 4:
            raise RpcTransportError("connection closed inside a record")
        (word,) = _U32.unpack(head)
        length = word & ~LAST_FRAGMENT
        if len(data) + length > max_record:
            raise RpcTransportError(f"record of more than {max_record} bytes")
        if not word:
            raise RpcTransportError(EMPTY_FRAGMENT)
        chunk = stream.read(length)
        if len(chunk) < length:
            raise RpcTransportError("connection closed inside a fragment")
        data += chunk
        if word & LAST_FRAGMENT:
            return bytes(data)
        head = stream.read(4)


class RecordParser:
    """Incremental record reassembly for non-blocking servers.

    ``feed`` bytes as they arrive; it returns each record they complete. A
    header declaring more than ``max_record`` raises RpcTransportError at once,
    before its body arrives; fragments are joined into one buffer, so many tiny
    fragments cost no more memory than one large one.
    """

    def __init__(self, max_record: int = DEFAULT_MAX_RECORD) -> None:
        self.max_record = max_record
        self._buf = bytearray()
        self._record = bytearray()  # the fragments so far of an unfinished record
        self._started = False

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the records they complete."""
        buf = self._buf
        buf += data
        done: list[bytes] = []
        pos = 0
        while len(buf) - pos >= 4:
            (word,) = _U32.unpack_from(buf, pos)
            length = word & ~LAST_FRAGMENT
            if len(self._record) + length > self.max_record:
                raise RpcTransportError(f"record of more than {self.max_record} bytes")
            if not word:
                raise RpcTransportError(EMPTY_FRAGMENT)
            end = pos + 4 + length
            if len(buf) < end:
                break
            if word & LAST_FRAGMENT:
                if self._started:
                    self._record += buf[pos + 4 : end]
                    done.append(bytes(self._record))
                    self._record = bytearray()
                    self._started = False
                else:
                    done.append(bytes(buf[pos + 4 : end]))
            else:
                self._record += buf[pos + 4 : end]
                self._started = True
            pos = end
        del buf[:pos]
        return done

    @property
    def buffered(self) -> int:
        """Bytes held for records not yet complete (what a server's memory cap counts)."""
        return len(self._buf) + len(self._record)

    @property
    def pending(self) -> bool:
        """Whether part of a record has been received (a truncated record if the peer closes)."""
        return bool(self._buf) or self._started
