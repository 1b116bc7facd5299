"""`idlgen FILE --depfile out.d` lists every file the compilation read, in Make syntax,
and make rebuilds only when one of them changes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from idlgen.project import depfile


def idlgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idlgen", *args], cwd=cwd, capture_output=True, text=True
    )


def test_xdr_includes_are_listed(tmp_path: Path):
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "limits.x").write_text("const N = 3;\n")
    (tmp_path / "inc" / "more.x").write_text('#include "limits.x"\nconst M = N;\n')
    (tmp_path / "a.x").write_text('#include "more.x"\nstruct s { int v<M>; };\n')
    out = idlgen("-q", "-I", "inc", "a.x", "-o", "gen", "--depfile", "gen/a.d", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "gen" / "a.d").read_text()
    head, _, rest = text.partition(":")
    assert head.split() == [f"gen/a/{m}.py" for m in ("__init__", "codecs", "const", "types")]
    deps = rest.split("\n\n")[0].replace("\\\n", " ").split()
    assert deps == ["a.x", "inc/limits.x", "inc/more.x"]
    assert "\ninc/limits.x:\n" in text  # an empty rule per header, as gcc -MP

    mtime = (tmp_path / "gen" / "a.d").stat().st_mtime_ns
    assert idlgen("-q", "-I", "inc", "a.x", "-o", "gen", "--depfile", "gen/a.d", cwd=tmp_path)
    assert (tmp_path / "gen" / "a.d").stat().st_mtime_ns == mtime  # same text: not rewritten


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_rebuilds_only_what_changed(tmp_path: Path):
    (tmp_path / "limits.x").write_text("const N = 3;\n")
    (tmp_path / "a.x").write_text('#include "limits.x"\nconst A = N;\n')
    (tmp_path / "b.x").write_text("const B = 2;\n")
    (tmp_path / "Makefile").write_text(
        "all: gen/a/const.py gen/b/const.py\n"
        "gen/%/const.py: %.x\n"
        f"\t{sys.executable} -m idlgen -q $< -o gen --depfile gen/$*.d\n"
        "-include gen/a.d gen/b.d\n"
    )

    def make() -> str:
        out = subprocess.run(["make"], cwd=tmp_path, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout

    assert make().count("-m idlgen") == 2
    assert "-m idlgen" not in make()  # nothing changed
    import os
    import time

    later = time.time() + 5
    os.utime(tmp_path / "limits.x", (later, later))  # a header of a.x only
    ran = make()
    assert "a.x" in ran and "b.x" not in ran


def test_c_headers_list_every_header_read(tmp_path: Path):
    (tmp_path / "inner.h").write_text("typedef int inner_t;\n")
    (tmp_path / "api.h").write_text('#include "inner.h"\ninner_t api_get(void);\n')
    out = idlgen(
        "-q",
        "-b",
        "cffi-abi",
        "api.h",
        "--include",
        "stdio.h",
        "-o",
        "gen",
        "--depfile",
        "api.d",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "api.d").read_text()
    head, _, rest = text.partition(": ")
    assert head == "gen/api_c/__init__.py gen/api_c/__init__.pyi"
    deps = rest.split("\n\n")[0].replace("\\\n", " ").split()
    assert deps[0] == "api.h" and "inner.h" in deps
    assert "/usr/include/stdio.h" in deps  # the pre-included header, and what it includes
    assert any(d.endswith("/bits/types.h") for d in deps)


def test_paths_are_escaped_for_make():
    assert depfile.escape("my dir/a$b#c.x") == "my\\ dir/a$$b\\#c.x"
    assert depfile.render(["o 1.py"], ["in.x"]) == "o\\ 1.py: \\\n  in.x\n"
