"""Generated binding modules are deterministic and exactly what black makes of them."""

from __future__ import annotations

from pathlib import Path

import black
import pytest
from cbind_support import CLIB
from idlgen import driver

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
