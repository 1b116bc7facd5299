"""The command line with WSDL and XSD files: --check and --dump-ir take them, and
output goes through the soap-python back-end (the default for both)."""

from __future__ import annotations

import json

from wsdl_support import DATA, idlgen


def test_output_is_the_soap_package(tmp_path):
    proc = idlgen(str(DATA / "constructs.wsdl"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    pkg = tmp_path / "out" / "constructs"
    assert {p.name for p in pkg.glob("*.py")} >= {"__init__.py", "types.py"}
    proc = idlgen(str(DATA / "common.xsd"), "-o", str(tmp_path / "xsd"))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "xsd" / "common").iterdir()) == [
        "__init__.py",
        "types.py",
    ]


def test_check_and_dump_ir():
    proc = idlgen("--check", str(DATA / "constructs.wsdl"))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    proc = idlgen("--dump-ir", str(DATA / "common.xsd"))
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["spec"]["decls"][0]["namespace"] == "urn:example:common"


def test_help_names_the_catalog():
    proc = idlgen("--help")
    assert "--catalog FILE" in proc.stdout and ".wsdl" in proc.stdout


def test_a_back_end_of_another_language_is_a_usage_error():
    proc = idlgen("-b", "xdr-python", str(DATA / "constructs.wsdl"))
    assert proc.returncode == 2
    assert "back-end 'xdr-python' does not take .wsdl files" in proc.stderr
    assert "these do: soap-python" in proc.stderr
