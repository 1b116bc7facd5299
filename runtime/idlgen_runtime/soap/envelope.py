"""SOAP 1.1 and 1.2 envelopes: requests, responses, headers and faults, both ways.

The two versions differ in more than a namespace, and each difference is kept:

================  =====================================  =======================================
                  SOAP 1.1                               SOAP 1.2
================  =====================================  =======================================
envelope ns       schemas.xmlsoap.org/soap/envelope/     www.w3.org/2003/05/soap-envelope
content type      ``text/xml; charset=utf-8``            ``application/soap+xml; charset=utf-8``
action            ``SOAPAction: "urn:x"`` header         ``action="urn:x"`` content-type param
fault             faultcode/faultstring/faultactor/      Code/Value(/Subcode)/Reason/Text/Role/
                  detail (unqualified)                   Detail (qualified)
fault codes       Client, Server, VersionMismatch,       Sender, Receiver, VersionMismatch,
                  MustUnderstand                         MustUnderstand, DataEncodingUnknown
================  =====================================  =======================================

Body content is written by ``schema`` (literal) or ``encoding`` (rpc/encoded) plans;
this module arranges it by the operation's style: document/literal *wrapped* (the
parameters are the wrapper element's children), *bare* (one body element per
part), and *rpc* (an ``{namespace}operation`` element with one child per part,
``...Response`` on the way back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from idlgen_runtime.soap import encoding, schema, xml, xsd
from idlgen_runtime.soap.errors import Fault, SchemaError, XmlError
from idlgen_runtime.soap.schema import Element, Operation, escape_attr, escape_text

ENV11 = "http://schemas.xmlsoap.org/soap/envelope/"
ENV12 = "http://www.w3.org/2003/05/soap-envelope"
ENV_NS = {"1.1": ENV11, "1.2": ENV12}
VERSION_OF = {ENV11: "1.1", ENV12: "1.2"}
CONTENT_TYPE = {"1.1": "text/xml; charset=utf-8", "1.2": "application/soap+xml; charset=utf-8"}

# Fault codes in either version's words: the writer translates to the version it writes.
_CODE_WORDS = {
    "1.1": {"Sender": "Client", "Receiver": "Server"},
    "1.2": {"Client": "Sender", "Server": "Receiver"},
}
_STANDARD_CODES = {
    "Client",
    "Server",
    "Sender",
    "Receiver",
    "VersionMismatch",
    "MustUnderstand",
    "DataEncodingUnknown",
}


def http_headers(version: str, action: str | None) -> dict[str, str]:
    """The HTTP headers of a request: content type and the action, the version's way."""
    if version == "1.2":
        ct = CONTENT_TYPE["1.2"]
        if action:
            ct += f'; action="{action}"'
        return {"Content-Type": ct}
    return {"Content-Type": CONTENT_TYPE["1.1"], "SOAPAction": f'"{action or ""}"'}


def _open(version: str, encoding_style: str | None = None) -> str:
    enc = f' soap:encodingStyle="{escape_attr(encoding_style)}"' if encoding_style else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="{ENV_NS[version]}"'
        + (f"{enc}>")
    )


def build(
    version: str,
    body: Sequence[str],
    headers: Sequence[str] = (),
    encoding_style: str | None = None,
) -> bytes:
    """An envelope around already-written header blocks and body content."""
    parts = [_open(version, encoding_style)]
    if headers:
        parts.append("<soap:Header>")
        parts.extend(headers)
        parts.append("</soap:Header>")
    parts.append("<soap:Body>")
    parts.extend(body)
    parts.append("</soap:Body></soap:Envelope>")
    return "".join(parts).encode("utf-8")


# --- parsing ----------------------------------------------------------------------------


@dataclass
class Envelope:
    """A parsed envelope: its version, its header blocks and its body's children."""

    version: str
    header: list[Any]
    body: list[Any]


def parse(data: bytes, *, max_size: int = xml.MAX_SIZE, max_depth: int = xml.MAX_DEPTH) -> Envelope:
    """Parse and check an envelope (``XmlError`` when it is not one)."""
    root = xml.parse(data, max_size=max_size, max_depth=max_depth)
    ns, local = schema.split(root.tag) if isinstance(root.tag, str) else ("", "")
    version = VERSION_OF.get(ns)
    if local != "Envelope" or version is None:
        raise XmlError(f"not a SOAP envelope: the root element is {root.tag!r}")
    header: list[Any] = []
    body: list[Any] | None = None
    for child in root:
        if child.tag == f"{{{ns}}}Header":
            header = [c for c in child if isinstance(c.tag, str)]
        elif child.tag == f"{{{ns}}}Body":
            body = [c for c in child if isinstance(c.tag, str)]
    if body is None:
        raise XmlError("the SOAP envelope has no Body")
    return Envelope(version, header, body)


# --- headers ----------------------------------------------------------------------------


def _must_understand_attr(version: str) -> str:
    return ' soap:mustUnderstand="1"' if version == "1.1" else ' soap:mustUnderstand="true"'


def write_headers(
    version: str, parts: Sequence[schema.HeaderPart], values: Mapping[str, Any] | None
) -> list[str]:
    """The header blocks of a message from ``{part name: value}``."""
    out: list[str] = []
    values = values or {}
    for hp in parts:
        value = values.get(hp.name)
        if value is None:
            if hp.required:
                raise SchemaError(f"header {hp.name} is required")
            continue
        block: list[str] = []
        hp.element.write(block, value, "")
        text = "".join(block)
        if hp.must_understand:
            cut = len(hp.element.local) + 1
            text = text[:cut] + _must_understand_attr(version) + text[cut:]
        out.append(text)
    return out


def read_headers(
    version: str, parts: Sequence[schema.HeaderPart], blocks: Sequence[Any]
) -> dict[str, Any]:
    """``{part name: value}`` of the declared header blocks among ``blocks``."""
    by_tag = {hp.element.name: hp for hp in parts}
    values: dict[str, Any] = {}
    for block in blocks:
        hp = by_tag.get(block.tag)
        if hp is not None:
            values[hp.name] = hp.element.read(block)
    return values


def not_understood(version: str, known: set[str], blocks: Sequence[Any]) -> str | None:
    """The first header block that must be understood but is not one of ``known`` tags."""
    env = ENV_NS[version]
    for block in blocks:
        mu = block.get(f"{{{env}}}mustUnderstand")
        if mu in ("1", "true") and block.tag not in known:
            role = block.get(f"{{{env}}}actor" if version == "1.1" else f"{{{env}}}role")
            if role in (
                None,
                "",
                f"{env}/actor/next",
                f"{env}/role/next",
                f"{env}/role/ultimateReceiver",
            ):
                return str(block.tag)
    return None


# --- bodies -----------------------------------------------------------------------------

_part_elements: dict[tuple[int, str], Element] = {}


def _part_element(p: schema.Part) -> Element:
    """The element a by-type part is written as (rpc: unqualified, named after the part)."""
    if p.element is not None:
        return p.element
    key = (id(p), p.name)
    el = _part_elements.get(key)
    if el is None:
        el = _part_elements[key] = schema.Element(p.name, p.name, p.type, nillable=True)
    return el


def _make(info: schema.TypeInfo, values: Sequence[Any]) -> Any:
    """An instance of a wrapper type from its elements' values, in order."""
    elements = info.elements
    if len(values) != len(elements):
        if len(values) > len(elements):
            raise SchemaError(f"{info.qname} takes {len(elements)} values, got {len(values)}")
        values = [*values, *([] if e.many else None for e in elements[len(values) :])]
    obj = schema.blank(info.cls)
    d = obj.__dict__
    for p in info.particles:
        if not isinstance(p, schema.Element):
            d[getattr(p, "field", "")] = None
    for e, v in zip(elements, values, strict=True):
        d[e.field or e.local] = v
    return obj


def _unmake(info: schema.TypeInfo, obj: Any) -> list[Any]:
    return [getattr(obj, e.field or e.local) for e in info.elements]


def _wrapper_info(decl: schema.ElementDecl) -> schema.TypeInfo:
    t = decl.resolved
    if not isinstance(t, schema.TypeInfo):
        raise SchemaError(f"wrapper element {decl.name} has a simple type")
    return t


def _rpc_name(op: Operation, response: bool) -> tuple[str, str]:
    local = op.name + ("Response" if response else "")
    return op.namespace, local


def write_body(
    op: Operation, msg: schema.Message, values: Sequence[Any], response: bool
) -> list[str]:
    """The body content of one direction of ``op``: the parts' (or wrapper children's) values."""
    out: list[str] = []
    if msg.wrapper is not None:
        info = _wrapper_info(msg.wrapper)
        msg.wrapper.write(out, _make(info, values), "")
        return out
    if op.style == "document":
        for p, v in zip(msg.parts, values, strict=False):
            _part_element(p).write(out, v, "")
        return out
    ns, local = _rpc_name(op, response)
    if ns:
        out.append(f'<rpc:{local} xmlns:rpc="{escape_attr(ns)}">')
    else:
        out.append(f"<{local}>")
    encoded = op.use == "encoded"
    for p, v in zip(msg.parts, values, strict=False):
        if encoded:
            encoding.write_part(out, p.name, p.element or p.type, v)
        else:
            _part_element(p).write(out, v, "")
    out.append(f"</rpc:{local}>" if ns else f"</{local}>")
    return out


def read_body(op: Operation, msg: schema.Message, body: Sequence[Any], response: bool) -> list[Any]:
    """The parts' (or wrapper children's) values of one direction of ``op``, in order."""
    if not body:
        if not msg.parts and msg.wrapper is None:
            return []
        raise XmlError(f"{op.name}: the SOAP Body is empty")
    if msg.wrapper is not None:
        first = body[0]
        if first.tag != msg.wrapper.name:
            raise XmlError(f"{op.name}: expected {msg.wrapper.name} in the Body, got {first.tag}")
        info = _wrapper_info(msg.wrapper)
        return _unmake(info, msg.wrapper.read(first))
    if op.style == "document":
        by_tag = {_part_element(p).name: i for i, p in enumerate(msg.parts)}
        values: list[Any] = [None] * len(msg.parts)
        for child in body:
            i = by_tag.get(child.tag)
            if i is not None:
                values[i] = _part_element(msg.parts[i]).read(child)
        return values
    wrapper = body[0]
    ns, local = _rpc_name(op, response)
    if schema.split(wrapper.tag)[1] != local and not response:
        raise XmlError(f"{op.name}: expected {local} in the Body, got {wrapper.tag}")
    if op.use == "encoded":
        return encoding.read_parts(msg.parts, wrapper, body)
    by_local = {p.name: i for i, p in enumerate(msg.parts)}
    values = [None] * len(msg.parts)
    for child in wrapper:
        i = by_local.get(schema.split(child.tag)[1])
        if i is not None:
            values[i] = _part_element(msg.parts[i]).read(child)
    return values


def result_of(op: Operation, values: list[Any]) -> Any:
    """What a client method returns: nothing, the one value, or a tuple of them."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return tuple(values)


def values_of(op: Operation, result: Any) -> list[Any]:
    """The output values a server method's return stands for (inverse of ``result_of``)."""
    msg = op.output
    if msg is None:
        return []
    if msg.wrapper is not None:
        info = _wrapper_info(msg.wrapper)
        n = len(info.elements)
        if isinstance(result, info.cls):
            return _unmake(info, result)
    else:
        n = len(msg.parts)
    if n == 0:
        return []
    if n == 1:
        return [result]
    if not isinstance(result, tuple) or len(result) != n:
        raise SchemaError(f"{op.name} must return a tuple of {n} values")
    return list(result)


# --- faults -----------------------------------------------------------------------------


def _code_qname(version: str, code: str | None, default: str) -> tuple[str, str]:
    """(namespace, local) of a fault code in the words of ``version``."""
    if not code:
        code = default
    ns, local = schema.split(code)
    if not ns or ns in (ENV11, ENV12):
        if local in _STANDARD_CODES:
            return ENV_NS[version], _CODE_WORDS[version].get(local, local)
        if not ns:
            return ENV_NS[version], local
    return ns, local


def write_fault(version: str, fault: Fault, op: Operation | None = None) -> bytes:
    """The envelope of a fault (the HTTP status is always 500)."""
    detail = _detail_text(fault, op)
    default = "Server" if version == "1.1" else "Receiver"
    ns, local = _code_qname(version, fault.code, default)
    env = ENV_NS[version]
    subcodes = list(fault.subcodes)
    if version == "1.2" and ns != env:  # 1.2 codes are fixed: a custom one is a subcode
        subcodes.insert(0, f"{{{ns}}}{local}")
        ns, local = env, "Receiver"
    if version == "1.1":
        if subcodes:  # 1.1 has no subcodes: the most specific code goes (WSS does this)
            ns, local = schema.split(subcodes[-1])
        code = f"soap:{local}" if ns == env else f"c:{local}"
        decl = "" if ns == env else f' xmlns:c="{escape_attr(ns)}"'
        parts = [
            "<soap:Fault>",
            f"<faultcode{decl}>{code}</faultcode>",
            f"<faultstring>{escape_text(fault.string)}</faultstring>",
        ]
        if fault.actor:
            parts.append(f"<faultactor>{escape_text(fault.actor)}</faultactor>")
        if detail is not None:
            parts.append(f"<detail>{detail}</detail>")
        parts.append("</soap:Fault>")
    else:
        parts = ["<soap:Fault><soap:Code>", f"<soap:Value>soap:{local}</soap:Value>"]
        for i, sub in enumerate(subcodes):
            sns, slocal = schema.split(sub)
            decl = f' xmlns:s{i}="{escape_attr(sns)}"' if sns else ""
            value = f"s{i}:{slocal}" if sns else slocal
            parts.append(f"<soap:Subcode><soap:Value{decl}>{value}</soap:Value>")
        parts.append("</soap:Subcode>" * len(subcodes))
        parts.append("</soap:Code>")
        lang = escape_attr(fault.lang or "en")
        parts.append(
            f'<soap:Reason><soap:Text xml:lang="{lang}">{escape_text(fault.string)}</soap:Text>'
            "</soap:Reason>"
        )
        if fault.actor:
            parts.append(f"<soap:Role>{escape_text(fault.actor)}</soap:Role>")
        if detail is not None:
            parts.append(f"<soap:Detail>{detail}</soap:Detail>")
        parts.append("</soap:Fault>")
    return build(version, ["".join(parts)])


def _detail_text(fault: Fault, op: Operation | None) -> str | None:
    if fault.detail is None:
        return None
    if op is not None:
        for f in op.faults:
            if isinstance(fault, f.cls) and f.detail is not None:
                out: list[str] = []
                f.detail.write(out, fault.detail, "")
                return "".join(out)
    decl = getattr(fault, "_detail_element", None)
    if isinstance(decl, Element):
        out = []
        decl.write(out, fault.detail, "")
        return "".join(out)
    if isinstance(fault.detail, str):
        return escape_text(fault.detail)
    out = []
    schema._write_any_elements(
        out, fault.detail if isinstance(fault.detail, list) else [fault.detail], ""
    )
    return "".join(out)


def _qname_text(elem: Any) -> str:
    value = xsd.QName.from_text_ns(elem.text or "", elem.nsmap)
    return value.text


def read_fault(version: str, elem: Any, op: Operation | None = None) -> Fault:
    """The exception a received Fault element stands for (a generated subclass when known)."""
    env = ENV_NS[version]
    code: str | None = None
    string = ""
    actor = None
    subcodes: list[str] = []
    detail_children: list[Any] = []
    lang = "en"
    try:
        if version == "1.1":
            for child in elem:
                tag = schema.split(child.tag)[1] if isinstance(child.tag, str) else ""
                if tag == "faultcode":
                    code = _qname_text(child)
                elif tag == "faultstring":
                    string = child.text or ""
                elif tag == "faultactor":
                    actor = child.text
                elif tag == "detail":
                    detail_children = [c for c in child if isinstance(c.tag, str)]
        else:
            c = elem.find(f"{{{env}}}Code")
            while c is not None:
                v = c.find(f"{{{env}}}Value")
                if v is not None:
                    if code is None:
                        code = _qname_text(v)
                    else:
                        subcodes.append(_qname_text(v))
                c = c.find(f"{{{env}}}Subcode")
            text = elem.find(f"{{{env}}}Reason/{{{env}}}Text")
            if text is not None:
                string = text.text or ""
                lang = text.get("{http://www.w3.org/XML/1998/namespace}lang", "en")
            role = elem.find(f"{{{env}}}Role")
            actor = role.text if role is not None else None
            d = elem.find(f"{{{env}}}Detail")
            if d is not None:
                detail_children = [c for c in d if isinstance(c.tag, str)]
    except ValueError as exc:
        raise XmlError(f"malformed SOAP fault: {exc}") from None
    if op is not None:
        for child in detail_children:
            for f in op.faults:
                if f.detail is not None and child.tag == f.detail.name:
                    exc_obj = f.cls(string, code, detail=f.detail.read(child), actor=actor)
                    exc_obj.subcodes = tuple(subcodes)
                    exc_obj.lang = lang
                    assert isinstance(exc_obj, Fault)
                    return exc_obj
    return Fault(
        string,
        code,
        detail=detail_children or None,
        actor=actor,
        subcodes=tuple(subcodes),
        lang=lang,
    )


def fault_element(env: Envelope) -> Any | None:
    """The Fault element of a parsed envelope's body, if it is one."""
    if env.body and env.body[0].tag == f"{{{ENV_NS[env.version]}}}Fault":
        return env.body[0]
    return None


# --- whole messages ---------------------------------------------------------------------


def write_request(
    op: Operation,
    args: Sequence[Any],
    headers: Mapping[str, Any] | None = None,
    extra_headers: Sequence[str] = (),
) -> bytes:
    """A request envelope for ``op`` with the client's arguments."""
    blocks = write_headers(op.soap_version, op.input.headers, headers)
    blocks.extend(extra_headers)
    body = write_body(op, op.input, args, False)
    enc = op.encoding_style if op.use == "encoded" else None
    return build(op.soap_version, body, blocks, enc)


def write_response(op: Operation, result: Any, headers: Mapping[str, Any] | None = None) -> bytes:
    """A response envelope for ``op`` with a server method's return value."""
    msg = op.output or schema.Message()
    blocks = write_headers(op.soap_version, msg.headers, headers)
    body = write_body(op, msg, values_of(op, result), True)
    enc = op.encoding_style if op.use == "encoded" else None
    return build(op.soap_version, body, blocks, enc)


def read_response(op: Operation, env: Envelope) -> tuple[Any, dict[str, Any]]:
    """(the client method's result, the response's header values); raises the fault."""
    f = fault_element(env)
    if f is not None:
        raise read_fault(env.version, f, op)
    msg = op.output or schema.Message()
    values = read_body(op, msg, env.body, True)
    return result_of(op, values), read_headers(env.version, msg.headers, env.header)
