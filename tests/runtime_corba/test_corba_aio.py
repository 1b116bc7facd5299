"""The asyncio ORB: async client and server, against each other and against
the thread-pool ORB, concurrency on one connection, timeouts."""

from __future__ import annotations

import asyncio
import threading

import monservice as M
import pytest
from idlgen_runtime.corba import CORBA, aio
from orb_clients import client_orb


async def serve() -> tuple[aio.ORB, str]:
    orb = await aio.ORB_init(["-ORBclientCallTimeOutPeriod", "5000"], f"aio-{id(object())}")
    poa = orb.resolve_initial_references("RootPOA")
    poa._get_the_POAManager().activate()
    oid = poa.activate_object(M.AsyncService_i())
    return orb, orb.object_to_string(poa.id_to_reference(oid))


def test_async_client_and_server() -> None:
    async def main() -> None:
        orb, ior = await serve()
        try:
            obj = orb.string_to_object(ior)
            p = await obj._anarrow(M.ServiceAio)
            assert isinstance(p, M.ServiceAio)
            assert await p.doubler_long(21) == 42
            assert await p.divmod(9, 4) == (2, 1)
            with pytest.raises(M.Oops):
                await p.fail(1)
            with pytest.raises(CORBA.NO_PERMISSION):
                await p.fail(2)
            a = CORBA.Any(M.tc_Rec, M.Rec("x", 1, 2.0, M.Inner(3, 4.0)))
            assert (await p.echo_any(a)).value() == a.value()
            # concurrent calls on one connection: the slow one does not hold up the rest
            slow = asyncio.ensure_future(p.sleep(0.5))
            got = await asyncio.gather(*(p.doubler_long(i) for i in range(50)))
            assert got == [2 * i for i in range(50)] and not slow.done()
            await slow
            assert len(orb._aconns) == 1
        finally:
            orb.destroy()

    asyncio.run(main())


def test_async_timeout() -> None:
    async def main() -> None:
        orb, ior = await serve()
        client = await aio.ORB_init(["-ORBclientCallTimeOutPeriod", "100"], "aio-timeout-client")
        try:
            p = client.string_to_object(ior)._narrow(M.ServiceAio)
            assert p is not None
            with pytest.raises(CORBA.TIMEOUT):
                await p.sleep(1.0)
            assert await p.doubler_long(2) == 4
        finally:
            client.destroy()
            orb.destroy()

    asyncio.run(main())


def test_thread_pool_client_to_async_server() -> None:
    ready = threading.Event()
    box: dict[str, object] = {}

    async def main() -> None:
        orb, ior = await serve()
        box["ior"], box["orb"] = ior, orb
        ready.set()
        await orb.run()
        orb.destroy()

    t = threading.Thread(target=asyncio.run, args=(main(),))
    t.start()
    assert ready.wait(10)
    try:
        p = client_orb().string_to_object(str(box["ior"]))._narrow(M.Service)
        assert p is not None
        assert p.doubler_long(5) == 10 and p.doubler_str("a") == "aa"
        with pytest.raises(M.Oops):
            p.fail(1)
    finally:
        orb = box["orb"]
        assert isinstance(orb, aio.ORB)
        orb.shutdown()  # from another thread
        t.join(10)
        assert not t.is_alive()


def test_async_client_to_thread_pool_server(ior: str) -> None:
    async def main() -> None:
        client = await aio.ORB_init([], "aio-to-threads")
        try:
            p = client.string_to_object(ior)._narrow(M.ServiceAio)
            assert p is not None
            assert await asyncio.gather(*(p.doubler_long(i) for i in range(10))) == [
                2 * i for i in range(10)
            ]
        finally:
            client.destroy()

    asyncio.run(main())


def test_async_server_survives_bad_clients() -> None:
    async def main() -> None:
        argv = ["-ORBgiopMaxMsgSize", "100000", "-ORBidlgenMaxMemory", "150000"]
        orb = await aio.ORB_init(argv, "aio-hostile")
        poa = orb.resolve_initial_references("RootPOA")
        poa._get_the_POAManager().activate()
        ior = orb.object_to_string(poa.servant_to_reference(M.AsyncService_i()))
        port = orb.port
        try:
            await asyncio.sleep(0.05)  # the listening task starts
            for attack in (
                b"GIOX\x01\x02\x00\x00\x00\x00\x00\x00",  # bad magic
                b"GIOP\x01\x02\x00\x00\x00\x10\x00\x00",  # 1 MB: over the maximum
            ):
                r, w = await asyncio.open_connection("127.0.0.1", port)
                w.write(attack)
                head = await asyncio.wait_for(r.readexactly(12), 5)
                assert head[7] == 6  # MessageError
                assert await asyncio.wait_for(r.read(), 5) == b""  # then closed
                w.close()
            # two half-sent 90 KB messages: the second goes over the shared budget
            conns = []
            for _ in range(2):
                r, w = await asyncio.open_connection("127.0.0.1", port)
                w.write(b"GIOP\x01\x02\x00\x00" + (90_000).to_bytes(4, "big") + b"\x00" * 1000)
                conns.append((r, w))
            _, w2 = conns[1]
            head = await asyncio.wait_for(conns[1][0].readexactly(12), 5)
            assert head[7] == 6
            for _, w in conns:
                w.close()
            p = orb.string_to_object(ior)._narrow(M.ServiceAio)
            assert p is not None and await p.doubler_long(4) == 8
        finally:
            orb.destroy()

    asyncio.run(main())


def test_async_server_closes_idle_connections() -> None:
    async def main() -> None:
        orb = await aio.ORB_init(["-ORBinConScanPeriod", "0.3"], "aio-idle")
        poa = orb.resolve_initial_references("RootPOA")
        poa._get_the_POAManager().activate()
        ior = orb.object_to_string(poa.servant_to_reference(M.AsyncService_i()))
        try:
            await asyncio.sleep(0.05)
            r, w = await asyncio.open_connection("127.0.0.1", orb.port)
            w.write(b"GIOP\x01\x02")  # half a header, then nothing
            head = await asyncio.wait_for(r.readexactly(12), 5)
            assert head[7] == 5  # CloseConnection
            assert await asyncio.wait_for(r.read(), 5) == b""
            w.close()
            p = orb.string_to_object(ior)._narrow(M.ServiceAio)
            assert p is not None and await p.doubler_long(1) == 2
        finally:
            orb.destroy()

    asyncio.run(main())
