"""[tool.idlgen] is validated: every mistake is `pyproject.toml:LINE: error: ...`, exit 1,
never a traceback; aliases, defaults and D tables are read as documented."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from idlgen.cli import main
from idlgen.project.compile import units
from idlgen.project.config import ConfigError, load

KV = "const N = 4;\nstruct s { int a<N>; };\n"


def project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "interfaces").mkdir(exist_ok=True)
    (tmp_path / "interfaces" / "kv.x").write_text(KV)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1"\n\n' + textwrap.dedent(table)
    )
    return tmp_path


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["build", "--project", str(root), *args])
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        (
            '[tool.idlgen]\n\n[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\npakage = "a.b"\n',
            9,
            "unknown key 'pakage' in [[tool.idlgen.inputs]]; did you mean 'package'?",
        ),
        (
            '[[tool.idlgen.inputs]]\nfile = "interfaces/nope.x"\n',
            6,
            "input file 'interfaces/nope.x' does not exist",
        ),
        (
            '[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\nI = "include"\n',
            7,
            "'I' must be a list of strings, not a string",
        ),
        (
            '[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\nlibrary = [1]\n',
            7,
            "'library' must be a list of strings, not a list with a non-string item",
        ),
        (
            '[[tool.idlgen.inputs]]\nname = "x"\n',
            5,
            "this [[tool.idlgen.inputs]] entry has no 'file'",
        ),
        (
            '[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\nbackend = "cffi"\n',
            7,
            "back-end 'cffi' does not take .x files (these do: xdr-python)",
        ),
        (
            '[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\nname = "my-pkg"\n',
            7,
            "'my-pkg' is not a dotted Python name (as mypkg.nfs)",
        ),
        (
            '[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\n'
            '[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\n',
            7,
            "two inputs make the package 'kv' (the other is on line 5)",
        ),
        (
            '[tool.idlgen]\nfile = "interfaces/kv.x"\n',
            6,
            "'file' belongs in a [[tool.idlgen.inputs]]",
        ),
        ("[tool.idlgen]\noutput = 3\n", 6, "'output' must be a string, not an integer"),
        ('[tool.idlgen]\noutput = "src"\n', 5, "[tool.idlgen] has no inputs"),
        ("[tool.idlgen\n", 5, "not valid TOML"),
    ],
)
def test_mistakes_name_their_line(tmp_path, capsys, table, line, message):
    root = project(tmp_path, table)
    status, err = build(root, capsys)
    assert status == 1
    assert f"pyproject.toml:{line}: error: {message}" in err, err
    assert "Traceback" not in err


def test_no_table_says_where_the_docs_are(tmp_path, capsys):
    root = project(tmp_path, "")
    status, err = build(root, capsys)
    assert status == 1 and "no [tool.idlgen] table (see docs/build-integration.md)" in err


def test_no_project_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 2
    assert "no pyproject.toml" in capsys.readouterr().err


def test_keys_aliases_and_defaults(tmp_path):
    root = project(
        tmp_path,
        """\
        [tool.idlgen]
        I = ["interfaces"]
        D = {DEBUG = true, LEVEL = 3}

        [[tool.idlgen.inputs]]
        file = "interfaces/kv.x"
        package = "demo.kv"
        I = ["more"]
        U = ["X"]

        [[tool.idlgen.inputs]]
        file = "/usr/include/zlib.h"
        backend = "cffi-abi"
        libraries = ["z"]
        L = ["/opt/lib"]
        symbols = "^crc32$"
        exclude = "^deflate"
        include = ["stdio.h"]
        """,
    )
    config = load(root / "pyproject.toml")
    kv, zlib = units(config, root / "out")
    assert kv.name == "demo.kv" and kv.backend == "xdr-python"
    assert kv.options.name == "kv" and kv.options.output_dir == (root / "out" / "demo").resolve()
    assert kv.options.preprocess.include_dirs == ["interfaces", "more"]
    assert kv.options.preprocess.defines == ["DEBUG", "LEVEL=3"]
    assert kv.options.preprocess.undefines == ["X"]
    assert zlib.name == "zlib_c" and zlib.backend == "cffi-abi"  # named from the file
    assert zlib.options.c.libraries == ["z"] and zlib.options.c.library_dirs == ["/opt/lib"]
    assert (zlib.options.c.symbols, zlib.options.c.exclude) == ("^crc32$", "^deflate")
    assert zlib.options.c.pre_includes == ["stdio.h"]
    assert config.output == "."  # no src/ folder


def test_output_defaults_to_src_when_there_is_one(tmp_path):
    root = project(tmp_path, '[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\n')
    (root / "src").mkdir()
    assert load(root / "pyproject.toml").output == "src"


def test_the_error_is_an_exception_with_the_source_line(tmp_path):
    root = project(tmp_path, '[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\nsymbols = []\n')
    with pytest.raises(ConfigError) as info:
        load(root / "pyproject.toml")
    assert info.value.line == 7
    assert str(info.value).endswith("\n    symbols = []")


def test_defines_merge_whatever_their_form(tmp_path):
    root = project(
        tmp_path,
        """\
        [tool.idlgen]
        D = {A = true, B = false}

        [[tool.idlgen.inputs]]
        file = "interfaces/kv.x"
        D = ["C=1"]
        """,
    )
    (unit,) = units(load(root / "pyproject.toml"), None)
    assert unit.options.preprocess.defines == ["A", "B=0", "C=1"]


def test_names_that_are_keywords_are_refused(tmp_path, capsys):
    root = project(
        tmp_path, '[[tool.idlgen.inputs]]\nfile = "interfaces/kv.x"\n\npackage = "my.class"\n'
    )
    status, err = build(root, capsys)
    assert status == 1 and "pyproject.toml:8: error: 'my.class' is not a dotted" in err
