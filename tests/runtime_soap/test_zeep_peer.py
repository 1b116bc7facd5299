"""zeep, a real SOAP client from the package index, against the runtime's server (the
hand-written soap_calc service + calc.wsdl, served at ?wsdl): both SOAP versions,
doc/literal and rpc/literal, a header both ways, a typed fault, xsi:type, and a
WS-Security UsernameToken (text and digest) checked by the runtime's verifier."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import soap_calc as calc
from idlgen_runtime.soap import server as srv
from peers import need

WSDL = (Path(__file__).parent / "calc.wsdl").read_text()


def zeep_module():
    try:
        import zeep
    except ImportError:
        need(False, "zeep is not installed (pip install -e '.[dev]')")
    return zeep


class WsdlImpl(calc.Impl):
    _wsdl = WSDL


@pytest.fixture
def served():
    server = srv.serve_in_thread(WsdlImpl(), port=0)
    try:
        yield f"http://127.0.0.1:{server.server_port}/calc"
    finally:
        server.shutdown()
        server.server_close()


def client(zeep, url, port="CalcSoap", **kw):
    cl = zeep.Client(url + "?wsdl", **kw)
    binding = {"CalcSoap": "CalcBinding", "CalcRpc": "CalcRpcBinding",
               "CalcSoap12": "CalcBinding12"}[port]  # fmt: skip
    return cl.create_service(f"{{urn:calc}}{binding}", url)


@pytest.mark.parametrize("port", ["CalcSoap", "CalcSoap12"])
def test_zeep_calls_the_runtime_server(served, port):
    zeep = zeep_module()
    svc = client(zeep, served, port)
    assert svc.add(a=3, b=4).body.result == 7  # add has a header: zeep returns both
    person = {"name": "Ada", "age": 36, "emails": ["a@x", "b@y"], "id": "p1",
              "address": {"street": "Main St", "city": "London"}}  # fmt: skip
    back = svc.echoPerson(person=person)
    assert back.name == "Ada" and list(back.emails) == ["a@x", "b@y"] and back.id == "p1"
    assert back.address.city == "London"
    with pytest.raises(zeep.exceptions.Fault) as info:
        svc.add(a=-1, b=0)
    detail = info.value.detail
    assert detail is not None and "a must be &gt;= 0" not in str(detail)
    assert detail.find(".//{urn:calc}reason").text == "a must be >= 0"


def test_zeep_rpc_literal_header_and_xsi_type(served):
    zeep = zeep_module()
    assert client(zeep, served, "CalcRpc").mul(a=6, b=7) == 42
    cl = zeep.Client(served + "?wsdl")
    svc = cl.create_service("{urn:calc}CalcBinding", served)
    trace = cl.get_element("{urn:calc}Trace")(id="z-1")
    result = svc.add(a=1, b=2, _soapheaders=[trace])
    assert result.body.result == 3
    assert result.header.trace.id == "z-1-back"
    employee_type = cl.get_type("{urn:calc}Employee")
    emp = employee_type(name="Bob", age=40, emails=[], salary=Decimal("12.50"))
    back = svc.echoPerson(person=emp)
    assert back.name == "Bob" and back.salary == Decimal("12.50")  # xsi:type both ways


@pytest.mark.parametrize("digest", [False, True])
def test_zeep_username_token_against_the_verifier(digest):
    zeep = zeep_module()
    from zeep.wsse.username import UsernameToken

    users = []

    class Who(WsdlImpl):
        def add(self, a, b, trace=None):
            users.append(srv.current().user)
            return a + b

    server = srv.serve_in_thread(
        Who(), port=0, authenticate=srv.UsernameTokenVerifier({"ada": "s3cret"}.get)
    )
    url = f"http://127.0.0.1:{server.server_port}/calc"
    try:
        good = client(zeep, url, wsse=UsernameToken("ada", "s3cret", use_digest=digest))
        assert good.add(a=2, b=3).body.result == 5
        bad = client(zeep, url, wsse=UsernameToken("ada", "nope", use_digest=digest))
        with pytest.raises(zeep.exceptions.Fault):
            bad.add(a=2, b=3)
    finally:
        server.shutdown()
        server.server_close()
    assert users == ["ada"]
