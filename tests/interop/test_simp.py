"""simp.x (ADD/SUB) against the real thing: the C server and client that rpcgen
and libtirpc build from the same file, and Debian's rpcbind, on 127.0.0.1."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from idlgen_runtime.oncrpc import AuthSys
from interop_support import SIMP_DIR, SIMP_PROG, SIMP_X, python_server
from peers import c_server, registrations, wait_unregistered

pytestmark = pytest.mark.interop
TRANSPORTS = ("tcp", "udp")
# ints whose sum and difference fit the C server's int (overflow is undefined in C)
HALF = st.integers(-(2**30), 2**30 - 1)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_python_client_calls_c_server_found_through_rpcbind(simp, c_simp_server, transport):
    with simp.client.SIMP_PROG.SIMP_VERSION.connect("127.0.0.1", transport=transport) as c:
        assert c.ADD(simp.types.operands(x=3, y=4)) == 7
        assert c.SUB(simp.types.operands(x=3, y=4)) == -1
        assert c.ADD(simp.types.operands(x=2**31 - 1, y=0)) == 2**31 - 1
        assert c.SUB(simp.types.operands(x=-(2**31), y=0)) == -(2**31)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_python_client_options_against_c_server(simp, c_simp_server, transport):
    """port= skips rpcbind; timeout= and auth= (AUTH_SYS, which rpcgen servers accept)."""
    port = c_simp_server.port(1, transport)
    with simp.client.SIMP_PROG.SIMP_VERSION.connect(
        "127.0.0.1", port=port, transport=transport, timeout=5.0, auth=AuthSys(gids=[1, 2])
    ) as c:
        assert c.ADD(simp.types.operands(x=40, y=2)) == 42
        c.null()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_add_and_sub_agree_with_c_for_any_operands(simp, c_simp_server, transport):
    with simp.client.SIMP_PROG.SIMP_VERSION.connect("127.0.0.1", transport=transport) as c:

        @settings(max_examples=100, deadline=None)
        @given(x=HALF, y=HALF)
        def check(x: int, y: int) -> None:
            ops = simp.types.operands(x=x, y=y)
            assert (c.ADD(ops), c.SUB(ops)) == (x + y, x - y)

        check()


class _Simp:
    """The Python server of simp.x (made a subclass of the generated base below)."""

    def ADD(self, arg):
        return arg.x + arg.y

    def SUB(self, arg):
        return arg.x - arg.y


def test_c_client_calls_python_server_registered_with_rpcbind(simp, rpcbind, rpcgen_build):
    client = rpcgen_build(SIMP_X, "simp_client", [SIMP_DIR / "simp_client.c"], role="client")
    impl = type("Simp", (_Simp, simp.server.SIMP_PROG.SIMP_VERSION), {})()
    with python_server(impl) as server:
        listed = registrations()
        assert listed.get((SIMP_PROG, 1, "tcp")) == server.port
        assert listed.get((SIMP_PROG, 1, "udp")) == server.port
        for transport in TRANSPORTS:
            out = subprocess.run(
                [str(client), rpcbind, transport], capture_output=True, text=True, timeout=30
            )
            assert out.returncode == 0, out.stdout + out.stderr
            assert out.stdout.splitlines() == ["ADD(3, 4) = 7", "SUB(3, 4) = -1"]
    assert wait_unregistered(SIMP_PROG), "the Python server is still registered after shutdown"
    assert not any(prog == SIMP_PROG for prog, _, _ in registrations())


def test_rpcinfo_lists_the_python_server(simp, rpcbind):
    """What an administrator sees: `rpcinfo -p` and `rpcinfo -t/-u` (a NULL call)."""
    impl = type("Simp", (_Simp, simp.server.SIMP_PROG.SIMP_VERSION), {})()
    with python_server(impl) as server:
        table = subprocess.run(
            ["rpcinfo", "-p", rpcbind], capture_output=True, text=True, check=True
        ).stdout
        assert f"{SIMP_PROG}    1   tcp  {server.port:5d}" in table
        assert f"{SIMP_PROG}    1   udp  {server.port:5d}" in table
        for flag in ("-t", "-u"):
            ping = subprocess.run(
                ["rpcinfo", flag, rpcbind, str(SIMP_PROG), "1"],
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert ping.returncode == 0 and "ready and waiting" in ping.stdout, ping
    assert wait_unregistered(SIMP_PROG)


def test_python_server_replaces_a_stale_registration_left_by_a_c_server(
    simp, rpcbind, rpcgen_build
):
    """rpcgen servers never unregister; the runtime's registration (rpcbind v4 over
    its Unix socket, as root) replaces what a crashed one left behind."""
    exe = rpcgen_build(SIMP_X, "simp_server", [SIMP_DIR / "simp_server.c"], role="server")
    with c_server([str(exe)], SIMP_PROG, versions=(1,)) as dead:
        dead.proc.kill()  # killed like a crashed daemon: its registration stays behind
        dead.proc.wait()
        assert (SIMP_PROG, 1, "tcp") in registrations()
        impl = type("Simp", (_Simp, simp.server.SIMP_PROG.SIMP_VERSION), {})()
        with python_server(impl) as server:
            assert registrations().get((SIMP_PROG, 1, "tcp")) == server.port
            with simp.client.SIMP_PROG.SIMP_VERSION.connect(rpcbind) as c:
                assert c.ADD(simp.types.operands(x=1, y=2)) == 3
