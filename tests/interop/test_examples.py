"""Examples are tests: each runnable example runs here as the README runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"


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
    assert "demo passed" in out.stdout


def test_libc_fputs():
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "libc_fputs" / "run.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "hello.txt: 'hello from C\\n'" in out.stdout
