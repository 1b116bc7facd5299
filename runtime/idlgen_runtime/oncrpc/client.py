"""The blocking ONC RPC client that generated ``client.PROG.VERS`` classes extend.

One connection per client; calls are sequential. TCP calls send one record
with one ``sendall`` and read the reply through a buffered reader; a timeout
closes the connection (the next call reconnects), so a late reply can never be
taken for the answer to a later call. UDP calls retransmit every
``retransmit`` seconds until ``timeout`` and ignore datagrams that are not the
reply to the call in flight.

``timeout`` is one deadline per call, not per read: a server that trickles the
reply a byte at a time, or sends replies with other xids, cannot hold a call
past it, because every receive waits only for the time the call has left.
Every error a call raises carries its :class:`~.errors.CallSite`.

Servers close connections that stay idle (ours after ``idle_timeout``, the
Linux NFS server after six minutes) or that they need for others. Before a
call on a connection unused for a second or more, the client checks, without
waiting, whether the server has closed it, and opens a new one if so: the call
is not lost to a close that happened while nobody was calling.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import select
import socket
import struct
import sys
import time
from collections.abc import Callable
from typing import Any, BinaryIO, ClassVar, TypeVar, cast

from idlgen_runtime.errors import XdrDecodeError
from idlgen_runtime.oncrpc import message, record
from idlgen_runtime.oncrpc.auth import Auth, AuthNone
from idlgen_runtime.oncrpc.errors import CallSite, RpcError, RpcTimeout, RpcTransportError
from idlgen_runtime.xdr import Buffer, decode_exact

T = TypeVar("T")
C = TypeVar("C", bound="RpcClient")
MAX_UDP = 65507
#: A connection unused this long is checked for a close by the server before a call.
IDLE_CHECK = 1.0
#: Record mark + call header, packed together for single-fragment TCP calls.
_FRAMED_CALL = struct.Struct(">IIIIIII")


def _xids() -> itertools.count[int]:
    """Transaction ids start at a random point so restarted clients do not reuse them."""
    return itertools.count(int.from_bytes(os.urandom(4), "big") & 0x7FFFFFFF)


class ClientOptions:
    """What every client of a program version is configured with (blocking or asyncio)."""

    program: ClassVar[int]
    version: ClassVar[int]

    def __init__(
        self,
        host: str,
        port: int,
        *,
        transport: str = "tcp",
        timeout: float = 10.0,
        auth: Auth | None = None,
        retransmit: float = 1.0,
        max_record: int = record.DEFAULT_MAX_RECORD,
        max_fragment: int = record.DEFAULT_MAX_FRAGMENT,
    ) -> None:
        if transport not in ("tcp", "udp"):
            raise ValueError(f"transport must be 'tcp' or 'udp', not {transport!r}")
        self.host, self.port, self.transport = host, port, transport
        self.timeout, self.retransmit = timeout, retransmit
        self.max_record, self.max_fragment = max_record, max_fragment
        self._auth = (auth or AuthNone()).encoded()
        self._xid = _xids()

    def describe(self) -> str:
        """The program version and server, e.g. for errors outside a call (connecting)."""
        cls = type(self)
        server = self.host if self.host.startswith("/") else f"{self.host}:{self.port}"
        return (
            f"{cls.__qualname__} (program {self.program} version {self.version}) "
            f"on {server} over {self.transport}"
        )

    def call_site(self, proc: int, method: str = "") -> CallSite:
        """The :class:`CallSite` of procedure ``proc`` (``method``: the Python method's name)."""
        cls = type(self)
        if proc == 0:
            method = "null"
        elif not callable(getattr(cls, method, None)):
            method = ""  # not a generated procedure method: the numbers say it all
        name = f"{cls.__qualname__}.{method}" if method else cls.__qualname__
        server = self.host if self.host.startswith("/") else f"{self.host}:{self.port}"
        return CallSite(self.program, self.version, proc, name, server, self.transport)

    def _failed(self, exc: Exception, proc: int, caller: str) -> Exception:
        """``exc`` with the call site attached (results that do not decode become one)."""
        if isinstance(exc, RpcError):
            if exc.call is None:
                exc.call = self.call_site(proc, caller)
            return exc
        site = self.call_site(proc, caller)
        return XdrDecodeError(f"{site}: the results do not decode as declared: {exc}")


class _DeadlineSocket(io.RawIOBase):
    """The raw stream under the client's buffered reader, bounded by the call's deadline.

    Every receive waits only for what is left of the current call's deadline,
    so a reply that trickles in cannot stretch a call past its timeout. The
    socket's timeout (a system call to change) is lowered only when what is
    left is shorter by more than ``SLACK``: the first read of a call, right
    after the send, keeps the timeout the call began with.
    """

    SLACK = 0.01

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self.sock = sock
        self.deadline = math.inf
        self.current: float | None = sock.gettimeout()

    def start(self, timeout: float) -> None:
        """A call begins: its deadline is ``timeout`` seconds from now."""
        self.deadline = time.monotonic() + timeout
        if self.current != timeout:
            self.sock.settimeout(timeout)
            self.current = timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the call's deadline passed")
        if self.current is None or self.current - left > self.SLACK:
            self.sock.settimeout(left)
            self.current = left
        return self.sock.recv_into(buf)


class RpcClient(ClientOptions):
    """A client of one program version (the generated subclass sets both numbers)."""

    def __init__(self, host: str, port: int, **options: Any) -> None:
        super().__init__(host, port, **options)
        self._sock: socket.socket | None = None
        self._raw: _DeadlineSocket | None = None
        self._rfile: BinaryIO | None = None
        self._last_used = 0.0
        self._connect()

    @classmethod
    def connect(
        cls: type[C],
        host: str,
        *,
        port: int | None = None,
        transport: str = "tcp",
        timeout: float = 10.0,
        auth: Auth | None = None,
        retransmit: float = 1.0,
        max_record: int = record.DEFAULT_MAX_RECORD,
        max_fragment: int = record.DEFAULT_MAX_FRAGMENT,
    ) -> C:
        """Connect to ``host``; without ``port``, ask rpcbind there for it."""
        if port is None:
            from idlgen_runtime.oncrpc import rpcbind

            port = rpcbind.getport(host, cls.program, cls.version, transport, timeout=timeout)
        return cls(
            host,
            port,
            transport=transport,
            timeout=timeout,
            auth=auth,
            retransmit=retransmit,
            max_record=max_record,
            max_fragment=max_fragment,
        )

    # -- connection --------------------------------------------------------------

    def _connect(self) -> None:
        try:
            if self.transport == "tcp" and self.host.startswith("/"):
                # A Unix-domain stream socket, such as rpcbind's /run/rpcbind.sock:
                # the same record marking, and the server learns our uid.
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                try:
                    sock.connect(self.host)
                except OSError:
                    sock.close()
                    raise
            elif self.transport == "tcp":
                sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            else:
                info = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_DGRAM)[0]
                sock = socket.socket(info[0], socket.SOCK_DGRAM)
                sock.connect(info[4])  # the kernel then drops datagrams from anyone else
        except OSError as exc:
            raise RpcTransportError(f"{self.describe()}: cannot connect: {exc}") from exc
        self._sock = sock
        self._last_used = time.monotonic()
        if self.transport == "tcp":
            self._raw = _DeadlineSocket(sock)
            self._rfile = cast(BinaryIO, io.BufferedReader(self._raw, 65536))

    def close(self) -> None:
        """Close the connection; the client cannot be used afterwards."""
        if self._rfile is not None:
            self._rfile.close()
            self._rfile = None
            self._raw = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self: C) -> C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- calls ----------------------------------------------------------------------

    def null(self) -> None:
        """Procedure 0: a round trip that checks the server is there."""
        self._call(0, b"", lambda buf, pos: (None, pos))

    def _call(
        self, proc: int, args: bytes | bytearray, decode: Callable[[Buffer, int], tuple[T, int]]
    ) -> T:
        """Send one call with encoded ``args``; return the decoded result."""
        try:
            xid = next(self._xid) & 0xFFFFFFFF
            size = 24 + len(self._auth) + len(args)
            if self.transport == "tcp" and size <= self.max_fragment:
                # The common case: one fragment, its mark packed with the call header.
                mark = record.LAST_FRAGMENT | size
                head = _FRAMED_CALL.pack(mark, xid, 0, 2, self.program, self.version, proc)
                reply = self._exchange_tcp(head[4:8], head + self._auth + args)
            else:
                msg = message.CALL_HEAD.pack(xid, 0, 2, self.program, self.version, proc)
                msg += self._auth + args
                if self.transport == "tcp":
                    reply = self._exchange_tcp(msg[:4], record.frame(msg, self.max_fragment))
                else:
                    reply = self._exchange_udp(xid, msg)
            if reply[4:24] == message.SUCCESS_TAIL:  # the common reply: results at 24
                return decode_exact(decode, reply, 24)
            _, pos = message.parse_reply(reply)
            return decode_exact(decode, reply, pos)
        except (RpcError, XdrDecodeError) as exc:
            failed = self._failed(exc, proc, sys._getframe(1).f_code.co_name)
            if failed is exc:
                raise
            raise failed from exc

    def _exchange_tcp(self, xid: bytes, framed: bytes) -> bytes:
        """Send a framed call; return the reply record whose xid (4 bytes) matches."""
        if self._sock is not None and time.monotonic() - self._last_used > IDLE_CHECK:
            if self._closed_by_server(self._sock):
                self.close()
        if self._sock is None:
            self._connect()
        assert self._sock is not None and self._rfile is not None and self._raw is not None
        raw = self._raw
        raw.start(self.timeout)  # also sendall's timeout: a total, not per send
        try:
            self._sock.sendall(framed)
            while True:
                reply = record.read_record(self._rfile, self.max_record)
                if reply is None:
                    raise RpcTransportError("the server closed the connection")
                if reply[:4] == xid:
                    self._last_used = time.monotonic()
                    return reply
                if time.monotonic() >= raw.deadline:  # other xids, read from the buffer
                    raise TimeoutError
        except TimeoutError:
            self.close()  # a late reply must not answer the next call
            raise RpcTimeout(f"no reply within the call's timeout of {self.timeout} s") from None
        except OSError as exc:
            self.close()
            raise RpcTransportError(f"the connection failed: {exc}") from exc
        except RpcTransportError:
            self.close()
            raise

    @staticmethod
    def _closed_by_server(sock: socket.socket) -> bool:
        """Whether the server closed this idle connection (EOF or reset), without blocking."""
        try:
            poller = select.poll()  # not select(): descriptors past 1023 are fine
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0)) and not sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _exchange_udp(self, xid: int, msg: bytes) -> bytes:
        if len(msg) > MAX_UDP:
            raise RpcTransportError(f"a call of {len(msg)} bytes does not fit a UDP datagram")
        if self._sock is None:
            self._connect()
        sock = self._sock
        assert sock is not None
        deadline = time.monotonic() + self.timeout
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        try:
            while True:
                sock.send(msg)
                resend = min(deadline, time.monotonic() + self.retransmit)
                while (wait := resend - time.monotonic()) > 0:
                    if not poller.poll(wait * 1000):  # poll, not select: any descriptor
                        break
                    reply = sock.recv(MAX_UDP)
                    if message.reply_xid(reply) == xid:
                        return reply
                if time.monotonic() >= deadline:
                    raise RpcTimeout(f"no reply within the call's timeout of {self.timeout} s")
        except ConnectionRefusedError as exc:  # ICMP port unreachable
            raise RpcTransportError("nothing listens on that port (ICMP port unreachable)") from exc
