"""The SOAP runtime's exceptions: one family under ``IdlgenRuntimeError``.

A caller catches ``SoapError`` for anything the SOAP runtime raises on purpose;
``Fault`` is the one that carries a SOAP fault (sent or received), and the
generated fault classes derive from it.
"""

from __future__ import annotations

from typing import Any

from idlgen_runtime.errors import IdlgenRuntimeError


class SoapError(IdlgenRuntimeError):
    """Base class of every error of idlgen_runtime.soap."""


class XmlError(SoapError, ValueError):
    """A message that is not well-formed XML, or not the XML that was expected."""


class XmlSecurityError(XmlError):
    """A message refused for safety: a DTD or entity, too large, or nested too deep."""


class XsdValueError(SoapError, ValueError):
    """A value outside its XML Schema type (lexical form, range, facet)."""


class SchemaError(SoapError, TypeError):
    """A descriptor that cannot be used: unknown type name, wrong Python type for a field."""


class TransportError(SoapError):
    """The HTTP exchange failed before a SOAP answer arrived (connection, timeout)."""


class HttpError(TransportError):
    """The server answered with an HTTP error status and no SOAP fault in the body."""

    def __init__(self, status: int, reason: str, body: bytes) -> None:
        super().__init__(f"HTTP {status} {reason}".rstrip())
        self.status = status
        self.reason = reason
        self.body = body[:4096]


class Fault(SoapError):
    """A SOAP fault: raised by a server implementation, or by a client that received one.

    ``code`` is a QName text ``"{ns}local"`` (SOAP 1.1 faultcode; SOAP 1.2 Code/Value),
    ``subcodes`` the 1.2 Subcode values, ``string`` (alias ``reason``) the human text,
    ``actor`` the 1.1 faultactor / 1.2 Role, ``detail`` the typed detail object (a generated
    fault's dataclass) or a list of lxml elements when the detail is not known.
    Generated fault classes set ``_detail_element`` (an element declaration) so that the
    server writes their detail and the client picks the class by the detail's element.
    """

    _detail_element: Any = None

    def __init__(
        self,
        string: str = "",
        code: str | None = None,
        *,
        detail: Any = None,
        actor: str | None = None,
        subcodes: tuple[str, ...] = (),
        lang: str = "en",
    ) -> None:
        super().__init__(string)
        self.string = string
        self.code = code
        self.detail = detail
        self.actor = actor
        self.subcodes = subcodes
        self.lang = lang

    @property
    def reason(self) -> str:
        """SOAP 1.2's name for the fault string."""
        return self.string

    def __repr__(self) -> str:
        return f"{type(self).__name__}(string={self.string!r}, code={self.code!r})"
