"""The SOAP back-end's goldens: tests/golden/soap/<case>/expected/ from each case's SOURCE.

Run by `make regen` (scripts/regen.py); review the result with `git diff`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from idlgen import driver
from idlgen.render import write_files

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_SOAP = ROOT / "tests" / "golden" / "soap"


def source_of(case: Path) -> Path:
    """The input of one case: the path in its SOURCE file, relative to the case."""
    return (case / (case / "SOURCE").read_text().strip()).resolve()


def main() -> int:
    for case in sorted(p for p in GOLDEN_SOAP.iterdir() if (p / "SOURCE").exists()):
        out = case / "expected"
        if out.exists():
            shutil.rmtree(out)
        write_files(driver.compile_file(source_of(case), driver.Options()).files, out)
        print(f"regenerated {case.relative_to(ROOT)}/expected")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
