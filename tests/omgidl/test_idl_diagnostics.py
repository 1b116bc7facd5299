"""Bad IDL gets ``file:line:col: error: ...`` with the source line and a caret,
exit status 1, and never a traceback.

The expected diagnostics live in the bad inputs themselves, as ``// E: message``
comments on the offending line (``// W: message`` for warnings); an
expectation names a prefix of the message.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "diagnostics"
CASES = sorted(HERE.glob("*.idl"))
_EXPECT = re.compile(r"//\s*(?P<sev>[EW]):\s*(?P<msg>.*?)\s*$")
_REPORTED = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*?)"
    r" \[[\w-]+\]$"
)


def expected(path: Path) -> set[tuple[int, str, str]]:
    found = set()
    for n, line in enumerate(path.read_text().splitlines(), 1):
        m = _EXPECT.search(line)
        if m:
            found.add((n, "error" if m["sev"] == "E" else "warning", m["msg"]))
    return found


def run_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idlgen", "--check", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_diagnostics_match_the_comments(case: Path):
    proc = run_check(case)
    assert "Traceback" not in proc.stderr, proc.stderr
    want = expected(case)
    errors = any(sev == "error" for _, sev, _ in want)
    assert proc.returncode == (1 if errors else 0), proc.stderr
    got = set()
    lines = proc.stderr.splitlines()
    for i, text in enumerate(lines):
        m = _REPORTED.match(text)
        if not m:
            continue
        assert Path(m["file"]).name == case.name, text
        got.add((int(m["line"]), m["sev"], m["msg"]))
        source_line, caret = lines[i + 1], lines[i + 2]
        col = int(m["col"])
        assert caret.strip().startswith("^"), proc.stderr
        assert caret.index("^") - 4 == len(source_line[4:][: col - 1].expandtabs(8)), text
    matched = {w for w in want if any(g[:2] == w[:2] and g[2].startswith(w[2]) for g in got)}
    assert matched == want, f"missing: {want - matched}\nstderr:\n{proc.stderr}"
    assert len(got) == len(want), f"unexpected: {got}\nstderr:\n{proc.stderr}"
