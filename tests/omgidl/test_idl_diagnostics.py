"""Bad IDL gets ``file:line:col: error: ...`` with the source line and a caret,
exit status 1, and never a traceback.

The expected diagnostics live in the bad inputs themselves, as ``// E: message``
comments on the offending line (``// W: message`` for warnings); an
expectation names a prefix of the message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from diagnostics_support import assert_matches, expected, reported, run_check

HERE = Path(__file__).parent / "diagnostics"
CASES = sorted(HERE.glob("*.idl"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_diagnostics_match_the_comments(case: Path):
    proc = run_check(case)
    got = reported(proc, warnings=True)
    want = expected([case], warnings=True)
    errors = any(sev == "error" for _, _, sev, _ in want)
    assert proc.returncode == (1 if errors else 0), proc.stderr
    assert {name for name, _, _, _ in got} <= {case.name}, proc.stderr
    assert_matches(want, got, proc.stderr)
