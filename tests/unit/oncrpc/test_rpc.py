"""ONC RPC runtime against itself on 127.0.0.1: every reply status, both
transports, fragments, timeouts, hostile clients, and rpcbind registration."""

from __future__ import annotations

import asyncio
import socket
import struct
import subprocess
import threading
import time
from pathlib import Path

import pytest
from idlgen_runtime.oncrpc import (
    AuthError,
    AuthSys,
    GarbageArgs,
    ProcUnavail,
    ProgMismatch,
    ProgUnavail,
    RpcMismatch,
    RpcServer,
    RpcTimeout,
    RpcTransportError,
    SystemErr,
    call_context,
    message,
    record,
)
from idlgen_runtime.oncrpc.aio import AsyncRpcServer
from idlgen_runtime.oncrpc.dispatch import Dispatcher
from idlgen_runtime.oncrpc.errors import AuthStat
from xdr_support import compile_package

SIMP = Path(__file__).parents[2] / "golden" / "xdr" / "simp" / "simp.x"


@pytest.fixture(scope="module")
def simp(tmp_path_factory):
    return compile_package(SIMP, tmp_path_factory.mktemp("simp"))[0]


@pytest.fixture(scope="module")
def impl(simp):
    class Simp(simp.server.SIMP_PROG.SIMP_VERSION):
        def ADD(self, arg):
            if arg.x == 666:
                raise ValueError("the handler failed")
            if arg.x == 777:
                time.sleep(0.5)
            return arg.x + arg.y

        def SUB(self, arg):
            ctx = call_context()
            return ctx.credentials.sys.uid if ctx.credentials.sys else -1

    return Simp()


@pytest.fixture
def server(impl):
    srv = RpcServer([impl], max_fragment=5)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    thread.join(5)


def client(simp, server, **kw):
    return simp.client.SIMP_PROG.SIMP_VERSION.connect("127.0.0.1", port=server.port, **kw)


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_calls_over_both_transports(simp, server, transport):
    with client(simp, server, transport=transport) as c:
        assert c.ADD(simp.types.operands(3, 4)) == 7
        assert c.SUB(simp.types.operands(3, 4)) == -1  # AUTH_NONE: no uid
        c.null()


def test_auth_sys_reaches_the_procedure(simp, server):
    with client(simp, server, auth=AuthSys(machinename="h", uid=4242, gid=7, gids=[1, 2])) as c:
        assert c.SUB(simp.types.operands(0, 0)) == 4242


def test_multi_fragment_records_both_ways(simp, server):
    with client(simp, server, max_fragment=3) as c:  # the server answers in 5-byte fragments
        assert c.ADD(simp.types.operands(40, 2)) == 42


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_accepted_errors(simp, server, transport):
    class OtherProgram(simp.client.SIMP_PROG.SIMP_VERSION):
        program = 0x20000999

    class OtherVersion(simp.client.SIMP_PROG.SIMP_VERSION):
        version = 9

    with (
        OtherProgram.connect("127.0.0.1", port=server.port, transport=transport) as c,
        pytest.raises(ProgUnavail),
    ):
        c.ADD(simp.types.operands(1, 1))
    with OtherVersion.connect("127.0.0.1", port=server.port, transport=transport) as c:
        with pytest.raises(ProgMismatch) as info:
            c.ADD(simp.types.operands(1, 1))
        assert (info.value.low, info.value.high) == (1, 1)
    with client(simp, server, transport=transport) as c:
        with pytest.raises(ProcUnavail):
            c._call(99, b"", lambda b, p: (None, p))
        with pytest.raises(GarbageArgs):
            c._call(1, b"\0\0\0\1", lambda b, p: (None, p))
        with pytest.raises(SystemErr):
            c.ADD(simp.types.operands(666, 0))
        assert c.ADD(simp.types.operands(1, 1)) == 2  # and the server goes on


def test_unimplemented_procedure_is_proc_unavail(simp):
    class Partial(simp.server.SIMP_PROG.SIMP_VERSION):
        def ADD(self, arg):
            return 0

    with RpcServer([Partial()]) as srv:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        with client(simp, srv) as c, pytest.raises(ProcUnavail):
            c.SUB(simp.types.operands(1, 1))
        srv.request_stop()


def _raw_udp(server, msg: bytes) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.sendto(msg, ("127.0.0.1", server.port))
        return s.recv(65536)


def test_denied_replies(server):
    head = struct.pack(">IIIIII", 7, 0, 3, 555555555, 1, 1) + b"\0" * 16
    with pytest.raises(RpcMismatch) as info:
        message.parse_reply(_raw_udp(server, head))
    assert (info.value.low, info.value.high) == (2, 2)
    unknown_flavor = struct.pack(">IIIIIIII", 8, 0, 2, 555555555, 1, 1, 7, 0) + b"\0" * 8
    with pytest.raises(AuthError) as info:
        message.parse_reply(_raw_udp(server, unknown_flavor))
    assert info.value.stat is AuthStat.AUTH_REJECTEDCRED
    bad_sys = struct.pack(">IIIIIIII", 9, 0, 2, 555555555, 1, 1, 1, 4) + b"\0\0\0\x09" + b"\0" * 8
    with pytest.raises(AuthError) as info:
        message.parse_reply(_raw_udp(server, bad_sys))
    assert info.value.stat is AuthStat.AUTH_BADCRED


def test_hostile_clients_are_dropped_and_others_served(simp, impl):
    with RpcServer([impl], max_record=1024) as srv:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        with client(simp, srv) as good:
            for payload in (
                record.frame(b"garbage that is no call"),  # not an RPC call
                struct.pack(">I", 0x80000000 | 100) + b"x" * 10,  # truncated, then closed
                struct.pack(">I", 0x80000000 | 100_000),  # larger than max_record
                struct.pack(">I", 0x7FFFFFFF),  # a fragment header claiming 2 GiB
            ):
                with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as bad:
                    bad.sendall(payload)
                    bad.shutdown(socket.SHUT_WR)
                    bad.settimeout(5)
                    assert bad.recv(100) == b""  # dropped, no reply
                assert good.ADD(simp.types.operands(1, 2)) == 3
            with client(simp, srv) as big, pytest.raises(RpcTransportError):
                big._call(1, b"\0" * 4000, lambda b, p: (None, p))  # over max_record: dropped
            assert good.ADD(simp.types.operands(2, 2)) == 4
        srv.request_stop()


def test_udp_retransmits_until_answered(simp, impl):
    dispatcher = Dispatcher([impl])
    seen = []
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))

    def lossy():  # drops the first datagram, answers the second
        for _ in range(2):
            data, peer = sock.recvfrom(65536)
            seen.append(data)
            if len(seen) > 1:
                sock.sendto(dispatcher.run(data, peer, "udp"), peer)

    t = threading.Thread(target=lossy, daemon=True)
    t.start()
    with simp.client.SIMP_PROG.SIMP_VERSION.connect(
        "127.0.0.1", port=sock.getsockname()[1], transport="udp", retransmit=0.2, timeout=5
    ) as c:
        assert c.ADD(simp.types.operands(5, 6)) == 11
    t.join(5)
    assert len(seen) == 2 and seen[0] == seen[1]  # the same call, same xid
    sock.close()


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_timeouts(simp, transport):
    kind = socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM
    with socket.socket(socket.AF_INET, kind) as silent:
        silent.bind(("127.0.0.1", 0))
        if transport == "tcp":
            silent.listen()
        port = silent.getsockname()[1]
        with (
            simp.client.SIMP_PROG.SIMP_VERSION.connect(
                "127.0.0.1", port=port, transport=transport, timeout=0.3, retransmit=0.1
            ) as c,
            pytest.raises(RpcTimeout),
        ):
            c.ADD(simp.types.operands(1, 1))


def test_late_reply_never_answers_the_next_call(simp, server):
    with client(simp, server, timeout=0.2) as c:
        with pytest.raises(RpcTimeout):
            c.ADD(simp.types.operands(777, 0))  # the server answers after 0.5 s
        c.timeout = 5
        assert c.ADD(simp.types.operands(1, 1)) == 2


def test_asyncio_client_and_server_with_sync_peers(simp):
    class AsyncSimp(simp.aioserver.SIMP_PROG.SIMP_VERSION):
        async def ADD(self, arg):
            await asyncio.sleep(0.01 * (arg.x % 3))
            return arg.x + arg.y

        def SUB(self, arg):  # plain methods work too
            return arg.x - arg.y

    async def main():
        async with AsyncRpcServer([AsyncSimp()]) as srv:
            for transport in ("tcp", "udp"):
                c = await simp.aioclient.SIMP_PROG.SIMP_VERSION.connect(
                    "127.0.0.1", port=srv.port, transport=transport
                )
                async with c:
                    sums = await asyncio.gather(
                        *(c.ADD(simp.types.operands(i, 1)) for i in range(10))
                    )
                    assert sums == [
                        i + 1 for i in range(10)
                    ]  # replies out of order, matched by xid
                    assert await c.SUB(simp.types.operands(1, 3)) == -2

            def blocking_client():
                with client(simp, srv) as c:
                    return c.ADD(simp.types.operands(20, 22))

            assert await asyncio.to_thread(blocking_client) == 42

    asyncio.run(main())


def test_asyncio_client_against_blocking_server(simp, server):
    async def main():
        c = await simp.aioclient.SIMP_PROG.SIMP_VERSION.connect("127.0.0.1", port=server.port)
        async with c:
            assert await c.ADD(simp.types.operands(2, 3)) == 5
            with pytest.raises(SystemErr):
                await c.ADD(simp.types.operands(666, 0))

    asyncio.run(main())


def _rpcinfo() -> str:
    return subprocess.run(["rpcinfo", "-p", "127.0.0.1"], capture_output=True, text=True).stdout


def test_registers_with_rpcbind_and_unregisters(simp, impl, rpcbind):
    srv = RpcServer([impl], register=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        listing = _rpcinfo()
        assert f"555555555    1   tcp  {srv.port:5d}" in listing
        assert f"555555555    1   udp  {srv.port:5d}" in listing
        for transport in ("tcp", "udp"):
            with simp.client.SIMP_PROG.SIMP_VERSION.connect(rpcbind, transport=transport) as c:
                assert c.ADD(simp.types.operands(1, 2)) == 3
    finally:
        srv.shutdown()
        thread.join(5)
    assert "555555555" not in _rpcinfo()
