"""WSDL / SOAP annotations: bindings, actions, addresses, messages, encoded arrays.

A WSDL 1.1 portType or a WSDL 2.0 interface is an :class:`~idlgen.ir.Interface`;
each of its bindings is a :class:`Binding` on it (a portType bound for SOAP 1.1
and for SOAP 1.2 has two), and each operation carries one
:class:`OperationBinding` per binding, tied to it by ``binding`` (the binding's
local name) and ``binding_namespace``. A port names its binding with
:class:`PortBinding`.
"""

from __future__ import annotations

from dataclasses import dataclass

from idlgen.ir.core import Named, Node, Type


@dataclass(frozen=True, slots=True)
class Binding(Node):
    """A binding of an Interface: protocol version, default style, transport.

    ``protocol`` is ``"soap"`` (``soap_version`` "1.1" or "1.2"), ``"http"``
    (WSDL 1.1 HTTP GET/POST, ``verb`` the method; WSDL 2.0 HTTP) or ``"other"``.
    """

    name: str
    soap_version: str  # "1.1" | "1.2" ("" when not SOAP)
    style: str = "document"  # "document" | "rpc"
    transport: str = "http://schemas.xmlsoap.org/soap/http"
    namespace: str | None = None
    protocol: str = "soap"
    verb: str | None = None


@dataclass(frozen=True, slots=True)
class Header(Node):
    """A ``soap:header``: one part of a message carried in the SOAP header."""

    message: Named
    part: str
    use: str = "literal"
    namespace: str | None = None
    #: ``soap:header`` of the input (``"in"``) or of the output (``"out"``).
    direction: str = "in"


@dataclass(frozen=True, slots=True)
class FaultBinding(Node):
    """A ``soap:fault`` (1.1) or a WSDL 2.0 binding fault: how one fault is sent."""

    name: str
    use: str = "literal"
    namespace: str | None = None
    #: WSDL 2.0 ``wsoap:code`` (``soap:Sender``), as written.
    code: str | None = None


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
    #: The binding this belongs to (see the module docstring).
    binding: str = ""
    binding_namespace: str | None = None
    #: The ``soap:header`` elements of the input and output, in order.
    soap_headers: tuple[Header, ...] = ()
    faults: tuple[FaultBinding, ...] = ()
    #: rpc/encoded: the ``encodingStyle`` URI of the body.
    encoding_style: str | None = None
    #: The body's ``parts=`` (None: every part of the message not in a header).
    body_parts: tuple[str, ...] | None = None
    #: The output's use/namespace when they differ from the input's.
    output_use: str | None = None
    output_namespace: str | None = None


@dataclass(frozen=True, slots=True)
class FaultRef(Node):
    """One ``wsdl:fault`` of an operation: its name and what it carries.

    ``exception`` names the :class:`~idlgen.ir.Exception_` raised (also in
    ``Operation.raises``); ``direction`` is WSDL 2.0's ``infault``/``outfault``.
    """

    name: str
    exception: Named
    direction: str = "out"


@dataclass(frozen=True, slots=True)
class Messages(Node):
    """The messages an operation exchanges, as the WSDL names them.

    WSDL 1.1: ``input``/``output`` name :class:`~idlgen.ir.Message`s and
    ``pattern`` is ``one-way``, ``request-response``, ``solicit-response`` or
    ``notification``. WSDL 2.0: they name elements (None: ``#none``;
    ``#any`` gives the Param an ``anyType``) and ``pattern`` is the MEP's URI.
    """

    input: Named | None
    output: Named | None
    input_name: str | None = None
    output_name: str | None = None
    faults: tuple[FaultRef, ...] = ()
    pattern: str = "request-response"
    #: WSDL 2.0 operation ``style`` URIs and ``wsdlx:safe``.
    styles: tuple[str, ...] = ()
    safe: bool = False


@dataclass(frozen=True, slots=True)
class PortBinding(Node):
    """Which binding a port (1.1) or endpoint (2.0) uses, and its protocol."""

    binding: str
    namespace: str | None
    protocol: str = "soap"
    soap_version: str = "1.1"


@dataclass(frozen=True, slots=True)
class EncodedArray(Node):
    """A SOAP-ENC array type (restriction of ``soapenc:Array``): its item type and rank.

    From ``wsdl:arrayType="xsd:string[]"`` (``dims`` ``"[]"``, ``"[][]"``,
    ``"[,]"``) or, without one, the element the restriction's sequence holds.
    """

    item: Type
    dims: str = "[]"
