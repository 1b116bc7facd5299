"""Descriptors of XML Schema complex types and elements, compiled into fast plans.

Generated code describes each dataclass once (``complex_type(Person, "{ns}Person",
(element(...), attribute(...)))``); nothing is interpreted per call. On first use a
type is compiled into two closures:

- a *writer* that appends text to a list (start tags precomputed for both cases of
  the enclosing default namespace, values escaped only when they need it) -- direct
  string building measured several times faster than building an lxml tree;
- a *reader* that walks an lxml element's children once, dispatching on their tag
  through a dict, and fills the instance's ``__dict__`` in one step.

Namespaces are written as default namespace declarations (``<name xmlns="urn:x">``)
whenever an element's namespace differs from its parent's, so no prefix table is
needed; only ``xsi:type``, qualified attributes and QName values declare prefixes,
locally on the element that uses them.

Documents are read leniently where the schema allows interop slack (unknown child
elements are skipped, a missing required element reads as ``None``) and written
strictly (a required field that is ``None`` is an ``XsdValueError``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from idlgen_runtime.soap import xsd
from idlgen_runtime.soap.errors import SchemaError, XsdValueError

XSI_NS = xsd.XSI_NS
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI_TYPE = f"{{{XSI_NS}}}type"
XSI_NIL = f"{{{XSI_NS}}}nil"

Out = list[str]
Writer = Callable[[Out, Any, str], None]
Reader = Callable[[Any], Any]

# --- escaping ---------------------------------------------------------------------------

_BAD_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_TEXT_SPECIAL = re.compile(f"[&<>\r{_BAD_CHARS}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\r\n\t{_BAD_CHARS}]')
_BAD = re.compile(f"[{_BAD_CHARS}]")


def _bad_char(s: str) -> XsdValueError:
    return XsdValueError(f"{s[:40]!r} holds a character XML 1.0 cannot carry")


def escape_text(s: str) -> str:
    """``s`` as element content (``&``, ``<``, ``>`` and CR escaped; invalid characters refused)."""
    if _TEXT_SPECIAL.search(s) is None:
        return s
    if _BAD.search(s):
        raise _bad_char(s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def escape_attr(s: str) -> str:
    """``s`` as a double-quoted attribute value (whitespace kept through character references)."""
    if _ATTR_SPECIAL.search(s) is None:
        return s
    if _BAD.search(s):
        raise _bad_char(s)
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def split(name: str) -> tuple[str, str]:
    """``"{ns}local"`` -> ``("ns", "local")``; ``"local"`` -> ``("", "local")``."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


class _Prefixes:
    """Prefixes declared on one start tag (for QName values, xsi:type, attributes)."""

    __slots__ = ("decls", "by_ns", "stem")

    def __init__(self, stem: str) -> None:
        # each use on one tag has its own stem (t: xsi:type, a: attributes, v: the value)
        self.decls: list[str] = []
        self.by_ns: dict[str, str] = {}
        self.stem = stem

    def declare(self, ns: str) -> str:
        """The prefix bound to ``ns`` on this tag (declared on first use; ``xml`` is built in)."""
        if ns == XML_NS:
            return "xml"
        prefix = self.by_ns.get(ns)
        if prefix is None:
            prefix = self.by_ns[ns] = f"{self.stem}{len(self.by_ns)}"
            self.decls.append(f' xmlns:{prefix}="{escape_attr(ns)}"')
        return prefix

    def text(self) -> str:
        """The declarations, ready to append to a start tag."""
        return "".join(self.decls)


def xsi_type_attr(qname: str) -> str:
    """`` xmlns:xsi=... xsi:type="t0:Local"`` for the type named ``qname``."""
    ns, local = split(qname)
    if not ns:
        return f' xmlns:xsi="{XSI_NS}" xsi:type="{local}"'
    return f' xmlns:xsi="{XSI_NS}" xmlns:t0="{escape_attr(ns)}" xsi:type="t0:{local}"'


# --- registries -------------------------------------------------------------------------

_TYPES: dict[str, TypeInfo] = {}
_BY_CLASS: dict[type, TypeInfo] = {}
_SIMPLE: dict[str, xsd.Codec[Any]] = dict(xsd.BUILTINS)
_ELEMENTS: dict[str, ElementDecl] = {}
_SUBSTITUTES: dict[str, list[ElementDecl]] = {}
_ARRAYS: dict[str, SoapArray] = {}


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
        _ARRAYS[qname] = arr
    return arr


@dataclass(frozen=True)
class Ref:
    """A type named by QName, resolved on first use (forward and recursive references)."""

    qname: str

    def resolve(self) -> TypeInfo | xsd.Codec[Any] | SoapArray:
        """The complex type's info, the simple type's codec, or the SOAP-ENC array."""
        found = _TYPES.get(self.qname) or _SIMPLE.get(self.qname) or _ARRAYS.get(self.qname)
        if found is not None:
            return found
        raise SchemaError(f"type {self.qname} is not described (no complex_type/simple_type)")


def ref(qname: str) -> Ref:
    """A reference to the type named ``qname`` (``"{ns}Name"``)."""
    return Ref(qname)


def simple_type(qname: str, codec: xsd.Codec[Any]) -> xsd.Codec[Any]:
    """Register a named simple type so ``ref`` and ``xsi:type`` find it; returns the codec."""
    if not codec.qname:
        codec.qname = qname
    _SIMPLE[qname] = codec
    return codec


def type_info(cls: type) -> TypeInfo:
    """The description of a generated dataclass."""
    info = _BY_CLASS.get(cls)
    if info is None:
        raise SchemaError(f"{cls.__qualname__} is not described by schema.complex_type")
    return info


def lookup_type(qname: str) -> TypeInfo | xsd.Codec[Any] | None:
    """The complex type or simple codec registered under ``qname``, if any."""
    return _TYPES.get(qname) or _SIMPLE.get(qname)


def lookup_element(qname: str) -> ElementDecl | None:
    """The global element declared as ``qname``, if any."""
    return _ELEMENTS.get(qname)


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
            w = self._writer = _compile_writer(self)
        w(out, value, cur)

    def read(self, elem: Any) -> Any:
        """The value of one parsed element (one item of a list field)."""
        r = self._reader
        if r is None:
            r = self._reader = _compile_reader(self)
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
    _ELEMENTS[name] = decl
    if substitution_group:
        _SUBSTITUTES.setdefault(substitution_group, []).append(decl)
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
            body = self._body = _compile_body(self)
        body(out, value, ns)

    def read(self, elem: Any) -> Any:
        """A new instance from a parsed element of this type (xsi:type already applied)."""
        r = self._read
        if r is None:
            r = self._read = _compile_read(self)
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
    _TYPES[qname] = info
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


# --- writers ----------------------------------------------------------------------------


def _compile_writer(el: Element) -> Writer:
    t = el.resolved
    ns, local = el.ns, el.local
    open_same = f"<{local}"
    open_other = f'<{local} xmlns="{escape_attr(ns)}"'
    close = f"</{local}>"
    where = f"{el.name}"
    nil_tail = f' xmlns:xsi="{XSI_NS}" xsi:nil="true"/>'
    nil_same, nil_other = open_same + nil_tail, open_other + nil_tail
    required = el.min_occurs > 0
    nillable = el.nillable

    def missing(out: Out, cur: str) -> None:
        if nillable:
            out.append(nil_same if ns == cur else nil_other)
        elif required:
            raise XsdValueError(f"element {where} is required but the value is None")

    one: Writer
    if isinstance(t, TypeInfo):
        declared = t

        def one(out: Out, value: Any, cur: str) -> None:
            if value is None:
                return missing(out, cur)
            info = declared if value.__class__ is declared.cls else _actual(declared, value)
            if info is not declared and el.name in _SUBSTITUTES:
                member = _member_for(el.name, info)
                if member is not None:  # a substitution group member of exactly this type
                    return member.write(out, value, cur)
            out.append(open_same if ns == cur else open_other)
            if info is not declared:
                out.append(xsi_type_attr(info.qname))
            elif declared.abstract:
                raise SchemaError(f"{declared.qname} is abstract: write one of its subtypes")
            info.write_body(out, value, ns)
            out.append(close)

    elif isinstance(t, SoapArray):
        item = Element("item", "item", t.item, max_occurs=None, nillable=True)

        def one(out: Out, value: Any, cur: str) -> None:
            if value is None:
                return missing(out, cur)
            out.append(open_same if ns == cur else open_other)
            out.append(">")
            item.write(out, value, ns)
            out.append(close)

    elif isinstance(t, xsd._AnyType):

        def one(out: Out, value: Any, cur: str) -> None:
            if value is None:
                return missing(out, cur)
            out.append(open_same if ns == cur else open_other)
            _write_any_value(out, value, ns)
            out.append(close)

    elif t.needs_ns:
        codec = t

        def one(out: Out, value: Any, cur: str) -> None:
            if value is None:
                return missing(out, cur)
            p = _Prefixes("v")
            txt = codec.to_text_ns(value, p.declare)
            if ns and any(":" not in item for item in txt.split()):
                # an unprefixed QName means "no namespace" only where no default is in
                # scope: name the element by a prefix and undeclare the default
                e = escape_attr(ns)
                out.append(f'<q:{local} xmlns:q="{e}" xmlns=""{p.text()}>{escape_text(txt)}')
                out.append(f"</q:{local}>")
                return
            out.append(open_same if ns == cur else open_other)
            out.append(p.text())
            out.append(">")
            out.append(escape_text(txt))
            out.append(close)

    else:
        to_text = t.to_text
        open_same += ">"
        open_other += ">"

        def one(out: Out, value: Any, cur: str) -> None:
            if value is None:
                return missing(out, cur)
            out.append(open_same if ns == cur else open_other)
            out.append(escape_text(to_text(value)))
            out.append(close)

    if not el.many:
        return one
    min_occurs, max_occurs = el.min_occurs, el.max_occurs

    def many(out: Out, values: Any, cur: str) -> None:
        if values is None:
            values = ()
        n = len(values)
        if n < min_occurs or (max_occurs is not None and n > max_occurs):
            raise XsdValueError(f"{n} {where} elements, expected {min_occurs}..{max_occurs or ''}")
        for v in values:
            one(out, v, cur)

    return many


def _member_for(head: str, info: TypeInfo) -> ElementDecl | None:
    """The substitution group member of ``head`` (transitively) declared with type ``info``."""
    todo = list(_SUBSTITUTES.get(head, ()))
    seen: set[str] = set()
    while todo:
        decl = todo.pop(0)
        if decl.name in seen:
            continue
        seen.add(decl.name)
        if not decl.abstract and decl.resolved is info:
            return decl
        todo.extend(_SUBSTITUTES.get(decl.name, ()))
    return None


def _write_any_value(out: Out, value: Any, ns: str) -> None:
    """The content of an anyType element: XML kept as is, a described object, or a scalar."""
    if isinstance(value, etree._Element):
        out.append(">")
        if value.text:
            out.append(escape_text(value.text))
        for child in value:
            out.append(etree.tostring(child, encoding="unicode", with_tail=True))
        return
    info = _BY_CLASS.get(value.__class__)
    if info is not None:
        out.append(xsi_type_attr(info.qname))
        info.write_body(out, value, ns)
        return
    codec = guess_codec(value)
    out.append(xsi_type_attr(codec.qname))
    out.append(">")
    out.append(escape_text(codec.to_text(value)))


def guess_codec(value: Any) -> xsd.Codec[Any]:
    """The built-in type a plain Python value is written as (anyType, rpc/encoded)."""
    import datetime as dt
    from decimal import Decimal

    if isinstance(value, bool):
        return xsd.boolean
    if isinstance(value, int):
        return xsd.int_ if -(2**31) <= value < 2**31 else xsd.integer
    if isinstance(value, float):
        return xsd.double
    if isinstance(value, Decimal):
        return xsd.decimal
    if isinstance(value, str):
        return xsd.string
    if isinstance(value, (bytes, bytearray)):
        return xsd.base64Binary
    if isinstance(value, dt.datetime):
        return xsd.dateTime
    if isinstance(value, dt.date):
        return xsd.date
    if isinstance(value, dt.time):
        return xsd.time
    if isinstance(value, xsd.Duration):
        return xsd.duration
    raise SchemaError(f"no XML Schema type for a {type(value).__qualname__}")


AttrWriter = Callable[[Out, Any, _Prefixes], None]


def _attr_writer(a: Attribute) -> AttrWriter:
    codec = a.codec if isinstance(a.codec, xsd.Codec) else _simple_resolve(a.codec)
    ns, local = split(a.name)
    f, required = a.field, a.required

    def w(out: Out, obj: Any, p: _Prefixes) -> None:
        v = getattr(obj, f)
        if v is None:
            if required:
                raise XsdValueError(f"attribute {a.name} is required but the value is None")
            return
        if codec.needs_ns or ns:
            txt = codec.to_text_ns(v, p.declare)
            name = f"{p.declare(ns)}:{local}" if ns else local
            out.append(f' {name}="{escape_attr(txt)}"')
        else:
            out.append(f' {local}="{escape_attr(codec.to_text(v))}"')

    return w


def _any_attr_writer(a: AnyAttribute) -> AttrWriter:
    f = a.field

    def w(out: Out, obj: Any, p: _Prefixes) -> None:
        attrs = getattr(obj, f)
        for name, value in (attrs or {}).items():
            ns, local = split(str(name))
            qual = f"{p.declare(ns)}:{local}" if ns else local
            out.append(f' {qual}="{escape_attr(str(value))}"')

    return w


def _compile_body(info: TypeInfo) -> Callable[[Out, Any, str], None]:
    attr_ws: list[AttrWriter] = []
    children: list[tuple[str, Writer]] = []
    text_part: tuple[str, Any] | None = None
    for p in info.particles:
        if isinstance(p, Attribute):
            attr_ws.append(_attr_writer(p))
        elif isinstance(p, AnyAttribute):
            attr_ws.append(_any_attr_writer(p))
        elif isinstance(p, Element):
            children.append((p.field or "", p.write))
        elif isinstance(p, Choice):
            children.append((p.field, _choice_writer(p)))
        elif isinstance(p, AnyElement):
            children.append((p.field, _write_any_elements))
        elif isinstance(p, Text):
            text_part = (p.field, p.codec)
    if text_part is not None:
        tf, tcodec = text_part
        codec = tcodec if isinstance(tcodec, xsd.Codec) else _simple_resolve(tcodec)

        def body(out: Out, value: Any, ns: str) -> None:
            pa = _Prefixes("a")
            for aw in attr_ws:
                aw(out, value, pa)
            out.append(pa.text())
            v = getattr(value, tf)
            if codec.needs_ns:
                p = _Prefixes("v")
                txt = codec.to_text_ns(v, p.declare)
                out.append(p.text())
                out.append(">" + escape_text(txt))
            else:
                out.append(">")
                if v is not None:
                    out.append(escape_text(codec.to_text(v)))
            for f, w in children:
                w(out, getattr(value, f), ns)

        return body
    if not attr_ws:

        def body(out: Out, value: Any, ns: str) -> None:
            out.append(">")
            for f, w in children:
                w(out, getattr(value, f), ns)

        return body

    def body_attrs(out: Out, value: Any, ns: str) -> None:
        pa = _Prefixes("a")
        for aw in attr_ws:
            aw(out, value, pa)
        out.append(pa.text())
        out.append(">")
        for f, w in children:
            w(out, getattr(value, f), ns)

    return body_attrs


def _write_any_elements(out: Out, values: Any, cur: str) -> None:
    for v in values or ():
        if isinstance(v, etree._Element):
            out.append(etree.tostring(v, encoding="unicode", with_tail=False))
        elif isinstance(v, str):
            out.append(escape_text(v))
        else:
            raise SchemaError(f"xsd:any content must be lxml elements, not {type(v).__qualname__}")


def _choice_writer(c: Choice) -> Writer:
    by_field = {e.field: e for e in c.elements}

    def w(out: Out, items: Any, cur: str) -> None:
        n = len(items or ())
        if n < c.min_occurs or (c.max_occurs is not None and n > c.max_occurs):
            raise XsdValueError(f"{n} choices in {c.field}, expected {c.min_occurs}..")
        for name, value in items or ():
            e = by_field.get(name)
            if e is None:
                raise SchemaError(f"{name!r} is not one of the choice {c.field}'s elements")
            e.write(out, value, cur)

    return w


# --- readers ----------------------------------------------------------------------------


def _is_nil(elem: Any) -> bool:
    v = elem.get(XSI_NIL)
    return bool(v == "true" or v == "1")


def xsi_type_of(elem: Any) -> str | None:
    """The Clark name of an element's ``xsi:type``, if it has one."""
    v = elem.get(XSI_TYPE)
    if v is None:
        return None
    prefix, _, local = v.strip().rpartition(":")
    ns = elem.nsmap.get(prefix or None)
    if ns is None:
        return local if not prefix else None
    return f"{{{ns}}}{local}"


def _compile_reader(el: Element) -> Reader:
    t = el.resolved
    nillable = el.nillable
    default = el.default
    if isinstance(t, TypeInfo):
        declared = t

        abstract = declared.abstract
        plan: list[Reader] = []  # the declared type's reader, compiled on first use

        def read_complex(elem: Any) -> Any:
            if nillable and _is_nil(elem):
                return None
            if elem.get(XSI_TYPE) is not None:
                name = xsi_type_of(elem)
                found = _TYPES.get(name) if name else None
                if found is not None and found is not declared and found.derived_from(declared):
                    if found.abstract:
                        raise XsdValueError(f"{elem.tag}: xsi:type names abstract {found.qname}")
                    return found.read(elem)
            if abstract:
                raise XsdValueError(f"{elem.tag}: abstract type {declared.qname} without xsi:type")
            if not plan:
                plan.append(declared._read or _compile_read(declared))
                declared._read = plan[0]
            return plan[0](elem)

        return read_complex
    if isinstance(t, SoapArray):
        item = Element("item", "item", t.item, nillable=True)

        def read_array(elem: Any) -> Any:
            if nillable and _is_nil(elem):
                return None
            return [item.read(c) for c in elem if isinstance(c.tag, str)]

        return read_array
    if isinstance(t, xsd._AnyType):
        return read_any_value
    codec = t
    if codec.needs_ns:

        def read_ns(elem: Any) -> Any:
            if nillable and _is_nil(elem):
                return None
            return codec.from_text_ns(elem.text or default or "", elem.nsmap)

        return read_ns
    from_text = codec.from_text
    if nillable:

        def read_nillable(elem: Any) -> Any:
            if _is_nil(elem):
                return None
            txt = elem.text
            return from_text(default if txt is None and default is not None else txt or "")

        return read_nillable

    if type(codec) is xsd._String and codec.plain:

        def read_text(elem: Any) -> Any:
            txt = elem.text
            return (default or "") if txt is None else txt

        return read_text

    def read_simple(elem: Any) -> Any:
        txt = elem.text
        if txt is None:
            txt = default or ""
        return from_text(txt)

    return read_simple


def read_any_value(elem: Any) -> Any:
    """An anyType element: by its xsi:type when known, else the element itself (or its text)."""
    if _is_nil(elem):
        return None
    name = xsi_type_of(elem)
    if name is not None:
        found = lookup_type(name)
        if isinstance(found, TypeInfo):
            return found.read(elem)
        if isinstance(found, xsd.Codec):
            if found.needs_ns:
                return found.from_text_ns(elem.text or "", elem.nsmap)
            return found.from_text(elem.text or "")
    if len(elem):
        return elem
    return elem.text or ""


def _compile_read(info: TypeInfo) -> Reader:
    cls = info.cls
    by_tag: dict[str, tuple[str, Reader, int]] = {}  # tag -> (field, reader, kind)
    template: dict[str, Any] = {}
    list_fields: list[str] = []
    attrs: list[tuple[str, str, Any]] = []
    known_attrs: set[str] = {XSI_TYPE, XSI_NIL}
    text_part: tuple[str, Any] | None = None
    any_field: str | None = None
    any_attr_field: str | None = None
    ONE, MANY, CHOICE = 0, 1, 2
    for p in info.particles:
        if isinstance(p, Element):
            f = p.field or ""
            if p._reader is None:  # compiling a reader resolves types but reads nothing: no cycle
                p._reader = _compile_reader(p)
            by_tag[p.name] = (f, p._reader, MANY if p.many else ONE)
            if p.many:
                list_fields.append(f)
            else:
                template[f] = None
        elif isinstance(p, Choice):
            list_fields.append(p.field)
            for e in p.elements:
                by_tag[e.name] = (p.field, _choice_reader(e), CHOICE)
        elif isinstance(p, Attribute):
            codec = p.codec if isinstance(p.codec, xsd.Codec) else _simple_resolve(p.codec)
            attrs.append((p.field, p.name, codec))
            known_attrs.add(p.name)
            template[p.field] = None if p.default is None else codec.from_text(p.default)
        elif isinstance(p, Text):
            text_part = (
                p.field,
                p.codec if isinstance(p.codec, xsd.Codec) else _simple_resolve(p.codec),
            )
            template[p.field] = None
        elif isinstance(p, AnyElement):
            any_field = p.field
            list_fields.append(p.field)
        elif isinstance(p, AnyAttribute):
            any_attr_field = p.field
            template[p.field] = None
    slotted = "__dict__" not in dir(cls) and hasattr(cls, "__slots__")
    new: Any = cls.__new__
    lookup = by_tag.get

    def substitute(tag: str) -> tuple[str, Reader, int] | None:
        decl = _ELEMENTS.get(tag)
        seen = 0
        while decl is not None and decl.substitution_group and seen < 32:
            hit = by_tag.get(decl.substitution_group)
            if hit is not None:
                member = _ELEMENTS[tag]
                entry = (hit[0], member.read, hit[2])
                by_tag[tag] = entry
                return entry
            decl = _ELEMENTS.get(decl.substitution_group)
            seen += 1
        return None

    def read(elem: Any) -> Any:
        d = dict(template)
        for f in list_fields:
            d[f] = []
        for child in elem:
            tag = child.tag
            hit = lookup(tag)
            if hit is None:
                if not isinstance(tag, str):
                    continue
                hit = substitute(tag)
                if hit is None:
                    if any_field is not None:
                        d[any_field].append(child)
                    continue
            f, r, kind = hit
            if kind == ONE:
                d[f] = r(child)
            else:
                d[f].append(r(child))
        if attrs:
            get = elem.get
            for f, name, codec in attrs:
                v = get(name)
                if v is not None:
                    d[f] = (
                        codec.from_text_ns(v, elem.nsmap) if codec.needs_ns else codec.from_text(v)
                    )
        if any_attr_field is not None:
            extra = {k: v for k, v in elem.attrib.items() if k not in known_attrs}
            d[any_attr_field] = extra or None
        if text_part is not None:
            tf, codec = text_part
            txt = elem.text or ""
            d[tf] = codec.from_text_ns(txt, elem.nsmap) if codec.needs_ns else codec.from_text(txt)
        obj = new(cls)
        if slotted:
            for k, v in d.items():
                object.__setattr__(obj, k, v)
        else:
            obj.__dict__.update(d)
        return obj

    return read


def blank(cls: Any) -> Any:
    """An instance made without ``__init__`` (the reader fills every field itself)."""
    return cls.__new__(cls)


def _choice_reader(e: Element) -> Reader:
    name = e.field or e.local

    def r(elem: Any) -> tuple[str, Any]:
        return (name, e.read(elem))

    return r


# --- documents --------------------------------------------------------------------------


def to_string(decl: Element, value: Any) -> str:
    """One element as XML text (tests, logging, headers)."""
    out: Out = []
    decl.write(out, value, "")
    return "".join(out)


def from_element(decl: Element, elem: Any) -> Any:
    """The value of a parsed element according to ``decl``."""
    return decl.read(elem)


# --- operations -------------------------------------------------------------------------


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
