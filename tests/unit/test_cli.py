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


SIMP = Path(__file__).resolve().parents[2] / "examples" / "simp" / "simp.x"


def _one_clear_line(proc: subprocess.CompletedProcess[str], status: int, *words: str) -> str:
    """The command failed with ``status``, saying so in one line with ``words``, no traceback."""
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("idlgen: error: "), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_a_back_end_that_does_not_take_the_input_is_a_usage_error(tmp_path: Path):
    (tmp_path / "zlibish.h").write_text("int crc(int);\n")
    (tmp_path / "simp.x").write_text(SIMP.read_text())
    _one_clear_line(
        idlgen("-b", "cffi", "simp.x", cwd=tmp_path),
        2,
        "back-end 'cffi' does not take .x files (these do: xdr-python)",
    )
    _one_clear_line(
        idlgen("-b", "xdr-python", "zlibish.h", cwd=tmp_path),
        2,
        "back-end 'xdr-python' does not take .h files (these do: cffi, cffi-abi, cython)",
    )
    _one_clear_line(idlgen("-b", "nope", "simp.x", cwd=tmp_path), 2, "unknown back-end 'nope'")
    (tmp_path / "a.corba").write_text("module M {};\n")
    _one_clear_line(idlgen("a.corba", cwd=tmp_path), 2, "unknown input kind '.corba'")


def test_usage_errors_are_found_before_anything_is_parsed_or_written(tmp_path: Path):
    (tmp_path / "simp.x").write_text(SIMP.read_text())
    (tmp_path / "broken.x").write_text("struct {{{\n")
    # the second input's problem stops the first from being compiled at all
    _one_clear_line(idlgen("simp.x", "missing.x", "-o", "out", cwd=tmp_path), 2, "missing.x")
    _one_clear_line(idlgen("-b", "cffi", "broken.x", cwd=tmp_path), 2, "does not take .x")
    assert not (tmp_path / "out").exists()


def test_inputs_that_cannot_be_read_say_why(tmp_path: Path):
    _one_clear_line(
        idlgen("nfs_prot.x", cwd=tmp_path), 2, "cannot read 'nfs_prot.x': no such file or directory"
    )
    (tmp_path / "folder.x").mkdir()
    _one_clear_line(idlgen("folder.x", cwd=tmp_path), 2, "cannot read 'folder.x': is a directory")


def test_output_folders_that_cannot_take_files_say_why(tmp_path: Path):
    (tmp_path / "simp.x").write_text(SIMP.read_text())
    (tmp_path / "a_file").write_text("")
    _one_clear_line(
        idlgen("simp.x", "-o", "a_file", cwd=tmp_path),
        2,
        "cannot write under 'a_file': it is not a folder",
    )
    _one_clear_line(
        idlgen("simp.x", "-o", "a_file/sub", cwd=tmp_path),
        2,
        "cannot write under 'a_file/sub': 'a_file' is not a writable folder",
    )
    if Path("/proc/self").exists():  # a folder where no folder can be made, even by root
        _one_clear_line(
            idlgen("simp.x", "-o", "/proc/nope/", cwd=tmp_path),
            2,
            "cannot write under '/proc/nope': cannot make '/proc/nope'",
        )
    ok = idlgen("-q", "simp.x", "-o", "new/deeper", cwd=tmp_path)
    assert ok.returncode == 0 and (tmp_path / "new" / "deeper" / "simp" / "types.py").exists()


def test_help_lists_the_back_ends_by_name(tmp_path: Path):
    proc = idlgen("--help", cwd=tmp_path)
    assert proc.returncode == 0
    listed = proc.stdout.split("back-ends (-b):", 1)[1]
    for name in ("xdr-python", "cffi", "cffi-abi", "cython"):
        assert f"\n  {name} " in listed
