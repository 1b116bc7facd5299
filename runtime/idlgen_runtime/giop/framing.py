"""Reading whole GIOP messages from a stream socket, fragments reassembled.

Shared by the client and the server. A header declaring more than the
configured maximum is refused before its body is read; fragments are joined
(GIOP 1.1: by position, 1.2: same request id) up to the same maximum.
Alignment in a reassembled message is relative to the first header, as if the
fragment headers were not there (1.2 fragment bodies start 8-aligned).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import replace

from idlgen_runtime.giop import messages as m
from idlgen_runtime.giop.exceptions import marshal

DEFAULT_MAX_MESSAGE = 2 * 1024 * 1024 * 1024 - 1
#: omniORB's default giopMaxMsgSize (2 MB); the ORB uses it unless told otherwise.
OMNI_MAX_MESSAGE = 2 * 1024 * 1024


def close_socket(sock: socket.socket) -> None:
    """Shut ``sock`` down (which wakes a thread blocked in ``recv``), then close it."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class Closed(Exception):
    """The peer closed the connection (``partial``: in the middle of a message)."""

    def __init__(self, partial: bool) -> None:
        super().__init__("connection closed" + (" mid-message" if partial else ""))
        self.partial = partial


class TooBig(Exception):
    """A message (or its fragments together) exceeds the maximum size."""


class Budget:
    """Bytes that all the connections of a server may hold at once (partial messages).

    A client that sends the first megabytes of many huge messages on many
    connections is stopped here (TooBig: MessageError and a close for the
    connection that went over), not by the machine running out of memory.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.lock = threading.Lock()

    def take(self, n: int) -> None:
        """Account for ``n`` more bytes held (TooBig past the limit)."""
        with self.lock:
            if self.used + n > self.limit:
                raise TooBig(f"the server holds {self.used} bytes for its clients already")
            self.used += n

    def give(self, n: int) -> None:
        """``n`` bytes are no longer held."""
        with self.lock:
            self.used -= n


class Reader:
    """Buffered reads of whole messages from ``sock``."""

    def __init__(
        self, sock: socket.socket, max_size: int = OMNI_MAX_MESSAGE, budget: Budget | None = None
    ) -> None:
        self.sock = sock
        self.buf = bytearray()
        self.max_size = max_size
        self.budget = budget
        self.held = 0  # bytes of ``buf`` counted in the budget

    def release(self) -> None:
        """Give back what this reader holds (its connection is gone)."""
        if self.budget is not None and self.held:
            self.budget.give(self.held)
        self.held = 0

    def _fill(self, n: int) -> None:
        while len(self.buf) < n:
            want = max(65536, n - len(self.buf))
            if self.budget is not None:
                want = min(want, max(n - len(self.buf), 4096))
            chunk = self.sock.recv(want)
            if not chunk:
                raise Closed(bool(self.buf))
            if self.budget is not None:
                self.budget.take(len(chunk))
                self.held += len(chunk)
            self.buf += chunk

    def pending(self) -> bool:
        """True when part of a message has been read (a timeout then breaks framing)."""
        return bool(self.buf)

    def raw_message(self) -> tuple[m.Header, bytes]:
        """One message as sent (a fragment is not joined)."""
        self._fill(m.HEADER)
        h = m.parse_header(bytes(self.buf[: m.HEADER]))
        if h.size > self.max_size:
            raise TooBig(f"message of {h.size} bytes, at most {self.max_size}")
        total = m.HEADER + h.size
        self._fill(total)
        data = bytes(self.buf[:total])
        del self.buf[:total]
        if self.budget is not None:
            self.budget.give(total)
            self.held -= total
        return h, data

    def message(self) -> tuple[m.Header, bytes]:
        """The next logical message, its fragments joined."""
        h, data = self.raw_message()
        if not h.more or h.msg_type not in (m.REQUEST, m.REPLY, m.LOCATE_REQUEST, m.LOCATE_REPLY):
            if h.more:
                raise marshal(f"message type {h.msg_type} cannot be fragmented")
            return h, data
        parts = [data]
        size = len(data)
        more = True
        while more:
            fh, fdata = self.raw_message()
            if fh.msg_type != m.FRAGMENT or fh.version != h.version:
                raise marshal("a fragmented message was interrupted by another message")
            skip = m.HEADER + (4 if fh.version >= (1, 2) else 0)
            if len(fdata) < skip:
                raise marshal("fragment shorter than its header")
            size += len(fdata) - skip
            if size > self.max_size:
                raise TooBig(f"fragments add up to more than {self.max_size} bytes")
            parts.append(fdata[skip:])
            more = fh.more
        joined = b"".join(parts)
        return replace(h, more=False, size=len(joined) - m.HEADER), joined
