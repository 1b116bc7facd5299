"""rpc/encoded (SOAP 1.1 section 5 encoding): typed accessors, arrays, multiRef.

Every value is written with its ``xsi:type``; arrays as ``SOAP-ENC:Array`` with
``SOAP-ENC:arrayType="ns:item[n]"``; values are written inline (no multiRef), which
every reader accepts. Reading accepts what 2000s toolkits (Axis 1, .NET remoting,
SOAP::Lite) send: ``href="#id"`` references to ``multiRef`` siblings of the call
element, ``xsi:type`` overriding the declared type, arrays of any item element name,
and parts matched by name or, failing that, by position.

This is a generic walker over the same descriptors the literal plans compile:
rpc/encoded services are legacy and rarely hot, so it favours simplicity.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from idlgen_runtime.soap import schema, xsd
from idlgen_runtime.soap.errors import XmlError, XsdValueError
from idlgen_runtime.soap.schema import SoapArray, TypeInfo, escape_attr, escape_text

SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/"
SOAP_ENC_12 = "http://www.w3.org/2003/05/soap-encoding"
_XSI = f' xmlns:xsi="{xsd.XSI_NS}"'
MAX_REF_DEPTH = 64


def _type_name(t: Any) -> str:
    if isinstance(t, (TypeInfo, SoapArray)):
        return t.qname or f"{{{SOAP_ENC}}}Array"
    if isinstance(t, xsd.Codec) and t.qname:
        return t.qname
    return f"{{{xsd.XSD_NS}}}string"


def _qualify(name: str, decls: list[str]) -> str:
    ns, local = schema.split(name)
    if not ns:
        return local
    prefix = f"e{len(decls)}"
    decls.append(f' xmlns:{prefix}="{escape_attr(ns)}"')
    return f"{prefix}:{local}"


def write_part(out: list[str], name: str, t: Any, value: Any) -> None:
    """One encoded accessor ``<name xsi:type=...>`` for ``value`` of type ``t``."""
    if isinstance(t, schema.Element):
        t = t.type
    _write(out, name, schema.resolve(t) if t is not None else None, value, 0)


def _write(out: list[str], local: str, t: Any, value: Any, depth: int) -> None:
    if depth > MAX_REF_DEPTH:
        raise XsdValueError("value nested too deep to encode (a cycle?)")
    if value is None:
        out.append(f'<{local}{_XSI} xsi:nil="true"/>')
        return
    if t is None or isinstance(t, xsd._AnyType):
        info = schema._BY_CLASS.get(value.__class__)
        if info is not None:
            t = info
        elif isinstance(value, list):
            t = SoapArray(xsd.anyType)
        else:
            t = schema.guess_codec(value)
    decls: list[str] = []
    if isinstance(t, SoapArray):
        item = schema.resolve(t.item)
        item_name = _qualify(_type_name(item), decls)
        out.append(
            f'<{local}{_XSI} xmlns:enc="{SOAP_ENC}"{"".join(decls)} xsi:type="enc:Array"'
            f' enc:arrayType="{item_name}[{len(value)}]">'
        )
        for v in value:
            _write(out, "item", item, v, depth + 1)
        out.append(f"</{local}>")
        return
    if isinstance(t, TypeInfo):
        info = schema._actual(t, value)
        type_name = _qualify(info.qname, decls)
        out.append(f'<{local}{_XSI}{"".join(decls)} xsi:type="{type_name}">')
        for p in info.particles:
            if isinstance(p, schema.Element):
                v = getattr(value, p.field or p.local)
                et = p.resolved
                if p.many:
                    for item_value in v or ():
                        _write(out, p.local, et, item_value, depth + 1)
                elif v is not None or p.nillable:
                    _write(out, p.local, et, v, depth + 1)
        out.append(f"</{local}>")
        return
    codec: xsd.Codec[Any] = t
    type_name = _qualify(_type_name(codec), decls)
    if codec.needs_ns:
        prefixes = schema._Prefixes("v")
        text = codec.to_text_ns(value, prefixes.declare)
        decls.append(prefixes.text())
    else:
        text = codec.to_text(value)
    out.append(f'<{local}{_XSI}{"".join(decls)} xsi:type="{type_name}">')
    out.append(escape_text(text))
    out.append(f"</{local}>")


class _Refs:
    """The ``id`` -> element index of one body, for ``href`` (1.1) and ``enc:ref`` (1.2)."""

    def __init__(self, body: Sequence[Any]) -> None:
        self.ids: dict[str, Any] = {}
        for el in body:
            for node in el.iter():
                i = node.get("id") or node.get(f"{{{SOAP_ENC_12}}}id")
                if i is not None:
                    self.ids[i] = node

    def follow(self, elem: Any) -> Any:
        for _ in range(MAX_REF_DEPTH):
            href = elem.get("href")
            if href is None:
                href = elem.get(f"{{{SOAP_ENC_12}}}ref")
                if href is None:
                    return elem
            else:
                href = href[1:] if href.startswith("#") else href
            target = self.ids.get(href)
            if target is None:
                raise XmlError(f"href to unknown id {href!r}")
            elem = target
        raise XmlError("href chain too long")


def read_parts(parts: Sequence[schema.Part], wrapper: Any, body: Sequence[Any]) -> list[Any]:
    """The values of an encoded rpc wrapper's accessors, in the parts' order."""
    refs = _Refs(body)
    children = [c for c in wrapper if isinstance(c.tag, str)]
    by_name = {schema.split(c.tag)[1]: c for c in children}
    values: list[Any] = []
    for i, p in enumerate(parts):
        child = by_name.get(p.name)
        if child is None and len(children) == len(parts):
            child = children[i]
        if child is None:
            values.append(None)
            continue
        t = p.element.type if p.element is not None else p.type
        values.append(_read(child, schema.resolve(t), refs, 0))
    return values


def read_value(elem: Any, t: Any, body: Sequence[Any] = ()) -> Any:
    """An encoded value of type ``t`` (``None``: by its ``xsi:type``)."""
    return _read(elem, schema.resolve(t) if t is not None else None, _Refs(body or [elem]), 0)


def _read(elem: Any, t: Any, refs: _Refs, depth: int) -> Any:
    if depth > MAX_REF_DEPTH:
        raise XmlError("encoded value nested too deep")
    elem = refs.follow(elem)
    if schema._is_nil(elem):
        return None
    name = schema.xsi_type_of(elem)
    if name is not None:
        found = schema.lookup_type(name)
        if isinstance(found, TypeInfo) and (not isinstance(t, TypeInfo) or found.derived_from(t)):
            t = found
        elif isinstance(found, xsd.Codec) and not isinstance(t, (TypeInfo, SoapArray)):
            if t is None or isinstance(t, xsd._AnyType) or found.pytype == t.pytype:
                t = found
        elif name in (f"{{{SOAP_ENC}}}Array", f"{{{SOAP_ENC_12}}}Array"):
            if not isinstance(t, SoapArray):
                t = SoapArray(xsd.anyType)
    if t is None or isinstance(t, xsd._AnyType):
        if elem.get(f"{{{SOAP_ENC}}}arrayType") is not None:
            t = SoapArray(xsd.anyType)
        elif len(elem):
            return elem
        else:
            return elem.text or ""
    if isinstance(t, SoapArray):
        item = schema.resolve(t.item)
        return [_read(c, item, refs, depth + 1) for c in elem if isinstance(c.tag, str)]
    if isinstance(t, TypeInfo):
        return _read_struct(elem, t, refs, depth)
    codec: xsd.Codec[Any] = t
    text = elem.text or ""
    return codec.from_text_ns(text, elem.nsmap) if codec.needs_ns else codec.from_text(text)


def _read_struct(elem: Any, info: TypeInfo, refs: _Refs, depth: int) -> Any:
    by_local: dict[str, schema.Element] = {}
    d: dict[str, Any] = {}
    for p in info.particles:
        if isinstance(p, schema.Element):
            by_local[p.local] = p
            d[p.field or p.local] = [] if p.many else None
        else:
            d[getattr(p, "field", "")] = None
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        el = by_local.get(schema.split(child.tag)[1])
        if el is None:
            continue
        v = _read(child, el.resolved, refs, depth + 1)
        if el.many:
            d[el.field or el.local].append(v)
        else:
            d[el.field or el.local] = v
    for p in info.particles:
        if isinstance(p, schema.Attribute):
            raw = elem.get(p.name)
            if raw is not None:
                d[p.field] = schema._simple_resolve(p.codec).from_text(raw)
    obj = schema.blank(info.cls)
    obj.__dict__.update(d)
    return obj
