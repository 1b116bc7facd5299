"""examples/calculator/run_demo.py (the SOAP part of `make demo`) runs and says so:
generated client -> generated server over SOAP 1.1, 1.2 and asyncio, then zeep -> it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[3] / "examples" / "calculator" / "run_demo.py"


def test_calculator_demo_runs():
    done = subprocess.run(
        [sys.executable, str(DEMO)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for step in ("(SOAP 1.1)", "(SOAP 1.2)", "asyncio", "zeep -> generated server", "AddFault: "):
        assert step in done.stdout
