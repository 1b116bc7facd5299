"""examples/monservice runs as `make demo` runs it (a test: examples are tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[3] / "examples" / "monservice"


@pytest.mark.interop
def test_monservice_demo(cxx):  # the fixture makes sure the peers can be had
    out = subprocess.run(
        [sys.executable, str(EXAMPLE / "run_demo.py")], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("doubler_long(21) = 42") == 4  # C++ server twice, Python server twice
    assert out.stdout.count("doubler_str('coucou') = coucoucoucou") == 3
    assert "doubler_str(ab) = abab" in out.stdout  # the C++ client's line
    assert "== demo passed" in out.stdout
