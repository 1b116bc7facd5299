"""Client options against real HTTP: errors mapped to types, basic auth, WS-Security
UsernameToken (text and digest, checked by the server's verifier), TLS, timeouts."""

from __future__ import annotations

import base64
import shutil
import ssl
import subprocess
import threading
from wsgiref.simple_server import make_server

import httpx
import pytest
import soap_calc as calc
from idlgen_runtime.soap import Fault, HttpError, TransportError, XmlError, envelope, wsse
from idlgen_runtime.soap import client as c
from idlgen_runtime.soap import server as srv
from peers import need


def app_returning(status, ctype, body):
    def app(environ, start_response):
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response(status, [("Content-Type", ctype)])
        return [body]

    return app


def client_for(app, cls=calc.CalculatorSoap, **options):
    return cls("http://test/calc", transport=httpx.WSGITransport(app=app), **options)


def test_http_errors_are_typed():
    with client_for(app_returning("503 Service Unavailable", "text/html", b"<h1>down</h1>")) as cl:
        with pytest.raises(HttpError) as info:
            cl.add(1, 2)
    assert info.value.status == 503 and b"down" in info.value.body
    with client_for(app_returning("404 Not Found", "text/plain", b"")) as cl:
        with pytest.raises(HttpError):
            cl.add(1, 2)
    with client_for(app_returning("200 OK", "text/xml", b"<notsoap/>")) as cl:
        with pytest.raises(XmlError):
            cl.add(1, 2)


def test_a_fault_with_a_500_is_a_fault_not_an_http_error():
    body = envelope.write_fault("1.1", Fault("nope", "Server"))
    with client_for(app_returning("500 Internal Server Error", "text/xml", body)) as cl:
        with pytest.raises(Fault, match="nope"):
            cl.add(1, 2)


def test_connection_refused_is_a_transport_error():
    server = srv.serve_in_thread(calc.Impl(), port=0)
    port = server.server_port
    server.shutdown()
    server.server_close()
    with calc.CalculatorSoap(f"http://127.0.0.1:{port}/", timeout=5) as cl:
        with pytest.raises(TransportError):
            cl.add(1, 2)


def test_response_size_limit():
    huge = envelope.build("1.1", ["<a>" + "x" * 200_000 + "</a>"])
    with client_for(app_returning("200 OK", "text/xml", huge), max_size=100_000) as cl:
        with pytest.raises(XmlError, match="larger"):
            cl.add(1, 2)


def test_basic_auth_reaches_the_server():
    seen = {}
    inner = calc.CalculatorService.wsgi_app(calc.Impl())

    def guarded(environ, start_response):
        seen["auth"] = environ.get("HTTP_AUTHORIZATION")
        return inner(environ, start_response)

    with client_for(guarded, auth=("ada", "s3cret"), headers={"X-Trace": "1"}) as cl:
        assert cl.add(1, 2) == 3
    assert seen["auth"] == "Basic " + base64.b64encode(b"ada:s3cret").decode()


PASSWORDS = {"ada": "s3cret"}


@pytest.mark.parametrize("digest", [False, True])
def test_username_token_text_and_digest(digest):
    users = []

    class Who(calc.Impl):
        def add(self, a, b, trace=None):
            users.append(srv.current().user)
            return a + b

    app = calc.CalculatorService.wsgi_app(
        Who(), authenticate=srv.UsernameTokenVerifier(PASSWORDS.get)
    )
    with client_for(app, username_token=c.UsernameToken("ada", "s3cret", digest)) as cl:
        assert cl.add(1, 2) == 3
        assert cl.add(2, 2) == 4  # a fresh nonce each call: no replay
    assert users == ["ada", "ada"]
    with client_for(app, username_token=("ada", "wrong")) as cl, pytest.raises(Fault) as info:
        cl.add(1, 2)
    assert info.value.code == f"{{{wsse.WSSE}}}FailedAuthentication"  # SOAP 1.1: no subcodes
    assert "authentication failed" in info.value.string
    with client_for(app) as cl, pytest.raises(Fault, match="UsernameToken is required"):
        cl.add(1, 2)


def test_a_replayed_digest_is_refused():
    verify = srv.UsernameTokenVerifier(PASSWORDS.get)
    block = wsse.header(c.UsernameToken("ada", "s3cret", digest=True))
    envelope_bytes = envelope.build("1.1", ["<x/>"], [block])
    parsed = envelope.parse(envelope_bytes)
    assert verify(parsed.header) == "ada"
    with pytest.raises(Fault, match="used before"):
        verify(parsed.header)
    assert "s3cret" not in block


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    need(shutil.which("openssl") is not None, "openssl is not installed")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return d / "cert.pem", d / "key.pem"


def test_tls_verify_with_a_ca_file_and_refusal_without(tls_files):
    cert, key = tls_files
    app = calc.CalculatorService.wsgi_app(calc.Impl())
    server = make_server("127.0.0.1", 0, app, server_class=srv._ThreadingServer)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{server.server_port}/calc"
    try:
        with calc.CalculatorSoap(url, verify=ssl.create_default_context(cafile=str(cert))) as cl:
            assert cl.add(20, 22) == 42
        with calc.CalculatorSoap(url) as cl, pytest.raises(TransportError):
            cl.add(1, 1)
    finally:
        server.shutdown()
        server.server_close()


def test_timeouts_are_transport_errors():
    gate = threading.Event()

    class Slow(calc.Impl):
        def add(self, a, b, trace=None):
            gate.wait(10)
            return a + b

    server = srv.serve_in_thread(Slow(), port=0)
    try:
        with calc.CalculatorSoap(f"http://127.0.0.1:{server.server_port}/", timeout=0.2) as cl:
            with pytest.raises(TransportError, match="Timeout"):
                cl.add(1, 2)
    finally:
        gate.set()
        server.shutdown()
        server.server_close()
