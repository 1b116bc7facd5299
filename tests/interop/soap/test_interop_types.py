"""zeep (from the package index) against the generated server of data/interop.wsdl:
every built-in type of issue 10 round-tripped exactly (dateTime and date with zones,
duration, decimal, unbounded integer, base64Binary, hexBinary, QName, anyURI), a
soap:header in and out, a fault with its detail, over SOAP 1.1 and SOAP 1.2
doc/literal, and rpc/encoded with a SOAP-ENC array. The server is the runtime's
stdlib server on 127.0.0.1 (a free port), shut down by the test.
"""

from __future__ import annotations

import datetime
import importlib
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from idlgen import driver
from idlgen.render import write_files
from lxml import etree

zeep = pytest.importorskip("zeep")
isodate = pytest.importorskip("isodate")  # zeep's own duration type
HERE = Path(__file__).resolve().parent
SOAP_ENC_XSD = Path(driver.__file__).parent / "frontends" / "wsdl" / "schemas" / "soap-encoding.xsd"
MINUS_7 = datetime.timezone(datetime.timedelta(hours=-7))


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    out = tmp_path_factory.mktemp("interop")
    write_files(driver.compile_file(HERE / "data" / "interop.wsdl", driver.Options()).files, out)
    sys.path.insert(0, str(out))
    try:
        yield {m: importlib.import_module(f"interop.{m}") for m in ("types", "client", "server")}
    finally:
        sys.path.remove(str(out))


@pytest.fixture(scope="module")
def served(gen):
    from idlgen_runtime.soap import server as srv

    types, server = gen["types"], gen["server"]
    seen: dict[str, object] = {}

    class Impl(server.InteropService):
        def echo_all(self, values, session=None):
            seen["values"], seen["session"] = values, session
            if session == "deny":
                raise types.RefusedError("refused", "Client", detail=types.Refused(why="deny"))
            srv.response_headers()["trace"] = f"seen {session}"
            return values

        def sum_(self, a, b):
            return a + b

        def join(self, items):
            seen["items"] = items
            return ",".join(items)

    httpd = srv.serve_in_thread(Impl(), port=0)
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


class _OfflineTransport(zeep.Transport):
    """zeep reads the SOAP-ENC schema from idlgen's bundled copy: never the network."""

    def load(self, url):
        if url.startswith("http://schemas.xmlsoap.org/soap/encoding"):
            return SOAP_ENC_XSD.read_bytes()
        return super().load(url)


def _zeep(url, binding):
    z = zeep.Client(url + "?wsdl", transport=_OfflineTransport())
    return z.create_service(f"{{urn:interop}}{binding}", url)


VALUES = {
    "when": datetime.datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=MINUS_7),
    "day": datetime.date(2024, 2, 29),
    "span": "P1Y2M3DT4H5M6.5S",
    "amount": Decimal("12345678901234567890.123"),
    "big": 10**30,
    "blob": b"\x00\xffbin",
    "hex": "01AB",  # zeep takes and gives hexBinary as text
    "qname": etree.QName("urn:x", "local"),
    "uri": "http://example.org/a?b=c",
}


@pytest.mark.parametrize("binding", ["TypesSoap11", "TypesSoap12"])
def test_every_builtin_type_and_headers_both_ways(served, binding):
    url, seen = served
    values = dict(VALUES, span=isodate.parse_duration(VALUES["span"]))
    reply = _zeep(url, binding).echoAll(values=values, _soapheaders={"session": "sess-1"})
    # what the generated server received, in the runtime's exact types
    got = seen["values"]
    assert seen["session"] == "sess-1"
    assert got.when == VALUES["when"] and got.when.utcoffset() == datetime.timedelta(hours=-7)
    assert got.day == VALUES["day"]
    assert (got.span.years, got.span.months, got.span.days) == (1, 2, 3)
    assert (got.span.hours, got.span.minutes, got.span.seconds) == (4, 5, Decimal("6.5"))
    assert got.amount == VALUES["amount"] and isinstance(got.amount, Decimal)
    assert got.big == 10**30
    assert got.blob == VALUES["blob"] and got.hex_ == b"\x01\xab"
    assert (got.qname.namespace, got.qname.localname) == ("urn:x", "local")
    assert got.uri == VALUES["uri"]
    # what zeep read back from the generated server
    assert reply.header["trace"] == "seen sess-1"
    back = reply.body["values"]
    assert back.when == VALUES["when"] and back.day == VALUES["day"]
    assert back.span == values["span"]
    assert back.amount == VALUES["amount"] and back.big == 10**30
    assert back.blob == VALUES["blob"] and back.hex.upper() == "01AB"
    assert back.uri == VALUES["uri"]


@pytest.mark.parametrize(
    ("binding", "code"), [("TypesSoap11", "Client"), ("TypesSoap12", "Sender")]
)
def test_generated_fault_reaches_zeep_with_its_detail(served, binding, code):
    url, _ = served
    values = dict(VALUES, span=isodate.parse_duration(VALUES["span"]))
    with pytest.raises(zeep.exceptions.Fault) as info:
        _zeep(url, binding).echoAll(values=values, _soapheaders={"session": "deny"})
    assert info.value.message == "refused"
    assert info.value.code.endswith(code)
    (refused,) = info.value.detail
    assert etree.QName(refused).localname == "Refused" and refused[0].text == "deny"


def test_rpc_encoded_with_a_soap_enc_array(served):
    url, seen = served
    enc = _zeep(url, "EncodedSoap11")
    assert enc.sum(a=2, b=40) == 42
    assert enc.join(items=["a", "b", "c"]) == "a,b,c"
    assert seen["items"] == ["a", "b", "c"]


def test_generated_client_round_trips_every_type(gen, served):
    from idlgen_runtime.soap import xsd

    url, seen = served
    types, client = gen["types"], gen["client"]
    values = types.AllTypes(
        when=VALUES["when"],
        day=VALUES["day"],
        span=xsd.duration.from_text("-P1Y2M3DT4H5M6.25S"),
        amount=Decimal("-0.000000000000000000001"),
        big=-(10**40),
        blob=bytes(range(256)),
        hex_=b"\x00\x01\xfe",
        qname=xsd.QNameValue("urn:q", "name"),
        uri="urn:isbn:0451450523",
    )
    for port in (client.Types11, client.Types12):
        with port(url) as c:
            back = c.echo_all(values=values, session="gen")
            assert back == values
            assert back.when.utcoffset() == datetime.timedelta(hours=-7)
            assert c.last_response_headers["trace"] == "seen gen"
    with client.Encoded11(url) as c:
        assert c.sum_(a=-5, b=3) == -2
        assert c.join(items=["x", "y"]) == "x,y"
