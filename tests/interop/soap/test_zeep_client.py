"""zeep (the reference client, from the package index) against the generated server of
examples/calculator: SOAP 1.1 and 1.2 bindings, a nested Person, the AddFault."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from idlgen import driver
from idlgen.render import write_files
from lxml import etree

zeep = pytest.importorskip("zeep")
WSDL = Path(__file__).resolve().parents[3] / "examples" / "calculator" / "calculator.wsdl"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = tmp_path_factory.mktemp("calc")
    write_files(driver.compile_file(WSDL, driver.Options()).files, out)
    sys.path.insert(0, str(out))
    server = importlib.import_module("calculator.server")
    types = importlib.import_module("calculator.types")
    from idlgen_runtime.soap import server as srv

    class Calc(server.CalculatorService):
        def add(self, a, b):
            if a < 0:
                raise types.AddFaultError(
                    "negative", "Client", detail=types.AddFault(reason="negative", a=a, b=b)
                )
            return a + b

        def echo_person(self, person):
            return person

    httpd = srv.serve_in_thread(Calc(), port=0)
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        sys.path.remove(str(out))


@pytest.mark.parametrize("binding", ["CalculatorSoap", "CalculatorSoap12"])
def test_zeep_calls_generated_server(served, binding):
    z = zeep.Client(served + "?wsdl").create_service(f"{{urn:idlgen:calculator}}{binding}", served)
    assert z.add(a=20, b=22) == 42
    person = {"name": "Ada", "age": 36, "emails": ["a@x", "b@y"]}
    person["address"] = {"street": "1 Loop", "city": "London"}
    back = z.echo_person(person=person)
    assert back.name == "Ada" and back.emails == ["a@x", "b@y"] and back.address.city == "London"


@pytest.mark.parametrize("binding", ["CalculatorSoap", "CalculatorSoap12"])
def test_generated_fault_reaches_zeep(served, binding):
    z = zeep.Client(served + "?wsdl").create_service(f"{{urn:idlgen:calculator}}{binding}", served)
    with pytest.raises(zeep.exceptions.Fault) as info:
        z.add(a=-1, b=1)
    assert info.value.message == "negative"
    assert (
        info.value.detail is not None and "negative" in etree.tostring(info.value.detail).decode()
    )
