"""Operations, messages, parts, headers and faults: what a binding says about one call.

Generated once per binding operation (``s.operation(...)``, re-exported by schema);
the envelope module arranges a message's body and headers from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from idlgen_runtime.soap.errors import SchemaError

if TYPE_CHECKING:  # schema re-exports this module: no import back at run time
    from idlgen_runtime.soap.schema import ElementDecl


@dataclass(frozen=True)
class Part:
    """A WSDL message part: by global element (document) or by type (rpc)."""

    name: str
    element: ElementDecl | None = None
    type: Any = None


def part(name: str, *, element: ElementDecl | None = None, type: Any = None) -> Part:
    """A message part; exactly one of ``element`` and ``type``."""
    if (element is None) == (type is None):
        raise SchemaError(f"part {name}: give exactly one of element= and type=")
    return Part(name, element, type)


@dataclass(frozen=True)
class HeaderPart:
    """A soap:header of an operation: a global element, passed by parameter name."""

    name: str
    element: ElementDecl
    required: bool = False
    must_understand: bool = False


def header_part(
    name: str, element: ElementDecl, *, required: bool = False, must_understand: bool = False
) -> HeaderPart:
    """A SOAP header block an operation sends or receives."""
    return HeaderPart(name, element, required, must_understand)


@dataclass(frozen=True)
class Message:
    """One direction of an operation: parts, the wrapper element (doc/literal wrapped), headers."""

    parts: tuple[Part, ...] = ()
    wrapper: ElementDecl | None = None
    headers: tuple[HeaderPart, ...] = ()


def message(
    parts: Sequence[Part] = (),
    wrapper: ElementDecl | None = None,
    headers: Sequence[HeaderPart] = (),
) -> Message:
    """A message description (see ``operation``)."""
    return Message(tuple(parts), wrapper, tuple(headers))


@dataclass(frozen=True)
class FaultInfo:
    """A WSDL fault of an operation: the generated exception class and its detail element."""

    name: str
    cls: type
    detail: ElementDecl | None


def fault(name: str, cls: type, detail: ElementDecl | None) -> FaultInfo:
    """A declared fault: ``cls`` derives from ``Fault``; ``detail`` is its detail element."""
    return FaultInfo(name, cls, detail)


SOAP_ENC_11 = "http://schemas.xmlsoap.org/soap/encoding/"


@dataclass(frozen=True)
class Operation:
    """A bound operation: everything the envelope code needs, fixed at generation time."""

    name: str
    soap_version: str
    action: str | None
    style: str
    use: str
    namespace: str
    encoding_style: str | None
    input: Message
    output: Message | None
    faults: tuple[FaultInfo, ...] = field(default=())

    @property
    def request_element(self) -> str:
        """The Clark name of the first body element of a request (server dispatch)."""
        if self.style == "rpc":
            return f"{{{self.namespace}}}{self.name}" if self.namespace else self.name
        if self.input.wrapper is not None:
            return self.input.wrapper.name
        for p in self.input.parts:
            if p.element is not None:
                return p.element.name
        return ""


def operation(
    name: str,
    *,
    soap_version: str = "1.1",
    action: str | None = None,
    style: str = "document",
    use: str = "literal",
    namespace: str = "",
    encoding_style: str | None = None,
    input: Message,
    output: Message | None = None,
    faults: Sequence[FaultInfo] = (),
) -> Operation:
    """Describe a bound SOAP operation (generated once per binding operation)."""
    if soap_version not in ("1.1", "1.2"):
        raise SchemaError(f"operation {name}: soap_version must be '1.1' or '1.2'")
    if style not in ("document", "rpc") or use not in ("literal", "encoded"):
        raise SchemaError(f"operation {name}: style {style!r} / use {use!r}")
    if use == "encoded" and encoding_style is None:
        encoding_style = SOAP_ENC_11
    return Operation(
        name,
        soap_version,
        action,
        style,
        use,
        namespace,
        encoding_style,
        input,
        output,
        tuple(faults),
    )
