"""The blocking ONC RPC server: TCP and UDP on one port, many clients at once.

One thread runs a ``selectors`` loop over the listening sockets, every TCP
connection and the UDP socket; procedures run in that thread, one call at a
time. A client that sends something that is not an RPC call, a record larger
than ``max_record``, or closes inside a record is dropped, and the others
keep being served. ``register=True`` registers every program version with
rpcbind for each transport, and ``shutdown()`` unregisters them.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import selectors
import socket
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from idlgen_runtime.oncrpc import message, record
from idlgen_runtime.oncrpc.dispatch import (
    CallContext,
    Dispatcher,
    Procedure,
    RpcProgram,
    call_context,
)
from idlgen_runtime.oncrpc.errors import RpcTransportError

__all__ = ["CallContext", "Procedure", "RpcProgram", "RpcServer", "call_context"]

log = logging.getLogger("idlgen_runtime.oncrpc.server")
MAX_UDP = 65507
#: Replies queued for a client that does not read them; past this, the server
#: stops reading that client's calls until it has taken its replies, so a
#: client that only sends cannot make the server buffer without bound.
MAX_QUEUED_REPLIES = 4 * 1024 * 1024


@dataclass
class _Connection:
    sock: socket.socket
    peer: Any
    parser: record.RecordParser
    #: Replies not yet sent, and calls received but not yet answered.
    out: bytearray = field(default_factory=bytearray)
    backlog: deque[bytes] = field(default_factory=deque)
    events: int = selectors.EVENT_READ


def bind_pair(
    host: str, port: int, transports: Sequence[str]
) -> tuple[socket.socket | None, socket.socket | None]:
    """A TCP listener and a UDP socket on the same port number (any free one for 0)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(20):
        tcp = udp = None
        try:
            if "tcp" in transports:
                tcp = socket.socket(family, socket.SOCK_STREAM)
                tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                tcp.bind((host, port))
                tcp.listen(128)
            if "udp" in transports:
                udp = socket.socket(family, socket.SOCK_DGRAM)
                udp.bind((host, tcp.getsockname()[1] if tcp else port))
            return tcp, udp
        except OSError as exc:
            for s in (tcp, udp):
                if s is not None:
                    s.close()
            if port or exc.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE, "no port free for both TCP and UDP")


class RpcServer:
    """Serves program versions over TCP and UDP (see the module docstring)."""

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
        self.max_record = max_record
        self.max_fragment = max_fragment
        self._tcp, self._udp = bind_pair(host, port, transports)
        bound = (self._tcp or self._udp).getsockname()  # type: ignore[union-attr]
        self.server_address: tuple[str, int] = (bound[0], bound[1])
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._connections: dict[socket.socket, _Connection] = {}
        self._stop = threading.Event()
        self._done = threading.Event()  # set when a running serve_forever has returned
        self._loop_thread: threading.Thread | None = None
        self._close_after_loop = False
        self._registered: list[tuple[int, int]] = []
        self._closed = False
        if register:
            try:
                self._register()
            except BaseException:
                self.close()  # no sockets left open by a server that never started
                raise

    @property
    def port(self) -> int:
        """The port number served (TCP and UDP alike)."""
        return self.server_address[1]

    # -- rpcbind -------------------------------------------------------------------

    def _register(self) -> None:
        from idlgen_runtime.oncrpc import rpcbind

        transports = [t for t, sock in (("tcp", self._tcp), ("udp", self._udp)) if sock is not None]
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
            if self._tcp is not None:
                self._tcp.setblocking(False)
                sel.register(self._tcp, selectors.EVENT_READ, "accept")
            if self._udp is not None:
                self._udp.setblocking(False)
                sel.register(self._udp, selectors.EVENT_READ, "udp")
            while not self._stop.is_set():
                for key, events in sel.select():
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
            for s in (self._wake_r, self._tcp, self._udp, *self._connections):
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
        for s in (self._tcp, self._udp, self._wake_r, self._wake_w):
            if s is not None:
                s.close()
        self._selector.close()

    def __enter__(self) -> RpcServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.request_stop()
        self.close()

    # -- transports --------------------------------------------------------------------

    def _accept(self) -> None:
        assert self._tcp is not None
        try:
            sock, peer = self._tcp.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:  # EMFILE and friends: keep serving the others
            log.warning("accept failed: %s", exc)
            return
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = _Connection(sock, peer, record.RecordParser(self.max_record))
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
                conn.backlog.extend(conn.parser.feed(data))
            while True:
                # Answer calls while the replies queued stay under the bound;
                # the rest wait until the client has taken some.
                while conn.backlog and len(conn.out) < MAX_QUEUED_REPLIES:
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
                if not conn.backlog or len(conn.out) >= MAX_QUEUED_REPLIES:
                    break
        except (OSError, RpcTransportError) as exc:
            log.info("dropping client %s: %s", conn.peer, exc)
            self._drop(conn)
            return
        # Read more calls only when nothing waits to be answered; write while replies wait.
        busy = conn.backlog or len(conn.out) >= MAX_QUEUED_REPLIES
        wanted = (0 if busy else selectors.EVENT_READ) | (selectors.EVENT_WRITE if conn.out else 0)
        if conn.events != wanted:
            conn.events = wanted
            self._selector.modify(conn.sock, wanted, conn)

    def _drop(self, conn: _Connection) -> None:
        self._connections.pop(conn.sock, None)
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(conn.sock)
        conn.sock.close()

    def _serve_datagram(self) -> None:
        assert self._udp is not None
        try:
            data, peer = self._udp.recvfrom(MAX_UDP)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            log.info("udp receive failed: %s", exc)
            return
        reply = self.dispatcher.run(data, peer, "udp")
        if reply is not None:
            with contextlib.suppress(OSError):
                self._udp.sendto(message.fit_datagram(reply, MAX_UDP), peer)
