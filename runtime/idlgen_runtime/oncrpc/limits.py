"""What a server holds for its clients, bounded: the knobs and their defaults.

Both servers (``RpcServer`` and ``AsyncRpcServer``) take a :class:`ServerLimits`.
Each bound answers one way a client — hostile or merely broken — could make a
server spend memory, CPU or file descriptors on it without end; together they
make the promises in docs/runtime-oncrpc.md ("Under attack"). The defaults suit
a server with up to about a thousand clients on a small machine; every one can
be raised, and ``None`` turns off the ones that are optional.
"""

from __future__ import annotations

import logging
import resource
import time
from dataclasses import dataclass

from idlgen_runtime.oncrpc import record

MiB = 1024 * 1024


@dataclass(frozen=True)
class ServerLimits:
    """The bounds a server enforces (see docs/runtime-oncrpc.md, "Limits")."""

    #: Largest call record accepted over TCP; a fragment header declaring more is
    #: refused before its body is read.
    max_record: int = record.DEFAULT_MAX_RECORD
    #: Replies longer than this go out in several fragments.
    max_fragment: int = record.DEFAULT_MAX_FRAGMENT
    #: Calls of one TCP connection running at once (asyncio server; the blocking
    #: server runs one call at a time). Past it the server stops reading that
    #: connection until a call finishes: the client waits, nothing is dropped.
    max_in_flight: int = 128
    #: Replies queued for one TCP client that does not read them; past it the
    #: server stops taking that client's calls until it reads (blocking server;
    #: the asyncio one stops at its transport's high-water mark).
    max_queued_replies: int = 4 * MiB
    #: TCP connections open at once. A new one past it closes the connection
    #: idle the longest (no call running), as libtirpc does when it runs out of
    #: descriptors; if every connection is busy, the new one is closed. Lowered
    #: to fit the process's descriptor limit (``connection_limit``).
    max_connections: int = 1024
    #: A TCP connection with no call running and no progress (no byte received,
    #: none of its replies taken) for this many seconds is closed; a partial
    #: record or a client that does not read does not keep it alive. None: never.
    idle_timeout: float | None = 300.0
    #: Bytes held for all TCP clients together: partial records and queued
    #: replies. Past it, the connections holding the most are closed until the
    #: total is back under (the one that pushed it over, typically a huge
    #: half-sent record, goes first; small callers are not touched).
    max_memory: int = 32 * MiB
    #: asyncio server: UDP calls running at once; datagrams past it are dropped
    #: (UDP clients retransmit), so a flood costs no task and no memory.
    udp_max_in_flight: int = 256
    #: Duplicate-request cache for UDP: replies kept, by (client address, xid,
    #: checksum of the call), so a retransmission is answered from the cache,
    #: not run again; 0 turns it off. A retransmission of a call still running
    #: is dropped.
    drc_entries: int = 1024
    #: ... and the bytes of cached replies at most (the oldest go first).
    drc_bytes: int = 8 * MiB

    def __post_init__(self) -> None:
        if self.max_memory < self.max_record:
            raise ValueError(
                f"max_memory ({self.max_memory}) must be at least max_record ({self.max_record})"
            )
        for name in (
            "max_record",
            "max_fragment",
            "max_in_flight",
            "max_connections",
            "udp_max_in_flight",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.idle_timeout is not None and not self.idle_timeout > 0:
            raise ValueError(f"idle_timeout must be positive or None, not {self.idle_timeout}")


def connection_limit(limits: ServerLimits) -> int:
    """``max_connections``, lowered to stay under the process's descriptor limit.

    At the limit a new connection closes the one idle the longest; if the
    descriptors ran out first, accept would fail instead and new clients would
    wait for idle ones to time out. So the limit leaves a quarter of the
    descriptors (at most 64) for listening sockets, the selector and whatever
    the procedures open.
    """
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft == resource.RLIM_INFINITY:
        return limits.max_connections
    return max(1, min(limits.max_connections, soft - min(64, soft // 4)))


class LogLimiter:
    """Logs one message at most once per ``interval`` seconds, with how many were held back.

    A flood (a full descriptor table, a datagram storm) repeats the same event
    thousands of times a second; its log should say so once, not write it
    each time.
    """

    def __init__(self, logger: logging.Logger, interval: float = 10.0) -> None:
        self.logger = logger
        self.interval = interval
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def log(self, level: int, key: str, msg: str, *args: object) -> None:
        """Log ``msg % args`` under ``key`` unless one was logged less than ``interval`` ago."""
        now = time.monotonic()
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            self._held[key] = self._held.get(key, 0) + 1
            return
        held = self._held.pop(key, 0)
        self._last[key] = now
        if held:
            msg += " (and %d more like it in the last %.0f s)"
            args = (*args, held, now - last if last is not None else 0.0)
        self.logger.log(level, msg, *args)
