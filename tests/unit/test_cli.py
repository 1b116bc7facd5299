"""The command line: -I and -D reach the preprocessor, output is written where asked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def idlgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idlgen", *args], cwd=cwd, capture_output=True, text=True
    )


def test_include_dirs_and_defines(tmp_path: Path):
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "limits.x").write_text("const LIMIT = 16;\n")
    (tmp_path / "proto.x").write_text(
        '#include "limits.x"\n'
        "#ifdef DEBUG\nconst LEVEL = DEBUG;\n#endif\n"
        "typedef string name<LIMIT>;\n"
    )
    out = idlgen("-I", "inc", "-D", "DEBUG=3", "proto.x", "-o", "gen", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    const = (tmp_path / "gen" / "proto" / "const.py").read_text()
    assert "LIMIT: Final = 16  # inc/limits.x:1" in const and "LEVEL: Final = 3" in const
    missing = idlgen("proto.x", "-o", "gen2", cwd=tmp_path)
    assert missing.returncode == 1 and "limits.x: No such file or directory" in missing.stderr


def test_name_option_and_version(tmp_path: Path):
    (tmp_path / "a.x").write_text("struct p { int x; };\n")
    assert idlgen("--name", "other", "a.x", "-o", "out", cwd=tmp_path).returncode == 0
    assert (tmp_path / "out" / "other" / "types.py").exists()
    assert idlgen("--version", cwd=tmp_path).stdout.startswith("idlgen ")
