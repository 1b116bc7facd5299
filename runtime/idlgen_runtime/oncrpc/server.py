"""The blocking ONC RPC server: TCP and UDP on one port, many clients at once.

One thread runs a ``selectors`` loop over the listening sockets, every TCP
connection and the UDP socket; procedures run in that thread, one call at a
time. A client that sends something that is not an RPC call, a record larger
than ``max_record``, or closes inside a record is dropped, and the others
keep being served. ``register=True`` registers every program version with
rpcbind for each transport, and ``shutdown()`` unregisters them.

The bounds of :class:`~.limits.ServerLimits` hold here too: connections (the
longest-idle one is closed for a new one, as libtirpc does), idle time, the
memory held for partial records and unread replies, and a duplicate-request
cache for UDP. When ``accept`` fails for want of descriptors, the listener
rests for a second, as asyncio's does,
instead of spinning on a socket that stays readable; the log says so at most
once every ten seconds. Several processes can serve one port: see
``workers.serve_workers``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from idlgen_runtime.oncrpc import message, record
from idlgen_runtime.oncrpc.dispatch import (
    CallContext,
    Dispatcher,
    PendingCall,
    Procedure,
    RpcProgram,
    call_context,
)
from idlgen_runtime.oncrpc.drc import DuplicateRequestCache
from idlgen_runtime.oncrpc.errors import RpcTransportError
from idlgen_runtime.oncrpc.limits import LogLimiter, ServerLimits, connection_limit

__all__ = [
    "CallContext",
    "Procedure",
    "RpcProgram",
    "RpcServer",
    "ServerLimits",
    "call_context",
]

log = logging.getLogger("idlgen_runtime.oncrpc.server")
MAX_UDP = 65507
#: The default of ``ServerLimits.max_queued_replies`` (kept for existing imports).
MAX_QUEUED_REPLIES = ServerLimits.max_queued_replies
#: accept() errors that mean "no descriptor or memory for now", not "this client".
_OUT_OF_RESOURCES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
#: How long the listener rests after such an error (asyncio's ACCEPT_RETRY_DELAY).
ACCEPT_RETRY_DELAY = 1.0


def limits_from(
    limits: ServerLimits | None, max_record: int | None, max_fragment: int | None
) -> ServerLimits:
    """``limits`` (or the defaults) with the ``max_record``/``max_fragment`` arguments applied."""
    limits = limits or ServerLimits()
    if max_record is not None:
        limits = replace(
            limits, max_record=max_record, max_memory=max(limits.max_memory, max_record)
        )
    if max_fragment is not None:
        limits = replace(limits, max_fragment=max_fragment)
    return limits


@dataclass(eq=False)
class _Connection:
    sock: socket.socket
    peer: Any
    parser: record.RecordParser
    last_active: float
    #: Replies not yet sent, and calls received but not yet answered.
    out: bytearray = field(default_factory=bytearray)
    backlog: deque[bytes] = field(default_factory=deque)
    events: int = selectors.EVENT_READ
    #: Bytes counted in the server's memory total.
    held: int = 0
    #: The client shut down its side; close once its calls are answered.
    eof: bool = False

    def idle(self, now: float) -> float:
        """Seconds without progress: no byte received, none of its replies taken.

        Calls waiting for a client to read its replies do not keep a
        connection alive: that client is stalled, not busy.
        """
        return now - self.last_active


def bind_pair(
    host: str, port: int, transports: Sequence[str], *, reuse_port: bool = False
) -> tuple[socket.socket | None, socket.socket | None]:
    """A TCP listener and a UDP socket on the same port number (any free one for 0).

    With ``reuse_port`` both have SO_REUSEPORT, so other processes of the same
    user can bind the same port and the kernel spreads connections and
    datagrams among them (``workers.serve_workers``).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(20):
        tcp = udp = None
        try:
            if "tcp" in transports:
                tcp = socket.socket(family, socket.SOCK_STREAM)
                tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if reuse_port:
                    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                tcp.bind((host, port))
                tcp.listen(128)
            if "udp" in transports:
                udp = socket.socket(family, socket.SOCK_DGRAM)
                if reuse_port:
                    udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                udp.bind((host, tcp.getsockname()[1] if tcp else port))
            return tcp, udp
        except OSError as exc:
            for s in (tcp, udp):
                if s is not None:
                    s.close()
            if port or exc.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE, "no port free for both TCP and UDP")


class ServerCore:
    """What both servers (this one and the asyncio one) set up alike.

    The dispatcher, the limits, the duplicate-request cache and the sockets:
    bound to ``host:port`` (SO_REUSEPORT with ``reuse_port``), or ``sockets``,
    a listening TCP socket and a bound UDP socket (either may be None) to serve
    instead of binding, which the server then owns and closes.
    """

    def __init__(
        self,
        programs: Sequence[RpcProgram],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        transports: Sequence[str] = ("tcp", "udp"),
        register: bool = False,
        max_record: int | None = None,
        max_fragment: int | None = None,
        limits: ServerLimits | None = None,
        reuse_port: bool = False,
        sockets: tuple[socket.socket | None, socket.socket | None] | None = None,
    ) -> None:
        self.dispatcher = Dispatcher(programs)
        self.programs = list(programs)
        self.register = register
        self.limits = limits_from(limits, max_record, max_fragment)
        self.max_record, self.max_fragment = self.limits.max_record, self.limits.max_fragment
        self.drc = DuplicateRequestCache(self.limits.drc_entries, self.limits.drc_bytes)
        self.drops = LogLimiter(log)
        self.max_connections = connection_limit(self.limits)
        #: Bytes held by all connections' unfinished records and queued replies.
        self._memory = 0
        self._registered: list[tuple[int, int]] = []
        if sockets is None:
            sockets = bind_pair(host, port, transports, reuse_port=reuse_port)
        self._tcp_sock, self._udp_sock = sockets
        bound = (self._tcp_sock or self._udp_sock).getsockname()  # type: ignore[union-attr]
        self.server_address: tuple[str, int] = (bound[0], bound[1])
        self._setup()

    def _setup(self) -> None:
        """The state of one server's own way of serving (set up last)."""
        raise NotImplementedError

    @property
    def port(self) -> int:
        """The port number served (TCP and UDP alike)."""
        return self.server_address[1]


class RpcServer(ServerCore):
    """Serves program versions over TCP and UDP (see the module docstring)."""

    def _setup(self) -> None:
        self._accept_paused_until: float | None = None
        self._next_sweep = 0.0
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._connections: dict[socket.socket, _Connection] = {}
        self._stop = threading.Event()
        self._done = threading.Event()  # set when a running serve_forever has returned
        self._loop_thread: threading.Thread | None = None
        self._close_after_loop = False
        self._closed = False
        if self.register:
            try:
                self._register()
            except BaseException:
                self.close()  # no sockets left open by a server that never started
                raise

    # -- rpcbind -------------------------------------------------------------------

    def _register(self) -> None:
        from idlgen_runtime.oncrpc import rpcbind

        transports = [
            t for t, sock in (("tcp", self._tcp_sock), ("udp", self._udp_sock)) if sock is not None
        ]
        self._registered = rpcbind.register_all(
            self.programs, self.port, transports, address=self.server_address[0]
        )

    def _unregister(self) -> None:
        from idlgen_runtime.oncrpc import rpcbind

        rpcbind.unregister_all(self._registered)
        self._registered = []

    # -- the loop --------------------------------------------------------------------

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` is called (from another thread or a signal handler)."""
        sel = self._selector
        if self._closed or self._stop.is_set():
            return
        self._loop_thread = threading.current_thread()
        self._done.clear()
        try:
            sel.register(self._wake_r, selectors.EVENT_READ, "wake")
            if self._tcp_sock is not None:
                self._tcp_sock.setblocking(False)
                sel.register(self._tcp_sock, selectors.EVENT_READ, "accept")
            if self._udp_sock is not None:
                self._udp_sock.setblocking(False)
                sel.register(self._udp_sock, selectors.EVENT_READ, "udp")
            while not self._stop.is_set():
                for key, events in sel.select(self._timers()):
                    what = key.data
                    if what == "wake":
                        with contextlib.suppress(OSError):
                            self._wake_r.recv(64)
                    elif what == "accept":
                        self._accept()
                    elif what == "udp":
                        self._serve_datagram()
                    else:
                        self._serve_connection(what, events)
        finally:
            for s in (self._wake_r, self._tcp_sock, self._udp_sock, *self._connections):
                if s is not None:
                    with contextlib.suppress(KeyError, ValueError):
                        sel.unregister(s)
            self._loop_thread = None
            self._done.set()
            if self._close_after_loop:
                self.close()

    def request_stop(self) -> None:
        """Make :meth:`serve_forever` return soon; safe in a signal handler."""
        self._stop.set()
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` and :meth:`close` (unregistering from rpcbind).

        Safe from another thread (it waits for the loop to return), and from a
        signal handler or a procedure running in the loop's own thread: there
        it only asks the loop to stop, and the loop closes on its way out.
        """
        self.request_stop()
        if self._loop_thread is threading.current_thread():
            self._close_after_loop = True
            return
        self.close()

    def close(self) -> None:
        """Unregister from rpcbind and release the sockets (idempotent).

        A loop still running in another thread is stopped and waited for first,
        so no socket is closed under it.
        """
        loop = self._loop_thread
        if loop is not None and loop is not threading.current_thread():
            self.request_stop()
            self._done.wait(5)
        if self._closed:
            return
        self._closed = True
        self._unregister()
        for conn in list(self._connections.values()):
            self._drop(conn)
        for s in (self._tcp_sock, self._udp_sock, self._wake_r, self._wake_w):
            if s is not None:
                s.close()
        self._selector.close()

    def __enter__(self) -> RpcServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.request_stop()
        self.close()

    # -- timers and bounds ---------------------------------------------------------------

    def _timers(self) -> float | None:
        """Run what is due (idle sweep, listener back from its rest); the select timeout."""
        now = time.monotonic()
        waits = []
        if self._accept_paused_until is not None:
            if now >= self._accept_paused_until:
                self._accept_paused_until = None
                if self._tcp_sock is not None:
                    self._selector.register(self._tcp_sock, selectors.EVENT_READ, "accept")
            else:
                waits.append(self._accept_paused_until - now)
        timeout = self.limits.idle_timeout
        if timeout is not None and self._connections:
            if now >= self._next_sweep:
                self._next_sweep = now + min(timeout / 4, 5.0)
                for conn in [c for c in self._connections.values() if c.idle(now) > timeout]:
                    log.info("closing client %s, idle for %.0f s", conn.peer, conn.idle(now))
                    self._drop(conn)
            waits.append(self._next_sweep - now)
        return max(0.0, min(waits)) if waits else None

    def _evict_idle(self, why: str) -> bool:
        """Close the connection idle the longest (calls run one at a time: none is busy)."""
        now = time.monotonic()
        if not self._connections:
            return False
        victim = max(self._connections.values(), key=lambda c: c.idle(now))
        self.drops.log(logging.INFO, "evict", "%s: closing %s, idle the longest", why, victim.peer)
        self._drop(victim)
        return True

    def _account(self, conn: _Connection) -> None:
        held = conn.parser.buffered + len(conn.out) + sum(map(len, conn.backlog))
        if held != conn.held:
            self._memory += held - conn.held
            conn.held = held
            if self._memory > self.limits.max_memory:
                self._shed_memory()

    def _shed_memory(self) -> None:
        """Close the connections holding the most until the total is under max_memory."""
        while self._memory > self.limits.max_memory and self._connections:
            hog = max(self._connections.values(), key=lambda c: c.held)
            self.drops.log(
                logging.WARNING,
                "memory",
                "%d bytes held for clients (max_memory %d): closing %s, which holds %d",
                self._memory,
                self.limits.max_memory,
                hog.peer,
                hog.held,
            )
            self._drop(hog)

    # -- transports --------------------------------------------------------------------

    def _accept(self) -> None:
        assert self._tcp_sock is not None
        try:
            sock, peer = self._tcp_sock.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            if exc.errno not in _OUT_OF_RESOURCES:
                log.info("accept failed: %s", exc)  # that client's problem (ECONNABORTED...)
                return
            # Rest the listener instead of spinning on it. (libtirpc closes the
            # longest-idle connection instead; under a connection flood that
            # hands every idle client's descriptor to the flood, so that
            # policy applies only at max_connections, below the descriptor limit.)
            self._selector.unregister(self._tcp_sock)
            self._accept_paused_until = time.monotonic() + ACCEPT_RETRY_DELAY
            self.drops.log(
                logging.WARNING,
                "accept",
                "accept failed (%s) with %d connections open; not accepting for %.0f s",
                exc,
                len(self._connections),
                ACCEPT_RETRY_DELAY,
            )
            return
        if len(self._connections) >= self.max_connections and not self._evict_idle(
            f"{len(self._connections)} connections (max_connections)"
        ):
            self.drops.log(
                logging.WARNING,
                "limit",
                "%d connections, all busy: closing the new one from %s",
                len(self._connections),
                peer,
            )
            sock.close()
            return
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = _Connection(sock, peer, record.RecordParser(self.max_record), time.monotonic())
        self._connections[sock] = conn
        self._selector.register(sock, selectors.EVENT_READ, conn)

    def _serve_connection(self, conn: _Connection, events: int) -> None:
        try:
            if events & selectors.EVENT_READ:
                try:
                    data = conn.sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    return
                if not data:
                    if conn.parser.pending:
                        log.info("client %s closed inside a record", conn.peer)
                        self._drop(conn)
                        return
                    conn.eof = True  # half-closed: answer what came, then close
                else:
                    conn.last_active = time.monotonic()
                    conn.backlog.extend(conn.parser.feed(data))
            max_queued = self.limits.max_queued_replies
            while True:
                # Answer calls while the replies queued stay under the bound;
                # the rest wait until the client has taken some.
                while conn.backlog and len(conn.out) < max_queued:
                    reply = self.dispatcher.run(conn.backlog.popleft(), conn.peer, "tcp")
                    if reply is None:
                        self._drop(conn)
                        return
                    conn.out += record.frame(reply, self.max_fragment)
                if conn.out:
                    try:
                        del conn.out[: conn.sock.send(conn.out)]
                    except (BlockingIOError, InterruptedError):
                        break
                    conn.last_active = time.monotonic()
                if not conn.backlog or len(conn.out) >= max_queued:
                    break
        except (OSError, RpcTransportError) as exc:
            self.drops.log(logging.INFO, "tcp", "dropping client %s: %s", conn.peer, exc)
            self._drop(conn)
            return
        if conn.eof and not conn.backlog and not conn.out:
            self._drop(conn)
            return
        self._account(conn)
        if conn.sock not in self._connections:
            return  # closed to bring memory back under max_memory
        # Read more calls only when nothing waits to be answered; write while replies wait.
        busy = conn.backlog or len(conn.out) >= max_queued or conn.eof
        wanted = (0 if busy else selectors.EVENT_READ) | (selectors.EVENT_WRITE if conn.out else 0)
        if conn.events != wanted:
            conn.events = wanted
            self._selector.modify(conn.sock, wanted, conn)

    def _drop(self, conn: _Connection) -> None:
        self._memory -= conn.held
        conn.held = 0
        self._connections.pop(conn.sock, None)
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(conn.sock)
        conn.sock.close()

    def _serve_datagram(self) -> None:
        assert self._udp_sock is not None
        try:
            data, peer = self._udp_sock.recvfrom(MAX_UDP)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            log.info("udp receive failed: %s", exc)
            return
        drc = self.drc
        key = drc.key(data, peer)
        reply = drc.lookup(key, data)
        if reply is None:  # a new call (not a retransmission of one answered)
            prepared = self.dispatcher.prepare(data, peer, "udp")
            if isinstance(prepared, PendingCall):
                drc.begin(key, data)
                reply = self.dispatcher.execute(prepared)
                drc.finish(key, reply)
            else:
                reply = prepared
        if reply:
            with contextlib.suppress(OSError):
                self._udp_sock.sendto(message.fit_datagram(reply, MAX_UDP), peer)
