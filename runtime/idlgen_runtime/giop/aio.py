"""The asyncio twin of the ORB: ``await aio.ORB_init(argv)``.

Same options, POAs, references and wire code as the thread-pool ORB; only the
transports differ. Clients: ``M__aio`` stubs call ``await self._ainvoke``;
one connection per peer, a reader task hands replies to waiting futures by
request id. Server: ``asyncio.start_server``; each request's upcall is a task
(``async def`` servant methods are awaited, plain ones run in the loop), so
the calls of one connection run concurrently. A request reaching a HOLDING
POA manager gets TRANSIENT instead of blocking the loop.
"""

from __future__ import annotations

import asyncio
import inspect
import socket
from dataclasses import replace
from typing import Any

from idlgen_runtime.giop import messages as m
from idlgen_runtime.giop.connection import (
    MAX_FORWARDS,
    CodeSetState,
    build_request,
    check_args,
    outcome,
)
from idlgen_runtime.giop.exceptions import (
    COMM_FAILURE,
    COMPLETED_MAYBE,
    COMPLETED_NO,
    IMP_LIMIT,
    INITIALIZE,
    TIMEOUT,
    TRANSIENT,
    SystemException,
    marshal,
)
from idlgen_runtime.giop.framing import Budget, TooBig
from idlgen_runtime.giop.ior import IOR, IiopProfile
from idlgen_runtime.giop.orb import _LOCK, _ORBS, ORB
from idlgen_runtime.giop.server import ConnState, Send, Upcall, finish, message_error, process
from idlgen_runtime.giop.tc import Operation

#: Connections the asyncio server serves at once; more are closed on arrival.
MAX_CONNECTIONS = 1024


class TooBigError(Exception):
    """A message larger than the ORB's maximum."""


async def read_message(
    r: asyncio.StreamReader, max_size: int, budget: Budget | None = None
) -> tuple[m.Header, bytes]:
    """The next logical message from ``r`` (fragments joined, sizes bounded).

    With a ``budget`` (the server's), a body's declared size is reserved from it
    while the body is read, so all connections together stay under its limit.
    """

    async def raw() -> tuple[m.Header, bytes]:
        head = await r.readexactly(m.HEADER)
        h = m.parse_header(head)
        if h.size > max_size:
            raise TooBigError(f"message of {h.size} bytes, at most {max_size}")
        if budget is None:
            return h, head + await r.readexactly(h.size)
        try:
            budget.take(h.size)
        except TooBig as exc:
            raise TooBigError(str(exc)) from None
        try:
            return h, head + await r.readexactly(h.size)
        finally:
            budget.give(h.size)

    h, data = await raw()
    if not h.more:
        return h, data
    if h.msg_type not in (m.REQUEST, m.REPLY, m.LOCATE_REQUEST, m.LOCATE_REPLY):
        raise marshal(f"message type {h.msg_type} cannot be fragmented")
    parts, size, more = [data], len(data), True
    while more:
        fh, fdata = await raw()
        if fh.msg_type != m.FRAGMENT or fh.version != h.version:
            raise marshal("a fragmented message was interrupted by another message")
        skip = m.HEADER + (4 if fh.version >= (1, 2) else 0)
        size += len(fdata) - skip
        if size > max_size or len(fdata) < skip:
            raise TooBigError("fragments too large")
        parts.append(fdata[skip:])
        more = fh.more
    joined = b"".join(parts)
    return replace(h, more=False, size=len(joined) - m.HEADER), joined


class AioConnection(CodeSetState):
    """A client connection: replies go to futures by request id."""

    def __init__(self, r: asyncio.StreamReader, w: asyncio.StreamWriter, max_size: int) -> None:
        super().__init__()
        self.r, self.w = r, w
        self.waiting: dict[int, asyncio.Future[tuple[m.Header, bytes]]] = {}
        self.failure: SystemException | None = None
        self.task = asyncio.get_running_loop().create_task(self._read(max_size))

    async def _read(self, max_size: int) -> None:
        try:
            while True:
                h, data = await read_message(self.r, max_size)
                if h.msg_type in (m.REPLY, m.LOCATE_REPLY):
                    fut = self.waiting.pop(m.peek_request_id(data, h) or 0, None)
                    if fut is not None and not fut.done():
                        fut.set_result((h, data))
                elif h.msg_type == m.CLOSE_CONNECTION:
                    return self._fail(
                        TRANSIENT(0, COMPLETED_NO, "the server closed the connection")
                    )
                elif h.msg_type == m.MESSAGE_ERROR:
                    return self._fail(COMM_FAILURE(0, COMPLETED_MAYBE, "MessageError from server"))
        except (asyncio.IncompleteReadError, OSError) as exc:
            self._fail(COMM_FAILURE(0, COMPLETED_MAYBE, f"connection lost: {exc}"))
        except TooBigError as exc:
            self._fail(IMP_LIMIT(0, COMPLETED_MAYBE, str(exc)))
        except SystemException as exc:
            self._fail(exc)

    def _fail(self, exc: SystemException) -> None:
        self.failure = exc
        for fut in self.waiting.values():
            if not fut.done():
                fut.set_exception(type(exc)(exc.minor, exc.completed, exc.text))
        self.waiting.clear()
        self.w.close()

    async def call(self, rid: int, data: bytes, timeout: float | None) -> tuple[m.Header, bytes]:
        """Send a request and wait (up to ``timeout``) for its reply."""
        if self.failure is not None:
            raise type(self.failure)(self.failure.minor, COMPLETED_NO, self.failure.text)
        fut: asyncio.Future[tuple[m.Header, bytes]] = asyncio.get_running_loop().create_future()
        self.waiting[rid] = fut
        self.w.write(data)
        try:
            return await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            self.waiting.pop(rid, None)
            self.w.write(m.cancel_request((1, 2), rid))
            raise TIMEOUT(0, COMPLETED_MAYBE, "no reply in time") from None

    def close(self) -> None:
        """Close the connection(s)."""
        self._fail(COMM_FAILURE(0, COMPLETED_MAYBE, "the ORB was destroyed"))
        self.task.cancel()


class AioORB(ORB):
    """The asyncio ORB (``aio.ORB_init``)."""

    is_aio = True

    def __init__(self, argv: list[str] | None, orb_id: str) -> None:
        super().__init__(argv, orb_id)
        self._aconns: dict[tuple[str, int], AioConnection] = {}
        self._aserver: asyncio.base_events.Server | None = None
        self._stop = asyncio.Event()
        self._running_loop: asyncio.AbstractEventLoop | None = None
        self._budget = Budget(max(self.max_memory, self.max_message))
        self._nconns = 0

    async def _aconnection(self, host: str, port: int) -> AioConnection:
        c = self._aconns.get((host, port))
        if c is not None and c.failure is None:
            return c
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(host, port), self.timeout or 30)
        except (OSError, asyncio.TimeoutError) as exc:
            raise TRANSIENT(0, COMPLETED_NO, f"cannot connect to {host}:{port}: {exc}") from None
        w.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c = self._aconns[(host, port)] = AioConnection(r, w, self.max_message)
        return c

    async def _areach(self, ior: IOR) -> tuple[IiopProfile, AioConnection]:
        """A profile of ``ior`` that answers and its connection (as ``Client.reach``)."""
        first = ior.iiop()
        candidates = [first] + [
            p for p in ior.iiop_profiles() if (p.host, p.port) != (first.host, first.port)
        ]
        for prof in candidates:
            try:
                conn = await self._aconnection(prof.host, prof.port)
            except TRANSIENT:
                if prof is candidates[-1]:
                    raise
                continue
            ior._iiop = prof
            return prof, conn
        raise TRANSIENT(0, COMPLETED_NO, "no address answers")

    async def _ainvoke(self, obj: Any, op: str, desc: Operation, args: tuple[Any, ...]) -> Any:
        check_args(op, desc, args)
        for _ in range(MAX_FORWARDS):
            prof, conn = await self._areach(obj._fwd or obj._ior)
            rid, data = build_request(self, conn, prof, op, desc, args)
            if desc.oneway:
                conn.w.write(data)
                await conn.w.drain()
                return None
            rh, reply = await conn.call(rid, data, self.timeout)
            done, value = outcome(self, conn.char, rh, reply, desc, obj)
            if done:
                return value
        raise TRANSIENT(0, COMPLETED_NO, f"more than {MAX_FORWARDS} location forwards")

    # -- the server --------------------------------------------------------------------
    def _start_server(self) -> None:
        try:
            lsock = socket.create_server((self.host, self.port))
        except OSError as exc:
            raise INITIALIZE(
                0, COMPLETED_NO, f"cannot listen on {self.host}:{self.port}: {exc}"
            ) from None
        self.port = lsock.getsockname()[1]
        loop = asyncio.get_running_loop()

        async def start() -> None:
            self._aserver = await asyncio.start_server(self._serve, sock=lsock)

        self._starting = loop.create_task(start())

    async def _serve(self, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        st = ConnState()
        tasks: set[asyncio.Task[None]] = set()
        if self._nconns >= MAX_CONNECTIONS:
            w.close()
            return
        self._nconns += 1
        try:
            while True:
                try:
                    h, data = await asyncio.wait_for(
                        read_message(r, self.max_message, self._budget), self.idle_timeout
                    )
                except asyncio.TimeoutError:  # idle or half-sent for too long
                    if not tasks:
                        w.write(m.simple((1, 2), m.CLOSE_CONNECTION))
                        return
                    await asyncio.gather(*tasks, return_exceptions=True)
                    w.write(m.simple((1, 2), m.CLOSE_CONNECTION))
                    return
                except (asyncio.IncompleteReadError, OSError):
                    return
                except (TooBigError, SystemException):
                    w.write(message_error().data or b"")
                    return
                act = process(self, st, h, data, wait=False)
                if isinstance(act, Upcall):
                    t = asyncio.get_running_loop().create_task(self._upcall(act, w))
                    tasks.add(t)
                    t.add_done_callback(tasks.discard)
                    continue
                if act.data:
                    w.write(act.data)
                if act.close:
                    return
                await w.drain()
        finally:
            self._nconns -= 1
            w.close()

    async def _upcall(self, call: Upcall, w: asyncio.StreamWriter) -> None:
        try:
            result = call.method(*call.args)
            if inspect.isawaitable(result):
                result = await result
            done: Send = finish(self, call, result)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - every failure becomes a reply
            done = finish(self, call, exc=exc)
        if done.data and not w.is_closing():
            w.write(done.data)
            await w.drain()

    async def run(self) -> None:  # type: ignore[override]
        """Serve until ``shutdown`` (callable from any thread)."""
        self._running_loop = asyncio.get_running_loop()
        self._root_poa()
        await self._stop.wait()

    def shutdown(self, wait_for_completion: bool = True) -> None:
        """Stop serving; ``run`` returns."""
        loop = self._running_loop
        if loop is not None and loop.is_running():
            try:
                if asyncio.get_running_loop() is not loop:
                    raise RuntimeError
            except RuntimeError:
                loop.call_soon_threadsafe(self.shutdown, wait_for_completion)
                return
        if self._aserver is not None:
            self._aserver.close()
        self._stop.set()

    def destroy(self) -> None:
        """Destroy it (and what it owns)."""
        self.shutdown()
        for c in self._aconns.values():
            c.close()
        self._aconns.clear()
        super().destroy()


async def ORB_init(
    argv: list[str] | None = None, orb_id: str = "omniORB4-aio"
) -> AioORB:  # noqa: N802
    """The asyncio ORB named ``orb_id`` (made on first use)."""
    with _LOCK:
        orb = _ORBS.get(orb_id)
        if orb is None:
            orb = _ORBS[orb_id] = AioORB(argv, orb_id)
    if not isinstance(orb, AioORB):
        raise INITIALIZE(0, COMPLETED_NO, f"ORB {orb_id!r} is not an asyncio ORB")
    return orb
