"""Every bad input gets ``file:line:col: error: ...`` with the source line and a
caret, exit status 1, and never a traceback.

The expected diagnostics live in the bad inputs themselves, as ``// E: message``
comments on the offending line (mypy's style); included files count too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "diagnostics"
CASES = sorted(p for p in HERE.glob("*.x"))
_EXPECT = re.compile(r"//\s*E:\s*(.*?)\s*$")
_REPORTED = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*?) \[[\w-]+\]$"
)


def expected(files: list[Path]) -> set[tuple[str, int, str]]:
    found = set()
    for f in files:
        for n, line in enumerate(f.read_text().splitlines(), 1):
            m = _EXPECT.search(line)
            if m:
                found.add((f.name, n, m.group(1)))
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
    assert proc.returncode == 1, proc.stderr
    reported = set()
    lines = proc.stderr.splitlines()
    for i, text in enumerate(lines):
        m = _REPORTED.match(text)
        if not m:
            continue
        reported.add((Path(m["file"]).name, int(m["line"]), m["msg"]))
        # The source line and a caret under the reported column follow.
        source_line, caret = lines[i + 1], lines[i + 2]
        col = int(m["col"])
        assert caret.strip().startswith("^"), proc.stderr
        assert caret.index("^") - 4 == len(source_line[4:][: col - 1].expandtabs(8)), text
    files = [case, *(HERE / name for name, _, _ in reported if name != case.name)]
    want = expected(files)
    got = {(f, n, msg) for f, n, msg in reported}
    # An expectation names a message prefix: cpp's own messages carry more words.
    matched = {w for w in want if any(g[:2] == w[:2] and w[2] in g[2] for g in got)}
    assert matched == want, f"missing: {want - matched}\nstderr:\n{proc.stderr}"
    assert len(got) == len(want), f"unexpected: {got}\nstderr:\n{proc.stderr}"


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
