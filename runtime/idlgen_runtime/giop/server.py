"""The server side of IIOP: what each incoming message asks for, and the thread pool.

``process`` turns one message into an action (a reply to send, an upcall to
make, or "close"); it is shared with the asyncio server (``aio``). The
thread-pool server gives each connection a worker thread from a bounded pool
(omniORB's thread-per-connection model) and answers, per the GIOP rules:
LocateRequest with OBJECT_HERE/UNKNOWN_OBJECT (omniORB clients send one first),
malformed headers or oversize messages with MessageError and a close,
malformed request bodies with a MARSHAL reply. One bad client never stops the
others: every failure is confined to its connection.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from idlgen_runtime.giop import messages as m
from idlgen_runtime.giop.cdr import CHAR_CODECS, CS_ISO8859_1, LATIN1, CdrInput
from idlgen_runtime.giop.exceptions import COMPLETED_NO, MARSHAL, SystemException
from idlgen_runtime.giop.framing import Budget, Closed, Reader, TooBig, close_socket
from idlgen_runtime.giop.servant import ops_of, prepare, reply
from idlgen_runtime.giop.tc import Operation

log = logging.getLogger("idlgen_runtime.corba")
#: An upcall running longer than this (seconds) gets the connection's reading
#: handed to another thread.
HANDOFF = 0.05


class ConnState:
    """Per-connection server state: the negotiated char code set."""

    def __init__(self) -> None:
        self.char = LATIN1
        self.char_cs = CS_ISO8859_1


@dataclass
class Upcall:
    """A request ready to run: call ``method(*args)`` then ``finish``."""

    method: Any
    args: tuple[Any, ...]
    desc: Operation
    version: tuple[int, int]
    rid: int
    little: bool
    expected: bool
    char: str


@dataclass
class Send:
    """Bytes to send (None: nothing); ``close`` afterwards if set."""

    data: bytes | None
    close: bool = False


def message_error(version: tuple[int, int] = (1, 0)) -> Send:
    """A MessageError, then close the connection."""
    return Send(m.simple(version, m.MESSAGE_ERROR), close=True)


_FAST12 = {little: struct.Struct(("<" if little else ">") + "IB3xh2xI") for little in (False, True)}
_U4 = {little: struct.Struct(("<" if little else ">") + "I") for little in (False, True)}


def _fast_request(orb: Any, st: ConnState, h: m.Header, data: bytes) -> Upcall | None:
    """The common GIOP 1.2 request (key address, no context) without the general parser.

    None sends it the general way (which reports the errors).
    """
    little = h.little
    if len(data) < 36:
        return None
    rid, flags, disc, n = _FAST12[little].unpack_from(data, 12)
    end = 28 + n
    if disc != m.KEY_ADDR or end + 8 > len(data):
        return None
    key = data[28:end]
    pos = end + (-end & 3)
    u4 = _U4[little].unpack_from
    oplen = u4(data, pos)[0]
    pos += 4
    if not 0 < oplen <= len(data) - pos - 4 or data[pos + oplen - 1]:
        return None
    op = data[pos : pos + oplen - 1].decode("latin-1")
    pos += oplen
    pos += -pos & 3
    if pos + 4 > len(data) or u4(data, pos)[0] != 0:
        return None
    pos += 4
    if pos < len(data):
        pos += -pos & 7
    found = orb._key_cache.get(key)
    if found is None:
        return None
    poa, oid = found
    if poa.manager.state != 1 or poa.destroyed:
        return None
    servant = poa.aom.get(oid)
    if servant is None:
        return None
    entry = ops_of(type(servant)).get(op)
    if entry is None or not entry[0]:
        return None
    name, desc = entry
    method = getattr(servant, name, None)
    if method is None:
        return None
    inp = CdrInput(data, little, pos, st.char, True, orb)
    args = tuple(inp.read(t) for t in desc.params)
    if desc.contexts:
        return None  # the general path reads the context clause
    return Upcall(method, args, desc, (1, 2), rid, little, bool(flags & 3), st.char)


def process(orb: Any, st: ConnState, h: m.Header, data: bytes, wait: bool = True) -> Send | Upcall:
    """Decide what one incoming message asks for."""
    v = h.version
    if h.msg_type == m.REQUEST and v == (1, 2):
        try:
            fast = _fast_request(orb, st, h, data)
        except SystemException:
            fast = None
        if fast is not None:
            return fast
    if h.msg_type == m.REQUEST:
        char = st.char if v >= (1, 1) else LATIN1  # GIOP 1.0: no negotiation
        inp = CdrInput(data, h.little, m.HEADER, char, v >= (1, 2), orb)
        try:
            rh = m.read_request(inp, v)
        except SystemException:
            return message_error(v)
        for cid, ctx in rh.contexts:
            if cid == m.SC_CODE_SETS:
                try:
                    st.char_cs = m.parse_code_sets(ctx)[0]
                except SystemException:
                    pass
                st.char = CHAR_CODECS.get(st.char_cs, LATIN1)
                inp.char = char = st.char if v >= (1, 1) else LATIN1
        try:
            poa, oid = orb._locate_key(rh.key)
            poa.manager.wait_active(orb.hold_limit if wait else 0.0)
            servant = poa.find_servant(oid)
            method, args, desc = prepare(servant, rh.operation, inp)
        except SystemException as exc:
            if not rh.response_expected:
                return Send(None)
            if isinstance(exc, MARSHAL):
                exc.completed = COMPLETED_NO
            return Send(reply(v, rh.request_id, h.little, char, orb, None, exc=exc))
        except Exception as exc:  # a user exception of the POA (not ours to leak)
            if not rh.response_expected:
                return Send(None)
            return Send(reply(v, rh.request_id, h.little, char, orb, None, exc=exc))
        return Upcall(method, args, desc, v, rh.request_id, h.little, rh.response_expected, char)
    if h.msg_type == m.LOCATE_REQUEST:
        inp = CdrInput(data, h.little, m.HEADER)
        try:
            rid, key = m.read_locate_request(inp, v)
        except SystemException:
            return message_error(v)
        try:
            poa, oid = orb._locate_key(key)
            poa.find_servant(oid)
            status = m.OBJECT_HERE
        except SystemException:
            status = m.UNKNOWN_OBJECT
        out = m.start(v, m.LOCATE_REPLY, h.little)
        m.write_locate_reply(out, v, rid, status)
        return Send(m.finish(out))
    if h.msg_type == m.CANCEL_REQUEST:
        return Send(None)
    if h.msg_type in (m.CLOSE_CONNECTION, m.MESSAGE_ERROR):
        return Send(None, close=True)
    return message_error(v)  # Reply/LocateReply/stray Fragment sent to a server


def finish(orb: Any, call: Upcall, result: Any = None, exc: BaseException | None = None) -> Send:
    """The reply to send once the upcall returned or raised."""
    if not call.expected:
        if exc is not None and not isinstance(exc, SystemException):
            log.warning("oneway upcall raised %r", exc)
        return Send(None)
    return Send(reply(call.version, call.rid, call.little, call.char, orb, call.desc, result, exc))


def run_upcall(orb: Any, call: Upcall) -> Send:
    """Call the servant method and build the reply."""
    try:
        result = call.method(*call.args)
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a reply
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return finish(orb, call, exc=exc)
    return finish(orb, call, result)


class _Conn:
    """A server connection: socket, reader, code sets, and a lock for replies."""

    def __init__(self, sock: socket.socket, reader: Reader) -> None:
        self.sock, self.reader, self.st = sock, reader, ConnState()
        self.lock = threading.Lock()
        self.state = threading.Lock()
        self.reading = True
        self.dropped = False
        self.inflight = 0
        self.since = 0.0
        self.last = time.monotonic()

    def send(self, data: bytes | None) -> None:
        if data:
            with self.lock:
                try:
                    self.sock.sendall(data)
                except OSError:
                    pass

    def close(self) -> None:
        self.reader.release()
        close_socket(self.sock)


class ThreadPoolServer:
    """Listens on ``host:port``; each connection is served by a pool thread."""

    def __init__(
        self,
        orb: Any,
        host: str,
        port: int,
        max_connections: int = 1024,
        idle_timeout: float = 300.0,
    ) -> None:
        self.orb = orb
        self.lsock = socket.create_server((host, port), reuse_port=False)
        self.host, self.port = host, self.lsock.getsockname()[1]
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self.budget = Budget(max(orb.max_memory, orb.max_message))
        self.pool = ThreadPoolExecutor(max_connections, thread_name_prefix="idlgen-giop")
        self.conns: dict[socket.socket, _Conn] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, name="idlgen-giop-accept", daemon=True)
        self.thread.start()
        self.watcher = threading.Thread(target=self._watch, name="idlgen-giop-watch", daemon=True)
        self.watcher.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                sock, _ = self.lsock.accept()
            except OSError:
                return
            with self.lock:
                if len(self.conns) >= self.max_connections or self.stopped.is_set():
                    sock.close()
                    continue
                sock.settimeout(None)  # blocking: no poll() per recv; the watcher does idling
                reader = Reader(sock, self.orb.max_message, self.budget)
                c = self.conns[sock] = _Conn(sock, reader)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                self.pool.submit(self._read, c)
            except RuntimeError:
                sock.close()

    def _read(self, c: _Conn) -> None:
        """Read and serve messages while this thread owns the connection's reading.

        An upcall runs in the reading thread (no hand-off: the fast path). While
        it runs nobody reads; the watcher hands the reading to another pool
        thread when it lasts longer than ``HANDOFF`` seconds, so one slow call
        never holds up the other calls of the connection (as omniORB does).
        """
        try:
            while not self.stopped.is_set():
                try:
                    h, data = c.reader.message()
                except (Closed, OSError):
                    return self._drop(c)
                except (TooBig, SystemException):
                    c.send(message_error().data)
                    return self._drop(c)
                c.last = time.monotonic()
                act = process(self.orb, c.st, h, data)
                if isinstance(act, Upcall):
                    with c.state:
                        c.reading = False
                        c.inflight += 1
                        c.since = time.monotonic()
                    done = run_upcall(self.orb, act)
                    c.send(done.data)
                    with c.state:
                        c.inflight -= 1
                        handed_on = c.reading or c.dropped
                        if not handed_on:
                            c.reading = True
                    if self.stopped.is_set():  # stop() left this connection to us
                        c.send(m.simple((1, 2), m.CLOSE_CONNECTION))
                        return self._drop(c)
                    if handed_on:
                        return None  # another thread reads now
                    continue
                c.send(act.data)
                if act.close:
                    return self._drop(c)
            return self._drop(c)
        except Exception:
            log.exception("GIOP connection handler failed")
            return self._drop(c)

    def _watch(self) -> None:
        while not self.stopped.wait(HANDOFF):
            now = time.monotonic()
            with self.lock:
                conns = list(self.conns.values())
            for c in conns:
                with c.state:
                    idle = not c.inflight and now - c.last > self.idle_timeout
                    if idle:
                        c.dropped = True
                    elif c.reading or c.dropped or not c.inflight or now - c.since < HANDOFF:
                        continue
                    else:
                        c.reading = True
                if idle:  # no complete message for idle_timeout seconds: closed, politely
                    with self.lock:
                        self.conns.pop(c.sock, None)
                    c.sock.settimeout(1.0)
                    c.send(m.simple((1, 2), m.CLOSE_CONNECTION))
                    c.close()
                    continue
                try:
                    self.pool.submit(self._read, c)
                except RuntimeError:
                    return

    def _drop(self, c: _Conn) -> None:
        with self.lock:
            self.conns.pop(c.sock, None)
        with c.state:
            c.dropped = True
        c.close()

    def stop(self, wait: bool = True) -> None:
        """Stop accepting, close every connection, end the threads."""
        self.stopped.set()
        close_socket(self.lsock)
        with self.lock:
            conns = list(self.conns.values())
        for c in conns:
            with c.state:
                busy = c.inflight > 0  # its upcall sends the reply, then the reader drops it
            if busy:
                continue
            try:
                c.sock.sendall(m.simple((1, 2), m.CLOSE_CONNECTION))
                c.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        # a servant calling orb.shutdown(True) runs in a pool thread: waiting for the
        # pool there would wait for itself
        inside = threading.current_thread().name.startswith("idlgen-giop")
        self.pool.shutdown(wait=wait and not inside)
