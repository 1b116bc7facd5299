"""Malformed GIOP against the thread-pool server, over raw sockets.

Each attack gets MessageError (and a close) or a MARSHAL reply, allocates no
more than the bytes actually sent, and the server keeps serving a well-behaved
client afterwards (checked after every attack)."""

from __future__ import annotations

import socket
import struct
import time

import monservice as M
import pytest
from idlgen_runtime.corba import CORBA
from idlgen_runtime.giop import messages as m
from idlgen_runtime.giop.cdr import CdrInput
from idlgen_runtime.giop.ior import IOR
from orb_clients import client_orb


def connect(ior: str) -> socket.socket:
    prof = IOR.from_string(ior).iiop()
    s = socket.create_connection((prof.host, prof.port), timeout=10)
    return s


def recv_message(s: socket.socket) -> tuple[m.Header, bytes] | None:
    """The next message, or None when the server closed the connection."""
    buf = b""
    while len(buf) < 12:
        chunk = s.recv(12 - len(buf))
        if not chunk:
            return None
        buf += chunk
    h = m.parse_header(buf)
    while len(buf) < 12 + h.size:
        chunk = s.recv(12 + h.size - len(buf))
        if not chunk:
            return None
        buf += chunk
    return h, buf


def closed_after(s: socket.socket) -> bool:
    try:
        return s.recv(1) == b""
    except OSError:
        return True


def request(
    ior: str, op: str, body: bytes = b"", version: tuple[int, int] = (1, 2), rid: int = 2
) -> bytes:
    key = IOR.from_string(ior).iiop().key
    out = m.start(version, m.REQUEST)
    m.write_request(out, version, m.RequestHeader(rid, True, key, op, []))
    out.buf += body
    return m.finish(out)


def reply_status(msg: tuple[m.Header, bytes]) -> tuple[int, str]:
    h, data = msg
    inp = CdrInput(data, h.little, 12)
    _, status, _ = m.read_reply(inp, h.version)
    return status, inp.string() if status == m.SYSTEM_EXCEPTION else ""


@pytest.fixture
def healthy(ior: str):
    """After the attack, a normal client still gets answers."""
    yield
    p = client_orb().string_to_object(ior)._narrow(M.Service)
    assert p is not None and p.doubler_long(5) == 10


@pytest.mark.parametrize(
    "header",
    [
        b"GIOX\x01\x02\x00\x00\x00\x00\x00\x00",  # bad magic
        b"GIOP\x02\x00\x00\x00\x00\x00\x00\x00",  # GIOP 2.0
        b"GIOP\x01\x02\x00\x09\x00\x00\x00\x00",  # unknown message type 9
        b"GIOP\x01\x02\x00\x00\xff\xff\xff\xf0",  # a 4 GB request
        b"GIOP\x01\x02\x00\x01\x00\x00\x00\x00",  # a Reply sent to a server
    ],
    ids=["bad-magic", "bad-version", "unknown-type", "absurd-length", "reply-to-server"],
)
def test_bad_header_gets_message_error(ior: str, header: bytes, healthy: None) -> None:
    with connect(ior) as s:
        s.sendall(header)
        got = recv_message(s)
        assert got is not None and got[0].msg_type == m.MESSAGE_ERROR
        assert closed_after(s)


def test_truncated_message_then_close(ior: str, healthy: None) -> None:
    msg = request(ior, "doubler_long", struct.pack(">i", 1))
    with connect(ior) as s:
        s.sendall(msg[: len(msg) - 3])
    # the server saw EOF mid-message and dropped the connection; nothing else


@pytest.mark.parametrize(
    "body",
    [
        b"",  # no argument at all
        b"\x00\x00\x00\x05ab",  # a string cut short
        b"\xff\xff\xff\xff",  # a string of 4 G characters
    ],
    ids=["missing", "cut-string", "huge-string"],
)
def test_bad_arguments_get_marshal(ior: str, body: bytes, healthy: None) -> None:
    op = "doubler_long" if not body else "doubler_str"
    with connect(ior) as s:
        s.sendall(request(ior, op, body))
        got = recv_message(s)
        assert got is not None
        assert reply_status(got) == (m.SYSTEM_EXCEPTION, "IDL:omg.org/CORBA/MARSHAL:1.0")


def _any_bomb(depth: int) -> bytes:
    """``depth`` anys each holding the next (TypeCode tk_any = 11), big-endian."""
    return struct.pack(">I", 11) * depth + struct.pack(">I", 3) + struct.pack(">i", 7)


def _typecode_bomb(depth: int) -> bytes:
    """An any whose TypeCode is ``depth`` nested sequences (each an encapsulation)."""
    inner = struct.pack(">I", 3)  # tk_long
    for _ in range(depth):
        enc = b"\x00" + b"\x00" * 3 + inner + struct.pack(">I", 0)
        inner = struct.pack(">II", 19, len(enc)) + enc
    return inner + struct.pack(">I", 0)


@pytest.mark.parametrize("bomb", [_any_bomb(100_000), _typecode_bomb(200)], ids=["any", "typecode"])
def test_nesting_bombs_get_marshal(ior: str, bomb: bytes, healthy: None) -> None:
    with connect(ior) as s:
        s.sendall(request(ior, "echo_any", bomb))
        got = recv_message(s)
        assert got is not None
        assert reply_status(got) == (m.SYSTEM_EXCEPTION, "IDL:omg.org/CORBA/MARSHAL:1.0")


def test_huge_sequence_length_is_refused_before_allocating(ior: str, healthy: None) -> None:
    tc_bytes = struct.pack(">II", 19, 12) + b"\x00\x00\x00\x00" + struct.pack(">II", 3, 0)
    body = tc_bytes + struct.pack(">I", 0x3FFFFFFF)  # 1 G longs announced, none sent
    with connect(ior) as s:
        s.sendall(request(ior, "echo_any", body))
        got = recv_message(s)
        assert got is not None
        assert reply_status(got) == (m.SYSTEM_EXCEPTION, "IDL:omg.org/CORBA/MARSHAL:1.0")


def test_unknown_operation_and_object(ior: str, healthy: None) -> None:
    with connect(ior) as s:
        s.sendall(request(ior, "no_such_op"))
        got = recv_message(s)
        assert got is not None
        assert reply_status(got) == (m.SYSTEM_EXCEPTION, "IDL:omg.org/CORBA/BAD_OPERATION:1.0")
        out = m.start((1, 2), m.REQUEST)
        m.write_request(out, (1, 2), m.RequestHeader(4, True, b"IDLG\x00\x00nokey", "ping", []))
        s.sendall(m.finish(out))
        got = recv_message(s)
        assert got is not None
        assert reply_status(got) == (m.SYSTEM_EXCEPTION, "IDL:omg.org/CORBA/OBJECT_NOT_EXIST:1.0")


def test_locate_request(ior: str) -> None:
    key = IOR.from_string(ior).iiop().key
    with connect(ior) as s:
        for version in ((1, 0), (1, 1), (1, 2)):
            for k, want in ((key, m.OBJECT_HERE), (b"nothing", m.UNKNOWN_OBJECT)):
                out = m.start(version, m.LOCATE_REQUEST)
                m.write_locate_request(out, version, 6, k)
                s.sendall(m.finish(out))
                got = recv_message(s)
                assert got is not None and got[0].msg_type == m.LOCATE_REPLY
                rid, status, _ = m.read_locate_reply(CdrInput(got[1], got[0].little, 12), version)
                assert (rid, status) == (6, want)


def test_fragmented_request_is_reassembled(ior: str) -> None:
    whole = request(ior, "doubler_str", struct.pack(">I", 6) + b"frag!\x00")
    # cut after the 8-aligned header part; first message says "more fragments"
    cut = 24
    first = bytearray(whole[:cut])
    first[6] |= 2
    struct.pack_into(">I", first, 8, cut - 12)
    frag = m.MAGIC + bytes((1, 2, 0, m.FRAGMENT))
    rest = struct.pack(">I", 2) + whole[cut:]
    frag += struct.pack(">I", len(rest)) + rest
    with connect(ior) as s:
        s.sendall(bytes(first) + frag)
        got = recv_message(s)
        assert got is not None
        h, data = got
        inp = CdrInput(data, h.little, 12)
        assert m.read_reply(inp, h.version)[1] == m.NO_EXCEPTION
        assert inp.string() == "frag!frag!"


def test_endless_fragments_are_bounded(ior: str, healthy: None) -> None:
    small = client_orb()
    assert small.max_message == 2 * 1024 * 1024
    whole = request(ior, "doubler_str", struct.pack(">I", 2) + b"a\x00")
    first = bytearray(whole[:24])
    first[6] |= 2
    struct.pack_into(">I", first, 8, 12)
    chunk = b"\x00" * (1 << 20)
    frag = m.MAGIC + bytes((1, 2, 2, m.FRAGMENT)) + struct.pack(">II", 4 + len(chunk), 2) + chunk
    with connect(ior) as s:
        s.sendall(bytes(first))
        try:
            for _ in range(4):
                s.sendall(frag)
        except OSError:
            pass  # the server already gave up on us
        got = recv_message(s)
        assert got is not None and got[0].msg_type == m.MESSAGE_ERROR


def test_client_times_out_and_recovers(ior: str) -> None:
    orb = client_orb("-ORBclientCallTimeOutPeriod", "200")
    p = orb.string_to_object(ior)._narrow(M.Service)
    assert p is not None
    with pytest.raises(CORBA.TIMEOUT):
        p.sleep(1.0)
    assert p.doubler_long(3) == 6


def test_idle_and_half_sent_connections_are_closed() -> None:
    orb = CORBA.ORB_init(["-ORBinConScanPeriod", "0.3"], "idle-server")
    try:
        poa = orb.resolve_initial_references("RootPOA")
        poa._get_the_POAManager().activate()
        ref = poa.servant_to_reference(M.Service_i())
        ior = orb.object_to_string(ref)
        with connect(ior) as idle, connect(ior) as half:
            half.sendall(b"GIOP\x01\x02\x00\x00\x00\x00\x01\x00")  # a header, no body
            idle.settimeout(10)
            half.settimeout(10)
            for s in (idle, half):
                got = recv_message(s)
                assert got is not None and got[0].msg_type == m.CLOSE_CONNECTION
                assert closed_after(s)
        p = client_orb().string_to_object(ior)._narrow(M.Service)
        assert p is not None and p.doubler_long(1) == 2
    finally:
        orb.destroy()


def test_client_recovers_when_the_server_closes_an_idle_connection() -> None:
    orb = CORBA.ORB_init(["-ORBinConScanPeriod", "0.2"], "idle-server-2")
    try:
        poa = orb.resolve_initial_references("RootPOA")
        poa._get_the_POAManager().activate()
        ior = orb.object_to_string(poa.servant_to_reference(M.Service_i()))
        p = client_orb("-ORBidlgenByteOrder", "little").string_to_object(ior)._narrow(M.Service)
        assert p is not None and p.doubler_long(1) == 2
        time.sleep(0.8)  # the server sends CloseConnection and closes
        assert p.doubler_long(2) == 4  # a new connection, transparently
    finally:
        orb.destroy()


def test_partial_messages_of_all_clients_are_bounded_together() -> None:
    argv = ["-ORBgiopMaxMsgSize", "200000", "-ORBidlgenMaxMemory", "300000"]
    orb = CORBA.ORB_init(argv, "memory-bound")
    try:
        poa = orb.resolve_initial_references("RootPOA")
        poa._get_the_POAManager().activate()
        ior = orb.object_to_string(poa.servant_to_reference(M.Service_i()))
        socks = [connect(ior) for _ in range(3)]
        refused = 0
        try:
            for s in socks:
                s.sendall(b"GIOP\x01\x02\x00\x00" + struct.pack(">I", 190_000))
                try:
                    s.sendall(b"\x00" * 150_000)  # most of it, never the end
                except OSError:
                    pass
            for s in socks:
                s.settimeout(0.5)
                try:
                    got = recv_message(s)
                except OSError:
                    continue  # still waiting for the rest: held, within the bound
                if got is not None and got[0].msg_type == m.MESSAGE_ERROR:
                    refused += 1
        finally:
            for s in socks:
                s.close()
        assert refused >= 1
        budget = orb._server.budget
        deadline = time.monotonic() + 10
        while budget.used and time.monotonic() < deadline:
            time.sleep(0.02)  # the server notices the closed connections
        assert budget.used == 0
        p = client_orb().string_to_object(ior)._narrow(M.Service)
        assert p is not None and p.doubler_long(3) == 6
    finally:
        orb.destroy()
