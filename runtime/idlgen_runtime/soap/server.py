"""SOAP servers: one dispatcher, served as a WSGI app, a pure ASGI 3 app, or by ``serve``.

The dispatcher does everything that is not HTTP plumbing, so the WSGI and ASGI
apps stay a few lines each and behave the same:

- ``GET ...?wsdl`` answers the service's WSDL;
- a POST is parsed by the hardened parser (size-limited before reading, depth
  after); anything that is not a SOAP envelope gets a Client (1.1) / Sender (1.2)
  fault with HTTP 500, in the version the request's content type names;
- the operation is found by SOAPAction (1.1), the ``action`` content-type
  parameter (1.2), or the first body element's QName;
- header blocks marked mustUnderstand that the operation does not declare get a
  MustUnderstand fault; declared header parts reach the method as keyword arguments,
  and ``response_headers()`` lets the method set the reply's;
- a ``Fault`` raised by the implementation is sent with its detail (the generated
  fault classes' detail element); any other exception becomes a Server/Receiver
  fault that says only "internal error" (the traceback goes to the ``logging``
  module, never to the client).
"""

from __future__ import annotations

import contextvars
import inspect
import logging
import socketserver
import threading
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

from idlgen_runtime.soap import envelope, xml
from idlgen_runtime.soap.errors import Fault, SchemaError, XmlError, XmlSecurityError, XsdValueError
from idlgen_runtime.soap.schema import Operation
from idlgen_runtime.soap.wsse import Verifier as UsernameTokenVerifier

__all__ = [
    "CallContext",
    "Dispatcher",
    "Service",
    "UsernameTokenVerifier",
    "asgi_app",
    "current",
    "make_server_for",
    "response_headers",
    "serve",
    "serve_in_thread",
    "wsgi_app",
]

log = logging.getLogger("idlgen_runtime.soap.server")

Ops = Mapping[str, tuple[str, Operation]]


@dataclass
class CallContext:
    """What a method may look at or set beyond its parameters (``current()``)."""

    request_headers: dict[str, Any] = field(default_factory=dict)
    response_headers: dict[str, Any] = field(default_factory=dict)
    http_headers: dict[str, str] = field(default_factory=dict)
    user: str | None = None


_context: contextvars.ContextVar[CallContext] = contextvars.ContextVar("soap_call")


def current() -> CallContext:
    """The context of the call being served (raises LookupError outside a call)."""
    return _context.get()


def response_headers() -> dict[str, Any]:
    """The header values (by part name) the current call's response will carry."""
    return _context.get().response_headers


@dataclass
class Response:
    """What the HTTP layer sends."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


_REASONS = {
    200: "OK",
    202: "Accepted",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
}


class Dispatcher:
    """Routes a request to the implementation and turns the outcome into a response."""

    def __init__(
        self,
        impl: Any,
        ops: Ops,
        wsdl: str | None = None,
        *,
        max_size: int = xml.MAX_SIZE,
        max_depth: int = xml.MAX_DEPTH,
        authenticate: Callable[[list[Any]], str] | None = None,
    ) -> None:
        self.impl = impl
        self.ops = dict(ops)
        self.wsdl = wsdl.encode("utf-8") if isinstance(wsdl, str) else wsdl
        self.max_size = max_size
        self.max_depth = max_depth
        self.authenticate = authenticate
        self._by_name_version = {(op.name, op.soap_version): (m, op) for m, op in self.ops.values()}

    # --- before the call ------------------------------------------------------------
    def get(self, query: str) -> Response:
        """A GET: the WSDL at ``?wsdl``, else 404."""
        q = query.lower()
        if self.wsdl is not None and (q == "wsdl" or q.startswith("wsdl=") or q == "singlewsdl"):
            return Response(200, [("Content-Type", "text/xml; charset=utf-8")], self.wsdl)
        return Response(404, [("Content-Type", "text/plain")], b"not found (try ?wsdl)\n")

    def prepare(self, headers: Mapping[str, str], body: bytes) -> Response | _Call:
        """Parse and route a POST: a response right away (a fault), or the call to make."""
        ctype = headers.get("content-type", "")
        version = "1.2" if "application/soap+xml" in ctype else "1.1"
        try:
            env = envelope.parse(body, max_size=self.max_size, max_depth=self.max_depth)
        except XmlSecurityError as exc:
            return self.fault(version, Fault(f"message refused: {exc}", "Client"))
        except XmlError as exc:
            return self.fault(version, Fault(f"malformed request: {exc}", "Client"))
        version = env.version
        action = _action(version, headers, ctype)
        entry = self.ops.get(action) if action else None
        if entry is None and env.body:
            entry = self.ops.get(env.body[0].tag)
        if entry is None:
            what = env.body[0].tag if env.body else "an empty Body"
            return self.fault(version, Fault(f"no operation for {action or what}", "Client"))
        method, op = entry
        if op.soap_version != version:
            other = self._by_name_version.get((op.name, version))
            if other is None:
                return self.fault(
                    version,
                    Fault(f"{op.name} is a SOAP {op.soap_version} operation", "VersionMismatch"),
                )
            method, op = other
        known = {hp.element.name for hp in op.input.headers}
        if self.authenticate is not None:
            known.add(f"{{{_WSSE}}}Security")
        missing = envelope.not_understood(version, known, env.header)
        if missing is not None:
            return self.fault(version, Fault(f"header {missing} not understood", "MustUnderstand"))
        ctx = CallContext(http_headers=dict(headers))
        try:
            if self.authenticate is not None:
                ctx.user = self.authenticate(env.header)
            args = envelope.read_body(op, op.input, env.body, False)
            ctx.request_headers = envelope.read_headers(version, op.input.headers, env.header)
        except Fault as exc:
            return self.fault(version, exc, op)
        except (XmlError, XsdValueError, SchemaError) as exc:
            return self.fault(version, Fault(f"bad request: {exc}", "Client"), op)
        kwargs = {hp.name: ctx.request_headers.get(hp.name) for hp in op.input.headers}
        func = getattr(self.impl, method, None)
        if func is None:
            return self.fault(version, Fault(f"{op.name} is not implemented", "Server"), op)
        return _Call(op, func, args, kwargs, ctx)

    # --- after the call -------------------------------------------------------------
    def finish(self, call: _Call, result: Any) -> Response:
        """The response for a method's return value."""
        op = call.op
        if op.output is None:
            return Response(202, [], b"")
        try:
            body = envelope.write_response(op, result, call.ctx.response_headers)
        except (XsdValueError, SchemaError) as exc:
            log.error("%s returned a value that does not fit its output: %s", op.name, exc)
            return self.fault(op.soap_version, Fault("internal error: bad result", "Server"), op)
        return Response(200, [("Content-Type", envelope.CONTENT_TYPE[op.soap_version])], body)

    def failed(self, call: _Call, exc: BaseException) -> Response:
        """The fault response for an exception the method raised."""
        if isinstance(exc, Fault):
            return self.fault(call.op.soap_version, exc, call.op)
        log.error("%s raised", call.op.name, exc_info=exc)
        return self.fault(call.op.soap_version, Fault("internal error", "Server"), call.op)

    def fault(self, version: str, fault: Fault, op: Operation | None = None) -> Response:
        """A fault response (HTTP 500, as both SOAP bindings say)."""
        try:
            body = envelope.write_fault(version, fault, op)
        except (XsdValueError, SchemaError) as exc:
            log.error("fault detail cannot be written: %s", exc)
            body = envelope.write_fault(version, Fault(fault.string, fault.code), None)
        return Response(500, [("Content-Type", envelope.CONTENT_TYPE[version])], body)

    def handle(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> Response:
        """One whole synchronous exchange (the WSGI path)."""
        if method == "GET":
            return self.get(query)
        if method != "POST":
            return Response(405, [("Allow", "GET, POST")], b"")
        call = self.prepare(headers, body)
        if isinstance(call, Response):
            return call
        token = _context.set(call.ctx)
        try:
            result = call.func(*call.args, **call.kwargs)
            if inspect.isawaitable(result):
                raise SchemaError(f"{call.op.name} is a coroutine: serve it with asgi_app")
        except Exception as exc:  # noqa: BLE001 -- every failure becomes a fault
            return self.failed(call, exc)
        finally:
            _context.reset(token)
        return self.finish(call, result)


_WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"


@dataclass
class _Call:
    op: Operation
    func: Callable[..., Any]
    args: list[Any]
    kwargs: dict[str, Any]
    ctx: CallContext


def _action(version: str, headers: Mapping[str, str], ctype: str) -> str:
    if version == "1.1":
        return headers.get("soapaction", "").strip().strip('"')
    for param in ctype.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "action":
            return value.strip().strip('"')
    return ""


# --- WSGI -------------------------------------------------------------------------------

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(impl: Any, ops: Ops, wsdl_text: str | None = None, **options: Any) -> WsgiApp:
    """A WSGI application serving ``impl`` (options: max_size, max_depth, authenticate)."""
    dispatcher = Dispatcher(impl, ops, wsdl_text, **options)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        body = b""
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or -1)
            except ValueError:
                length = -1
            if length > dispatcher.max_size:
                resp = dispatcher.fault(
                    "1.2" if "soap+xml" in headers["content-type"] else "1.1",
                    Fault(f"message refused: larger than {dispatcher.max_size} bytes", "Client"),
                )
                return _wsgi_send(start_response, resp)
            stream = environ["wsgi.input"]
            if length >= 0:
                body = stream.read(length)
            elif environ.get("wsgi.input_terminated"):  # chunked, and the server ends the stream
                body = stream.read(dispatcher.max_size + 1)
        resp = dispatcher.handle(method, environ.get("QUERY_STRING", ""), headers, body)
        return _wsgi_send(start_response, resp)

    return app


def _wsgi_send(start_response: Callable[..., Any], resp: Response) -> list[bytes]:
    headers = resp.headers + [("Content-Length", str(len(resp.body)))]
    start_response(f"{resp.status} {_REASONS.get(resp.status, '')}", headers)
    return [resp.body]


# --- ASGI -------------------------------------------------------------------------------

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
AsgiApp = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]


def asgi_app(impl: Any, ops: Ops, wsdl_text: str | None = None, **options: Any) -> AsgiApp:
    """A pure ASGI 3 application serving ``impl``; methods may be ``async def``.

    Plain methods run on the event loop: keep them quick, or make them async.
    """
    dispatcher = Dispatcher(impl, ops, wsdl_text, **options)

    async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        query = scope.get("query_string", b"").decode("latin-1")
        body = bytearray()
        if method == "POST":
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > dispatcher.max_size:
                    version = "1.2" if "soap+xml" in headers.get("content-type", "") else "1.1"
                    too_large = Fault(
                        f"message refused: larger than {dispatcher.max_size}", "Client"
                    )
                    return await _asgi_send(send, dispatcher.fault(version, too_large))
        if method != "POST":
            return await _asgi_send(send, dispatcher.handle(method, query, headers, b""))
        call = dispatcher.prepare(headers, bytes(body))
        if isinstance(call, Response):
            return await _asgi_send(send, call)
        token = _context.set(call.ctx)
        try:
            result = call.func(*call.args, **call.kwargs)
            if inspect.isawaitable(result):
                result = await result
        except Exception as exc:  # noqa: BLE001 -- every failure becomes a fault
            resp = dispatcher.failed(call, exc)
        else:
            resp = dispatcher.finish(call, result)
        finally:
            _context.reset(token)
        await _asgi_send(send, resp)

    return app


async def _asgi_send(send: Send, resp: Response) -> None:
    headers = [(k.lower().encode(), v.encode()) for k, v in resp.headers]
    headers.append((b"content-length", str(len(resp.body)).encode()))
    await send({"type": "http.response.start", "status": resp.status, "headers": headers})
    await send({"type": "http.response.body", "body": resp.body})


# --- the generated base class and the stdlib server -------------------------------------


class Service:
    """Base of generated service classes: a dispatch table and the WSDL text."""

    _soap_ops: dict[str, tuple[str, Operation]] = {}
    _wsdl: str | None = None

    @classmethod
    def wsgi_app(cls, impl: Any, **options: Any) -> WsgiApp:
        """A WSGI application serving ``impl`` (an instance of a subclass)."""
        return wsgi_app(impl, cls._soap_ops, cls._wsdl, **options)

    @classmethod
    def asgi_app(cls, impl: Any, **options: Any) -> AsgiApp:
        """An ASGI 3 application serving ``impl``."""
        return asgi_app(impl, cls._soap_ops, cls._wsdl, **options)


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 drops bursts of concurrent clients


class _Body:
    """``wsgi.input`` limited to the request's Content-Length (the rest is the next request)."""

    def __init__(self, stream: Any, length: int) -> None:
        self.stream = stream
        self.left = length

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self.left:
            size = self.left
        data: bytes = self.stream.read(size) if size else b""
        self.left -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        if size < 0 or size > self.left:
            size = self.left
        data: bytes = self.stream.readline(size) if size else b""
        self.left -= len(data)
        return data


class _ServerHandler(ServerHandler):
    http_version = "1.1"

    def _flush(self) -> None:
        pass  # the connection's buffered writer is flushed once per response (one send)


class _KeepAliveHandler(WSGIRequestHandler):
    """wsgiref's handler, but HTTP/1.1 with keep-alive: many requests per connection.

    wsgiref answers one request per connection (HTTP/1.0); a SOAP client that keeps its
    connection open then pays a TCP handshake and a new thread per call. Bodies are
    read through a Content-Length-limited stream; what the app left unread is drained
    (up to 64 KiB) or the connection is closed, so the next request starts clean.
    """

    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle keep-alive connection gives its thread back
    # wsgiref writes the status line, headers and body in separate sends: without
    # TCP_NODELAY, Nagle + delayed ACK stall each kept-alive response by ~40 ms
    disable_nagle_algorithm = True
    wbufsize = 65536

    def handle(self) -> None:
        self.close_connection = True
        self._one()
        while not self.close_connection:
            self._one()

    def _one(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except OSError:
            self.close_connection = True
            return
        if not self.raw_requestline or len(self.raw_requestline) > 65536:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            length = 0
        body = _Body(self.rfile, length)
        handler = _ServerHandler(
            body, self.wfile, self.get_stderr(), self.get_environ(), multithread=True  # type: ignore[arg-type]
        )
        handler.request_handler = self  # type: ignore[attr-defined]  # wsgiref's back-pointer
        handler.run(self.server.get_app())  # type: ignore[attr-defined]
        self.wfile.flush()
        if body.left > 65536:
            self.close_connection = True
        elif body.left:
            body.read()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- stdlib's name
        log.debug("%s " + format, self.address_string(), *args)


def make_server_for(
    impl: Any, port: int = 8000, host: str = "127.0.0.1", **options: Any
) -> WSGIServer:
    """A threaded stdlib WSGI server for ``impl`` (not started; ``port=0`` picks a free one).

    HTTP/1.1 with keep-alive, one thread per connection.
    """
    cls = type(impl)
    ops = getattr(cls, "_soap_ops", None)
    if ops is None:
        raise SchemaError(f"{cls.__qualname__} is not a generated SOAP service (no _soap_ops)")
    app = wsgi_app(impl, ops, getattr(cls, "_wsdl", None), **options)
    return make_server(host, port, app, _ThreadingServer, _KeepAliveHandler)


def serve(impl: Any, port: int = 8000, host: str = "127.0.0.1", **options: Any) -> None:
    """Serve ``impl`` with the standard library until interrupted (a quick start)."""
    server = make_server_for(impl, port, host, **options)
    log.info("serving SOAP on http://%s:%d/", host, server.server_port)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def serve_in_thread(
    impl: Any, port: int = 0, host: str = "127.0.0.1", **options: Any
) -> WSGIServer:
    """Start ``make_server_for`` in a daemon thread; stop it with ``.shutdown()``."""
    server = make_server_for(impl, port, host, **options)
    threading.Thread(target=server.serve_forever, daemon=True, name="soap-serve").start()
    return server
