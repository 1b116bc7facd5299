"""The duplicate-request cache of UDP servers.

A UDP client that hears nothing within its retransmit interval sends the same
call again, with the same xid. Without a cache the server runs the procedure
once per copy: a non-idempotent procedure acts twice, and a slow one is run
again and again (a 2.5 s call retransmitted every second kept a server busy
for 7.5 s). libtirpc (``svc_dg_enablecache``) and the kernel's NFS server keep
replies by client address and xid; this cache does the same, with a checksum
of the whole call so that a reused xid carrying another call is not answered
from the cache.

A copy that arrives while the call still runs is dropped (the reply will
answer it); one that arrives after gets the cached reply again. Entries go
oldest first when there are more than ``entries`` or their replies add up to
more than ``max_bytes``.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from typing import Any

#: The value of an entry whose call is still running.
IN_PROGRESS = b""

_Key = tuple[Any, bytes]


class DuplicateRequestCache:
    """Replies of recent UDP calls by (peer, xid); see the module docstring."""

    def __init__(self, entries: int = 1024, max_bytes: int = 8 * 1024 * 1024) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self._replies: OrderedDict[_Key, tuple[int, bytes]] = OrderedDict()
        self._bytes = 0
        #: Copies answered from the cache, and copies dropped while their call ran.
        self.hits = 0
        self.dropped = 0

    @staticmethod
    def key(data: bytes, peer: Any) -> _Key:
        """The key of a call: its sender and xid (the first four bytes)."""
        return (peer, bytes(data[:4]))

    def lookup(self, key: _Key, data: bytes) -> bytes | None:
        """The cached reply, IN_PROGRESS for a call still running, or None for a new call."""
        entry = self._replies.get(key)
        if entry is None:
            return None
        crc, reply = entry
        if crc != zlib.crc32(data):
            self._forget(key)  # the xid was reused for another call: run it
            return None
        if not reply:  # IN_PROGRESS: no real reply is empty
            self.dropped += 1
        else:
            self.hits += 1
        return reply

    def begin(self, key: _Key, data: bytes) -> None:
        """Record that the call with ``key`` is running."""
        if self.entries <= 0:
            return
        self._forget(key)
        self._replies[key] = (zlib.crc32(data), IN_PROGRESS)
        self._trim()

    def finish(self, key: _Key, reply: bytes) -> None:
        """Keep the reply of a call that :meth:`begin` recorded (if it is still there)."""
        entry = self._replies.get(key)
        if entry is None or entry[1]:  # gone, or already answered
            return
        self._replies[key] = (entry[0], reply)
        self._replies.move_to_end(key)
        self._bytes += len(reply)
        self._trim()

    def __len__(self) -> int:
        return len(self._replies)

    @property
    def size(self) -> int:
        """Bytes of cached replies."""
        return self._bytes

    def _forget(self, key: _Key) -> None:
        entry = self._replies.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[1])

    def _trim(self) -> None:
        while self._replies and (len(self._replies) > self.entries or self._bytes > self.max_bytes):
            _, (_, reply) = self._replies.popitem(last=False)
            self._bytes -= len(reply)
