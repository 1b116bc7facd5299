"""The generated asyncio twin (``MonService__aio``) against omniORB C++: an async
client of the C++ server, and an ``async def`` servant for the C++ client."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest
from corba_peers import running
from idlgen_runtime.corba import aio

pytestmark = pytest.mark.interop


def test_aio_client_cxx_server(cxx, generated, tmp_path: Path):
    import MonService__aio

    async def main(ior: str) -> None:
        orb = await aio.ORB_init(["prog", "-ORBclientCallTimeOutPeriod", "20000"], "aio-client")
        try:
            proxy = await orb.string_to_object(ior)._anarrow(MonService__aio.Service)
            assert isinstance(proxy, MonService__aio.Service)
            assert await proxy.doubler_long(21) == 42
            got = await asyncio.gather(*(proxy.doubler_long(i) for i in range(100)))
            assert got == [2 * i for i in range(100)]
            assert await proxy.doubler_str("ab") == "abab"
        finally:
            orb.destroy()

    with running([str(cxx["monservice_server"]), str(tmp_path / "ior")], tmp_path / "ior") as ior:
        asyncio.run(main(ior))


def test_cxx_client_aio_server(cxx, generated):
    import MonService__POA

    class AsyncService(MonService__POA.Service):
        async def doubler_str(self, s: str) -> str:  # type: ignore[override]
            await asyncio.sleep(0)
            return s * 2

        async def doubler_long(self, l: int) -> int:  # type: ignore[override]  # noqa: E741
            return l * 2

    async def main() -> str:
        orb = await aio.ORB_init(["prog", "-ORBendPoint", "giop:tcp:127.0.0.1:0"], "aio-server")
        try:
            poa = orb.resolve_initial_references("RootPOA")
            poa._get_the_POAManager().activate()
            ior = orb.object_to_string(poa.servant_to_reference(AsyncService()))
            proc = await asyncio.create_subprocess_exec(
                str(cxx["monservice_client"]), ior, stdout=subprocess.PIPE
            )
            out, _ = await asyncio.wait_for(proc.communicate(), 60)
            assert proc.returncode == 0
            return out.decode()
        finally:
            orb.destroy()

    out = asyncio.run(main())
    assert "doubler_long(21) = 42" in out and "doubler_str(ab) = abab" in out
