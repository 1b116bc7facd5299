"""SOAP clients over httpx: ``Client`` (sync) and ``AsyncClient`` (asyncio).

One ``httpx.Client`` per SOAP client keeps HTTP/1.1 connections alive between
calls; timeouts, TLS (``verify``, ``cert``), basic auth and extra HTTP headers are
httpx's own options. A WS-Security UsernameToken goes into every request's header.

A response is read with a size limit (streamed, so a huge answer is refused
before it is held) and parsed by the hardened parser. A SOAP fault in the body
raises the operation's generated fault class (chosen by the detail element) or
plain ``Fault``; an HTTP error without a fault raises ``HttpError``; connection
problems and timeouts raise ``TransportError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import httpx

from idlgen_runtime.soap import envelope, wsse, xml
from idlgen_runtime.soap.errors import HttpError, TransportError, XmlError
from idlgen_runtime.soap.schema import Operation
from idlgen_runtime.soap.wsse import UsernameToken

__all__ = ["AsyncClient", "Client", "UsernameToken"]

DEFAULT_TIMEOUT = 30.0


class _Base:
    """What both clients share: options, request building, response handling."""

    def __init__(
        self,
        address: str,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        verify: Any = True,
        cert: Any = None,
        auth: tuple[str, str] | None = None,
        username_token: tuple[str, str] | UsernameToken | None = None,
        headers: Mapping[str, str] | None = None,
        transport: Any = None,
        max_size: int = xml.MAX_SIZE,
        max_depth: int = xml.MAX_DEPTH,
    ) -> None:
        self.address = address
        if isinstance(username_token, tuple):
            username_token = UsernameToken(*username_token)
        self.username_token = username_token
        self.max_size = max_size
        self.max_depth = max_depth
        #: the declared header parts of the last response, by part name
        self.last_response_headers: dict[str, Any] = {}
        self._options: dict[str, Any] = {
            "timeout": timeout,
            "verify": verify,
            "cert": cert,
            "auth": httpx.BasicAuth(*auth) if auth else None,
            "headers": dict(headers or {}),
            "transport": transport,
        }
        if cert is None:
            del self._options["cert"]
        self._open()

    def _open(self) -> None:
        raise NotImplementedError

    def _request(
        self, op: Operation, args: Sequence[Any], headers: Mapping[str, Any] | None
    ) -> tuple[bytes, dict[str, str]]:
        extra = [wsse.header(self.username_token)] if self.username_token else []
        data = envelope.write_request(op, args, headers, extra)
        return data, envelope.http_headers(op.soap_version, op.action)

    def _response(self, op: Operation, status: int, reason: str, ctype: str, body: bytes) -> Any:
        if op.output is None and status in (200, 202) and not body.strip():
            return None
        if not body.strip() or ("xml" not in ctype and status != 200):
            if status >= 300 or not body.strip():
                raise HttpError(status, reason, body)
        try:
            env = envelope.parse(body, max_size=self.max_size, max_depth=self.max_depth)
        except XmlError:
            if status >= 300:
                raise HttpError(status, reason, body) from None
            raise
        if status >= 300 and envelope.fault_element(env) is None:
            raise HttpError(status, reason, body)
        result, headers = envelope.read_response(op, env)
        self.last_response_headers = headers
        return result

    def _too_large(self) -> XmlError:
        from idlgen_runtime.soap.errors import XmlSecurityError

        return XmlSecurityError(f"response larger than {self.max_size} bytes")


class Client(_Base):
    """A synchronous SOAP client for one port; generated subclasses add the operations."""

    _http: httpx.Client

    def _open(self) -> None:
        self._http = httpx.Client(**self._options)

    def _call(
        self, op: Operation, args: Sequence[Any], headers: Mapping[str, Any] | None = None
    ) -> Any:
        data, http_headers = self._request(op, args, headers)
        try:
            with self._http.stream(
                "POST", self.address, content=data, headers=http_headers
            ) as resp:
                chunks = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_size:
                        raise self._too_large()
                    chunks.append(chunk)
                status, reason = resp.status_code, resp.reason_phrase
                ctype = resp.headers.get("content-type", "")
        except httpx.HTTPError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}") from exc
        return self._response(op, status, reason, ctype, b"".join(chunks))

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(_Base):
    """The asyncio twin of ``Client`` (``await client.method(...)``)."""

    _http: httpx.AsyncClient

    def _open(self) -> None:
        self._http = httpx.AsyncClient(**self._options)

    async def _acall(
        self, op: Operation, args: Sequence[Any], headers: Mapping[str, Any] | None = None
    ) -> Any:
        data, http_headers = self._request(op, args, headers)
        try:
            async with self._http.stream(
                "POST", self.address, content=data, headers=http_headers
            ) as resp:
                chunks = []
                size = 0
                async for chunk in resp.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_size:
                        raise self._too_large()
                    chunks.append(chunk)
                status, reason = resp.status_code, resp.reason_phrase
                ctype = resp.headers.get("content-type", "")
        except httpx.HTTPError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}") from exc
        return self._response(op, status, reason, ctype, b"".join(chunks))

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
