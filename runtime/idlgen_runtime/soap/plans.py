"""Compiled plans: a writer and a reader per element and per complex type.

On first use a descriptor is compiled into closures:

- a *writer* that appends text to a list (start tags precomputed for both cases of
  the enclosing default namespace, values escaped only when they need it) -- direct
  string building measured several times faster than building an lxml tree;
- a *reader* that walks an lxml element's children once, dispatching on their tag
  through a dict (child readers compiled into it), and fills the instance's
  ``__dict__`` in one step.

Namespaces are written as default namespace declarations (``<name xmlns="urn:x">``)
whenever an element's namespace differs from its parent's, so no prefix table is
needed; only ``xsi:type``, qualified attributes and QName values declare prefixes,
locally on the element that uses them.

Documents are read leniently where the schema allows interop slack (unknown child
elements are skipped, a missing required element reads as ``None``) and written
strictly (a required field that is ``None`` is an ``XsdValueError``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from idlgen_runtime.soap import xsd
from idlgen_runtime.soap.errors import SchemaError, XsdValueError
from idlgen_runtime.soap.schema import (
    _BY_CLASS,
    _ELEMENTS,
    _SUBSTITUTES,
    _TYPES,
    COMPILE,
    AnyAttribute,
    AnyElement,
    Attribute,
    Choice,
    Element,
    ElementDecl,
    Out,
    Reader,
    SoapArray,
    Text,
    TypeInfo,
    Writer,
    _actual,
    _simple_resolve,
    lookup_type,
)
from idlgen_runtime.soap.xmltext import (
    XSI_NS,
    Prefixes,
    escape_attr,
    escape_text,
    split,
    xsi_type_attr,
)

XSI_TYPE = f"{{{XSI_NS}}}type"
XSI_NIL = f"{{{XSI_NS}}}nil"

# --- writers ----------------------------------------------------------------------------


def compile_writer(el: Element) -> Writer:
    """The writer of ``el``: its start tag, value or content, end tag (each item of a list)."""
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
            if info is not declared and el.name in _SUBSTITUTES.latest:
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
            p = Prefixes("v")
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
    todo = list(_SUBSTITUTES.get(head, info.scope) or ())
    seen: set[str] = set()
    while todo:
        decl = todo.pop(0)
        if decl.name in seen:
            continue
        seen.add(decl.name)
        if not decl.abstract and decl.resolved is info:
            return decl
        todo.extend(_SUBSTITUTES.get(decl.name, info.scope) or ())
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


AttrWriter = Callable[[Out, Any, Prefixes], None]


def _attr_writer(a: Attribute) -> AttrWriter:
    codec = a.codec if isinstance(a.codec, xsd.Codec) else _simple_resolve(a.codec)
    ns, local = split(a.name)
    f, required = a.field, a.required

    def w(out: Out, obj: Any, p: Prefixes) -> None:
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

    def w(out: Out, obj: Any, p: Prefixes) -> None:
        attrs = getattr(obj, f)
        for name, value in (attrs or {}).items():
            ns, local = split(str(name))
            qual = f"{p.declare(ns)}:{local}" if ns else local
            out.append(f' {qual}="{escape_attr(str(value))}"')

    return w


def compile_body(info: TypeInfo) -> Callable[[Out, Any, str], None]:
    """The writer of a type's attributes and content (the caller writes the tag around it)."""
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
            children.append((p.field, write_any_elements))
        elif isinstance(p, Text):
            text_part = (p.field, p.codec)
    if text_part is not None:
        tf, tcodec = text_part
        codec = tcodec if isinstance(tcodec, xsd.Codec) else _simple_resolve(tcodec)

        def body(out: Out, value: Any, ns: str) -> None:
            pa = Prefixes("a")
            for aw in attr_ws:
                aw(out, value, pa)
            out.append(pa.text())
            v = getattr(value, tf)
            if codec.needs_ns:
                p = Prefixes("v")
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
        pa = Prefixes("a")
        for aw in attr_ws:
            aw(out, value, pa)
        out.append(pa.text())
        out.append(">")
        for f, w in children:
            w(out, getattr(value, f), ns)

    return body_attrs


def write_any_elements(out: Out, values: Any, cur: str) -> None:
    """xsd:any content: lxml elements serialized as they are (text escaped)."""
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


def is_nil(elem: Any) -> bool:
    """True for ``xsi:nil="true"`` (or ``"1"``)."""
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


def compile_reader(el: Element) -> Reader:
    """The reader of one ``el`` element: nil, xsi:type, then the type's reader or codec."""
    t = el.resolved
    nillable = el.nillable
    default = el.default
    if isinstance(t, TypeInfo):
        declared = t

        abstract = declared.abstract
        plan: list[Reader] = []  # the declared type's reader, compiled on first use

        def read_complex(elem: Any) -> Any:
            if nillable and is_nil(elem):
                return None
            if elem.get(XSI_TYPE) is not None:
                name = xsi_type_of(elem)
                found = _TYPES.get(name, declared.scope)
                if found is not None and found is not declared and found.derived_from(declared):
                    if found.abstract:
                        raise XsdValueError(f"{elem.tag}: xsi:type names abstract {found.qname}")
                    return found.read(elem)
            if abstract:
                raise XsdValueError(f"{elem.tag}: abstract type {declared.qname} without xsi:type")
            if not plan:
                plan.append(declared._read or compile_read(declared))
                declared._read = plan[0]
            return plan[0](elem)

        return read_complex
    if isinstance(t, SoapArray):
        item = Element("item", "item", t.item, nillable=True)

        def read_array(elem: Any) -> Any:
            if nillable and is_nil(elem):
                return None
            return [item.read(c) for c in elem if isinstance(c.tag, str)]

        return read_array
    if isinstance(t, xsd._AnyType):
        return read_any_value
    codec = t
    if codec.needs_ns:

        def read_ns(elem: Any) -> Any:
            if nillable and is_nil(elem):
                return None
            return codec.from_text_ns(elem.text or default or "", elem.nsmap)

        return read_ns
    from_text = codec.from_text
    if nillable:

        def read_nillable(elem: Any) -> Any:
            if is_nil(elem):
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
    if is_nil(elem):
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


def compile_read(info: TypeInfo) -> Reader:
    """The reader of a type's content: children dispatched by tag, attributes, text."""
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
                p._reader = compile_reader(p)
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

    scope = info.scope

    def substitute(tag: str) -> tuple[str, Reader, int] | None:
        member = decl = _ELEMENTS.get(tag, scope)
        seen = 0
        while decl is not None and decl.substitution_group and seen < 32:
            hit = by_tag.get(decl.substitution_group)
            if hit is not None and member is not None:
                entry = (hit[0], member.read, hit[2])
                by_tag[tag] = entry
                return entry
            decl = _ELEMENTS.get(decl.substitution_group, scope)
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
            d[any_attr_field] = extra
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


def empty(p: Any) -> Any:
    """The value of a non-element particle with nothing in the document."""
    if isinstance(p, (Choice, AnyElement)):
        return []
    if isinstance(p, AnyAttribute):
        return {}
    return None


def blank(cls: Any) -> Any:
    """An instance made without ``__init__`` (the reader fills every field itself)."""
    return cls.__new__(cls)


def _choice_reader(e: Element) -> Reader:
    name = e.field or e.local

    def r(elem: Any) -> tuple[str, Any]:
        return (name, e.read(elem))

    return r


COMPILE.writer = compile_writer
COMPILE.reader = compile_reader
COMPILE.body = compile_body
COMPILE.read = compile_read
