"""SOAP calls side by side: the generated client vs zeep, the generated server vs spyne.

1. calls/s of ``echo_person`` (a Person with a list of emails and a nested
   Address) against one server in a child process on 127.0.0.1: the
   generated client (httpx, keep-alive) vs zeep (requests) -- goal >= 3x.
   Twice: against the generated server under the runtime's stdlib server
   (wsgiref: one connection per call, the server bounds both clients), and
   against an asyncio HTTP/1.1 keep-alive server answering the generated
   server's reply bytes (so that the clients' own work shows);
2. requests/s of the generated server's WSGI app vs a spyne WSGI app of the
   same service, both called in this process with the same request bytes
   (no HTTP server: the two frameworks' own work) -- goal >= 3x.

Unpinned figures on a shared 2-core machine swing between runs (FIELD-NOTES);
each side runs for the same wall time, the ratio is what to read.

    .venv/bin/python bench/soap/bench_calls.py
"""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WSDL = ROOT / "examples" / "calculator" / "calculator.wsdl"
SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))

SERVER = """
import sys
sys.path.insert(0, sys.argv[1])
from calculator import server
from idlgen_runtime.soap import server as srv

class Calculator(server.CalculatorService):
    def add(self, a, b):
        return a + b

    def echo_person(self, person):
        return person

httpd = srv.make_server_for(Calculator(), port=0)
print(httpd.server_port, flush=True)
httpd.serve_forever()
"""

CANNED = r"""
import asyncio, sys

REPLY = open(sys.argv[1], "rb").read()
HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n"
    b"Content-Length: %d\r\n\r\n" % len(REPLY)
)


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            writer.write(HEAD + REPLY)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"""


def _rate(fn: Callable[[], Any]) -> float:
    """Calls per second of ``fn`` over SECONDS of wall time (after a warm-up call)."""
    return _rates(fn)[0]


def _rates(fn: Callable[[], Any]) -> tuple[float, float]:
    """(calls per wall second, this process's CPU microseconds per call) of ``fn``."""
    fn()
    n, start, cpu = 0, time.perf_counter(), time.process_time()
    deadline = start + SECONDS
    while True:
        for _ in range(20):
            fn()
        n += 20
        now = time.perf_counter()
        if now >= deadline:
            return n / (now - start), (time.process_time() - cpu) / n * 1e6


def _client_rates(
    argv: list[str], client: Any, person: Any
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(generated, zeep) (calls/s, client CPU µs/call) against the child process's server."""
    import zeep

    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        url = f"http://127.0.0.1:{child.stdout.readline().strip()}/"
        with client.CalculatorService.connect(url) as c:
            assert c.echo_person(person=person) == person
            ours = _rates(lambda: c.echo_person(person=person))
        z = zeep.Client(str(WSDL)).create_service("{urn:idlgen:calculator}CalculatorSoap", url)
        zp = {
            "name": person.name,
            "age": person.age,
            "emails": person.emails,
            "address": {"street": person.address.street, "city": person.address.city},
        }
        assert z.echo_person(person=zp).name == person.name
        theirs = _rates(lambda: z.echo_person(person=zp))
    finally:
        child.terminate()
        child.wait(timeout=10)
    return ours, theirs


def _spyne_app() -> Any:
    from spyne import Application, ComplexModel, Integer, Service, Unicode, rpc
    from spyne.protocol.soap import Soap11
    from spyne.server.wsgi import WsgiApplication

    class Address(ComplexModel):
        __namespace__ = "urn:idlgen:calculator"
        street = Unicode
        city = Unicode

    class Person(ComplexModel):
        __namespace__ = "urn:idlgen:calculator"
        name = Unicode
        age = Integer
        emails = Unicode(max_occurs="unbounded")
        address = Address

    class Calc(Service):
        @rpc(Person, _returns=Person)
        def echo_person(ctx: Any, person: Any) -> Any:
            return person

    app = Application(
        [Calc], tns="urn:idlgen:calculator", in_protocol=Soap11(), out_protocol=Soap11()
    )
    return WsgiApplication(app)


def _wsgi_caller(app: Any, body: bytes, action: str) -> Callable[[], bytes]:
    status: list[str] = []

    def start_response(s: str, headers: Any, exc_info: Any = None) -> None:
        status.append(s)

    def call() -> bytes:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_TYPE": "text/xml; charset=utf-8",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_SOAPACTION": f'"{action}"',
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        out = b"".join(app(environ, start_response))
        if not status[-1].startswith("200"):
            raise RuntimeError(f"{status[-1]}: {out[:300]!r}")
        return out

    return call


def main() -> int:
    from idlgen import driver
    from idlgen.render import write_files
    from idlgen_runtime.soap import envelope

    with tempfile.TemporaryDirectory() as tmp:
        write_files(driver.compile_file(WSDL, driver.Options()).files, Path(tmp))
        sys.path.insert(0, tmp)
        modules = ("types", "bindings", "client", "server")
        calc = {m: importlib.import_module(f"calculator.{m}") for m in modules}
        types = calc["types"]
        person = types.Person(
            name="Ada Lovelace",
            age=36,
            emails=["ada@example.org", "ada@analytical.engine", "countess@lovelace.uk"],
            address=types.Address(street="12 St James's Square", city="London"),
        )
        op = calc["bindings"].CalculatorSoap.echo_person
        reply = Path(tmp) / "reply.xml"
        reply.write_bytes(envelope.write_response(op, person))
        print(f"{'echo_person calls/s':<28}{'generated':>12}{'zeep':>12}{'ratio':>9}")
        for label, argv in (
            ("-> generated, wsgiref", [sys.executable, "-c", SERVER, tmp]),
            ("-> keep-alive, canned", [sys.executable, "-c", CANNED, str(reply)]),
        ):
            ours, theirs = _client_rates(argv, calc["client"], person)
            print(f"{label:<28}{ours[0]:>12.0f}{theirs[0]:>12.0f}{ours[0] / theirs[0]:>8.1f}x")
            cpu = "  client CPU µs/call"
            print(f"{cpu:<28}{ours[1]:>12.0f}{theirs[1]:>12.0f}{theirs[1] / ours[1]:>8.1f}x")

        body = envelope.write_request(op, (person,))

        class Impl(calc["server"].CalculatorService):  # type: ignore[misc, name-defined]
            def echo_person(self, person: Any) -> Any:
                return person

        app = calc["server"].CalculatorService.wsgi_app(Impl())
        ours_app = _wsgi_caller(app, body, op.action)
        spyne_app = _wsgi_caller(_spyne_app(), body, "echo_person")
        assert b"Ada Lovelace" in ours_app() and b"Ada Lovelace" in spyne_app()
        ours, theirs = _rate(ours_app), _rate(spyne_app)
        print(f"\n{'echo_person requests/s':<28}{'generated':>12}{'spyne':>12}{'ratio':>9}")
        print(f"{'WSGI app, in process':<28}{ours:>12.0f}{theirs:>12.0f}{ours / theirs:>8.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
