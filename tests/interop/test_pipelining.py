"""The asyncio client keeps many calls in flight on one connection to the C server
(rpcgen + libtirpc, which reads them in order from its record stream): every
reply is matched to its call; and the C client is served by the asyncio server."""

from __future__ import annotations

import asyncio
import subprocess
import threading

import pytest
from idlgen_runtime.oncrpc.aio import AsyncRpcServer
from interop_support import SIMP_DIR, SIMP_PROG, SIMP_X
from peers import wait_unregistered

pytestmark = pytest.mark.interop


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_asyncio_client_with_many_calls_in_flight_against_c_server(simp, c_simp_server, transport):
    n = 2000 if transport == "tcp" else 300  # UDP: within the C server's socket buffer

    async def main() -> None:
        aio = simp.aioclient.SIMP_PROG.SIMP_VERSION
        c = await aio.connect("127.0.0.1", transport=transport, timeout=30)
        async with c:
            ops = simp.types.operands
            got = await asyncio.gather(*(c.ADD(ops(i, 1)) for i in range(n)))
            assert got == [i + 1 for i in range(n)]
            got = await asyncio.gather(*(c.SUB(ops(i, 1)) for i in range(n)))
            assert got == [i - 1 for i in range(n)]

    asyncio.run(asyncio.wait_for(main(), 60))


def test_c_client_against_the_asyncio_server_registered_with_rpcbind(simp, rpcbind, rpcgen_build):
    client = rpcgen_build(SIMP_X, "simp_client", [SIMP_DIR / "simp_client.c"], role="client")

    class Simp(simp.aioserver.SIMP_PROG.SIMP_VERSION):
        async def ADD(self, arg):
            await asyncio.sleep(0)
            return arg.x + arg.y

        def SUB(self, arg):
            return arg.x - arg.y

    loop = asyncio.new_event_loop()
    server = AsyncRpcServer([Simp()], register=True)
    loop.run_until_complete(server.start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        for transport in ("tcp", "udp"):
            out = subprocess.run(
                [str(client), rpcbind, transport], capture_output=True, text=True, timeout=30
            )
            assert out.returncode == 0, out.stdout + out.stderr
            assert out.stdout.splitlines() == ["ADD(3, 4) = 7", "SUB(3, 4) = -1"]
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result(15)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
    assert wait_unregistered(SIMP_PROG)
