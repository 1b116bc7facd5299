"""Helpers of the C-header tests: run idlgen, import a generated package fresh."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

CLIB = Path(__file__).parent / "clib"


def idlgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idlgen", *args], cwd=cwd, capture_output=True, text=True
    )


def load(out: Path, name: str):
    """Import the generated package ``name`` from ``out`` (fresh)."""
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(out))
