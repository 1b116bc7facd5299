"""Against Debian's real rpcbind on 127.0.0.1 (the shared ``rpcbind`` fixture
starts it when it is not running; with CI=true a missing rpcbind fails):
registration by servers, lookups by clients, and the rpcbind client itself."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from idlgen_runtime.oncrpc import ProgramNotRegistered, RpcServer
from idlgen_runtime.oncrpc import rpcbind as rb
from idlgen_runtime.oncrpc.aio import AsyncRpcServer
from idlgen_runtime.oncrpc.rpcb import types as rpcb_types
from idlgen_runtime.oncrpc.rpcb.client import RPCBPROG
from oncrpc_echo import ECHO_PROG, AsyncEchoClient, Echo, EchoClient, EchoV3, serving

# Program numbers from the transient range, one per test, so that a failed run
# leaves nothing that another test could trip over.
RPCBVERS4 = RPCBPROG.RPCBVERS4
PROG_V3 = 0x20000555
PROG_RAW = 0x20000556


def _rpcinfo() -> str:
    return subprocess.run(
        ["rpcinfo", "-p", "127.0.0.1"], capture_output=True, text=True, check=True
    ).stdout


def _lines(prog: int) -> list[list[str]]:
    return [line.split() for line in _rpcinfo().splitlines() if line.split()[:1] == [str(prog)]]


@pytest.fixture
def clean(rpcbind):
    """The rpcbind host, with no registration of the test programs before or after."""
    _forget()
    yield rpcbind
    _forget()


def _forget() -> None:
    for prog in (ECHO_PROG, PROG_V3, PROG_RAW):
        for vers in (1, 2, 3):
            rb.unset(prog, vers)


def test_server_registers_every_version_and_transport_and_unregisters(clean):
    with serving(RpcServer([Echo(), EchoV3()], register=True)) as srv:
        lines = _lines(ECHO_PROG)
        expected = {(v, t, str(srv.port)) for v in ("2", "3") for t in ("tcp", "udp")}
        assert {(vers, proto, port) for _, vers, proto, port, *_ in lines} == expected
        for transport in ("tcp", "udp"):
            assert rb.getport(clean, ECHO_PROG, 2, transport) == srv.port
            with EchoClient.connect(clean, transport=transport) as c:  # port=None: ask rpcbind
                assert c.ECHO(b"found") == b"found"
    assert _lines(ECHO_PROG) == []


def _stale_over_tcp() -> None:
    assert rb.set(ECHO_PROG, 2, "tcp", 1)  # owner "unknown", like an older Python server's


def _stale_over_local_socket() -> None:
    # What a libtirpc (rpcgen) server leaves when it dies: registered through
    # /run/rpcbind.sock, owned by its uid ("superuser" for root).
    if not os.path.exists(rb.LOCAL_SOCKET):
        pytest.skip(f"this rpcbind has no {rb.LOCAL_SOCKET}")
    with RPCBVERS4.connect(rb.LOCAL_SOCKET, port=0) as local:
        assert local.RPCBPROC_SET(rpcb_types.rpcb(ECHO_PROG, 2, "udp", "0.0.0.0.0.9", ""))
    owners = {e.r_owner for e in rb.dump_rpcb() if e.r_prog == ECHO_PROG}
    assert owners == {"superuser" if os.geteuid() == 0 else str(os.geteuid())}


@pytest.mark.parametrize("stale", [_stale_over_tcp, _stale_over_local_socket])
def test_registration_replaces_a_stale_entry(clean, stale):
    stale()  # left over from a crashed server
    with serving(RpcServer([Echo()], register=True)) as srv:
        for transport in ("tcp", "udp"):
            assert rb.getport(clean, ECHO_PROG, 2, transport) == srv.port
    assert _lines(ECHO_PROG) == []


def test_tcp_only_server_registers_tcp_only(clean):
    with serving(RpcServer([Echo()], transports=("tcp",), register=True)) as srv:
        assert [line[2] for line in _lines(ECHO_PROG)] == ["tcp"]
        with pytest.raises(ProgramNotRegistered):
            rb.getport(clean, ECHO_PROG, 2, "udp")
        assert rb.getport(clean, ECHO_PROG, 2, "tcp") == srv.port


def test_connect_to_an_unregistered_program(clean):
    with pytest.raises(ProgramNotRegistered):
        EchoClient.connect(clean)


def test_async_server_registers_and_async_client_looks_up(clean):
    async def main():
        async with AsyncRpcServer([Echo()], register=True) as srv:
            assert rb.getport(clean, ECHO_PROG, 2, "udp") == srv.port
            for transport in ("tcp", "udp"):
                async with await AsyncEchoClient.connect(clean, transport=transport) as c:
                    assert await c.ECHO(b"async") == b"async"
        assert _lines(ECHO_PROG) == []

    asyncio.run(asyncio.wait_for(main(), 30))


SERVE = """
import sys
sys.path[:0] = sys.argv[1:]
from oncrpc_echo import Echo
Echo().serve(register=True)
"""


def test_serve_unregisters_on_sigterm(clean):
    here = Path(__file__).parent
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(here), str(here.parents[1])],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not _lines(ECHO_PROG):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the server never registered"
            time.sleep(0.05)
        with EchoClient.connect(clean, transport="udp") as c:
            assert c.ECHO(b"child") == b"child"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _lines(ECHO_PROG) == []


def test_rpcbind_v3_and_v4_set_getaddr_dump_unset(clean):
    assert rb.set(PROG_V3, 1, "tcp", 2049, version=3, address="127.0.0.1")
    assert rb.set(PROG_V3, 1, "udp", 2050, version=4)
    assert not rb.set(PROG_V3, 1, "udp", 2051, version=4)  # already registered
    for version in (3, 4):
        assert rb.getaddr(clean, PROG_V3, 1, "tcp", version=version) == ("127.0.0.1", 2049)
        assert rb.getaddr(clean, PROG_V3, 1, "udp", version=version)[1] == 2050
    entries = {(e.r_netid, e.r_addr) for e in rb.dump_rpcb() if e.r_prog == PROG_V3}
    assert entries == {("tcp", "127.0.0.1.8.1"), ("udp", "0.0.0.0.8.2")}
    assert (PROG_V3, 1, "udp", 2050) in rb.dump()  # v3 entries show in the v2 view
    assert rb.getport(clean, PROG_V3, 1, "tcp") == 2049
    assert rb.unset(PROG_V3, 1, version=4, transport="tcp")
    assert [line[2] for line in _lines(PROG_V3)] == ["udp"]
    with pytest.raises(ProgramNotRegistered):
        rb.getaddr(clean, PROG_V3, 1, "tcp")
    assert rb.unset(PROG_V3, 1, version=3)
    assert _lines(PROG_V3) == []


def test_rpcbind_v2_set_dump_unset(clean):
    assert rb.set(PROG_RAW, 1, "udp", 4000)
    assert (PROG_RAW, 1, "udp", 4000) in rb.dump(clean)
    assert ["1", "udp", "4000"] == _lines(PROG_RAW)[0][1:4]
    assert rb.unset(PROG_RAW, 1)
    assert _lines(PROG_RAW) == []


def test_universal_addresses():
    assert rb.parse_universal_address("127.0.0.1.8.1") == ("127.0.0.1", 2049)
    assert rb.parse_universal_address("::1.0.111") == ("::1", 111)
    assert rb.universal_address("10.1.2.3", 65535) == "10.1.2.3.255.255"
    assert rb.universal_address("::", 2049) == "::.8.1"
    for bad in ("", "1.2.3.4", "1.2.3.4.x.1", "1.2.3.4.256.0", ".1.1"):
        with pytest.raises(ValueError):
            rb.parse_universal_address(bad)
    with pytest.raises(ValueError):
        rb.universal_address("1.2.3.4", 70000)
    with pytest.raises(ValueError):
        rb.set(1, 1, "sctp", 1)
