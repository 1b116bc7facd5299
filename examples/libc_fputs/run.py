"""The classic example: fopen/fputs/fclose from <stdio.h>, via one idlgen command."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        gen = Path(tmp) / "gen"
        subprocess.run(
            [sys.executable, "-m", "idlgen", "-q", "-b", "cffi-abi", "/usr/include/stdio.h",
             "-l", "c", "--symbols", "fopen|fputs|fclose", "--name", "cstdio", "-o", str(gen)],
            check=True,
        )  # fmt: skip
        sys.path.insert(0, str(gen))
        import cstdio

        target = Path(tmp) / "hello.txt"
        f = cstdio.fopen(str(target), "w")
        cstdio.fputs("hello from C\n", f)
        cstdio.fclose(f)

        text = target.read_text()
        print(f"{target.name}: {text!r}")
        return 0 if text == "hello from C\n" else 1


if __name__ == "__main__":
    raise SystemExit(main())
