"""Calls of one TCP connection run concurrently on the asyncio server, within bounds.

No wall-clock assertions: concurrency is shown by a procedure that returns only
once N calls are running at the same time (a barrier). Calls run one after
another would never meet there, and the test's own timeout would end it.
"""

from __future__ import annotations

import asyncio
import socket
import struct

import pytest
from idlgen_runtime import xdr
from idlgen_runtime.oncrpc import RpcTimeout, ServerLimits, record
from idlgen_runtime.oncrpc.aio import AsyncRpcClient, AsyncRpcServer
from idlgen_runtime.oncrpc.server import Procedure, RpcProgram
from oncrpc_echo import ECHO_PROG, dec_uint, dec_uint_result, enc_uint


class Gate(RpcProgram):
    """MEET(n) returns once n calls are inside it together; the most seen is kept."""

    program = ECHO_PROG
    version = 2
    procedures = {
        1: Procedure("MEET", dec_uint, enc_uint),
        2: Procedure("HOLD", dec_uint, enc_uint),
    }

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.runs = 0
        self.changed = asyncio.Condition()
        self.release = asyncio.Event()

    async def MEET(self, n: int) -> int:
        async with self.changed:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.changed.notify_all()
            await self.changed.wait_for(lambda: self.inside >= n or self.most >= n)
        async with self.changed:
            self.inside -= 1
        return n

    async def HOLD(self, tag: int) -> int:
        """Runs until ``release`` is set; counts every run."""
        self.runs += 1
        async with self.changed:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.changed.notify_all()
        await self.release.wait()
        self.inside -= 1
        return tag


class GateClient(AsyncRpcClient):
    program = ECHO_PROG
    version = 2

    async def MEET(self, n: int) -> int:
        return await self._call(1, xdr.UINT.pack(n), dec_uint_result)

    async def HOLD(self, tag: int) -> int:
        return await self._call(2, xdr.UINT.pack(tag), dec_uint_result)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


@pytest.mark.parametrize("n", [5, 20, 100])
def test_calls_of_one_connection_run_together(n):
    """The issue's case: 5 (then 20) slow calls over one connection ran one after another."""

    async def main():
        gate = Gate()
        async with AsyncRpcServer([gate], transports=["tcp"]) as srv:
            c = await GateClient.connect("127.0.0.1", port=srv.port, timeout=30)
            async with c:
                assert len(srv._connections) == 1
                assert await asyncio.gather(*(c.MEET(n) for _ in range(n))) == [n] * n
        assert gate.most == n

    run(main())


def test_calls_in_flight_per_connection_are_bounded_and_none_is_lost():
    async def main():
        gate = Gate()
        limits = ServerLimits(max_in_flight=4)
        async with AsyncRpcServer([gate], transports=["tcp"], limits=limits) as srv:
            async with await GateClient.connect("127.0.0.1", port=srv.port, timeout=30) as c:
                calls = [asyncio.ensure_future(c.HOLD(i)) for i in range(40)]
                async with gate.changed:
                    await gate.changed.wait_for(lambda: gate.inside == 4)
                await asyncio.sleep(0.2)  # time for more to start, were the bound not kept
                assert gate.inside == 4 and gate.runs == 4
                gate.release.set()
                assert await asyncio.gather(*calls) == list(range(40))
        assert gate.most == 4 and gate.runs == 40

    run(main())


def test_replies_go_out_as_calls_finish():
    async def main():
        gate = Gate()
        async with AsyncRpcServer([gate], transports=["tcp"]) as srv:
            async with await GateClient.connect("127.0.0.1", port=srv.port, timeout=30) as c:
                held = asyncio.ensure_future(c.HOLD(7))
                async with gate.changed:
                    await gate.changed.wait_for(lambda: gate.inside == 1)
                # A later call on the same connection is answered while HOLD runs.
                assert await c.MEET(1) == 1
                assert not held.done()
                gate.release.set()
                assert await held == 7

    run(main())


def _udp_call(xid: int, proc: int, arg: int) -> bytes:
    head = struct.pack(">IIIIIIIIII", xid, 0, 2, ECHO_PROG, 2, proc, 0, 0, 0, 0)
    return head + xdr.UINT.pack(arg)


def test_udp_flood_runs_at_most_udp_max_in_flight_calls():
    """100,000 datagrams to a slow procedure took RSS from 22 to 280 MB: now a bound."""

    async def main():
        gate = Gate()
        limits = ServerLimits(udp_max_in_flight=16)
        async with AsyncRpcServer([gate], transports=["udp"], limits=limits) as srv:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as flood:
                flood.setblocking(False)
                for xid in range(3000):
                    try:
                        flood.sendto(_udp_call(xid, 2, xid), ("127.0.0.1", srv.port))
                    except BlockingIOError:
                        await asyncio.sleep(0.001)
                    if xid % 100 == 0:
                        await asyncio.sleep(0)  # let the server read
                await asyncio.sleep(0.2)
                assert gate.inside == 16 and gate.runs == 16
                assert len(srv._tasks) == 16
                gate.release.set()
                await asyncio.sleep(0.1)
                assert srv._udp_in_flight == 0
            # and a well-behaved client is served afterwards
            c = await GateClient.connect("127.0.0.1", port=srv.port, transport="udp", timeout=10)
            async with c:
                assert await c.MEET(1) == 1

    run(main())


def test_async_client_timeout_is_per_call_with_calls_in_flight():
    async def main():
        gate = Gate()
        async with AsyncRpcServer([gate], transports=["tcp"]) as srv:
            async with await GateClient.connect("127.0.0.1", port=srv.port, timeout=0.3) as c:
                with pytest.raises(RpcTimeout) as info:
                    await asyncio.gather(*(c.HOLD(i) for i in range(3)))
                assert "GateClient.HOLD (program" in str(info.value)
                gate.release.set()
                c.timeout = 10
                assert await c.MEET(1) == 1  # the same connection goes on

    run(main())


def test_a_half_closed_connection_gets_its_replies():
    """A client may send its calls, shut down its side, and read the replies."""

    async def main():
        gate = Gate()
        async with AsyncRpcServer([gate], transports=["tcp"]) as srv:
            reader, writer = await asyncio.open_connection("127.0.0.1", srv.port)
            for xid in range(3):
                head = struct.pack(">IIIIIIIIII", xid, 0, 2, ECHO_PROG, 2, 1, 0, 0, 0, 0)
                writer.write(record.frame(head + xdr.UINT.pack(3)))  # MEET(3)
            writer.write_eof()
            data = await reader.read()  # until the server closes
            writer.close()
            assert len(data) == 3 * (4 + 28)

    run(main())
