"""A server fed hostile bytes keeps serving: random and mutated call records over
TCP and UDP, each followed by a good call that must still be answered — the
blocking server and the asyncio one.

The default run is bounded (a few hundred inputs); `-m slow` runs the long one."""

from __future__ import annotations

import asyncio
import os
import random
import socket
import struct
import threading
from pathlib import Path

import pytest
from idlgen_runtime.oncrpc import RpcServer, record
from idlgen_runtime.oncrpc.aio import AsyncRpcServer
from xdr_support import compile_package

SIMP = Path(__file__).parents[1] / "golden" / "xdr" / "simp" / "simp.x"


@pytest.fixture(scope="module", params=["blocking", "asyncio"])
def served(request, tmp_path_factory):
    simp = compile_package(SIMP, tmp_path_factory.mktemp("simp"))[0]

    class Simp(simp.server.SIMP_PROG.SIMP_VERSION):
        def ADD(self, arg):
            return arg.x + arg.y

        def SUB(self, arg):
            return arg.x - arg.y

    if request.param == "blocking":
        server = RpcServer([Simp()], max_record=4096)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield simp, server
        server.shutdown()
        thread.join(5)
        return
    loop = asyncio.new_event_loop()
    aserver = AsyncRpcServer([Simp()], max_record=4096)
    loop.run_until_complete(aserver.start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield simp, aserver
    asyncio.run_coroutine_threadsafe(aserver.close(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def _inputs(rng: random.Random, n: int):
    good = struct.pack(">IIIIIIIIII", 1, 0, 2, 555555555, 1, 1, 0, 0, 0, 0) + struct.pack(
        ">ii", 3, 4
    )
    for _ in range(n):
        kind = rng.randrange(3)
        if kind == 0:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
        elif kind == 1:  # a good call with a few bytes changed
            data = bytearray(good)
            for _ in range(rng.randrange(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            yield bytes(data)
        else:  # a good call cut short or padded
            yield good[: rng.randrange(len(good))] + bytes(rng.randrange(8))


def _fuzz(served, n: int, seed: int) -> None:
    simp, server = served
    rng = random.Random(seed)
    with simp.client.SIMP_PROG.SIMP_VERSION.connect("127.0.0.1", port=server.port) as good:
        for i, data in enumerate(_inputs(rng, n)):
            if i % 2:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                    udp.sendto(data, ("127.0.0.1", server.port))
            else:
                with socket.create_connection(("127.0.0.1", server.port), timeout=5) as tcp:
                    framed = record.frame(data) if rng.random() < 0.8 else data
                    tcp.sendall(framed)
            assert good.ADD(simp.types.operands(i, 1)) == i + 1


def test_hostile_bytes_bounded(served):
    _fuzz(served, 300, seed=int(os.environ.get("FUZZ_SEED", "1")))


@pytest.mark.slow
def test_hostile_bytes_long(served):
    _fuzz(served, 20000, seed=2)
