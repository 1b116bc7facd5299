"""Build helpers for the C-header tests: generate bindings into a temporary
folder, optionally --build them, and import the package from there."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from peers import need

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


@pytest.fixture(scope="session")
def bind(tmp_path_factory):
    """``bind(header, backend, name, *flags)`` → the imported package (built when compiled)."""
    need(shutil.which("gcc") is not None, "gcc is needed for the C-header tests (make deps)")
    cache: dict[tuple[str, ...], object] = {}

    def run(header: str, backend: str, name: str, *flags: str):
        key = (header, backend, name, *flags)
        if key not in cache:
            need(
                Path(header).exists(), f"{header} is missing (make deps installs the -dev packages)"
            )
            out = tmp_path_factory.mktemp(name)
            build = ("--build",) if backend != "cffi-abi" else ()
            proc = idlgen(
                "-q", "-b", backend, header, "--name", name, "-o", str(out), *flags, *build, cwd=out
            )
            assert proc.returncode == 0, proc.stderr
            cache[key] = load(out, name)
        return cache[key]

    return run


@pytest.fixture(scope="session")
def libctest(tmp_path_factory) -> Path:
    """Our own C test library, compiled with gcc: the folder holding libctest.so."""
    need(shutil.which("gcc") is not None, "gcc is needed (make deps)")
    out = tmp_path_factory.mktemp("libctest")
    subprocess.run(
        [
            "gcc",
            "-shared",
            "-fPIC",
            "-O2",
            "-Wall",
            "-Werror",
            "-o",
            str(out / "libctest.so"),
            str(CLIB / "ctest.c"),
        ],
        check=True,
    )
    return out
