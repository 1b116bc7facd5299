"""Every bad input gets ``file:line:col: error: ...`` with the source line and a
caret, exit status 1, and never a traceback.

The expected diagnostics live in the bad inputs themselves, as ``// E: message``
comments on the offending line (mypy's style); included files count too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from diagnostics_support import assert_matches, expected, reported, run_check

HERE = Path(__file__).parent / "diagnostics"
CASES = sorted(p for p in HERE.glob("*.x"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_diagnostics_match_the_comments(case: Path):
    proc = run_check(case)
    got = reported(proc)
    assert proc.returncode == 1, proc.stderr
    files = [case, *(HERE / name for name, _, _, _ in got if name != case.name)]
    assert_matches(expected(files), got, proc.stderr, prefix=False)


def test_good_input_checks_clean(tmp_path: Path):
    good = tmp_path / "good.x"
    good.write_text("struct p { int x; };\n")
    proc = run_check(good)
    assert proc.returncode == 0 and proc.stderr == ""


def test_usage_errors_exit_2(tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "idlgen", str(tmp_path / "nope.x")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "cannot read" in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "idlgen", "--no-such-flag"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
