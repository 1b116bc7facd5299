"""Without a C compiler, pcpp preprocesses instead of ``gcc -E -dD``: the
bindings come out byte for byte the same; without pcpp either, one error line."""

from __future__ import annotations

from pathlib import Path

import pytest
from cbind_support import CLIB
from idlgen import driver
from idlgen.diagnostics import CompileError
from idlgen.frontends.cheader import preprocess
from peers import need

HEADERS = [
    CLIB / "ctest.h",
    Path("/usr/include/stdio.h"),
    Path("/usr/include/zlib.h"),
    Path("/usr/include/sqlite3.h"),
    Path("/usr/include/bzlib.h"),
    Path("/usr/include/lzma.h"),
]


@pytest.fixture
def no_compiler(monkeypatch):
    monkeypatch.setattr(preprocess.shutil, "which", lambda name: None)


@pytest.mark.parametrize("header", HEADERS, ids=lambda p: p.name)
def test_pcpp_gives_the_same_bindings(header: Path, monkeypatch):
    try:
        import pcpp  # noqa: F401
    except ImportError:
        need(False, "pcpp is not installed (pip install pcpp)")
    need(header.exists(), f"{header} is missing (make deps)")
    options = driver.Options(backend="cffi-abi")
    with_gcc = driver.compile_file(header, options).files
    monkeypatch.setattr(preprocess.shutil, "which", lambda name: None)
    assert driver.compile_file(header, options).files == with_gcc


def test_neither_compiler_nor_pcpp_is_one_error(no_compiler, monkeypatch):
    monkeypatch.setattr(preprocess, "find_spec", lambda name: None)
    with pytest.raises(CompileError, match="no C preprocessor found: install gcc"):
        driver.compile_file(CLIB / "ctest.h", driver.Options(backend="cffi-abi"))
