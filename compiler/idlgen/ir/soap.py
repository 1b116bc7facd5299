"""WSDL / SOAP annotations: bindings, actions, addresses."""

from __future__ import annotations

from dataclasses import dataclass

from idlgen.ir.core import Node


@dataclass(frozen=True, slots=True)
class Binding(Node):
    """A SOAP binding of an Interface: protocol version, default style, transport."""

    name: str
    soap_version: str  # "1.1" | "1.2"
    style: str = "document"  # "document" | "rpc"
    transport: str = "http://schemas.xmlsoap.org/soap/http"


@dataclass(frozen=True, slots=True)
class OperationBinding(Node):
    """How one operation crosses the wire: SOAPAction, style, use, body namespace."""

    action: str | None
    style: str = "document"
    use: str = "literal"  # "literal" | "encoded"
    namespace: str | None = None
    #: Message parts carried in the SOAP header, by part name.
    headers: tuple[str, ...] = ()
    #: document/literal wrapped: the operation's element wraps the parameters.
    wrapped: bool = False
