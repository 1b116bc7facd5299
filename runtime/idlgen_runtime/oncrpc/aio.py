"""ONC RPC on asyncio: the base of generated ``aioclient`` classes.

The asyncio client multiplexes concurrent calls over one connection: each call
waits on a future keyed by its xid, and the connection's protocol hands each
reply to its call as records complete, so replies may come in any order and a
late reply to a call that timed out is dropped. Calls made in the same turn of
the event loop leave in one write (64 calls in flight cost one send, not 64).
A lost connection fails the calls in flight; the next call opens a new one.
Over UDP a call is resent every ``retransmit`` seconds until ``timeout``.

``timeout`` is one deadline per call. A timer per call would cost more than
the rest of the call (asyncio's timer heap), so calls share one timer per
10 ms of deadline (``TIMER_GRANULARITY``): a call times out up to 10 ms late,
and only calls still waiting are held. The server is
``aioserver.AsyncRpcServer`` (importable from here too).
"""

from __future__ import annotations

import asyncio
import struct
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from idlgen_runtime.errors import XdrDecodeError
from idlgen_runtime.oncrpc import message, record
from idlgen_runtime.oncrpc.aioserver import AsyncRpcServer
from idlgen_runtime.oncrpc.auth import Auth
from idlgen_runtime.oncrpc.client import MAX_UDP, ClientOptions
from idlgen_runtime.oncrpc.errors import RpcError, RpcTimeout, RpcTransportError
from idlgen_runtime.xdr import Buffer, decode_exact

__all__ = ["AsyncRpcClient", "AsyncRpcServer", "read_record"]

T = TypeVar("T")
C = TypeVar("C", bound="AsyncRpcClient")
_U32 = struct.Struct(">I")
#: Record mark + call header, packed together for single-fragment TCP calls.
_FRAMED_CALL = struct.Struct(">IIIIIII")
#: Calls whose deadlines fall in the same slice of this many seconds share a timer.
TIMER_GRANULARITY = 0.01
_SUCCESS_TAIL = message.SUCCESS_TAIL
_SLICES_PER_SECOND = 1 / TIMER_GRANULARITY


async def read_record(reader: asyncio.StreamReader, max_record: int) -> bytes | None:
    """One whole record from a stream; None at a clean end of stream."""
    data = bytearray()
    started = False
    while True:
        try:
            head = await reader.readexactly(4)
        except asyncio.IncompleteReadError as exc:
            if exc.partial or started:
                raise RpcTransportError("connection closed inside a record") from None
            return None
        (word,) = _U32.unpack(head)
        length = word & ~record.LAST_FRAGMENT
        if len(data) + length > max_record:
            raise RpcTransportError(f"record of more than {max_record} bytes")
        if not word:
            raise RpcTransportError(record.EMPTY_FRAGMENT)
        try:
            chunk = await reader.readexactly(length)
        except asyncio.IncompleteReadError:
            raise RpcTransportError("connection closed inside a fragment") from None
        if word & record.LAST_FRAGMENT:
            if not started:
                return chunk
            data += chunk
            return bytes(data)
        data += chunk
        started = True


class _Stream(asyncio.Protocol):
    """One TCP (or Unix) connection of a client: records in, coalesced writes out."""

    def __init__(self, client: AsyncRpcClient) -> None:
        self.client = client
        self.parser = record.RecordParser(client.max_record)
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._outbox: list[bytes] = []
        self._writable: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            replies = self.parser.feed(data)
        except RpcTransportError as exc:
            self.client._fail_all(exc)
            self.close()
            return
        pending = self.client._pending
        for reply in replies:  # client._deliver, inline
            if len(reply) >= 4:
                fut = pending.pop(_U32.unpack_from(reply)[0], None)
                if fut is not None and not fut.done():
                    fut.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        why = f"the connection failed: {exc}" if exc else "the server closed the connection"
        self.client._fail_all(RpcTransportError(why))
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    def pause_writing(self) -> None:
        self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._writable = None

    def send(self, framed: bytes) -> None:
        """Queue a framed call; everything queued in this loop turn leaves in one write."""
        if not self._outbox:
            asyncio.get_running_loop().call_soon(self._flush)
        self._outbox.append(framed)

    def _flush(self) -> None:
        out, self._outbox = self._outbox, []
        if self.transport is not None and not self.closed:
            self.transport.write(out[0] if len(out) == 1 else b"".join(out))

    async def writable(self) -> None:
        """Wait while the kernel and transport buffers are full (the server reads slowly)."""
        if self._writable is not None:
            await self._writable

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, client: AsyncRpcClient) -> None:
        self.client = client

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.client._deliver(data)

    def error_received(self, exc: Exception) -> None:
        self.client._fail_all(RpcTransportError(f"udp error: {exc}"))


class AsyncRpcClient(ClientOptions):
    """An asyncio client of one program version (see the module docstring)."""

    def __init__(self, host: str, port: int, **options: Any) -> None:
        super().__init__(host, port, **options)
        self._pending: dict[int, asyncio.Future[bytes]] = {}
        self._stream: _Stream | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._reconnecting = asyncio.Lock()
        self._closed = False
        #: Calls waiting, by the 10 ms slice their deadline falls in (one timer each).
        self._deadlines: dict[int, dict[asyncio.Future[bytes], float]] = {}

    @classmethod
    async def connect(
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

            lookup = rpcbind.getport
            port = await asyncio.to_thread(
                lookup, host, cls.program, cls.version, transport, timeout=timeout
            )
        self = cls(
            host,
            port,
            transport=transport,
            timeout=timeout,
            auth=auth,
            retransmit=retransmit,
            max_record=max_record,
            max_fragment=max_fragment,
        )
        await self._open()
        return self

    async def _open(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            if self.transport == "tcp":
                opening: Any = (
                    loop.create_unix_connection(lambda: _Stream(self), self.host)
                    if self.host.startswith("/")
                    else loop.create_connection(lambda: _Stream(self), self.host, self.port)
                )
                _, self._stream = await asyncio.wait_for(opening, self.timeout)
            else:
                self._udp, _ = await loop.create_datagram_endpoint(
                    lambda: _Datagrams(self), remote_addr=(self.host, self.port)
                )
        except (OSError, asyncio.TimeoutError) as exc:
            raise RpcTransportError(f"{self.describe()}: cannot connect: {exc}") from exc

    def _deliver(self, reply: bytes) -> None:
        if len(reply) < 4:
            return
        fut = self._pending.pop(_U32.unpack_from(reply)[0], None)
        if fut is not None and not fut.done():
            fut.set_result(reply)

    def _fail_all(self, exc: Exception) -> None:
        pending, self._pending = self._pending, {}
        for fut in pending.values():
            if not fut.done():
                fut.set_exception(exc)

    async def close(self) -> None:
        """Close the connection; pending calls fail with RpcTransportError."""
        self._closed = True
        self._disconnect()
        self._fail_all(RpcTransportError("the client was closed"))

    def _disconnect(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        if self._udp is not None:
            self._udp.close()
            self._udp = None

    async def __aenter__(self: C) -> C:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def null(self) -> None:
        """Procedure 0: a round trip that checks the server is there."""
        await self._call(0, b"", lambda buf, pos: (None, pos))

    async def _call(
        self, proc: int, args: bytes | bytearray, decode: Callable[[Buffer, int], tuple[T, int]]
    ) -> T:
        """Send one call with encoded ``args``; return the decoded result."""
        xid = next(self._xid) & 0xFFFFFFFF
        try:
            if self.transport == "tcp":
                size = 24 + len(self._auth) + len(args)
                if size <= self.max_fragment:
                    mark = record.LAST_FRAGMENT | size
                    head = _FRAMED_CALL.pack(mark, xid, 0, 2, self.program, self.version, proc)
                    framed = head + self._auth + args
                else:
                    msg = message.CALL_HEAD.pack(xid, 0, 2, self.program, self.version, proc)
                    framed = record.frame(msg + self._auth + args, self.max_fragment)
                # The exchange, inline: one coroutine per call, not two.
                stream = self._stream
                if stream is None or stream.closed or self._closed:
                    stream = await self._reopen()
                loop = asyncio.get_running_loop()
                fut: asyncio.Future[bytes] = loop.create_future()
                self._pending[xid] = fut
                key = self._watch(loop, fut)
                try:
                    if stream._writable is not None:  # the server is not reading: wait
                        await stream.writable()
                    outbox = stream._outbox  # stream.send(framed), inline
                    if not outbox:
                        loop.call_soon(stream._flush)
                    outbox.append(framed)
                    reply = await fut
                finally:
                    self._unwatch(key, fut)
                    self._pending.pop(xid, None)
            else:
                msg = message.CALL_HEAD.pack(xid, 0, 2, self.program, self.version, proc)
                reply = await self._exchange_udp(xid, msg + self._auth + args)
            if reply[4:24] == _SUCCESS_TAIL:  # the common reply: results at 24
                return decode_exact(decode, reply, 24)
            _, pos = message.parse_reply(reply)
            return decode_exact(decode, reply, pos)
        except (RpcError, XdrDecodeError) as exc:
            failed = self._failed(exc, proc, sys._getframe(1).f_code.co_name)
            if failed is exc:
                raise
            raise failed from exc

    async def _reopen(self) -> _Stream:
        """The connection to use, after it was lost (or never opened)."""
        if self._closed:
            raise RpcTransportError("the client is closed")
        # The failure went to the calls then in flight: this call opens a new
        # connection, as the blocking client does.
        async with self._reconnecting:
            if self._stream is None or self._stream.closed:
                self._disconnect()
                await self._open()
        assert self._stream is not None
        return self._stream

    def _watch(self, loop: asyncio.AbstractEventLoop, fut: asyncio.Future[bytes]) -> int:
        """Make ``fut`` fail with RpcTimeout at its deadline; the key to :meth:`_unwatch` it."""
        timeout = self.timeout
        key = int((loop.time() + timeout) * _SLICES_PER_SECOND) + 1
        waiting = self._deadlines.get(key)
        if waiting is None:
            waiting = self._deadlines[key] = {}
            loop.call_at(key * TIMER_GRANULARITY, self._expire, key)
        waiting[fut] = timeout
        return key

    def _unwatch(self, key: int, fut: asyncio.Future[bytes]) -> None:
        waiting = self._deadlines.get(key)
        if waiting is not None:
            waiting.pop(fut, None)

    def _expire(self, key: int) -> None:
        for fut, timeout in self._deadlines.pop(key, {}).items():
            if not fut.done():
                fut.set_exception(RpcTimeout(f"no reply within the call's timeout of {timeout} s"))

    async def _exchange_udp(self, xid: int, msg: bytes) -> bytes:
        if self._closed or self._udp is None:
            raise RpcTransportError("the client is closed")
        if len(msg) > MAX_UDP:
            raise RpcTransportError(f"a call of {len(msg)} bytes does not fit a UDP datagram")
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[bytes] = loop.create_future()
        self._pending[xid] = fut
        deadline = loop.time() + self.timeout
        try:
            while (left := deadline - loop.time()) > 0:
                self._udp.sendto(msg)
                try:
                    return await asyncio.wait_for(asyncio.shield(fut), min(self.retransmit, left))
                except asyncio.TimeoutError:
                    continue
            fut.cancel()
            raise RpcTimeout(f"no reply within the call's timeout of {self.timeout} s")
        finally:
            self._pending.pop(xid, None)
