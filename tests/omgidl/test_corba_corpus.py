"""Every IDL file of Debian's omniorb-idl that the front-end accepts compiles
with the corba-python back-end into ONE output folder (``-I`` the corpus
root, as omniidl is run), and every generated module and package imports.

One folder for all, in file order, is the hard case: reopened modules
(``CORBA`` from corbaidl.idl, ir.idl, boxes.idl...) merge their package
``__init__``s, and included files' modules are shared.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from idlgen import driver
from idlgen.naming.omgidl import file_module
from idlgen.pipeline import Options, PreprocessOptions
from idlgen.render import write_files
from peers import need
from test_idl_corpus import FILES, OMNIORB_IDL, REJECTED


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need(len(FILES) >= 70, "omniorb-idl is not installed (apt-get install omniorb-idl)")
    out = tmp_path_factory.mktemp("corba-corpus")
    for path in FILES:
        if str(path.relative_to(OMNIORB_IDL)) in REJECTED:
            continue
        options = Options(preprocess=PreprocessOptions([str(OMNIORB_IDL)]), output_dir=out)
        write_files(driver.compile_file(path, options).files, out)
    return out


def test_every_accepted_file_gives_its_module(corpus_out: Path):
    accepted = [p for p in FILES if str(p.relative_to(OMNIORB_IDL)) not in REJECTED]
    assert len(accepted) == 61
    for path in accepted:
        assert (corpus_out / f"{file_module(path.stem)}.py").is_file(), path.name
    # Reopened across files: CORBA gathers corbaidl.idl, ir.idl, boxes.idl, pollable.idl.
    corba = (corpus_out / "CORBA" / "__init__.py").read_text()
    for module in ("boxes_idl", "corbaidl_idl", "ir_idl", "pollable_idl"):
        assert f"from {module} import" in corba


def test_every_generated_module_and_package_imports(corpus_out: Path):
    names = sorted(p.stem for p in corpus_out.glob("*_idl.py"))
    names += sorted(
        ".".join(init.parent.relative_to(corpus_out).parts)
        for init in corpus_out.rglob("__init__.py")
    )
    script = (
        "import importlib, sys\n"
        f"sys.path.insert(0, {str(corpus_out)!r})\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "import CosNaming, CosNaming__POA, CosNaming__aio\n"
        "assert CosNaming.NamingContext.NotFound._NP_RepositoryId == "
        "'IDL:omg.org/CosNaming/NamingContext/NotFound:1.0'\n"
        "assert issubclass(CosNaming__POA.NamingContextExt, CosNaming__POA.NamingContext)\n"
        "print(len(sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert len(names) > 200
