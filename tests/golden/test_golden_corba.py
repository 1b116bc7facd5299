"""Golden files of the CORBA back-end (`make regen` rewrites them), and each case
imported from the committed files and exercised in a fresh interpreter
(tests/golden/corba_exercise.py): values through CDR both byte orders, and
calls through the runtime's ORB to a servant in the same process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from idlgen import driver

ROOT = Path(__file__).parent / "corba"
CASES = sorted(p for p in ROOT.iterdir() if p.is_dir())
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from regen import golden_source  # noqa: E402


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_output_matches_golden(case: Path):
    files = driver.compile_file(golden_source(case, ".idl"), driver.Options()).files
    expected_dir = case / "expected"
    committed = {
        p.relative_to(expected_dir).as_posix(): p.read_text() for p in expected_dir.rglob("*.py")
    }
    assert sorted(files) == sorted(committed), "run `make regen` and review the diff"
    for rel, text in files.items():
        assert committed[rel] == text, f"{rel} differs from its golden: run `make regen`"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden_output_is_black_formatted(case: Path):
    import black

    mode = black.Mode(target_versions={black.TargetVersion.PY310})
    for path in sorted((case / "expected").rglob("*.py")):
        text = path.read_text()
        assert black.format_str(text, mode=mode) == text, f"{path.name} is not black's layout"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden_case_imports_and_runs(case: Path):
    exercise = Path(__file__).parent / "corba_exercise.py"
    proc = subprocess.run(
        [sys.executable, str(exercise), case.name, str(case / "expected")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{case.name}: ok" in proc.stdout


def test_golden_output_is_mypy_strict_clean():
    """Generated stubs and skeletons type-check (the runtime's own findings are not counted)."""
    root = Path(__file__).resolve().parents[2]
    files = [str(p) for case in CASES for p in sorted((case / "expected").glob("*.py"))]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
         "--follow-imports=silent", *files],
        capture_output=True, text=True, timeout=300, cwd=root,
        env={"MYPYPATH": str(root / "runtime"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    ours = [line for line in proc.stdout.splitlines() if "tests/golden/corba" in line]
    assert not ours, "\n".join(ours)
    assert "error: Cannot find" not in proc.stdout, proc.stdout[-2000:]
