"""ONC RPC on asyncio: the base of generated ``aioclient`` classes, and a server.

The asyncio client multiplexes concurrent calls over one connection: each call
waits on a future keyed by its xid, and a reader task hands each reply to its
call, so replies may come in any order and a late reply to a call that timed
out is dropped. A lost connection fails the calls in flight; the next call
opens a new one. Over UDP a call is resent every ``retransmit`` seconds until
``timeout``. The server runs ``async def`` and plain procedures alike; each TCP
connection is served in its own task.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import struct
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from idlgen_runtime.oncrpc import message, record
from idlgen_runtime.oncrpc.auth import Auth
from idlgen_runtime.oncrpc.client import MAX_UDP, ClientOptions
from idlgen_runtime.oncrpc.dispatch import Dispatcher, PendingCall, RpcProgram
from idlgen_runtime.oncrpc.errors import RpcError, RpcTimeout, RpcTransportError
from idlgen_runtime.oncrpc.server import bind_pair
from idlgen_runtime.xdr import Buffer, decode_exact

T = TypeVar("T")
C = TypeVar("C", bound="AsyncRpcClient")
log = logging.getLogger("idlgen_runtime.oncrpc.server")
_U32 = struct.Struct(">I")


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
        self._writer: asyncio.StreamWriter | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._reconnecting = asyncio.Lock()
        self._closed = False

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
                opening = (
                    asyncio.open_unix_connection(self.host)
                    if self.host.startswith("/")
                    else asyncio.open_connection(self.host, self.port)
                )
                reader, self._writer = await asyncio.wait_for(opening, self.timeout)
                self._reader_task = loop.create_task(self._read_replies(reader))
            else:
                self._udp, _ = await loop.create_datagram_endpoint(
                    lambda: _Datagrams(self), remote_addr=(self.host, self.port)
                )
        except (OSError, asyncio.TimeoutError) as exc:
            raise RpcTransportError(f"cannot connect to {self.host}:{self.port}: {exc}") from exc

    async def _read_replies(self, reader: asyncio.StreamReader) -> None:
        try:
            while (reply := await read_record(reader, self.max_record)) is not None:
                self._deliver(reply)
            self._fail_all(RpcTransportError("the server closed the connection"))
        except (RpcTransportError, OSError) as exc:
            self._fail_all(exc if isinstance(exc, RpcError) else RpcTransportError(str(exc)))

    def _deliver(self, reply: bytes) -> None:
        fut = self._pending.pop(message.reply_xid(reply) or 0, None)
        if fut is not None and not fut.done():
            fut.set_result(reply)

    def _fail_all(self, exc: Exception) -> None:
        for fut in self._pending.values():
            if not fut.done():
                fut.set_exception(exc)
        self._pending.clear()

    async def close(self) -> None:
        """Close the connection; pending calls fail with RpcTransportError."""
        self._closed = True
        await self._disconnect()
        self._fail_all(RpcTransportError("the client was closed"))

    async def _disconnect(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
            self._writer = None
        if self._reader_task is not None:
            self._reader_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader_task
            self._reader_task = None
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
        msg = (
            message.CALL_HEAD.pack(xid, 0, 2, self.program, self.version, proc) + self._auth + args
        )
        fut: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._pending[xid] = fut
        try:
            if self.transport == "tcp":
                reply = await self._exchange_tcp(msg, fut)
            else:
                reply = await self._exchange_udp(msg, fut)
        finally:
            self._pending.pop(xid, None)
        _, pos = message.parse_reply(reply)
        return decode_exact(decode, reply, pos)

    async def _exchange_tcp(self, msg: bytes, fut: asyncio.Future[bytes]) -> bytes:
        if self._closed:
            raise RpcTransportError("the client is closed")
        if self._reader_task is None or self._reader_task.done():
            # The connection was lost (the failure went to the calls then in
            # flight): this call opens a new one, as the blocking client does.
            async with self._reconnecting:
                if self._reader_task is None or self._reader_task.done():
                    await self._disconnect()
                    await self._open()
        assert self._writer is not None
        try:
            self._writer.write(record.frame(msg, self.max_fragment))
            await self._writer.drain()
            return await asyncio.wait_for(fut, self.timeout)
        except asyncio.TimeoutError:
            raise RpcTimeout(
                f"no reply from {self.host}:{self.port} within {self.timeout} s"
            ) from None
        except OSError as exc:
            raise RpcTransportError(f"connection to {self.host}:{self.port} failed: {exc}") from exc

    async def _exchange_udp(self, msg: bytes, fut: asyncio.Future[bytes]) -> bytes:
        if self._closed or self._udp is None:
            raise RpcTransportError("the client is closed")
        if len(msg) > MAX_UDP:
            raise RpcTransportError(f"a call of {len(msg)} bytes does not fit a UDP datagram")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while (left := deadline - loop.time()) > 0:
            self._udp.sendto(msg)
            try:
                return await asyncio.wait_for(asyncio.shield(fut), min(self.retransmit, left))
            except asyncio.TimeoutError:
                continue
        fut.cancel()
        raise RpcTimeout(f"no reply from {self.host}:{self.port} within {self.timeout} s")


class _ServerDatagrams(asyncio.DatagramProtocol):
    def __init__(self, server: AsyncRpcServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.server._spawn(self.server._answer_datagram(data, addr, self))


class AsyncRpcServer:
    """Serves program versions over TCP and UDP on an asyncio loop."""

    def __init__(
        self,
        programs: Sequence[RpcProgram],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        transports: Sequence[str] = ("tcp", "udp"),
        register: bool = False,
        max_record: int = record.DEFAULT_MAX_RECORD,
        max_fragment: int = record.DEFAULT_MAX_FRAGMENT,
    ) -> None:
        self.dispatcher = Dispatcher(programs)
        self.programs = list(programs)
        self.max_record, self.max_fragment = max_record, max_fragment
        self.register = register
        self._tcp_sock, self._udp_sock = bind_pair(host, port, transports)
        bound = (self._tcp_sock or self._udp_sock).getsockname()  # type: ignore[union-attr]
        self.server_address: tuple[str, int] = (bound[0], bound[1])
        self._server: asyncio.base_events.Server | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._registered: list[tuple[int, int]] = []
        self._closed = asyncio.Event()

    @property
    def port(self) -> int:
        """The port number served (TCP and UDP alike)."""
        return self.server_address[1]

    async def start(self) -> None:
        """Start accepting calls (and register with rpcbind if asked)."""
        loop = asyncio.get_running_loop()
        if self._tcp_sock is not None:
            self._server = await asyncio.start_server(self._serve_connection, sock=self._tcp_sock)
        if self._udp_sock is not None:
            self._udp, _ = await loop.create_datagram_endpoint(
                lambda: _ServerDatagrams(self), sock=self._udp_sock
            )
        if self.register:
            await asyncio.to_thread(self._register)

    def _register(self) -> None:
        from idlgen_runtime.oncrpc import rpcbind

        transports = [t for t, sock in (("tcp", self._tcp_sock), ("udp", self._udp_sock)) if sock]
        self._registered = rpcbind.register_all(
            self.programs, self.port, transports, address=self.server_address[0]
        )

    def _unregister(self) -> None:
        from idlgen_runtime.oncrpc import rpcbind

        rpcbind.unregister_all(self._registered)
        self._registered = []

    async def serve_forever(self) -> None:
        """Serve until :meth:`close`."""
        if self._server is None and self._udp is None:
            await self.start()
        await self._closed.wait()

    async def close(self) -> None:
        """Stop serving, close every connection, unregister from rpcbind."""
        await asyncio.to_thread(self._unregister)
        if self._server is not None:
            self._server.close()
        if self._udp is not None:
            self._udp.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
        self._closed.set()

    async def __aenter__(self) -> AsyncRpcServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, data: bytes, peer: Any, transport: str) -> bytes | None:
        prepared = self.dispatcher.prepare(data, peer, transport)
        if not isinstance(prepared, PendingCall):
            return prepared
        try:
            with prepared.active():
                result = prepared.handler(*prepared.args)
                if inspect.isawaitable(result):
                    result = await result
        except Exception as exc:  # every failure of a procedure has an RPC answer
            return self.dispatcher.finish(prepared, error=exc)
        return self.dispatcher.finish(prepared, result)

    async def _answer_datagram(self, data: bytes, addr: Any, proto: _ServerDatagrams) -> None:
        reply = await self._answer(data, addr, "udp")
        if reply is not None and proto.transport is not None:
            proto.transport.sendto(message.fit_datagram(reply, MAX_UDP), addr)

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        peer = writer.get_extra_info("peername")
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        try:
            while (data := await read_record(reader, self.max_record)) is not None:
                reply = await self._answer(data, peer, "tcp")
                if reply is None:
                    break
                writer.write(record.frame(reply, self.max_fragment))
                await writer.drain()
        except (RpcTransportError, OSError) as exc:
            log.info("dropping client %s: %s", peer, exc)
        except asyncio.CancelledError:
            # close() cancels the connections it owns. Ending normally keeps
            # asyncio's stream callback (3.10/3.11) from logging the
            # cancellation as an error.
            pass
        finally:
            writer.close()
            with contextlib.suppress(OSError, asyncio.CancelledError):
                await writer.wait_closed()
