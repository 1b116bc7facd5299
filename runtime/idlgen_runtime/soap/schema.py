"""Descriptors of XML Schema complex types and elements (imported as ``s``).

Generated code describes each dataclass once (``complex_type(Person, "{ns}Person",
(element(...), attribute(...)))``) and each global element (``element_decl``);
these register themselves by QName, so ``ref("{ns}Type")`` and ``xsi:type`` find
them. Nothing is interpreted per call: plans.py compiles each descriptor, on first
use, into a writer and a reader. The operation descriptors live in operations.py
and are re-exported here, so generated code needs only ``schema as s``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from idlgen_runtime.soap import xsd
from idlgen_runtime.soap.errors import SchemaError
from idlgen_runtime.soap.operations import (
    SOAP_ENC_11,
    FaultInfo,
    HeaderPart,
    Message,
    Operation,
    Part,
    fault,
    header_part,
    message,
    operation,
    part,
)
from idlgen_runtime.soap.records import record as record
from idlgen_runtime.soap.xmltext import XML_NS, XSI_NS, escape_attr, escape_text, split

Out = list[str]
Writer = Callable[[Out, Any, str], None]
Reader = Callable[[Any], Any]


class _Compilers:
    """The plan compilers, installed by plans.py when the package loads.

    plans.py needs this module's classes; this module needs plans.py's compilers only
    at first use. Installing them (rather than importing plans here) keeps the
    dependency one way.
    """

    writer: Callable[[Element], Writer]
    reader: Callable[[Element], Reader]
    body: Callable[[TypeInfo], Writer]
    read: Callable[[TypeInfo], Reader]


COMPILE = _Compilers()

# --- registries -------------------------------------------------------------------------

T = TypeVar("T")


class Registry(Generic[T]):
    """QName -> item, per scope and overall.

    The scope is the package of the module that described the item (``calculator`` for
    ``calculator.types``). Two generated packages may describe the same namespace --
    ONVIF's devicemgmt and media both carry onvif.xsd -- and each must resolve its own
    names to its own classes: lookups try the asker's scope first, then the item
    registered last under that QName.
    """

    def __init__(self, initial: dict[str, T] | None = None) -> None:
        self.latest: dict[str, T] = dict(initial or {})
        self.scoped: dict[tuple[str, str], T] = {}

    def add(self, scope: str, qname: str, item: T) -> None:
        """Register ``item`` as ``qname`` of ``scope``."""
        self.latest[qname] = item
        self.scoped[(scope, qname)] = item

    def get(self, qname: str | None, scope: str | None = None) -> T | None:
        """The item of ``scope`` named ``qname``, else the last one registered under it."""
        if qname is None:
            return None
        if scope is not None:
            hit = self.scoped.get((scope, qname))
            if hit is not None:
                return hit
        return self.latest.get(qname)


def scope_of(module: str) -> str:
    """The registry scope of a module: its package (a top-level module is its own)."""
    return module.rpartition(".")[0] or module


def _caller_scope() -> str:
    # the generated module calling ref()/element_decl()/...: two frames up from here
    return scope_of(sys._getframe(2).f_globals.get("__name__", ""))


_TYPES: Registry[TypeInfo] = Registry()
_BY_CLASS: dict[type, TypeInfo] = {}
_SIMPLE: Registry[xsd.Codec[Any]] = Registry(xsd.BUILTINS)
_ELEMENTS: Registry[ElementDecl] = Registry()
_SUBSTITUTES: Registry[list[ElementDecl]] = Registry()
_ARRAYS: Registry[SoapArray] = Registry()


class SoapArray:
    """A SOAP-ENC array type (``restriction base="soapenc:Array"``): values are lists.

    rpc/encoded writes it with ``SOAP-ENC:arrayType="xsd:int[3]"``; read back from any
    array element (``item`` children, or multiRef ``href`` references).
    """

    def __init__(self, item: Any, qname: str = "") -> None:
        self.item = item
        self.qname = qname

    def __repr__(self) -> str:
        return f"<soap array {self.qname or '?'} of {self.item!r}>"


def soap_array(item: Any, qname: str = "") -> SoapArray:
    """A SOAP-ENC array of ``item`` (a codec, class or ref); registered when named."""
    arr = SoapArray(item, qname)
    if qname:
        _ARRAYS.add(_caller_scope(), qname, arr)
    return arr


@dataclass(frozen=True)
class Ref:
    """A type named by QName, resolved on first use (forward and recursive references)."""

    qname: str
    scope: str | None = None  # the package that wrote the reference

    def resolve(self) -> TypeInfo | xsd.Codec[Any] | SoapArray:
        """The complex type's info, the simple type's codec, or the SOAP-ENC array."""
        q, scope = self.qname, self.scope
        found = _TYPES.get(q, scope) or _SIMPLE.get(q, scope) or _ARRAYS.get(q, scope)
        if found is not None:
            return found
        raise SchemaError(f"type {self.qname} is not described (no complex_type/simple_type)")


def ref(qname: str) -> Ref:
    """A reference to the type named ``qname`` (``"{ns}Name"``), in the caller's package."""
    return Ref(qname, _caller_scope())


def simple_type(qname: str, codec: xsd.Codec[Any]) -> xsd.Codec[Any]:
    """Register a named simple type so ``ref`` and ``xsi:type`` find it; returns the codec."""
    if not codec.qname:
        codec.qname = qname
    _SIMPLE.add(_caller_scope(), qname, codec)
    return codec


def type_info(cls: type) -> TypeInfo:
    """The description of a generated dataclass."""
    info = _BY_CLASS.get(cls)
    if info is None:
        raise SchemaError(f"{cls.__qualname__} is not described by schema.complex_type")
    return info


def lookup_type(qname: str, scope: str | None = None) -> TypeInfo | xsd.Codec[Any] | None:
    """The complex type or simple codec registered under ``qname``, if any."""
    return _TYPES.get(qname, scope) or _SIMPLE.get(qname, scope)


def lookup_element(qname: str, scope: str | None = None) -> ElementDecl | None:
    """The global element declared as ``qname``, if any."""
    return _ELEMENTS.get(qname, scope)


def _simple_resolve(t: Any) -> xsd.Codec[Any]:
    r = resolve(t)
    if not isinstance(r, xsd.Codec):
        raise SchemaError(f"{t!r} is not a simple type")
    return r


def resolve(t: Any) -> TypeInfo | xsd.Codec[Any] | SoapArray:
    """A type as given to a descriptor (codec, class, ref, array) made concrete."""
    if isinstance(t, Ref):
        return t.resolve()
    if isinstance(t, (TypeInfo, xsd.Codec, SoapArray)):
        return t
    if isinstance(t, type):
        return type_info(t)
    raise SchemaError(f"{t!r} is not a type (a codec, a described dataclass or schema.ref)")


# --- particles --------------------------------------------------------------------------


class Element:
    """An element particle (or, with ``field=None``, a global element declaration)."""

    def __init__(
        self,
        field: str | None,
        name: str,
        type: Any,
        *,
        min_occurs: int = 1,
        max_occurs: int | None = 1,
        nillable: bool = False,
        default: str | None = None,
    ) -> None:
        self.field = field
        self.name = name
        self.ns, self.local = split(name)
        self.type = type
        self.min_occurs = min_occurs
        self.max_occurs = max_occurs
        self.nillable = nillable
        self.default = default
        self.many = max_occurs is None or max_occurs > 1
        self._writer: Writer | None = None
        self._reader: Reader | None = None

    def __repr__(self) -> str:
        return f"<element {self.name} field={self.field}>"

    @property
    def resolved(self) -> TypeInfo | xsd.Codec[Any] | SoapArray:
        """The element's type, references resolved."""
        return resolve(self.type)

    # Compiled lazily: a type may be described after the element that names it.
    def write(self, out: Out, value: Any, cur: str) -> None:
        """Append the element (or, for a list field, each item's element) to ``out``."""
        w = self._writer
        if w is None:
            w = self._writer = COMPILE.writer(self)
        w(out, value, cur)

    def read(self, elem: Any) -> Any:
        """The value of one parsed element (one item of a list field)."""
        r = self._reader
        if r is None:
            r = self._reader = COMPILE.reader(self)
        return r(elem)


def element(
    field: str,
    name: str,
    type: Any,
    *,
    min_occurs: int = 1,
    max_occurs: int | None = 1,
    nillable: bool = False,
    default: str | None = None,
) -> Element:
    """A child element of a complex type, stored in dataclass field ``field``."""
    return Element(
        field,
        name,
        type,
        min_occurs=min_occurs,
        max_occurs=max_occurs,
        nillable=nillable,
        default=default,
    )


class ElementDecl(Element):
    """A global element (``<xsd:element name=...>`` at the top of a schema)."""

    def __init__(
        self,
        name: str,
        type: Any,
        *,
        nillable: bool = False,
        substitution_group: str | None = None,
        abstract: bool = False,
    ) -> None:
        super().__init__(None, name, type, nillable=nillable)
        self.substitution_group = substitution_group
        self.abstract = abstract
        self.scope: str | None = None


def element_decl(
    name: str,
    type: Any,
    *,
    nillable: bool = False,
    substitution_group: str | None = None,
    abstract: bool = False,
) -> ElementDecl:
    """Declare (and register) the global element ``name``; operations' parts use it."""
    decl = ElementDecl(
        name, type, nillable=nillable, substitution_group=substitution_group, abstract=abstract
    )
    decl.scope = scope = _caller_scope()
    _ELEMENTS.add(scope, name, decl)
    if substitution_group:
        members = _SUBSTITUTES.scoped.get((scope, substitution_group)) or []
        _SUBSTITUTES.add(scope, substitution_group, [*members, decl])
    return decl


@dataclass
class Attribute:
    """An attribute of a complex type."""

    field: str
    name: str
    codec: Any
    required: bool = False
    default: str | None = None


def attribute(
    field: str, name: str, codec: Any, *, required: bool = False, default: str | None = None
) -> Attribute:
    """An attribute stored in dataclass field ``field`` (``None`` when absent)."""
    return Attribute(field, name, codec, required, default)


@dataclass
class Choice:
    """A repeated choice: the field holds ``[(field_name, value), ...]`` in document order."""

    field: str
    elements: tuple[Element, ...]
    min_occurs: int = 1
    max_occurs: int | None = 1


def choice(
    field: str, elements: Sequence[Element], min_occurs: int = 1, max_occurs: int | None = 1
) -> Choice:
    """A choice that may repeat (a single choice is just optional elements)."""
    return Choice(field, tuple(elements), min_occurs, max_occurs)


@dataclass
class AnyElement:
    """``xsd:any``: the field holds the matching children as lxml elements."""

    field: str
    min_occurs: int = 0
    max_occurs: int | None = None
    namespace: str = "##any"
    process_contents: str = "lax"


def any_element(
    field: str,
    min_occurs: int = 0,
    max_occurs: int | None = None,
    namespace: str = "##any",
    process_contents: str = "lax",
) -> AnyElement:
    """Children no particle names, kept as XML (a list of lxml elements)."""
    return AnyElement(field, min_occurs, max_occurs, namespace, process_contents)


@dataclass
class AnyAttribute:
    """``xsd:anyAttribute``: the field holds ``{"{ns}name": text}``."""

    field: str


def any_attribute(field: str) -> AnyAttribute:
    """Attributes no descriptor names, kept as a dict of Clark name -> text."""
    return AnyAttribute(field)


@dataclass
class Text:
    """simpleContent: the element's text, in field ``field`` (``value`` by convention)."""

    field: str
    codec: Any


def text(field: str, codec: Any) -> Text:
    """The text content of a simpleContent type."""
    return Text(field, codec)


Particle = Element | Attribute | Choice | AnyElement | AnyAttribute | Text


# --- complex types ----------------------------------------------------------------------


class TypeInfo:
    """A described complex type: its class, name, particles, and compiled plans."""

    def __init__(
        self,
        cls: type,
        qname: str,
        particles: Sequence[Particle],
        base: type | None,
        abstract: bool,
        mixed: bool,
        restriction: bool,
    ) -> None:
        self.cls = cls
        self.qname = qname
        #: the package that described it: its names resolve there first
        self.scope = scope_of(cls.__module__)
        self.ns, self.local = split(qname)
        self.own = tuple(particles)
        self.base = base
        self.abstract = abstract
        self.mixed = mixed
        self.restriction = restriction
        self.subtypes: list[TypeInfo] = []
        self._particles: tuple[Particle, ...] | None = None
        self._elements: list[Element] | None = None
        self._body: Callable[[Out, Any, str], None] | None = None
        self._read: Reader | None = None

    def __repr__(self) -> str:
        return f"<complex type {self.qname} {self.cls.__qualname__}>"

    @property
    def particles(self) -> tuple[Particle, ...]:
        """Own particles after the base's (extension), or own alone (restriction)."""
        if self._particles is None:
            own = self.own
            if self.base is not None and not self.restriction:
                own = type_info(self.base).particles + own
            self._particles = own
        return self._particles

    @property
    def elements(self) -> list[Element]:
        """The element particles in order (a wrapper's parameters)."""
        if self._elements is None:
            self._elements = [p for p in self.particles if isinstance(p, Element)]
        return self._elements

    def write_body(self, out: Out, value: Any, ns: str) -> None:
        """Append attributes, ``>``, then the content (the caller closes the tag)."""
        body = self._body
        if body is None:
            body = self._body = COMPILE.body(self)
        body(out, value, ns)

    def read(self, elem: Any) -> Any:
        """A new instance from a parsed element of this type (xsi:type already applied)."""
        r = self._read
        if r is None:
            r = self._read = COMPILE.read(self)
        return r(elem)

    def derived_from(self, other: TypeInfo) -> bool:
        """True when this type is ``other`` or derives from it."""
        return issubclass(self.cls, other.cls)


def complex_type(
    cls: type,
    qname: str,
    particles: Sequence[Particle],
    *,
    base: type | None = None,
    abstract: bool = False,
    mixed: bool = False,
    restriction: bool = False,
) -> TypeInfo:
    """Describe (and register) generated dataclass ``cls`` as complex type ``qname``."""
    info = TypeInfo(cls, qname, particles, base, abstract, mixed, restriction)
    _TYPES.add(info.scope, qname, info)
    _BY_CLASS[cls] = info
    if base is not None:
        type_info(base).subtypes.append(info)
    return info


def _actual(declared: TypeInfo, value: Any) -> TypeInfo:
    """The described type of ``value`` where ``declared`` is expected."""
    cls = value.__class__
    if cls is declared.cls:
        return declared
    info = _BY_CLASS.get(cls)
    if info is None:
        # an undescribed subclass of the declared class (a user's own) writes as declared
        if isinstance(value, declared.cls) and not declared.abstract:
            return declared
        raise SchemaError(f"{cls.__qualname__} is not a described type ({declared.qname} expected)")
    if not issubclass(cls, declared.cls):
        raise SchemaError(f"a {cls.__qualname__} where {declared.qname} is expected")
    return info


# --- documents --------------------------------------------------------------------------


def to_string(decl: Element, value: Any) -> str:
    """One element as XML text (tests, logging, headers)."""
    out: Out = []
    decl.write(out, value, "")
    return "".join(out)


def from_element(decl: Element, elem: Any) -> Any:
    """The value of a parsed element according to ``decl``."""
    return decl.read(elem)


__all__ = [
    "SOAP_ENC_11", "XML_NS", "XSI_NS", "AnyAttribute", "AnyElement", "Attribute", "Choice",
    "Element", "ElementDecl", "FaultInfo", "HeaderPart", "Message", "Operation", "Part", "Ref",
    "SoapArray", "Text", "TypeInfo", "any_attribute", "any_element", "attribute", "choice",
    "complex_type", "element", "element_decl", "escape_attr", "escape_text", "fault",
    "from_element", "header_part", "lookup_element", "lookup_type", "message", "operation",
    "part", "ref", "resolve", "simple_type", "soap_array", "split", "text", "to_string",
    "type_info",
]  # fmt: skip
