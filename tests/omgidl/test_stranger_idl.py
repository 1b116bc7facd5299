"""Constructs met in other projects' IDL (JacORB, OpenDDS, Cyclone DDS) that
omniidl accepts and idlgen once got wrong: each is compiled, imported in a
fresh interpreter and exercised.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from idlgen import driver
from idlgen.pipeline import Options, PreprocessOptions
from idlgen.render import write_files


def generate(tmp_path: Path, text: str) -> Path:
    src = tmp_path / "t.idl"
    src.write_text(text)
    out = tmp_path / "gen"
    options = Options(preprocess=PreprocessOptions([str(tmp_path)]), output_dir=out)
    write_files(driver.compile_file(src, options).files, out)
    return out


def run(out: Path, script: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", f"import sys\nsys.path.insert(0, {str(out)!r})\n{script}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_typedef_of_the_enclosing_interface_imports(tmp_path: Path):
    # JacORB bug115.idl: the typedef is written before the interface's class.
    out = generate(
        tmp_path,
        """
        module M {
            interface I {
                typedef I Alias;
                union U switch (boolean) { case FALSE: Alias a; case TRUE: long n; };
            };
        };
        """,
    )
    got = run(
        out,
        "import M\n"
        "from idlgen_runtime.giop.cdr import CdrInput, CdrOutput\n"
        "out = CdrOutput(False)\n"
        "out.write(M.I._tc_U, M.I.U(n=7))\n"
        "back = CdrInput(bytes(out.buf), False).read(M.I._tc_U)\n"
        "print(back._d, back._v, M.I.Alias)\n",
    )
    assert got.split()[:2] == ["True", "7"]


def test_annotations_in_every_place_idl4_allows(tmp_path: Path):
    # As TAO's IDL_Test/v4 and the DDS vendors write them: kept, ignored in Python.
    out = generate(
        tmp_path,
        """
        @mod_note
        module M {
            typedef sequence<@seq_param short, 5> Seq;
            @ns::deep::note @::ns::abs(x = 1 + 2, y = "s")
            @topic @appendable struct S { @key @id(1) long k; @optional Seq items; };
            union U switch (@disc short) { case 0: case 1: @member short a; default: long b; };
            enum E { ONE, @value(7) TWO };
        };
        """,
    )
    got = run(
        out,
        "import M\n"
        "from idlgen_runtime.giop.cdr import CdrInput, CdrOutput\n"
        "for tc, v in ((M._tc_S, M.S(3, [1, 2])), (M._tc_U, M.U(a=5)), (M._tc_U, M.U(b=9))):\n"
        "    out = CdrOutput(True)\n"
        "    out.write(tc, v)\n"
        "    assert CdrInput(bytes(out.buf), True).read(tc) == v\n"
        "print(int(M.TWO), M.U(a=5)._d)\n",
    )
    assert got.split() == ["1", "0"]
