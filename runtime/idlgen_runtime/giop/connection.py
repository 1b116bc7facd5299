"""The client side of IIOP: connections, request ids, replies, invocations.

One TCP connection per (host, port), shared by every thread. A caller sends its
Request under a send lock, then either finds its reply already delivered or
becomes the reader itself (leader/follower), so a single-threaded client pays
no thread hand-off per call. Request ids are even and step by 2, as omniORB's
are. The first Request of a GIOP 1.1+ connection carries the CodeSets context
(char ISO-8859-1 or UTF-8 as negotiated from the target's IOR, wchar UTF-16).
A call never waits past the ORB's call timeout: it gets ``CORBA.TIMEOUT`` and
a CancelRequest goes to the server.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from typing import Any

from idlgen_runtime.giop import messages as m
from idlgen_runtime.giop.cdr import CHAR_CODECS, CS_ISO8859_1, CS_UTF8, CS_UTF16, LATIN1, CdrInput
from idlgen_runtime.giop.exceptions import (
    BAD_PARAM,
    BY_REPO_ID,
    COMM_FAILURE,
    COMPLETED_MAYBE,
    COMPLETED_NO,
    COMPLETED_YES,
    IMP_LIMIT,
    MARSHAL,
    NO_IMPLEMENT,
    TIMEOUT,
    TRANSIENT,
    UNKNOWN,
    SystemException,
)
from idlgen_runtime.giop.framing import Closed, Reader, TooBig
from idlgen_runtime.giop.ior import IOR, IiopProfile, read_ior
from idlgen_runtime.giop.tc import Operation

MAX_FORWARDS = 8


class CodeSetState:
    """Per-connection request ids and the char code set negotiated for it."""

    char = LATIN1
    char_cs = CS_ISO8859_1
    sent_codesets = False

    def __init__(self) -> None:
        self.ids = itertools.count(2, 2)
        self.id_lock = threading.Lock()

    def next_id(self) -> int:
        with self.id_lock:
            return next(self.ids) & 0xFFFFFFFE

    def negotiate(self, profile: IiopProfile, native_char: int) -> None:
        """Pick the char code set (CORBA 3.x 13.10.2.6) from the target's component."""
        cs = profile.code_sets()
        if cs is None or self.sent_codesets:
            return
        if cs.char_native == native_char or native_char in cs.char_conv:
            chosen = native_char
        elif cs.char_native in CHAR_CODECS:
            chosen = cs.char_native
        else:
            chosen = CS_UTF8 if CS_UTF8 in cs.char_conv else native_char
        self.char_cs = chosen
        self.char = CHAR_CODECS.get(chosen, LATIN1)

    def contexts(self, version: tuple[int, int]) -> m.ServiceContexts:
        if version < (1, 1) or self.sent_codesets:
            return []
        self.sent_codesets = True
        return [m.code_sets_context(self.char_cs, CS_UTF16)]


class Connection(CodeSetState):
    """One client connection to ``host:port``."""

    def __init__(self, host: str, port: int, timeout: float | None, max_size: int) -> None:
        self.host, self.port = host, port
        try:
            self.sock = socket.create_connection((host, port), timeout=timeout or 30.0)
        except OSError as exc:
            raise TRANSIENT(0, COMPLETED_NO, f"cannot connect to {host}:{port}: {exc}") from None
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(None)
        self.reader = Reader(self.sock, max_size)
        self.send_lock = threading.Lock()
        self.cond = threading.Condition()
        self.replies: dict[int, tuple[m.Header, bytes]] = {}
        self.abandoned: set[int] = set()
        self.reading = False
        self.failure: SystemException | None = None
        super().__init__()

    def send(self, data: bytes) -> None:
        with self.send_lock:
            if self.failure is not None:
                raise type(self.failure)(self.failure.minor, COMPLETED_NO, self.failure.text)
            try:
                self.sock.sendall(data)
            except OSError as exc:
                self.fail(COMM_FAILURE(0, COMPLETED_NO, f"send to {self.host}:{self.port}: {exc}"))
                raise COMM_FAILURE(0, COMPLETED_NO, str(exc)) from None

    def fail(self, exc: SystemException) -> None:
        with self.cond:
            if self.failure is None:
                self.failure = exc
            self.cond.notify_all()
        try:
            self.sock.close()
        except OSError:
            pass

    def call(self, rid: int, data: bytes, timeout: float | None) -> tuple[m.Header, bytes]:
        """Send a Request/LocateRequest and wait for the reply with ``rid``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        self.send(data)
        while True:
            with self.cond:
                while True:
                    got = self.replies.pop(rid, None)
                    if got is not None:
                        return got
                    if self.failure is not None:
                        f = self.failure
                        raise type(f)(f.minor, COMPLETED_MAYBE if type(f) is not TRANSIENT else COMPLETED_NO, f.text)
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        self._give_up(rid)
                    if not self.reading:
                        self.reading = True
                        break
                    self.cond.wait(remaining)
            try:
                self._read_one(deadline)
            finally:
                with self.cond:
                    self.reading = False
                    self.cond.notify_all()

    def _give_up(self, rid: int) -> None:
        self.abandoned.add(rid)
        try:
            self.send(m.cancel_request((1, 2), rid))
        except SystemException:
            pass
        raise TIMEOUT(0, COMPLETED_MAYBE, f"no reply from {self.host}:{self.port} in time")

    def _read_one(self, deadline: float | None) -> None:
        remaining = None if deadline is None else max(0.001, deadline - time.monotonic())
        try:
            self.sock.settimeout(remaining)
            h, data = self.reader.message()
        except socket.timeout:
            if self.reader.pending():
                self.fail(COMM_FAILURE(0, COMPLETED_MAYBE, "timed out in the middle of a reply"))
            return
        except Closed as exc:
            self.fail(COMM_FAILURE(0, COMPLETED_MAYBE, f"{self.host}:{self.port}: {exc}"))
            return
        except TooBig as exc:
            self.fail(IMP_LIMIT(0, COMPLETED_MAYBE, str(exc)))
            return
        except OSError as exc:
            self.fail(COMM_FAILURE(0, COMPLETED_MAYBE, str(exc)))
            return
        except SystemException as exc:
            self.fail(MARSHAL(exc.minor, COMPLETED_MAYBE, f"bad message from server: {exc.text}"))
            return
        if h.msg_type in (m.REPLY, m.LOCATE_REPLY):
            rid = m.peek_request_id(data, h)
            with self.cond:
                if rid is not None and rid not in self.abandoned:
                    self.replies[rid] = (h, data)
                self.abandoned.discard(rid or 0)
        elif h.msg_type == m.CLOSE_CONNECTION:
            self.fail(TRANSIENT(0, COMPLETED_NO, "the server closed the connection"))
        elif h.msg_type == m.MESSAGE_ERROR:
            self.fail(COMM_FAILURE(0, COMPLETED_MAYBE, "the server answered MessageError"))

    def close(self) -> None:
        try:
            with self.send_lock:
                self.sock.sendall(m.simple((1, 0), m.CLOSE_CONNECTION))
        except OSError:
            pass
        self.fail(BAD_PARAM(0, COMPLETED_NO, "connection closed by this ORB"))


class Client:
    """Invocations of one ORB: a connection cache and the request/reply protocol."""

    def __init__(self, orb: Any) -> None:
        self.orb = orb
        self.conns: dict[tuple[str, int], Connection] = {}
        self.lock = threading.Lock()

    def connection(self, host: str, port: int) -> Connection:
        key = (host, port)
        with self.lock:
            c = self.conns.get(key)
            if c is not None and c.failure is None:
                return c
        c = Connection(host, port, self.orb.timeout, self.orb.max_message)
        with self.lock:
            old = self.conns.get(key)
            if old is not None and old.failure is None:
                c.close()
                return old
            self.conns[key] = c
            return c

    def close(self) -> None:
        with self.lock:
            conns, self.conns = list(self.conns.values()), {}
        for c in conns:
            c.close()

    def invoke(self, obj: Any, op: str, desc: Operation, args: tuple[Any, ...]) -> Any:
        check_args(op, desc, args)
        retried = False
        for _ in range(MAX_FORWARDS):
            prof = (obj._fwd or obj._ior).iiop()
            conn = self.connection(prof.host, prof.port)
            rid, data = build_request(self.orb, conn, prof, op, desc, args)
            if desc.oneway:
                conn.send(data)
                return None
            try:
                rh, reply = conn.call(rid, data, self.orb.timeout)
            except TRANSIENT:
                if retried:
                    raise
                retried = True  # CloseConnection before our reply: resend once
                continue
            done, value = outcome(self.orb, conn.char, rh, reply, desc, obj)
            if done:
                return value
        raise TRANSIENT(0, COMPLETED_NO, f"more than {MAX_FORWARDS} location forwards")

    def locate(self, obj: Any) -> int:
        """LocateRequest: the server's LocateReply status for the object."""
        prof = (obj._fwd or obj._ior).iiop()
        conn = self.connection(prof.host, prof.port)
        version = min(prof.version, self.orb.max_giop)
        rid = conn.next_id()
        out = m.start(version, m.LOCATE_REQUEST, self.orb.little)
        m.write_locate_request(out, version, rid, prof.key)
        rh, reply = conn.call(rid, m.finish(out), self.orb.timeout)
        inp = CdrInput(reply, rh.little, m.HEADER)
        _, status, fwd = m.read_locate_reply(inp, rh.version)
        if fwd is not None:
            obj._fwd = fwd
        return status


def check_args(op: str, desc: Operation, args: tuple[Any, ...]) -> None:
    if len(args) != len(desc.params):
        raise BAD_PARAM(
            0, COMPLETED_NO, f"{op} takes {len(desc.params)} arguments, not {len(args)}"
        )


def build_request(
    orb: Any, conn: Any, prof: IiopProfile, op: str, desc: Operation, args: tuple[Any, ...]
) -> tuple[int, bytes]:
    """(request id, Request message) for a call over ``conn``."""
    version = min(prof.version, orb.max_giop)
    conn.negotiate(prof, orb.native_char)
    rid = conn.next_id()
    out = m.start(version, m.REQUEST, orb.little, char=conn.char, orb=orb)
    h = m.RequestHeader(rid, not desc.oneway, prof.key, op, conn.contexts(version))
    m.write_request(out, version, h)
    for t, a in zip(desc.params, args):
        out.write(t, a)
    return rid, m.finish(out)


def outcome(
    orb: Any, char: str, rh: m.Header, reply: bytes, desc: Operation, obj: Any
) -> tuple[bool, Any]:
    """(True, result) or (False, None) after a location forward; raises exceptions."""
    inp = CdrInput(reply, rh.little, m.HEADER, char, rh.version >= (1, 2), orb)
    _, status, _ = m.read_reply(inp, rh.version)
    if status == m.NO_EXCEPTION:
        res = [inp.read(t) for t in desc.results]
        return True, (None if not res else res[0] if len(res) == 1 else tuple(res))
    if status == m.USER_EXCEPTION:
        raise user_exception(inp, desc)
    if status == m.SYSTEM_EXCEPTION:
        raise system_exception(inp)
    if status in (m.LOCATION_FORWARD, m.LOCATION_FORWARD_PERM):
        obj._fwd = read_ior(inp)
        return False, None
    raise NO_IMPLEMENT(0, COMPLETED_NO, f"reply status {status}")


def system_exception(inp: CdrInput) -> SystemException:
    rid = inp.string()
    minor, completed = inp.ulong(), inp.ulong()
    cls = BY_REPO_ID.get(rid, UNKNOWN)
    exc = cls(minor, completed if completed <= 2 else COMPLETED_MAYBE)
    if cls is UNKNOWN and rid != UNKNOWN._NP_RepositoryId:
        exc.text = f"unknown system exception {rid}"
    return exc


def user_exception(inp: CdrInput, desc: Operation) -> Exception:
    rid = inp.string()
    t = desc.exception_tc(rid)
    if t is None:
        return UNKNOWN(0, COMPLETED_YES, f"user exception {rid} not in the operation's raises")
    exc: Exception = inp.read(t)
    return exc
