"""The generated-style client against the runtime's server: every style, both SOAP
versions, headers and faults both ways, dispatch, and the server's error paths."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest
import soap_calc as calc
from idlgen_runtime.soap import Fault, XmlSecurityError, envelope
from lxml import etree

ENV11 = envelope.ENV11
ENV12 = envelope.ENV12
ADA = calc.Person("Ada", 36, ["a@x", "b@y"], calc.Address("Main St", "London"), id="p1")


def in_process(cls=calc.CalculatorSoap, app=None):
    app = app or calc.CalculatorService.wsgi_app(calc.Impl())
    return cls("http://test/calc", transport=httpx.WSGITransport(app=app))


@pytest.mark.parametrize("cls", [calc.CalculatorSoap, calc.CalculatorSoap12])
def test_document_literal_wrapped_both_versions(cls):
    with in_process(cls) as c:
        assert c.add(3, 4) == 7
        assert c.echo_person(ADA) == ADA
        emp = calc.Employee("Bob", 40, [], None, salary=Decimal("12.50"))
        back = c.echo_person(emp)
        assert back == emp and type(back) is calc.Employee


def test_rpc_literal_and_rpc_encoded():
    with in_process() as c:
        assert c.mul(6, 7) == 42
        assert c.sum_all([1, 2, 3, 2**30], ADA) == (6 + 2**30, "Ada")


def test_headers_both_ways():
    with in_process() as c:
        assert c.add(1, 2, trace=calc.Trace("t-1")) == 3
        assert c.last_response_headers == {"trace": calc.Trace("t-1-back")}
        assert c.add(1, 2) == 3
        assert c.last_response_headers == {}


@pytest.mark.parametrize(
    "cls,code", [(calc.CalculatorSoap, "Client"), (calc.CalculatorSoap12, "Sender")]
)
def test_typed_fault_both_versions(cls, code):
    with in_process(cls) as c, pytest.raises(calc.AddFault) as info:
        c.add(-5, 1)
    f = info.value
    assert f.detail == calc.AddFaultDetail("a must be >= 0", -5)
    assert f.code.endswith("}" + code) and f.string == "negative"


@pytest.mark.parametrize(
    "cls,code", [(calc.CalculatorSoap, "Server"), (calc.CalculatorSoap12, "Receiver")]
)
def test_unexpected_exception_is_a_server_fault_without_the_traceback(cls, code, caplog):
    with in_process(cls) as c, pytest.raises(Fault) as info:
        c.add(13, 1)
    assert type(info.value) is Fault and info.value.code.endswith("}" + code)
    assert "secret" not in info.value.string and "Traceback" not in info.value.string
    assert "secret internal detail" in caplog.text  # logged on the server side


def post(url, body, content_type="text/xml; charset=utf-8", **headers):
    return httpx.post(url, content=body, headers={"Content-Type": content_type, **headers})


def fault_code(resp):
    root = etree.fromstring(resp.content)
    if root.tag == f"{{{ENV11}}}Envelope":
        return root.findtext(f"{{{ENV11}}}Body/{{{ENV11}}}Fault/faultcode")
    return root.findtext(f"{{{ENV12}}}Body/{{{ENV12}}}Fault/{{{ENV12}}}Code/{{{ENV12}}}Value")


def test_fault_shapes_of_both_versions():
    env11 = envelope.write_fault("1.1", Fault("boom", "Client", actor="urn:me"))
    root = etree.fromstring(env11)
    f = root.find(f"{{{ENV11}}}Body/{{{ENV11}}}Fault")
    assert [c.tag for c in f] == ["faultcode", "faultstring", "faultactor"]
    assert f.findtext("faultcode") == "soap:Client"
    env12 = envelope.write_fault("1.2", Fault("boom", "{urn:app}Quota", actor="urn:me"))
    f = etree.fromstring(env12).find(f"{{{ENV12}}}Body/{{{ENV12}}}Fault")
    assert [c.tag.split("}")[1] for c in f] == ["Code", "Reason", "Role"]
    assert f.findtext(f"{{{ENV12}}}Code/{{{ENV12}}}Value") == "soap:Receiver"
    sub = f.find(f"{{{ENV12}}}Code/{{{ENV12}}}Subcode/{{{ENV12}}}Value")
    prefix, local = sub.text.split(":")
    assert sub.nsmap[prefix] == "urn:app" and local == "Quota"
    back = envelope.read_fault("1.2", f)
    assert back.code.endswith("}Receiver") and back.subcodes == ("{urn:app}Quota",)
    assert back.string == "boom" and back.actor == "urn:me"


def test_content_types_and_actions():
    assert envelope.http_headers("1.1", "urn:a") == {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": '"urn:a"',
    }
    assert envelope.http_headers("1.2", "urn:a") == {
        "Content-Type": 'application/soap+xml; charset=utf-8; action="urn:a"'
    }


def test_real_server_dispatch_wsdl_and_errors(calc_server):
    with calc.CalculatorSoap(calc_server) as c:
        assert c.add(2, 2) == 4
        assert c.echo_person(ADA) == ADA
    assert httpx.get(calc_server + "?wsdl").text == calc.WSDL
    assert httpx.get(calc_server).status_code == 404
    # dispatch on the body element when the SOAPAction says nothing
    body = envelope.write_request(calc.OPS11["add"], (5, 6))
    resp = post(calc_server, body, SOAPAction='""')
    assert resp.status_code == 200 and b">11<" in resp.content
    # SOAP 1.2: the action travels in the content type
    body12 = envelope.write_request(calc.OPS12["add"], (5, 7))
    resp = post(calc_server, body12, 'application/soap+xml; action="urn:calc#add12"')
    assert resp.status_code == 200 and b">12<" in resp.content
    assert resp.headers["content-type"].startswith("application/soap+xml")
    # an unknown operation is the sender's fault
    resp = post(calc_server, envelope.build("1.1", ["<x:nope xmlns:x='urn:calc'/>"]))
    assert resp.status_code == 500 and fault_code(resp) == "soap:Client"


def test_must_understand(calc_server):
    block = f'<x:auth xmlns:x="urn:other" xmlns:e="{ENV11}" e:mustUnderstand="1"/>'
    call = "<add xmlns='urn:calc'><a>1</a><b>2</b></add>"
    assert post(calc_server, envelope.build("1.1", [call])).status_code == 200
    body = envelope.build("1.1", [call], [block])
    resp = post(calc_server, body)
    assert resp.status_code == 500 and fault_code(resp) == "soap:MustUnderstand"


ATTACKS = {
    "xxe": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&x;</s:Body></s:Envelope>',
    "billion_laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&lol9;'
    b"</s:Body></s:Envelope>",
    "external_dtd": b'<?xml version="1.0"?><!DOCTYPE s:Envelope SYSTEM "http://127.0.0.1:1/evil.dtd">'
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>',
    "too_deep": b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    + b"<a>" * 5000
    + b"</a>" * 5000
    + b"</s:Body></s:Envelope>",
    "too_large": b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a>'
    + b"x" * (11 * 1024 * 1024)
    + b"</a></s:Body></s:Envelope>",
    "malformed": b"<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>",
    "not_xml": b"hello",
    "not_an_envelope": b"<Envelope><Body/></Envelope>",
    "empty": b"",
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_hostile_and_malformed_requests_get_a_client_fault(calc_server, attack):
    resp = post(calc_server, ATTACKS[attack])
    assert resp.status_code == 500
    assert fault_code(resp) == "soap:Client"
    assert b"root:" not in resp.content and b"lollol" not in resp.content
    resp12 = post(calc_server, ATTACKS[attack], "application/soap+xml")
    assert resp12.status_code == 500 and fault_code(resp12) == "soap:Sender"
    # and the server goes on serving everyone else
    with calc.CalculatorSoap(calc_server) as c:
        assert c.add(1, 1) == 2


def test_the_client_refuses_hostile_responses():
    def evil(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [ATTACKS["xxe"]]

    with in_process(app=evil) as c, pytest.raises(XmlSecurityError) as info:
        c.add(1, 2)
    assert "DTD" in str(info.value)


def test_asgi_app_and_async_client():
    app = calc.CalculatorService.asgi_app(calc.Impl())

    async def main():
        async with calc.CalculatorSoapAsync(
            "http://test/calc", transport=httpx.ASGITransport(app=app)
        ) as c:
            assert await c.add(3, 4) == 7
            assert await c.echo_person(ADA) == ADA
            with pytest.raises(calc.AddFault):
                await c.add(-1, 0)
            with pytest.raises(Fault):
                await c.add(13, 0)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as h:
            assert (await h.get("http://test/calc?wsdl")).text == calc.WSDL
            bad = await h.post("http://test/calc", content=ATTACKS["xxe"])
            assert bad.status_code == 500 and b"faultcode" in bad.content

    asyncio.run(main())


def test_async_client_against_the_threaded_server(calc_server):
    async def main():
        async with calc.CalculatorSoapAsync(calc_server) as c:
            results = await asyncio.gather(*(c.add(i, i) for i in range(12)))
        assert results == [2 * i for i in range(12)]

    asyncio.run(main())


class AsyncImpl(calc.CalculatorService):
    async def add(self, a, b, trace=None):
        await asyncio.sleep(0)
        return a + b


def test_async_methods_under_asgi():
    app = calc.CalculatorService.asgi_app(AsyncImpl())

    async def main():
        async with calc.CalculatorSoapAsync(
            "http://t/", transport=httpx.ASGITransport(app=app)
        ) as c:
            assert await c.add(20, 22) == 42

    asyncio.run(main())


def read_response(sock_file):
    status = sock_file.readline()
    length = 0
    while (line := sock_file.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return status, sock_file.read(length)


def test_the_stdlib_server_keeps_connections_alive(calc_server):
    import socket
    from urllib.parse import urlsplit

    u = urlsplit(calc_server)
    body = envelope.write_request(calc.OPS11["add"], (20, 22))
    request = (
        (
            f"POST /calc HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
            f'SOAPAction: "urn:calc#add"\r\nContent-Length: {len(body) + 5}\r\n\r\n'
        ).encode()
        + body
        + b"\n\n\n\n\n"
    )  # whitespace after the envelope is fine
    with socket.create_connection((u.hostname, u.port), timeout=10) as sock:
        f = sock.makefile("rb")
        for _ in range(3):
            sock.sendall(request)
            status, answer = read_response(f)
            assert status.startswith(b"HTTP/1.1 200") and b">42<" in answer


def test_asgi_lifespan_and_methods():
    app = calc.CalculatorService.asgi_app(calc.Impl())
    sent = []

    async def main():
        messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

        async def receive():
            return next(messages)

        async def send(message):
            sent.append(message["type"])

        await app({"type": "lifespan"}, receive, send)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as h:
            assert (await h.put("http://t/", content=b"x")).status_code == 405
            assert (await h.get("http://t/")).status_code == 404

    asyncio.run(main())
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_wsgi_refuses_a_large_body_before_reading_it():
    app = calc.CalculatorService.wsgi_app(calc.Impl(), max_size=1000)

    class Unreadable:
        def read(self, *_):
            raise AssertionError("the body was read")

    status = []
    env = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "text/xml", "CONTENT_LENGTH": "5000",
           "wsgi.input": Unreadable(), "QUERY_STRING": ""}  # fmt: skip
    body = b"".join(app(env, lambda s, h: status.append(s)))
    assert status == ["500 Internal Server Error"] and b"larger than 1000" in body
