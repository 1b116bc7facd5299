"""MonService both ways against omniORB C++: by IOR file and by name through omniNames.

Python client → C++ server (built with ``omniidl -bcxx`` and g++), and the
C++ client → a Python server whose servant is the issue's classic one.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from corba_peers import HOST, running
from idlgen_runtime.corba import CORBA, CosNaming

pytestmark = pytest.mark.interop


def test_python_client_cxx_server_by_ior(cxx, generated, client_orb, tmp_path: Path):
    import MonService

    with running([str(cxx["monservice_server"]), str(tmp_path / "ior")], tmp_path / "ior") as ior:
        proxy = client_orb.string_to_object(ior)._narrow(MonService.Service)
        assert proxy is not None and proxy._is_a("IDL:MonService/Service:1.0")
        assert proxy.doubler_long(21) == 42
        assert proxy.doubler_long(-(2**30)) == -(2**31)
        assert proxy.doubler_str("ab") == "abab"
        assert proxy.doubler_str("") == ""


def test_python_client_cxx_server_by_name(cxx, generated, naming, tmp_path: Path):
    import MonService

    ns = f"NameService=corbaloc::{HOST}:{naming}/NameService"
    argv = [str(cxx["monservice_server"]), str(tmp_path / "ior"), "MonServiceByName"]
    with running([*argv, "-ORBInitRef", ns], tmp_path / "ior"):
        orb = CORBA.ORB_init(["prog", "-ORBInitRef", ns], "monservice-by-name")
        try:
            root = orb.resolve_initial_references("NameService")._narrow(CosNaming.NamingContext)
            found = root.resolve([CosNaming.NameComponent("MonServiceByName", "")])
            assert found._narrow(MonService.Service).doubler_long(5) == 10
            by_url = orb.string_to_object(f"corbaname::{HOST}:{naming}#MonServiceByName")
            assert by_url._narrow(MonService.Service).doubler_str("x") == "xx"
        finally:
            orb.destroy()


def _serve(server_orb: CORBA.ORB) -> Any:
    import MonService__POA

    class MonService_i(MonService__POA.Service):  # the servant, unchanged
        def doubler_str(self, s):  # type: ignore[no-untyped-def]
            return s * 2

        def doubler_long(self, l):  # type: ignore[no-untyped-def]  # noqa: E741
            return l * 2

    poa = server_orb.resolve_initial_references("RootPOA")
    return poa.servant_to_reference(MonService_i())


def test_cxx_client_python_server_by_ior(cxx, generated, server_orb):
    ref = _serve(server_orb)
    ior = server_orb.object_to_string(ref)
    done = subprocess.run(
        [str(cxx["monservice_client"]), ior], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "doubler_long(21) = 42" in done.stdout
    assert "doubler_str(ab) = abab" in done.stdout


def test_cxx_client_python_server_by_name(cxx, generated, server_orb, naming):
    ns = f"NameService=corbaloc::{HOST}:{naming}/NameService"
    orb = CORBA.ORB_init(["prog", "-ORBInitRef", ns], "monservice-bind")
    try:
        root = orb.resolve_initial_references("NameService")._narrow(CosNaming.NamingContext)
        root.rebind([CosNaming.NameComponent("PyMonService", "")], _serve(server_orb))
    finally:
        orb.destroy()
    done = subprocess.run(
        [str(cxx["monservice_client"]), f"corbaname::{HOST}:{naming}#PyMonService"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "doubler_long(21) = 42" in done.stdout and "doubler_str(ab) = abab" in done.stdout
