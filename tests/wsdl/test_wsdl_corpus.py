"""Every WSDL and schema of the shared corpus passes ``--check``; the two that name a
type without its schema (see the corpus MANIFEST) say which type and where."""

from __future__ import annotations

import time

import pytest
from idlgen import ir
from wsdl_support import CORPUS, check, errors_of, idlgen

FILES = (
    sorted(p for p in CORPUS.rglob("*") if p.suffix in (".wsdl", ".xsd")) if CORPUS.is_dir() else []
)
#: file → the missing type and the line that uses it
MISSING = {
    "axis2/InteropTest.wsdl": ("{http://xml.apache.org/xml-soap}Map", 92),
    "savon/iws.wsdl": ("{urn:}TDate", 258),
}


def test_corpus_is_there():
    assert len(FILES) >= 38, f"the WSDL corpus is missing at {CORPUS}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_file_checks(path):
    rel = str(path.relative_to(CORPUS))
    if rel in MISSING:
        name, line = MISSING[rel]
        errors = errors_of(path)
        first = errors[0]
        assert f"undefined type '{name}'" in first.message
        assert first.loc.file == str(path) and first.loc.line == line
        assert "used by" in first.message
        return
    spec = check(path)
    assert any(isinstance(d, ir.Module) and d.decls for d in spec.decls)


def test_missing_types_through_the_cli():
    proc = idlgen("--check", str(CORPUS / "savon" / "iws.wsdl"))
    assert proc.returncode == 1
    assert "iws.wsdl:258:" in proc.stderr and "undefined type '{urn:}TDate'" in proc.stderr
    assert "used by element 'PMo_Dat_Treinamento'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_dangling_message_part_is_a_warning():
    proc = idlgen("--check", str(CORPUS / "savon" / "amazon.wsdl"))
    assert proc.returncode == 0, proc.stderr
    assert (
        "warning: part 'body' of message 'GetRecipientVerificationStatusRequestMsg'" in proc.stderr
    )


@pytest.mark.parametrize("name", ["wasabi/economic.wsdl", "wasabi/workday.wsdl"])
def test_largest_files_are_quick(name):
    start = time.perf_counter()
    spec = check(CORPUS / name)
    elapsed = time.perf_counter() - start
    assert spec.decls
    assert elapsed < 20, f"{name} took {elapsed:.1f}s"  # ~1.5 s on an idle machine
