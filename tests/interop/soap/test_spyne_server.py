"""The generated client against a real spyne server (from the package index).

spyne writes the service first and publishes its WSDL; idlgen compiles that
WSDL and the generated client calls spyne over SOAP 1.1 doc/literal (spyne's
default): a sum, a nested Person with a list, built-in types round-tripped, and
a fault raised by spyne arriving as ``Fault``. The server is a wsgiref server on
127.0.0.1 in a thread, shut down by the test.
"""

from __future__ import annotations

import importlib
import sys
import threading
from decimal import Decimal
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from idlgen import driver
from idlgen.render import write_files
from peers import need

try:
    from spyne import (
        Application,
        Array,
        ComplexModel,
        Date,
        DateTime,
        Fault,
        Integer,
        Service,
        Unicode,
        rpc,
    )
    from spyne import Decimal as SDecimal
    from spyne.protocol.soap import Soap11
    from spyne.server.wsgi import WsgiApplication

    HAVE_SPYNE = True
except ImportError:  # pragma: no cover - the [dev] extra installs it
    HAVE_SPYNE = False


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _app():
    class Address(ComplexModel):
        __namespace__ = "urn:spyne"
        street = Unicode
        city = Unicode

    class Person(ComplexModel):
        __namespace__ = "urn:spyne"
        name = Unicode
        age = Integer
        emails = Array(Unicode)
        address = Address

    class Calc(Service):
        @rpc(Integer, Integer, _returns=Integer)
        def add(ctx, a, b):
            if a < 0:
                raise Fault("Client", "negative")
            return a + b

        @rpc(Person, _returns=Person)
        def echo_person(ctx, person):
            return person

        @rpc(SDecimal, DateTime, Date, _returns=Unicode)
        def describe(ctx, d, when, day):
            return f"{d}|{when.isoformat()}|{day.isoformat()}"

    return Application(
        [Calc], tns="urn:spyne", in_protocol=Soap11(validator="lxml"), out_protocol=Soap11()
    )


@pytest.fixture(scope="module")
def spyne_url():
    need(HAVE_SPYNE, "spyne is not installed (pip install -e '.[dev]')")
    httpd = make_server("127.0.0.1", 0, WsgiApplication(_app()), handler_class=_Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def gen(spyne_url, tmp_path_factory):
    import urllib.request

    out = tmp_path_factory.mktemp("spyne")
    wsdl = out / "spynecalc.wsdl"
    with urllib.request.urlopen(spyne_url + "?wsdl", timeout=10) as r:
        wsdl.write_bytes(r.read())
    write_files(driver.compile_file(wsdl, driver.Options()).files, out / "gen")
    sys.path.insert(0, str(out / "gen"))
    try:
        yield importlib.import_module("spynecalc.client"), importlib.import_module(
            "spynecalc.types"
        )
    finally:
        sys.path.remove(str(out / "gen"))


def _port(client_mod, url):
    (service,) = [
        v for k, v in vars(client_mod).items() if isinstance(v, type) and hasattr(v, "connect")
    ]
    return service.connect(url)


def test_generated_client_calls_spyne(gen, spyne_url):
    client_mod, types = gen
    with _port(client_mod, spyne_url) as c:
        assert c.add(a=3, b=4) == 7
        person = types.Person(
            name="Ada",
            age=36,
            emails=types.StringArray(string=["a@x", "b@y"]),
            address=types.Address(street="1 Loop", city="London"),
        )
        back = c.echo_person(person=person)
        assert back.name == "Ada" and back.age == 36
        assert back.emails.string == ["a@x", "b@y"]
        assert back.address.city == "London"


def test_spyne_fault_reaches_generated_client(gen, spyne_url):
    from idlgen_runtime.soap import Fault as RtFault

    client_mod, _ = gen
    with _port(client_mod, spyne_url) as c:
        with pytest.raises(RtFault) as info:
            c.add(a=-1, b=1)
    assert "negative" in str(info.value.string)


def test_builtin_types_reach_spyne(gen, spyne_url):
    import datetime

    client_mod, _ = gen
    when = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    with _port(client_mod, spyne_url) as c:
        text = c.describe(d=Decimal("12.50"), when=when, day=datetime.date(2024, 2, 29))
    d, w, day = text.split("|")
    assert Decimal(d) == Decimal("12.50")
    assert w.startswith("2024-01-02T03:04:05")
    assert day == "2024-02-29"


def _typed_app(proto):
    """A spyne service with the built-in types spyne has, and a header each way."""
    from spyne import AnyUri, Duration
    from spyne.model.binary import ByteArray

    class AllTypes(ComplexModel):
        __namespace__ = "urn:spy"
        when = DateTime
        day = Date
        span = Duration
        amount = SDecimal
        big = Integer
        blob = ByteArray
        uri = AnyUri

    class Session(ComplexModel):
        __namespace__ = "urn:spy"
        token = Unicode

    class Trace(ComplexModel):
        __namespace__ = "urn:spy"
        seen = Unicode

    class Typed(Service):
        __in_header__ = Session
        __out_header__ = Trace

        @rpc(AllTypes, _returns=AllTypes)
        def echo_types(ctx, values):
            ctx.out_header = Trace(seen=ctx.in_header.token if ctx.in_header else None)
            return values

    return Application(
        [Typed], tns="urn:spy", in_protocol=proto(validator="lxml"), out_protocol=proto()
    )


@pytest.mark.parametrize("version", ["11", "12"])
def test_generated_client_types_and_headers_against_spyne(version, tmp_path):
    """spyne's Soap11 and Soap12 protocols: its WSDL compiled, the generated client sends
    dateTime with a zone, date, duration, decimal, integer, base64Binary and anyURI and a
    header, and reads them back with spyne's reply header. (spyne writes QNames with an
    unbound prefix, so QName is checked against zeep in test_interop_types.py.)"""
    import datetime
    import urllib.request

    from idlgen_runtime.soap import xsd
    from spyne.protocol.soap import Soap12

    need(HAVE_SPYNE, "spyne is not installed (pip install -e '.[dev]')")
    proto = Soap11 if version == "11" else Soap12
    app = WsgiApplication(_typed_app(proto))
    httpd = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_port}/"
    try:
        wsdl = tmp_path / f"spytyped{version}.wsdl"
        with urllib.request.urlopen(url + "?wsdl", timeout=10) as r:
            wsdl.write_bytes(r.read())
        if version == "12":
            assert b"http://schemas.xmlsoap.org/wsdl/soap12/" in wsdl.read_bytes()
        write_files(driver.compile_file(wsdl, driver.Options()).files, tmp_path / "gen")
        sys.path.insert(0, str(tmp_path / "gen"))
        try:
            client = importlib.import_module(f"spytyped{version}.client")
            types = importlib.import_module(f"spytyped{version}.types")
        finally:
            sys.path.remove(str(tmp_path / "gen"))
        minus7 = datetime.timezone(datetime.timedelta(hours=-7))
        values = types.AllTypes(
            when=datetime.datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=minus7),
            day=datetime.date(2024, 2, 29),
            span=xsd.duration.from_text("P1DT2H3M4.5S"),
            amount=Decimal("12345678901234567890.123"),
            big=10**30,
            blob=b"\x00\xffbin",
            uri="http://example.org/a?b=c",
        )
        with _port(client, url) as c:
            back = c.echo_types(values=values, session=types.Session(token="t-1"))
            headers = c.last_response_headers
        assert back.when == values.when and back.when.utcoffset() == datetime.timedelta(hours=-7)
        assert back.day == values.day
        assert (back.span.days, back.span.hours, back.span.minutes) == (1, 2, 3)
        assert back.span.seconds == Decimal("4.5")
        assert back.amount == values.amount and back.big == 10**30
        assert back.blob == values.blob and back.uri == values.uri
        assert [h.seen for h in headers.values()] == ["t-1"]
    finally:
        httpd.shutdown()
        httpd.server_close()
