"""Build helpers for the C-header tests: generate bindings into a temporary
folder, optionally --build them, and import the package from there."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cbind_support import CLIB, idlgen, load
from peers import need


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
            "-Wl,-soname,libctest.so",  # found by name too (LD_LIBRARY_PATH, preloading)
            "-o",
            str(out / "libctest.so"),
            str(CLIB / "ctest.c"),
        ],
        check=True,
    )
    return out
