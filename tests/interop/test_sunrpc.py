"""Sun RPC against the real thing: C programs from rpcgen + libtirpc, and
Debian's rpcbind, on 127.0.0.1.

* the generated Python client calls C servers found through rpcbind (TCP, UDP);
* C clients call generated Python servers registered with rpcbind;
* every type of echo.x crosses the wire both ways and compares equal;
* the generated encoder writes the bytes libtirpc writes for the same value.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
from idlgen_runtime.oncrpc import RpcServer
from peers import Process
from xdr_support import Samples, compile_package

pytestmark = pytest.mark.interop
HERE = Path(__file__).parent
SIMP_DIR = HERE.parents[1] / "examples" / "simp"
ECHO_PROG = 0x20000777


@pytest.fixture(scope="module")
def simp(tmp_path_factory):
    return compile_package(SIMP_DIR / "simp.x", tmp_path_factory.mktemp("simp"))[0]


@pytest.fixture(scope="module")
def echo(tmp_path_factory):
    pkg, _, ctx = compile_package(HERE / "echo.x", tmp_path_factory.mktemp("echo"))
    return pkg, ctx


@pytest.fixture
def c_simp_server(rpcbind, rpcgen_build):
    exe = rpcgen_build(
        SIMP_DIR / "simp.x", "simp_server", [SIMP_DIR / "simp_server.c"], role="server"
    )
    peer = Process([str(exe)], prog=555555555, versions=(1,))
    try:
        peer.wait_registered()
        yield peer
    finally:
        peer.stop()


@pytest.fixture
def c_echo_server(rpcbind, rpcgen_build):
    exe = rpcgen_build(HERE / "echo.x", "echo_server", [HERE / "echo_server.c"], role="server")
    peer = Process([str(exe)], prog=ECHO_PROG, versions=(1,))
    try:
        peer.wait_registered()
        yield peer
    finally:
        peer.stop()


def _serve(impl):
    server = RpcServer([impl], register=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def _rpcinfo() -> str:
    return subprocess.run(["rpcinfo", "-p", "127.0.0.1"], capture_output=True, text=True).stdout


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_python_client_calls_c_server_through_rpcbind(simp, c_simp_server, rpcbind, transport):
    with simp.client.SIMP_PROG.SIMP_VERSION.connect(rpcbind, transport=transport) as c:
        assert c.ADD(simp.types.operands(x=3, y=4)) == 7
        assert c.SUB(simp.types.operands(x=3, y=4)) == -1
        assert c.ADD(simp.types.operands(x=2**31 - 1, y=0)) == 2**31 - 1


def test_c_client_calls_python_server_through_rpcbind(simp, rpcbind, rpcgen_build):
    class Simp(simp.server.SIMP_PROG.SIMP_VERSION):
        def ADD(self, arg):
            return arg.x + arg.y

        def SUB(self, arg):
            return arg.x - arg.y

    client = rpcgen_build(
        SIMP_DIR / "simp.x", "simp_client", [SIMP_DIR / "simp_client.c"], role="client"
    )
    server, thread = _serve(Simp())
    try:
        assert f"555555555    1   tcp  {server.port:5d}" in _rpcinfo()
        for transport in ("tcp", "udp"):
            out = subprocess.run(
                [str(client), rpcbind, transport], capture_output=True, text=True, timeout=30
            )
            assert out.returncode == 0, out
            assert "ADD(3, 4) = 7" in out.stdout and "SUB(3, 4) = -1" in out.stdout
    finally:
        server.shutdown()
        thread.join(5)
    assert "555555555" not in _rpcinfo()


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_every_type_round_trips_through_the_c_echo_server(echo, c_echo_server, rpcbind, transport):
    pkg, ctx = echo
    with pkg.client.ECHO_PROG.ECHO_V1.connect(rpcbind, transport=transport) as c:
        assert c.ADD3(1, 20, 300) == 321
        assert c.NOTHING() is None
        assert c.MOVE(pkg.types.point(1, 2), 10, 20) == pkg.types.point(11, 22)
        assert c.GREET("bob") == "hi bob"
        for seed in range(25):
            samples = Samples(pkg.types, ctx, seed=seed)
            value = samples.of_decl("everything")
            assert c.ECHO(value) == value
            chain = samples.of_decl("nodelist")
            assert c.WALK(chain) == chain


def test_c_client_checks_the_python_echo_server(echo, rpcbind, rpcgen_build):
    pkg, _ = echo

    class Echo(pkg.server.ECHO_PROG.ECHO_V1):
        def ECHO(self, arg):
            return arg

        def ADD3(self, a, b, c):
            return a + b + c

        def NOTHING(self):
            return None

        def MOVE(self, p, dx, dy):
            return pkg.types.point(p.x + dx, p.y + dy)

        def WALK(self, chain):
            return chain

        def GREET(self, who):
            return f"hi {who}"

    client = rpcgen_build(HERE / "echo.x", "echo_client", [HERE / "echo_client.c"], role="client")
    server, thread = _serve(Echo())
    try:
        for transport in ("tcp", "udp"):
            out = subprocess.run(
                [str(client), rpcbind, transport], capture_output=True, text=True, timeout=30
            )
            assert out.returncode == 0 and "all checks passed" in out.stdout, (
                out.stdout + out.stderr
            )
    finally:
        server.shutdown()
        thread.join(5)


def test_generated_bytes_equal_libtirpc_bytes(echo, rpcgen_build):
    pkg, ctx = echo
    exe = rpcgen_build(HERE / "echo.x", "xdr_roundtrip", [HERE / "xdr_roundtrip.c"], role="client")
    for seed in range(40):
        data = Samples(pkg.types, ctx, seed=seed).of_decl("everything").to_xdr()
        out = subprocess.run([str(exe)], input=data, capture_output=True, timeout=30)
        assert out.returncode == 0, out.stderr
        assert out.stdout == data
