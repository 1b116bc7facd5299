"""Compile time of the corpus's largest WSDLs, idlgen vs xsdata, side by side.

For e-conomic (3 MB) and workday (4 MB): wall time of ``idlgen FILE -o DIR``
and of ``xsdata generate FILE`` (each in a fresh process, in a scratch folder);
then the import of the generated e-conomic package (types, bindings, client)
vs ``zeep.Client()`` on the same WSDL (each in a fresh process). xsdata needs
``ruff`` on PATH (the venv's). Pass ``--quick`` to skip xsdata (it takes tens
of seconds per file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "wsdl"
FILES = [CORPUS / "wasabi" / "economic.wsdl", CORPUS / "wasabi" / "workday.wsdl"]
BIN = Path(sys.executable).parent


def _timed(cmd: list[str], cwd: Path) -> float | None:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # imports are measured as installed: with .pyc
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed if done.returncode == 0 else None


def _best(cmd: list[str], cwd: Path, runs: int = 3) -> float | None:
    """The best of a few runs (start-up times swing on a shared machine)."""
    times = [_timed(cmd, cwd) for _ in range(runs)]
    return None if None in times else min(t for t in times if t is not None)


def _fmt(t: float | None) -> str:
    return "failed" if t is None else f"{t:8.2f} s"


def main() -> int:
    quick = "--quick" in sys.argv
    if not all(f.exists() for f in FILES):
        print(f"corpus not found at {CORPUS}")
        return 1
    print(f"{'file':<16}{'idlgen':>12}{'xsdata':>12}{'ratio':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for wsdl in FILES:
            out = work / ("idl-" + wsdl.stem)
            ours = _timed([sys.executable, "-m", "idlgen", "-q", str(wsdl), "-o", str(out)], work)
            theirs: float | None = None
            if not quick and shutil.which("xsdata", path=str(BIN)):
                xdir = work / ("xs-" + wsdl.stem)
                xdir.mkdir()
                theirs = _timed([str(BIN / "xsdata"), "generate", str(wsdl)], xdir)
            ratio = f"{theirs / ours:7.1f}x" if ours and theirs else "     -"
            shown = "skipped" if quick else _fmt(theirs)
            print(f"{wsdl.name:<16}{_fmt(ours):>12}{shown:>12}{ratio:>9}")
        gen = work / "idl-economic"
        imp = "import economic.types, economic.bindings, economic.client"
        _timed([sys.executable, "-c", imp], gen)  # writes the .pyc files, as an install does
        ours = _best([sys.executable, "-c", imp], gen)
        zeep_code = f"import zeep; zeep.Client({str(FILES[0])!r})"
        theirs = _best([sys.executable, "-c", zeep_code], work)
        ratio = f"{theirs / ours:7.1f}x" if ours and theirs else "     -"
        print(f"\n{'load e-conomic':<16}{'import':>12}{'zeep':>12}{'ratio':>9}")
        print(f"{'':<16}{_fmt(ours):>12}{_fmt(theirs):>12}{ratio:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
