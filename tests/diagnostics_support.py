"""The `// E: message` mechanism (mypy's style) shared by every language's diagnostics
tests: expectations written on the offending lines of bad inputs, compared with what
``idlgen --check`` reports, each report followed by its source line and a caret."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

_EXPECT = re.compile(r"//\s*(?P<sev>[EW]):\s*(?P<msg>.*?)\s*$")
_REPORTED = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*?)"
    r" \[[\w-]+\]$"
)

#: (file name, line, "error" or "warning", message)
Diag = tuple[str, int, str, str]


def expected(files: list[Path], warnings: bool = False) -> set[Diag]:
    """The ``// E:`` (and, with ``warnings``, ``// W:``) comments of ``files``."""
    found = set()
    for f in files:
        for n, line in enumerate(f.read_text().splitlines(), 1):
            m = _EXPECT.search(line)
            if m and (m["sev"] == "E" or warnings):
                found.add((f.name, n, "error" if m["sev"] == "E" else "warning", m["msg"]))
    return found


def run_check(path: Path) -> subprocess.CompletedProcess[str]:
    """``idlgen --check`` of ``path``, from its folder."""
    return subprocess.run(
        [sys.executable, "-m", "idlgen", "--check", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )


def reported(proc: subprocess.CompletedProcess[str], warnings: bool = False) -> set[Diag]:
    """What the command reported; asserts no traceback and a caret under each column."""
    assert "Traceback" not in proc.stderr, proc.stderr
    got = set()
    lines = proc.stderr.splitlines()
    for i, text in enumerate(lines):
        m = _REPORTED.match(text)
        if not m or (m["sev"] == "warning" and not warnings):
            continue
        got.add((Path(m["file"]).name, int(m["line"]), m["sev"], m["msg"]))
        source_line, caret = lines[i + 1], lines[i + 2]
        col = int(m["col"])
        assert caret.strip().startswith("^"), proc.stderr
        assert caret.index("^") - 4 == len(source_line[4:][: col - 1].expandtabs(8)), text
    return got


def assert_matches(want: set[Diag], got: set[Diag], stderr: str, *, prefix: bool = True) -> None:
    """Every expectation met, and no other report.

    An expectation names a prefix of the message, or with ``prefix=False`` any
    part of it (the preprocessor's own messages carry words before and after).
    """

    def meets(g: Diag, w: Diag) -> bool:
        return g[:3] == w[:3] and (g[3].startswith(w[3]) if prefix else w[3] in g[3])

    matched = {w for w in want if any(meets(g, w) for g in got)}
    assert matched == want, f"missing: {want - matched}\nstderr:\n{stderr}"
    assert len(got) == len(want), f"unexpected: {got}\nstderr:\n{stderr}"
