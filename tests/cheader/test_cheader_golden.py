"""Golden files of the C back-ends (tests/golden/cheader/, rewritten by
scripts/regen_cheader.py): the output must match them exactly, and each
committed package is built and used, so a golden is never dead text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import black
import pytest
from cbind_support import CLIB, load

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "cheader"
sys.path.insert(0, str(ROOT / "scripts"))
from regen_cheader import CASES, generate  # noqa: E402


@pytest.mark.parametrize("case", sorted(CASES))
def test_output_matches_golden(case: str):
    expected = GOLDEN / case / "expected"
    committed = {
        p.relative_to(expected).as_posix(): p.read_text()
        for p in expected.rglob("*")
        if p.is_file()
    }
    files = generate(case)
    assert sorted(files) == sorted(committed), "run scripts/regen_cheader.py and review the diff"
    for rel, text in files.items():
        assert committed[rel] == text, f"{rel} differs: run scripts/regen_cheader.py"
        if rel.endswith((".py", ".pyi")):
            mode = black.Mode(target_versions={black.TargetVersion.PY310}, is_pyi=rel.endswith("i"))
            assert black.format_str(text, mode=mode) == text, f"{rel} is not black-formatted"


def test_golden_cstdio_writes_and_reads_back(tmp_path: Path):
    cstdio = load(GOLDEN / "cstdio" / "expected", "cstdio")
    target = str(tmp_path / "out.txt").encode()
    f = cstdio.fopen(target, b"w")
    assert cstdio.fputs(b"first line\nsecond\n", f) >= 0
    assert cstdio.fclose(f) == 0
    f = cstdio.fopen(target, b"r")
    line = cstdio.ffi.new("char[]", 64)
    assert cstdio.fgets(line, 64, f) == line
    assert cstdio.ffi.string(line) == b"first line\n"
    cstdio.fclose(f)


USE_CTEST = """
import sys
ct = __import__(sys.argv[1])
assert ct.ct_mix(1, 2, 3, 4) == 10
assert ct.ct_is_large(ct.ct_size.CT_LARGE) is True
assert ct.CT_VERSION == "1.0" and ct.CT_NEG == -16
assert ct.ct_color_name(ct.ct_color.CT_GREEN) == "green"  # const char *: str on both
assert ct.CT_GREEN is ct.ct_color.CT_GREEN and ct.CT_SMALL == -1  # enumerators, as in C
if hasattr(ct, "ffi"):  # cffi: structs by value too
    p = ct.ct_add(ct.ffi.new("ct_point *", [1, 2])[0], ct.ffi.new("ct_point *", [3, 4])[0])
    assert (p.x, p.y) == (4, 6)
print("ok")
"""


@pytest.mark.parametrize("case", ["ctest_cffi", "ctest_cython"])
def test_golden_ctest_builds_and_runs(case: str, libctest: Path, tmp_path: Path):
    """The committed package, as a package's build would use it: run its _build.py."""
    shutil.copytree(GOLDEN / case / "expected" / case, tmp_path / case)
    shutil.copy(CLIB / "ctest.h", tmp_path)  # the golden names it <ctest.h> with -I .
    env = {**os.environ, "LIBRARY_PATH": str(libctest), "LD_LIBRARY_PATH": str(libctest)}
    build = subprocess.run(
        [sys.executable, f"{case}/_build.py"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert build.returncode == 0, build.stdout + build.stderr
    use = subprocess.run(
        [sys.executable, "-c", USE_CTEST, case],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert use.stdout.strip() == "ok", use.stdout + use.stderr
