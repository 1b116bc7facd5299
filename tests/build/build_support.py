"""Helpers of the build-integration tests: running commands, fresh venvs, the example."""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "build-consumer"


def run(
    args: list[str], cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``args``; a failure shows its output."""
    out = subprocess.run(
        args, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    assert out.returncode == 0, f"{' '.join(args)}\n{out.stdout}\n{out.stderr}"
    return out


def make_venv(path: Path) -> Path:
    """A fresh virtual environment (with pip); its python."""
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin" / "python"


def copy_example(dest: Path) -> Path:
    """The example consumer project, as its own checkout would be."""
    shutil.copytree(
        EXAMPLE, dest, ignore=shutil.ignore_patterns("dist", "build", "__pycache__", "*.egg-info")
    )
    return dest
