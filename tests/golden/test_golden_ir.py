"""``idlgen --dump-ir``: the checked IR as JSON, against committed goldens (one
input per language), and the documented schema against the IR's classes.

Regenerate with ``make regen`` and review the diff.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from idlgen import ir
from idlgen.ir.serialize import SCHEMA, node_name, reference

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((Path(__file__).parent / "ir").glob("*.json"))


def dump(source: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idlgen", "--dump-ir", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )


def source_of(case: Path) -> Path:
    return (case.parent / case.with_suffix(".source").read_text().strip()).resolve()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_dump_matches_golden(case: Path):
    proc = dump(source_of(case))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == case.read_text(), "run `make regen` and review the diff"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_dump_names_only_ir_nodes_and_resolved_names(case: Path):
    document = json.loads(case.read_text())
    assert document["schema"] == SCHEMA
    known = {node_name(c) for m in (ir, ir.xdr, ir.omgidl, ir.soap, ir.c) for c in vars(m).values()
             if isinstance(c, type) and issubclass(c, ir.Node)}  # fmt: skip
    declared, used = set(), set()
    kinds = ("Struct", "Union_", "Enum_", "Typedef", "Interface", "ValueType", "ValueBox",
             "Native", "Forward", "Exception_", "Element", "ModelGroup", "Message")  # fmt: skip
    # IDL scopes hold declarations; an XSD schema's Module is a namespace instead
    scopes = ("Module", "Interface", "ValueType") if document["file"].endswith(".idl") else ()

    def walk(value, scope=(), namespace=None):
        if isinstance(value, dict):
            inner = scope
            if "node" in value:
                assert value["node"] in known
                if value["node"] in kinds:  # XSD/WSDL names are {namespace}local
                    local = "::".join((*scope, value["name"]))
                    declared.add(f"{{{namespace}}}{local}" if namespace else local)
                if value["node"] == "Named":
                    used.add(value["name"])
                assert value["node"] not in ("ConstRef", "Unary", "Binary"), "not folded"
                if value["node"] == "Module" and value.get("namespace"):
                    namespace = value["namespace"]
                if value["node"] in scopes:
                    inner = (*scope, value["name"])
            for item in value.values():
                walk(item, inner, namespace)
        elif isinstance(value, list):
            for item in value:
                walk(item, scope, namespace)

    walk(document["spec"])
    assert used <= declared, used - declared


def test_errors_print_diagnostics_and_no_json(tmp_path: Path):
    bad = tmp_path / "bad.x"
    bad.write_text("struct s { missing_t x; };\n")
    proc = dump(bad)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "bad.x:1:12: error: undefined type 'missing_t'" in proc.stderr


def test_documented_reference_is_the_code():
    doc = (ROOT / "docs" / "ir.md").read_text()
    section = doc.split("<!-- reference: begin -->\n")[1].split("<!-- reference: end -->")[0]
    assert section == reference(), "run `make regen` and review the diff"
