"""Generated binding modules are deterministic and exactly what black makes of them."""

from __future__ import annotations

from pathlib import Path

import black
import pytest
from cbind_support import CLIB
from idlgen import driver, render

CASES = [
    (CLIB / "ctest.h", "cffi"),
    (CLIB / "ctest.h", "cffi-abi"),
    (Path("/usr/include/zlib.h"), "cffi"),
    (Path("/usr/include/sqlite3.h"), "cffi-abi"),
    (Path("/usr/include/sqlite3.h"), "cython"),
]


@pytest.mark.parametrize(("header", "backend"), CASES, ids=lambda v: getattr(v, "name", v))
def test_deterministic_and_black_stable(header: Path, backend: str):
    options = driver.Options(backend=backend)
    first = driver.compile_file(header, options).files
    assert first == driver.compile_file(header, options).files
    for path, text in first.items():
        if not path.endswith((".py", ".pyi")):
            continue  # .pyx / .pxd: Cython, not black's business
        mode = black.Mode(target_versions={black.TargetVersion.PY310}, is_pyi=path.endswith(".pyi"))
        assert black.format_str(text, mode=mode) == text, path


@pytest.mark.parametrize("backend", ["cffi", "cffi-abi", "cython"])
@pytest.mark.parametrize("header", [CLIB / "ctest.h", Path("/usr/include/sqlite3.h")], ids=str)
def test_templates_write_blacks_layout_themselves(header: Path, backend: str, monkeypatch):
    """Black is never run on C bindings: importing it alone costs ~0.1 s of every command."""

    def no_black(source: str, line_length: int = 88) -> str:
        raise AssertionError(f"black was needed for:\n{source[:500]}")

    monkeypatch.setattr(render, "_black", no_black)
    driver.compile_file(header, driver.Options(backend=backend))
