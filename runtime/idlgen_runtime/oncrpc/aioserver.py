"""The asyncio ONC RPC server: TCP and UDP on one port, calls run concurrently.

Each TCP connection is an ``asyncio.Protocol``: records are reassembled as
bytes arrive, and each call starts as soon as its record is complete. A plain
procedure runs there and then; an ``async def`` one becomes a task, so the
calls of one connection overlap and their replies go out as they finish, in
any order (RFC 5531 matches replies by xid). At most ``max_in_flight`` calls
of a connection run at once; past that, and while the client does not read
its replies, the server stops reading that connection (TCP flow control makes
the client wait; nothing is dropped). Over UDP each call is its own task, at
most ``udp_max_in_flight`` at once (datagrams past it are dropped: clients
retransmit), and a duplicate-request cache answers retransmissions.

The other bounds of :class:`~.limits.ServerLimits` — connections, idle time,
memory for partial records — are enforced here as in the blocking server.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import socket
from collections import deque
from typing import Any

from idlgen_runtime.oncrpc import message, record
from idlgen_runtime.oncrpc.dispatch import PendingCall
from idlgen_runtime.oncrpc.errors import RpcTransportError
from idlgen_runtime.oncrpc.server import (
    _OUT_OF_RESOURCES,
    ACCEPT_RETRY_DELAY,
    MAX_UDP,
    ServerCore,
)

log = logging.getLogger("idlgen_runtime.oncrpc.server")


class _Connection(asyncio.Protocol):
    """One TCP client of an :class:`AsyncRpcServer`."""

    def __init__(self, server: AsyncRpcServer) -> None:
        self.server = server
        self.limits = server.limits
        self.parser = record.RecordParser(self.limits.max_record)
        self.transport: asyncio.Transport | None = None
        self.peer: Any = None
        self.backlog: deque[bytes] = deque()
        self.in_flight = 0
        self.held = 0  # bytes counted in the server's memory total
        self.reading = True
        self.writing = True
        self.closed = False
        self.eof = False
        self.last_active = 0.0

    # -- asyncio callbacks -------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.peer = transport.get_extra_info("peername")
        self.last_active = self.server.now()
        self.server._admit(self)

    def data_received(self, data: bytes) -> None:
        self.last_active = self.server.now()
        try:
            records = self.parser.feed(data)
        except RpcTransportError as exc:
            self.server.drops.log(logging.INFO, "tcp", "dropping client %s: %s", self.peer, exc)
            self.close()
            return
        self.backlog.extend(records)
        self._account()
        self._pump()

    def eof_received(self) -> bool | None:
        if self.parser.pending:
            log.info("client %s closed inside a record", self.peer)
            return None  # close at once: that record will never be complete
        self.eof = True
        if self.in_flight or self.backlog:
            self.reading = False  # asyncio stops reading at EOF; never resume
            return True  # half-closed: answer the calls received, then close
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.backlog.clear()
        self._account()
        self.server._connections.discard(self)

    def pause_writing(self) -> None:
        self.writing = False

    def resume_writing(self) -> None:
        self.writing = True
        self.last_active = self.server.now()
        self._pump()

    # -- calls ------------------------------------------------------------------------

    def _pump(self) -> None:
        """Start the calls received, as far as the bounds allow; read more only then."""
        limit = self.limits.max_in_flight
        while self.backlog and self.in_flight < limit and self.writing and not self.closed:
            self._start(self.backlog.popleft())
        if self.closed or self.transport is None:
            return
        if self.eof and not self.backlog and not self.in_flight:
            self.close(graceful=True)  # the client half-closed; every call is answered
            return
        want = not self.backlog and self.in_flight < limit and self.writing and not self.eof
        if want != self.reading:
            self.reading = want
            (self.transport.resume_reading if want else self.transport.pause_reading)()
        self._account()

    def _start(self, data: bytes) -> None:
        server = self.server
        prepared = server.dispatcher.prepare(data, self.peer, "tcp")
        if prepared is None:  # not an RPC call: the client is dropped
            self.close()
            return
        if not isinstance(prepared, PendingCall):
            self._send(prepared)
            return
        try:
            with prepared.active():  # a task created here inherits the call's context
                result = prepared.handler(*prepared.args)
                if inspect.isawaitable(result):
                    self.in_flight += 1
                    task = server._spawn(_coroutine(result))
                    task.add_done_callback(lambda t: self._finished(prepared, t))
                    return
        except Exception as exc:  # every failure of a procedure has an RPC answer
            self._send(server.dispatcher.finish(prepared, error=exc))
            return
        self._send(server.dispatcher.finish(prepared, result))

    def _finished(self, prepared: PendingCall, task: asyncio.Task[Any]) -> None:
        self.in_flight -= 1
        if self.closed or task.cancelled():
            return
        error = task.exception()
        reply = self.server.dispatcher.finish(
            prepared, None if error else task.result(), error=error
        )
        self._send(reply)
        self._pump()

    def _send(self, reply: bytes) -> None:
        if self.transport is not None and not self.closed:
            self.transport.write(record.frame(reply, self.limits.max_fragment))

    def _account(self) -> None:
        held = 0 if self.closed else self.parser.buffered + sum(map(len, self.backlog))
        if held != self.held:
            self.server._memory += held - self.held
            self.held = held
            if self.server._memory > self.limits.max_memory:
                self.server._shed_memory()

    def idle(self, now: float) -> float:
        """Seconds without progress, or -1 while a call runs.

        Progress is a byte received or the client taking queued replies; calls
        waiting for a client that does not read do not keep it alive.
        """
        return -1.0 if self.in_flight else now - self.last_active

    def close(self, graceful: bool = False) -> None:
        """Stop serving this client; ``graceful``: after the replies queued are sent."""
        if not self.closed:
            self.closed = True
            self.backlog.clear()
            self._account()
            self.server._connections.discard(self)
            transport = self.transport
            if transport is not None:
                # close() would keep the socket until a client that does not
                # read had taken every queued reply: drop one we are shedding.
                if transport.get_write_buffer_size() and not graceful:
                    transport.abort()
                else:
                    transport.close()


def _coroutine(result: Any) -> Any:
    """What ``create_task`` takes: the coroutine itself, or one awaiting another awaitable."""
    return result if inspect.iscoroutine(result) else _await(result)


async def _await(result: Any) -> Any:
    return await result


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, server: AsyncRpcServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.server._datagram(data, addr)


class AsyncRpcServer(ServerCore):
    """Serves program versions over TCP and UDP on an asyncio loop (see the module docstring)."""

    def _setup(self) -> None:
        self._listening = False
        self._accept_retry: asyncio.TimerHandle | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._connections: set[_Connection] = set()
        self._udp_in_flight = 0
        self._sweeper: asyncio.TimerHandle | None = None
        self._closed = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def now(self) -> float:
        """The loop's clock."""
        assert self._loop is not None
        return self._loop.time()

    async def start(self) -> None:
        """Start accepting calls (and register with rpcbind if asked)."""
        loop = self._loop = asyncio.get_running_loop()
        if self._tcp_sock is not None:
            self._tcp_sock.setblocking(False)
            self._resume_accept()
        if self._udp_sock is not None:
            self._udp, _ = await loop.create_datagram_endpoint(
                lambda: _Datagrams(self), sock=self._udp_sock
            )
        if self.limits.idle_timeout is not None:
            self._arm_sweeper()
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
        if not self._listening and self._udp is None:
            await self.start()
        await self._closed.wait()

    async def close(self) -> None:
        """Stop serving, close every connection, unregister from rpcbind."""
        await asyncio.to_thread(self._unregister)
        if self._sweeper is not None:
            self._sweeper.cancel()
        self._stop_accepting()
        if self._accept_retry is not None:
            self._accept_retry.cancel()
        if self._tcp_sock is not None:
            self._tcp_sock.close()
        if self._udp is not None:
            self._udp.close()
        for conn in list(self._connections):
            conn.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._closed.set()

    async def __aenter__(self) -> AsyncRpcServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        assert self._loop is not None
        task = self._loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- accepting ----------------------------------------------------------------------

    def _resume_accept(self) -> None:
        assert self._loop is not None and self._tcp_sock is not None
        self._accept_retry = None
        if not self._listening and self._tcp_sock.fileno() >= 0:
            self._loop.add_reader(self._tcp_sock.fileno(), self._accept)
            self._listening = True

    def _stop_accepting(self) -> None:
        if self._listening and self._loop is not None and self._tcp_sock is not None:
            self._loop.remove_reader(self._tcp_sock.fileno())
        self._listening = False

    def _accept(self) -> None:
        """Accept what is waiting; out of descriptors, rest the listener for a second.

        asyncio's own accept loop does rest, but logs a traceback for each of up
        to 128 failed accepts per turn and schedules as many retries.
        """
        assert self._tcp_sock is not None and self._loop is not None
        for _ in range(64):
            try:
                sock, peer = self._tcp_sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno not in _OUT_OF_RESOURCES:
                    log.info("accept failed: %s", exc)  # that client's problem (ECONNABORTED...)
                    return
                # Nothing to free: rest the listener instead of spinning on it.
                self._stop_accepting()
                self._accept_retry = self._loop.call_later(ACCEPT_RETRY_DELAY, self._resume_accept)
                self.drops.log(
                    logging.WARNING,
                    "accept",
                    "accept failed (%s) with %d connections open; not accepting for %.0f s",
                    exc,
                    len(self._connections),
                    ACCEPT_RETRY_DELAY,
                )
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._spawn(self._adopt(sock))

    async def _adopt(self, sock: socket.socket) -> None:
        assert self._loop is not None
        try:
            await self._loop.connect_accepted_socket(lambda: _Connection(self), sock)
        except OSError as exc:  # the client went away before its transport was made
            log.info("dropping a client before its first byte: %s", exc)
            sock.close()

    # -- the bounds -------------------------------------------------------------------

    def _admit(self, conn: _Connection) -> None:
        """Take a new connection, closing the longest-idle one (or it) at the limit."""
        if len(self._connections) >= self.max_connections:
            now = self.now()
            victim = max(self._connections, key=lambda c: c.idle(now))
            if victim.idle(now) < 0:
                self.drops.log(
                    logging.WARNING,
                    "limit",
                    "%d connections, all busy: closing the new one from %s",
                    len(self._connections),
                    conn.peer,
                )
                conn.close()
                return
            self.drops.log(
                logging.INFO,
                "evict",
                "%d connections: closing the one idle longest, %s",
                len(self._connections),
                victim.peer,
            )
            victim.close()
        self._connections.add(conn)

    def _shed_memory(self) -> None:
        """Close the connections holding the most until the total is under max_memory."""
        while self._memory > self.limits.max_memory and self._connections:
            hog = max(self._connections, key=lambda c: c.held)
            self.drops.log(
                logging.WARNING,
                "memory",
                "%d bytes held for clients (max_memory %d): closing %s, which holds %d",
                self._memory,
                self.limits.max_memory,
                hog.peer,
                hog.held,
            )
            hog.close()

    def _arm_sweeper(self) -> None:
        timeout = self.limits.idle_timeout
        assert timeout is not None and self._loop is not None
        self._sweeper = self._loop.call_later(min(timeout / 4, 5.0), self._sweep)

    def _sweep(self) -> None:
        timeout = self.limits.idle_timeout
        assert timeout is not None
        now = self.now()
        for conn in [c for c in self._connections if c.idle(now) > timeout]:
            log.info("closing client %s, idle for %.0f s", conn.peer, conn.idle(now))
            conn.close()
        self._arm_sweeper()

    # -- UDP --------------------------------------------------------------------------

    def _datagram(self, data: bytes, addr: Any) -> None:
        drc = self.drc
        key = drc.key(data, addr)
        cached = drc.lookup(key, data)
        if cached is not None:
            if cached:
                self._sendto(cached, addr)
            return  # a copy of a call still running: its reply will answer it
        if self._udp_in_flight >= self.limits.udp_max_in_flight:
            self.drops.log(
                logging.WARNING,
                "udp",
                "%d UDP calls running (udp_max_in_flight): dropping a datagram from %s",
                self._udp_in_flight,
                addr,
            )
            return
        prepared = self.dispatcher.prepare(data, addr, "udp")
        if prepared is None:
            return
        if not isinstance(prepared, PendingCall):
            self._sendto(prepared, addr)
            return
        drc.begin(key, data)
        try:
            with prepared.active():
                result = prepared.handler(*prepared.args)
                if inspect.isawaitable(result):
                    self._udp_in_flight += 1
                    task = self._spawn(_coroutine(result))
                    task.add_done_callback(lambda t: self._udp_finished(prepared, key, addr, t))
                    return
        except Exception as exc:  # every failure of a procedure has an RPC answer
            reply = self.dispatcher.finish(prepared, error=exc)
        else:
            reply = self.dispatcher.finish(prepared, result)
        drc.finish(key, reply)
        self._sendto(reply, addr)

    def _udp_finished(
        self, prepared: PendingCall, key: Any, addr: Any, task: asyncio.Task[Any]
    ) -> None:
        self._udp_in_flight -= 1
        if task.cancelled():
            return
        error = task.exception()
        reply = self.dispatcher.finish(prepared, None if error else task.result(), error=error)
        self.drc.finish(key, reply)
        self._sendto(reply, addr)

    def _sendto(self, reply: bytes, addr: Any) -> None:
        if self._udp is not None and not self._udp.is_closing():
            self._udp.sendto(message.fit_datagram(reply, MAX_UDP), addr)
