"""Blocking client ↔ blocking server on 127.0.0.1, TCP and UDP: results, every
reply status as its typed exception, credentials and call context, fragments."""

from __future__ import annotations

import socket
import struct
from pathlib import Path

import pytest
from idlgen_runtime.oncrpc import (
    AuthError,
    AuthStat,
    AuthSys,
    GarbageArgs,
    ProcUnavail,
    ProgMismatch,
    ProgUnavail,
    RpcMismatch,
    RpcServer,
    RpcTransportError,
    SystemErr,
    call_context,
    message,
)
from idlgen_runtime.oncrpc.auth import AUTH_NONE, AUTH_SYS
from oncrpc_echo import FAILURES, Echo, EchoClient, EchoV3, serving
from xdr_support import compile_package

SIMP = Path(__file__).parents[2] / "golden" / "xdr" / "simp" / "simp.x"
TRANSPORTS = pytest.mark.parametrize("transport", ["tcp", "udp"])


@pytest.fixture(scope="module")
def simp(tmp_path_factory):
    return compile_package(SIMP, tmp_path_factory.mktemp("simp"))[0]


@pytest.fixture
def echo():
    return Echo()


@pytest.fixture
def server(echo):
    with serving(RpcServer([echo, EchoV3()], max_fragment=5)) as srv:
        yield srv


def connect(server, cls=EchoClient, **kw):
    return cls.connect("127.0.0.1", port=server.port, **kw)


@TRANSPORTS
def test_generated_client_and_server(simp, transport):
    class Simp(simp.server.SIMP_PROG.SIMP_VERSION):
        def ADD(self, arg):
            return arg.x + arg.y

        def SUB(self, arg):
            return arg.x - arg.y

    with (
        serving(RpcServer([Simp()])) as srv,
        simp.client.SIMP_PROG.SIMP_VERSION.connect(
            "127.0.0.1", port=srv.port, transport=transport
        ) as c,
    ):
        assert c.ADD(simp.types.operands(3, 4)) == 7
        assert c.SUB(simp.types.operands(3, 4)) == -1
        c.null()


@TRANSPORTS
def test_echo_and_null(server, echo, transport):
    with connect(server, transport=transport) as c:
        c.null()
        assert c.ECHO(b"hello") == b"hello"
        assert c.ECHO(b"") == b""
    assert echo.calls == 2


@TRANSPORTS
@pytest.mark.parametrize("code", sorted(FAILURES))
def test_procedure_raising_sends_that_status(server, transport, code):
    with connect(server, transport=transport) as c:
        with pytest.raises(FAILURES[code][1]) as info:
            c.FAIL(code)
        if code == 5:
            assert (info.value.low, info.value.high) == (7, 8)
        if code == 6:
            assert info.value.stat is AuthStat.AUTH_TOOWEAK
        assert c.ECHO(b"still serving") == b"still serving"


@TRANSPORTS
def test_server_side_statuses(server, transport):
    class OtherProgram(EchoClient):
        program = 0x20000999

    class OtherVersion(EchoClient):
        version = 9

    with connect(server, OtherProgram, transport=transport) as c, pytest.raises(ProgUnavail):
        c.ECHO(b"x")
    with connect(server, OtherVersion, transport=transport) as c:
        with pytest.raises(ProgMismatch) as info:
            c.ECHO(b"x")
        assert (info.value.low, info.value.high) == (2, 3)
    with connect(server, transport=transport) as c:
        with pytest.raises(ProcUnavail):  # no such procedure number
            c._call(99, b"", lambda b, p: (None, p))
        with pytest.raises(ProcUnavail):  # in the table, not implemented
            c._call(5, b"", lambda b, p: (None, p))
        with pytest.raises(GarbageArgs):  # an opaque longer than the call
            c._call(1, b"\0\0\0\x09", lambda b, p: (None, p))
        with pytest.raises(GarbageArgs):  # trailing bytes after the arguments
            c._call(3, b"\0\0\0\1\0\0\0\2", lambda b, p: (None, p))
        with pytest.raises(SystemErr):  # a result the encoder refuses
            c._call(7, b"", lambda b, p: (None, p))
        assert c.SLEEP(0) == 0


def test_unknown_version_mismatch_reports_range(server):
    class OtherVersion(EchoClient):
        version = 1

    with connect(server, OtherVersion, transport="udp") as c, pytest.raises(ProgMismatch) as info:
        c.null()
    assert (info.value.low, info.value.high) == (2, 3)


def _raw_udp(server, msg: bytes) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.sendto(msg, ("127.0.0.1", server.port))
        return s.recv(65536)


def _call(xid, rpcvers=2, proc=0, cred=(AUTH_NONE, b"")) -> bytes:
    flavor, body = cred
    head = struct.pack(">IIIIIIII", xid, 0, rpcvers, 0x20000444, 2, proc, flavor, len(body))
    return head + body + b"\0" * (-len(body) % 4) + b"\0" * 8


def test_denied_replies(server):
    with pytest.raises(RpcMismatch) as info:
        message.parse_reply(_raw_udp(server, _call(7, rpcvers=3)))
    assert (info.value.low, info.value.high) == (2, 2)
    for cred, stat in [
        ((7, b""), AuthStat.AUTH_REJECTEDCRED),  # a flavor the server does not know
        ((AUTH_SYS, b"\0\0\0\x09"), AuthStat.AUTH_BADCRED),  # truncated authsys_parms
        ((AUTH_SYS, AuthSys(gids=[1]).credential() + b"\0" * 4), AuthStat.AUTH_BADCRED),
        ((AUTH_SYS, struct.pack(">IIIII", 0, 0, 0, 0, 17)), AuthStat.AUTH_BADCRED),  # 17 gids
    ]:
        with pytest.raises(AuthError) as info:
            message.parse_reply(_raw_udp(server, _call(8, proc=1, cred=cred)))
        assert info.value.stat is stat
    good = AuthSys(machinename="m", uid=1, gid=2).credential()
    xid, _ = message.parse_reply(_raw_udp(server, _call(9, cred=(AUTH_SYS, good))))
    assert xid == 9


@TRANSPORTS
def test_auth_sys_and_call_context_reach_the_procedure(server, echo, transport):
    auth = AuthSys(stamp=99, machinename="client.example", uid=4242, gid=7, gids=[1, 2, 3])
    with connect(server, transport=transport, auth=auth) as c:
        c.WHO()
        local = c._sock.getsockname()
    with connect(server, transport=transport) as c:
        c.WHO()
    ctx, anonymous = echo.contexts
    assert ctx.credentials.flavor == AUTH_SYS
    sys = ctx.credentials.sys
    assert (sys.stamp, sys.machinename, sys.uid, sys.gid, sys.gids) == (
        99,
        "client.example",
        4242,
        7,
        (1, 2, 3),
    )
    assert ctx.peer[:2] == local[:2]
    assert (ctx.transport, ctx.program, ctx.version, ctx.procedure) == (
        transport,
        0x20000444,
        2,
        2,
    )
    assert anonymous.credentials.flavor == AUTH_NONE and anonymous.credentials.sys is None
    with pytest.raises(LookupError):
        call_context()  # only inside a procedure


@TRANSPORTS
def test_program_requiring_auth_sys_denies_weaker_flavors(transport):
    class Strict(Echo):
        auth_flavors = frozenset({AUTH_SYS})

    with serving(RpcServer([Strict()])) as srv:
        with connect(srv, transport=transport) as c:
            c.null()  # procedure 0 stays open to every flavor
            with pytest.raises(AuthError) as info:
                c.ECHO(b"x")
            assert info.value.stat is AuthStat.AUTH_TOOWEAK
        with connect(srv, transport=transport, auth=AuthSys(uid=1, gid=1)) as c:
            assert c.ECHO(b"x") == b"x"


def test_multi_fragment_records_both_ways(server, echo):
    data = bytes(range(256)) * 400  # 100 KiB: ~20,000 fragments of 5 bytes back
    with connect(server, max_fragment=1000) as c:  # ~100 fragments out
        assert c.ECHO(data) == data
        assert c.ECHO(b"abc") == b"abc"


def test_large_records_in_single_fragments(echo):
    with serving(RpcServer([echo])) as srv, connect(srv, max_record=8 << 20) as c:
        data = b"\x5a" * (3 << 20)
        assert c.ECHO(data) == data


def test_client_refuses_a_reply_larger_than_its_max_record(server):
    with connect(server, max_record=1000) as c:
        with pytest.raises(RpcTransportError):
            c.BLOB(2000)
        assert c.BLOB(10) == b"b" * 10  # reconnected


def test_udp_limits(server):
    with connect(server, transport="udp") as c:
        assert len(c.BLOB(60000)) == 60000
        with pytest.raises(SystemErr):  # the reply does not fit a datagram
            c.BLOB(70000)
        with pytest.raises(RpcTransportError):  # the call does not fit a datagram
            c.ECHO(b"x" * 70000)
        assert c.ECHO(b"ok") == b"ok"
