"""The asyncio client and server, with each other and across to the blocking
ones, over TCP and UDP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
import struct
import threading

import pytest
from idlgen_runtime.oncrpc import (
    AuthStat,
    AuthSys,
    ProgMismatch,
    RpcServer,
    RpcTimeout,
    RpcTransportError,
    call_context,
    record,
)
from idlgen_runtime.oncrpc.aio import AsyncRpcServer
from idlgen_runtime.oncrpc.dispatch import Dispatcher
from oncrpc_echo import FAILURES, AsyncEchoClient, Echo, EchoClient, EchoV3, serving

TRANSPORTS = pytest.mark.parametrize("transport", ["tcp", "udp"])


class AsyncEcho(Echo):
    """``async def`` procedures next to the plain ones inherited from Echo."""

    async def SLEEP(self, ms: int) -> int:  # type: ignore[override]
        before = call_context()
        await asyncio.sleep(ms / 1000)
        assert call_context() is before  # each call keeps its own context across awaits
        return ms

    async def WHO(self) -> None:  # type: ignore[override]
        await asyncio.sleep(0)
        self.contexts.append(call_context())


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


async def aconnect(port, **kw):
    return await AsyncEchoClient.connect("127.0.0.1", port=port, **kw)


@TRANSPORTS
def test_concurrent_calls_are_matched_by_xid(transport):
    async def main():
        async with (
            AsyncRpcServer([AsyncEcho()]) as srv,
            await aconnect(srv.port, transport=transport) as c,
        ):
            delays = [50, 40, 30, 20, 10, 0]  # answered in the reverse order
            assert await asyncio.gather(*(c.SLEEP(ms) for ms in delays)) == delays
            await c.null()
            assert await c.ECHO(b"x" * 5000) == b"x" * 5000

    run(main())


@TRANSPORTS
def test_statuses_through_the_async_pair(transport):
    async def main():
        async with (
            AsyncRpcServer([AsyncEcho(), EchoV3()]) as srv,
            await aconnect(srv.port, transport=transport) as c,
        ):
            for code, (_, expected) in FAILURES.items():
                with pytest.raises(expected) as info:
                    await c.FAIL(code)
                if code == 6:
                    assert info.value.stat is AuthStat.AUTH_TOOWEAK
            assert await c.ECHO(b"on") == b"on"

            class V9(AsyncEchoClient):
                version = 9

            v9 = await V9.connect("127.0.0.1", port=srv.port, transport=transport)
            async with v9:
                with pytest.raises(ProgMismatch) as mismatch:
                    await v9.null()
                assert (mismatch.value.low, mismatch.value.high) == (2, 3)

    run(main())


@TRANSPORTS
def test_async_server_sees_credentials_and_peer(transport):
    impl = AsyncEcho()

    async def main():
        async with AsyncRpcServer([impl]) as srv:
            auth = AuthSys(machinename="a", uid=5, gid=6, gids=[7])
            async with await aconnect(srv.port, transport=transport, auth=auth) as c:
                await c.WHO()
        (ctx,) = impl.contexts
        assert (ctx.credentials.sys.uid, ctx.credentials.sys.gids) == (5, (7,))
        assert ctx.transport == transport and ctx.peer[0] == "127.0.0.1"

    run(main())


@TRANSPORTS
def test_async_client_against_blocking_server(transport):
    async def main(port):
        async with await aconnect(port, transport=transport) as c:
            assert await c.ECHO(b"hi") == b"hi"
            with pytest.raises(FAILURES[0][1]):
                await c.FAIL(0)
            assert await asyncio.gather(c.SLEEP(20), c.SLEEP(0)) == [20, 0]

    with serving(RpcServer([Echo()], max_fragment=7)) as srv:
        run(main(srv.port))


@TRANSPORTS
def test_blocking_client_against_async_server(transport):
    def blocking(port):
        with EchoClient.connect("127.0.0.1", port=port, transport=transport, max_fragment=3) as c:
            return c.ECHO(b"across"), c.SLEEP(5)

    async def main():
        async with AsyncRpcServer([AsyncEcho()], max_fragment=4) as srv:
            return await asyncio.to_thread(blocking, srv.port)

    assert run(main()) == (b"across", 5)


def test_async_tcp_timeout_then_the_late_reply_is_dropped():
    async def main():
        async with (
            AsyncRpcServer([AsyncEcho()]) as srv,
            await aconnect(srv.port, timeout=0.05) as c,
        ):
            with pytest.raises(RpcTimeout):
                await c.SLEEP(300)
            c.timeout = 5
            await asyncio.sleep(0.4)  # the late reply arrives now, for nobody
            assert await c.SLEEP(1) == 1
            assert await c.ECHO(b"same connection") == b"same connection"

    run(main())


def test_async_udp_retransmits_and_times_out():
    dispatcher = Dispatcher([Echo()])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(10)
    seen = []

    def lossy() -> None:  # answers only the second copy of the first call
        for _ in range(2):
            data, peer = sock.recvfrom(65536)
            seen.append(data)
        sock.sendto(dispatcher.run(data, peer, "udp"), peer)

    async def main():
        threading.Thread(target=lossy, daemon=True).start()
        c = await aconnect(sock.getsockname()[1], transport="udp", retransmit=0.05, timeout=10)
        async with c:
            assert await c.ECHO(b"again") == b"again"
            c.timeout = 0.2
            with pytest.raises(RpcTimeout):
                await c.ECHO(b"nobody answers now")

    run(main())
    assert seen[0] == seen[1]
    sock.close()


def test_async_server_drops_hostile_clients():
    async def main():
        async with (
            AsyncRpcServer([AsyncEcho()], max_record=1024) as srv,
            await aconnect(srv.port) as good,
        ):
            for payload in (
                record.frame(b"not a call at all"),
                struct.pack(">I", 0x80000000 | 100_000),
                struct.pack(">I", 0x80000000 | 100) + b"short",
            ):
                reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
                writer.write(payload)
                writer.write_eof()
                assert await reader.read() == b""  # dropped without a reply
                writer.close()
                assert await good.ECHO(b"still") == b"still"

    run(main())


def test_async_client_reconnects_after_the_connection_is_lost():
    async def main():
        srv = AsyncRpcServer([AsyncEcho()])
        await srv.start()
        port = srv.port
        c = await aconnect(port)
        assert await c.ECHO(b"1") == b"1"
        await srv.close()
        with pytest.raises(RpcTransportError):
            await c.ECHO(b"2")  # the server is gone
        with socket.socket() as probe:  # only run the rest if the port can be had again
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                await c.close()
                return
        async with AsyncRpcServer([AsyncEcho()], port=port):
            assert await c.ECHO(b"3") == b"3"
        await c.close()
        with pytest.raises(RpcTransportError):
            await c.ECHO(b"closed")

    run(main())
