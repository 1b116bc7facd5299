"""Every complex type of real WSDLs (shared/corpus/wsdl, compiled by the WSDL back-end)
through the runtime's compiled plans: a sample instance is written, parsed by lxml,
read back, and must be equal. Catches what hand-written tests do not think of (the
xml:lang prefix, XSD regex escapes in ONVIF's patterns were found this way)."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_samples import instance
from idlgen_runtime.soap import XsdValueError
from idlgen_runtime.soap import schema as s
from lxml import etree

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "wsdl"
QUICK = ["axis2/ComplexDataTypes.wsdl", "axis2/enterprise.wsdl", "axis2/gorilla_dlw.wsdl",
         "pypi-onvif/devicemgmt.wsdl"]  # fmt: skip
ALL = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.wsdl")) if CORPUS.is_dir() else []


def round_trip_all(wsdl: Path, out: Path) -> tuple[int, int, list[str]]:
    if importlib.util.find_spec("idlgen.backends.soap_python") is None:
        pytest.skip("the WSDL back-end is not in this checkout")
    if not wsdl.exists():
        pytest.skip(f"{wsdl} is not here (the shared corpus)")
    run = subprocess.run(
        [sys.executable, "-m", "idlgen", str(wsdl), "-o", str(out)], capture_output=True, text=True
    )
    if run.returncode:
        pytest.skip(
            f"does not compile (a diagnostic, the back-end's business): {run.stderr[-200:]}"
        )
    sys.path.insert(0, str(out))
    before = dict(s._TYPES)
    try:
        for pkg in sorted(p.name for p in out.iterdir() if p.is_dir()):
            importlib.import_module(f"{pkg}.types")
    finally:
        sys.path.remove(str(out))
    ok = refused = 0
    failures: list[str] = []
    for qname, info in sorted(s._TYPES.items()):
        if before.get(qname) is info or info.abstract:
            continue
        decl = s.Element(None, "{urn:sample}x", info)
        value = instance(info)
        try:
            text = s.to_string(decl, value)
        except XsdValueError:
            refused += 1  # the sample broke a facet or an occurrence bound
            continue
        try:
            back = s.from_element(decl, etree.fromstring(text))
        except Exception as exc:  # noqa: BLE001 -- every failure is listed
            failures.append(f"{qname}: {exc!r}"[:300])
            continue
        if back != value:
            failures.append(f"{qname}: read back differs: {text[:200]}")
        else:
            ok += 1
    return ok, refused, failures


@pytest.mark.parametrize("name", QUICK)
def test_corpus_types_round_trip(name, tmp_path):
    ok, refused, failures = round_trip_all(CORPUS / name, tmp_path)
    assert not failures, "\n".join(failures[:20])
    assert ok > 10 * refused


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL)
def test_every_corpus_wsdl_round_trips(name, tmp_path):
    ok, refused, failures = round_trip_all(CORPUS / name, tmp_path)
    assert not failures, "\n".join(failures[:20])
