"""Rewrite the C-header goldens: tests/golden/cheader/<case>/expected/.

Each case is one header through one back-end, with the options in ``CASES``.
Our own test header is compiled from its folder with ``-I .``, so the
generated files name it ``<ctest.h>`` and no absolute path of this machine
reaches a golden. `make regen` runs this (through scripts/regen.py); review
the result with `git diff` before committing it.

    .venv/bin/python scripts/regen_cheader.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from idlgen import driver
from idlgen.pipeline import COptions, PreprocessOptions
from idlgen.render import write_files

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "cheader"
CLIB = ROOT / "tests" / "cheader" / "clib"

#: case → (header, folder to compile from, options)
CASES: dict[str, tuple[Path, Path, driver.Options]] = {
    "cstdio": (
        Path("/usr/include/stdio.h"),
        ROOT,
        driver.Options(
            backend="cffi-abi",
            name="cstdio",
            c=COptions(libraries=["c"], symbols="fopen|fputs|fgets|fclose"),
        ),
    ),
    "ctest_cffi": (
        Path("ctest.h"),
        CLIB,
        driver.Options(
            backend="cffi",
            name="ctest_cffi",
            preprocess=PreprocessOptions(include_dirs=["."]),
            c=COptions(libraries=["ctest"]),
        ),
    ),
    "ctest_cython": (
        Path("ctest.h"),
        CLIB,
        driver.Options(
            backend="cython",
            name="ctest_cython",
            preprocess=PreprocessOptions(include_dirs=["."]),
            c=COptions(libraries=["ctest"]),
        ),
    ),
}


def generate(case: str) -> dict[str, str]:
    """The files idlgen generates for one case (compiled from the case's folder)."""
    header, folder, options = CASES[case]
    before = Path.cwd()
    os.chdir(folder)
    try:
        return driver.compile_file(header, options).files
    finally:
        os.chdir(before)


def main() -> int:
    for case in sorted(CASES):
        expected = GOLDEN / case / "expected"
        if expected.exists():
            shutil.rmtree(expected)
        write_files(generate(case), expected)
        print(f"regenerated {expected.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
