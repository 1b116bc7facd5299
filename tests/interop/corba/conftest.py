"""Fixtures of the CORBA interop tests: omniORB C++ peers built once per
session, the Python packages generated from the same IDL (the idlgen driver,
as the CLI runs it), a Python server ORB, and omniNames; all on 127.0.0.1,
processes stopped by pid. With CI=true a missing peer fails (tests/peers.py)."""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from corba_peers import HERE, MONSERVICE, build_peers, missing_tools, omninames
from idlgen import driver
from idlgen.render import write_files
from idlgen_runtime.corba import CORBA
from idlgen_runtime.giop import mapping
from peers import need

#: How the Python ORBs talk to omniORB on x86 (FIELD-NOTES: long double is x87 there).
ORB_ARGS = ["-ORBidlgenLongDouble", "x87", "-ORBclientCallTimeOutPeriod", "20000"]


@pytest.fixture(scope="session")
def cxx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The C++ peers, built once per session."""
    missing = missing_tools()
    need(missing is None, missing or "")
    return build_peers(tmp_path_factory.mktemp("cxx-peers"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """monservice.idl and everything.idl compiled into one folder, importable for one module.

    Afterwards the generated modules leave ``sys.modules`` and the runtime's
    stub registry is as it was: other suites (tests/runtime_corba) register
    their own classes for the same repository ids.
    """
    out = tmp_path_factory.mktemp("gen-corba")
    for idl in (MONSERVICE / "monservice.idl", HERE / "everything.idl"):
        options = driver.Options(output_dir=out)
        write_files(driver.compile_file(idl, options).files, out)
    saved = dict(mapping.STUBS), dict(mapping.AIO_STUBS)
    ours = {p.stem for p in out.iterdir()}
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.split(".")[0] in ours]:
        del sys.modules[name]
    for table, before in zip((mapping.STUBS, mapping.AIO_STUBS), saved, strict=True):
        table.clear()
        table.update(before)


@pytest.fixture(scope="session")
def server_orb() -> Iterator[CORBA.ORB]:
    """A Python ORB serving on 127.0.0.1 (ephemeral port) in a thread."""
    orb = CORBA.ORB_init(
        ["prog", "-ORBendPoint", "giop:tcp:127.0.0.1:0", *ORB_ARGS], "interop-server"
    )
    poa = orb.resolve_initial_references("RootPOA")
    poa._get_the_POAManager().activate()
    thread = threading.Thread(target=orb.run, daemon=True)
    thread.start()
    yield orb
    orb.shutdown(True)
    orb.destroy()


@pytest.fixture(scope="session")
def client_orb() -> Iterator[CORBA.ORB]:
    orb = CORBA.ORB_init(["prog", *ORB_ARGS], "interop-client")
    yield orb
    orb.destroy()


@pytest.fixture(scope="module")
def naming() -> Iterator[int]:
    """omniNames on a free port; yields the port."""
    need(shutil.which("omniNames") is not None, "omniNames is not installed (make deps)")
    with omninames() as port:
        yield port
