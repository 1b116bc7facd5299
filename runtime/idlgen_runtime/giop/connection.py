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
import struct
import threading
import time
from typing import Any

from idlgen_runtime.giop import messages as m
from idlgen_runtime.giop.cdr import (
    CHAR_CODECS,
    CS_ISO8859_1,
    CS_UTF8,
    CS_UTF16,
    LATIN1,
    CdrInput,
    CdrOutput,
)
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
from idlgen_runtime.giop.framing import Closed, Reader, TooBig, close_socket
from idlgen_runtime.giop.ior import IOR, IiopProfile, read_ior
from idlgen_runtime.giop.tc import Operation, sequence, string

MAX_FORWARDS = 8
_CONTEXT = sequence(string)
_U32 = {little: struct.Struct("<I" if little else ">I") for little in (False, True)}
_REPLY12 = {little: struct.Struct("<III" if little else ">III") for little in (False, True)}


class CodeSetState:
    """Per-connection request ids and the char code set negotiated for it."""

    char = LATIN1
    char_cs = CS_ISO8859_1
    sent_codesets = False

    def __init__(self) -> None:
        self.ids = itertools.count(2, 2)
        self.id_lock = threading.Lock()
        #: (key, operation, oneway, version, little) -> a GIOP 1.2 Request up to its
        #: body, once the CodeSets context has gone out (later requests carry none).
        self.templates: dict[tuple[bytes, str, bool, tuple[int, int], bool], bytes] = {}

    def next_id(self) -> int:
        """The next request id (even, as omniORB's)."""
        with self.id_lock:
            return next(self.ids) & 0xFFFFFFFE

    def negotiate(self, profile: IiopProfile, native_char: int) -> None:
        """Pick the char code set (CORBA 3.x 13.10.2.6) from the target's component."""
        if self.sent_codesets:
            return
        cs = profile.code_sets()
        if cs is None:
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
        """Service contexts of the next request (CodeSets on the first only)."""
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
        self.waiters = 0
        self.failure: SystemException | None = None
        super().__init__()

    def send(self, data: bytes) -> None:
        """Send a whole message."""
        with self.send_lock:
            if self.failure is not None:
                raise type(self.failure)(self.failure.minor, COMPLETED_NO, self.failure.text)
            try:
                self.sock.sendall(data)
            except OSError as exc:
                self.fail(COMM_FAILURE(0, COMPLETED_NO, f"send to {self.host}:{self.port}: {exc}"))
                raise COMM_FAILURE(0, COMPLETED_NO, str(exc)) from None

    def fail(self, exc: SystemException) -> None:
        """Fail the connection: every waiter gets ``exc``."""
        with self.cond:
            if self.failure is None:
                self.failure = exc
            self.cond.notify_all()
        close_socket(self.sock)

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
                        raise type(f)(
                            f.minor,
                            COMPLETED_MAYBE if type(f) is not TRANSIENT else COMPLETED_NO,
                            f.text,
                        )
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        self._give_up(rid)
                    if not self.reading:
                        self.reading = True
                        break
                    self.waiters += 1
                    try:
                        self.cond.wait(remaining)
                    finally:
                        self.waiters -= 1
            try:
                mine = self._read_one(deadline, rid)
            finally:
                with self.cond:
                    self.reading = False
                    if self.waiters:
                        self.cond.notify_all()
            if mine is not None:
                return mine

    def _give_up(self, rid: int) -> None:
        self.abandoned.add(rid)
        try:
            self.send(m.cancel_request((1, 2), rid))
        except SystemException:
            pass
        raise TIMEOUT(0, COMPLETED_MAYBE, f"no reply from {self.host}:{self.port} in time")

    def _read_one(self, deadline: float | None, mine: int) -> tuple[m.Header, bytes] | None:
        """Read one message; return it if it is the reply ``mine``, else file it."""
        remaining = None if deadline is None else max(0.001, deadline - time.monotonic())
        try:
            if remaining is not None or self.sock.gettimeout() is not None:
                self.sock.settimeout(remaining)
            h, data = self.reader.message()
        except TimeoutError:
            if self.reader.pending():
                self.fail(COMM_FAILURE(0, COMPLETED_MAYBE, "timed out in the middle of a reply"))
            return None
        except Closed as exc:
            self.fail(COMM_FAILURE(0, COMPLETED_MAYBE, f"{self.host}:{self.port}: {exc}"))
            return None
        except TooBig as exc:
            self.fail(IMP_LIMIT(0, COMPLETED_MAYBE, str(exc)))
            return None
        except OSError as exc:
            self.fail(COMM_FAILURE(0, COMPLETED_MAYBE, str(exc)))
            return None
        except SystemException as exc:
            self.fail(MARSHAL(exc.minor, COMPLETED_MAYBE, f"bad message from server: {exc.text}"))
            return None
        if h.msg_type in (m.REPLY, m.LOCATE_REPLY):
            rid = m.peek_request_id(data, h)
            if rid == mine:
                return h, data
            with self.cond:
                if rid is not None and rid not in self.abandoned:
                    self.replies[rid] = (h, data)
                self.abandoned.discard(rid or 0)
        elif h.msg_type == m.CLOSE_CONNECTION:
            self.fail(TRANSIENT(0, COMPLETED_NO, "the server closed the connection"))
        elif h.msg_type == m.MESSAGE_ERROR:
            self.fail(COMM_FAILURE(0, COMPLETED_MAYBE, "the server answered MessageError"))
        return None

    def close(self) -> None:
        """Close the connection(s)."""
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
        """The live connection to ``host:port`` (made if need be)."""
        key = (host, port)
        c = self.conns.get(key)  # atomic; the lock is for making one
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

    def reach(self, ior: IOR) -> tuple[IiopProfile, Connection]:
        """A profile of ``ior`` and a live connection to it.

        The profile that worked last is tried first; when it cannot be reached
        the other IIOP profiles are, in order (TRANSIENT if none can).
        """
        first = ior.iiop()
        try:
            return first, self.connection(first.host, first.port)
        except TRANSIENT:
            others = [
                p for p in ior.iiop_profiles() if (p.host, p.port) != (first.host, first.port)
            ]
            if not others:
                raise
        for prof in others:
            try:
                conn = self.connection(prof.host, prof.port)
            except TRANSIENT:
                continue
            ior._iiop = prof
            return prof, conn
        raise TRANSIENT(0, COMPLETED_NO, f"no address of {ior.type_id or 'the object'} answers")

    def close(self) -> None:
        """Close the connection(s)."""
        with self.lock:
            conns, self.conns = list(self.conns.values()), {}
        for c in conns:
            c.close()

    def invoke(self, obj: Any, op: str, desc: Operation, args: tuple[Any, ...]) -> Any:
        """Call ``op`` on ``obj`` and return its result(s)."""
        check_args(op, desc, args)
        retried = False
        for _ in range(MAX_FORWARDS):
            prof, conn = self.reach(obj._fwd or obj._ior)
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
        prof, conn = self.reach(obj._fwd or obj._ior)
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
    """BAD_PARAM unless ``args`` has one value per ``in``/``inout`` parameter.

    An operation with an IDL ``context`` clause may take one more argument: a
    mapping of context names to string values (see ``context_values``).
    """
    if len(args) == len(desc.params) + 1 and desc.contexts:
        return
    if len(args) != len(desc.params):
        raise BAD_PARAM(
            0, COMPLETED_NO, f"{op} takes {len(desc.params)} arguments, not {len(args)}"
        )


def build_request(
    orb: Any, conn: Any, prof: IiopProfile, op: str, desc: Operation, args: tuple[Any, ...]
) -> tuple[int, bytes]:
    """(request id, Request message) for a call over ``conn``."""
    version = min(prof.version, orb.max_giop)
    if version >= (1, 1):  # GIOP 1.0 has no code set negotiation: ISO-8859-1
        conn.negotiate(prof, orb.native_char)
    char = conn.char if version >= (1, 1) else LATIN1
    rid = conn.next_id()
    little = orb.little
    tkey = (prof.key, op, desc.oneway, version, little)
    template = conn.templates.get(tkey)
    if template is not None:
        buf = bytearray(template)
        _U32[little].pack_into(buf, 12, rid)
        out = CdrOutput(little, char, True, orb, buf)
        out.body_pad = (len(buf), len(buf))
    else:
        out = m.start(version, m.REQUEST, little, char=char, orb=orb)
        h = m.RequestHeader(rid, not desc.oneway, prof.key, op, conn.contexts(version))
        m.write_request(out, version, h)
        if version == (1, 2) and not h.contexts and len(conn.templates) < 1024:
            conn.templates[tkey] = bytes(out.buf)
    for t, a in zip(desc.params, args, strict=False):
        out.write(t, a)
    if desc.contexts:
        given = args[len(desc.params)] if len(args) > len(desc.params) else {}
        out.write(_CONTEXT, context_values(desc.contexts, given))
    return rid, m.finish(out)


def context_values(names: tuple[str, ...], given: Any) -> list[str]:
    """The IDL ``context`` clause's wire form: name, value, name, value...

    ``given`` maps names to values; an operation's context name ending in ``*``
    matches every name with that prefix (CORBA 3.x 7.2.7).
    """
    out: list[str] = []
    for key in sorted(given or {}):
        if any(key == n or (n.endswith("*") and key.startswith(n[:-1])) for n in names):
            out += [str(key), str(given[key])]
    return out


def outcome(
    orb: Any, char: str, rh: m.Header, reply: bytes, desc: Operation, obj: Any
) -> tuple[bool, Any]:
    """(True, result) or (False, None) after a location forward; raises exceptions."""
    if rh.version == (1, 2) and len(reply) >= 24:
        _, status, nctx = _REPLY12[rh.little].unpack_from(reply, 12)
        if status == m.NO_EXCEPTION and nctx == 0:
            inp = CdrInput(reply, rh.little, 24, char, True, orb)
            res = [inp.read(t) for t in desc.results]
            return True, (None if not res else res[0] if len(res) == 1 else tuple(res))
    if rh.version < (1, 1):
        char = LATIN1
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
    """The system exception a SYSTEM_EXCEPTION reply carries."""
    rid = inp.string()
    minor, completed = inp.ulong(), inp.ulong()
    cls = BY_REPO_ID.get(rid, UNKNOWN)
    exc = cls(minor, completed if completed <= 2 else COMPLETED_MAYBE)
    if cls is UNKNOWN and rid != UNKNOWN._NP_RepositoryId:
        exc.text = f"unknown system exception {rid}"
    return exc


def user_exception(inp: CdrInput, desc: Operation) -> Exception:
    """The user exception a USER_EXCEPTION reply carries (UNKNOWN if undeclared)."""
    rid = inp.string()
    t = desc.exception_tc(rid)
    if t is None:
        return UNKNOWN(0, COMPLETED_YES, f"user exception {rid} not in the operation's raises")
    exc: Exception = inp.read(t)
    return exc
