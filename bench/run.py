"""`make bench`: every benchmark, side by side in one run, as ratio tables.

Each benchmark is a script that prints its own table; this runs them in turn
(so the reference tools and idlgen are measured on the same machine state) and
says which could not run. Figures and how to read them: docs/performance.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    HERE / "bench_codecs.py",
    HERE / "bench_rpc.py",
    HERE / "bench_compile.py",
    HERE / "cheader" / "bench_calls.py",
    HERE / "corba" / "bench_calls.py",
    HERE / "corba" / "bench_cdr.py",
    HERE / "soap" / "bench_codec.py",
    HERE / "soap" / "bench_compile.py",
    HERE / "soap" / "bench_calls.py",
]


def main() -> int:
    failed = []
    for script in BENCHMARKS:
        if not script.exists():
            print(f"(not yet written: {script.relative_to(HERE.parent)})\n")
            continue
        print(f"== {script.relative_to(HERE.parent)}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode:
            failed.append(script.name)
        print(flush=True)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
