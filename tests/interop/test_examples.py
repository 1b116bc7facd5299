"""Examples are tests: each runnable example runs here as its README runs it,
and the C side of the RPC benchmark builds and answers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from interop_support import SIMP_PROG
from peers import c_server, need

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"


@pytest.mark.interop
def test_simp_demo(rpcbind, rpcgen_build):  # the fixtures make sure the peers can be had
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "simp" / "run_demo.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("ADD(3, 4) = 7") == 4  # two transports each way
    assert out.stdout.count("SUB(3, 4) = -1") == 4
    assert f" {SIMP_PROG}    1   tcp" in out.stdout  # rpcinfo -p listed the Python server
    assert "unregistered" in out.stdout
    assert "== demo passed" in out.stdout


@pytest.mark.interop
def test_bench_rpc_c_side_builds_and_counts(rpcbind, rpcgen_build, tmp_path):
    need(shutil.which("make") is not None, "make is not installed")
    subprocess.run(
        ["make", "-s", "-C", str(ROOT / "bench" / "rpc"), f"OUT={tmp_path}"],
        check=True,
        capture_output=True,
    )
    with c_server([str(tmp_path / "simp_server")], SIMP_PROG, versions=(1,)):
        for transport in ("tcp", "udp"):
            out = subprocess.run(
                [str(tmp_path / "add_rate"), rpcbind, transport, "200"],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert out.returncode == 0, out.stderr
            assert int(out.stdout) > 0  # a rate; its size is the benchmark's business


def test_libc_fputs():
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "libc_fputs" / "run.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "hello.txt: 'hello from C\\n'" in out.stdout
