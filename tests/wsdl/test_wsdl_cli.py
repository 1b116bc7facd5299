"""The command line with WSDL and XSD files: --check and --dump-ir take them; asking
for output is a usage error until a WSDL back-end exists."""

from __future__ import annotations

import json

from wsdl_support import DATA, idlgen


def test_output_is_a_usage_error(tmp_path):
    proc = idlgen(str(DATA / "constructs.wsdl"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "only --check and --dump-ir take them" in proc.stderr
    assert not (tmp_path / "out").exists()


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
    assert "only --check and --dump-ir" in proc.stderr
