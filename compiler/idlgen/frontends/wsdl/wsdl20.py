"""WSDL 2.0 to IR, onto the same nodes as WSDL 1.1 (W3C WSDL 2.0 Part 1 and 2).

interface (extends)    → Interface (Space.INTERFACE) with ``bases``
interface/fault        → Exception_ (its element as the one field)
operation              → Operation: the input element is the Param, the output
                         element the result; infault/outfault are ``raises``;
                         soap.Messages keeps the elements and the MEP
binding (wsoap)        → soap.Binding on the interface, soap.OperationBinding
                         per operation (``wsoap:action``; SOAP 1.2 by default)
service/endpoint       → Service with Ports (interface: the service's)
"""

from __future__ import annotations

from lxml import etree

from idlgen import ir
from idlgen.diagnostics import Reporter
from idlgen.frontends.wsdl.wsdl11 import qname
from idlgen.frontends.wsdl.xmlsafe import XmlDocument
from idlgen.frontends.wsdl.xsd import doc_of
from idlgen.ir import soap

WSDL = "http://www.w3.org/ns/wsdl"
WSOAP = "http://www.w3.org/ns/wsdl/soap"
#: The SOAP binding's namespaces: the Recommendation's and its drafts' (the
#: primer example still names the 2004 and 2006 ones).
WSOAP_NAMESPACES = (
    WSOAP,
    "http://www.w3.org/2006/01/wsdl/soap",
    "http://www.w3.org/2004/08/wsdl/soap12",
)
WHTTP = "http://www.w3.org/ns/wsdl/http"
WSDLX = "http://www.w3.org/ns/wsdl-extensions"
IN_OUT = "http://www.w3.org/ns/wsdl/in-out"


def _w(local: str) -> str:
    return f"{{{WSDL}}}{local}"


def _wsoap(el: etree._Element, local: str, default: str | None = None) -> str | None:
    """A ``wsoap:`` attribute, in any of the SOAP binding's namespaces."""
    for ns in WSOAP_NAMESPACES:
        value = el.get(f"{{{ns}}}{local}")
        if value is not None:
            return value
    return default


def _is_soap(binding: etree._Element) -> bool:
    return binding.get("type", "") in WSOAP_NAMESPACES


class Wsdl20Builder:
    """Builds the WSDL 2.0 part of the IR from every ``description`` read."""

    def __init__(self, docs: list[XmlDocument], reporter: Reporter) -> None:
        self.docs = docs
        self.report = reporter
        #: Bindings by the interface they bind.
        self.bindings: dict[ir.QName, list[tuple[XmlDocument, etree._Element]]] = {}
        self.binding_interface: dict[ir.QName, ir.QName] = {}
        for doc in docs:
            tns = doc.root.get("targetNamespace", "")
            for b in doc.root:
                if b.tag == _w("binding") and b.get("interface"):
                    iface = qname(doc, b, "interface", reporter)
                    self.bindings.setdefault(iface, []).append((doc, b))
                    self.binding_interface[ir.QName(tns, b.get("name") or "")] = iface

    def element_ref(self, doc: XmlDocument, el: etree._Element) -> ir.Type | None:
        """``element=``: a Named element, anyType for ``#any``, None for ``#none``/absent."""
        text = el.get("element")
        if text is None or text == "#none":
            return None
        if text in ("#any", "#other"):
            return ir.Primitive(ir.Prim.ANYTYPE, loc=doc.loc(el, "element"))
        return ir.Named(
            qname(doc, el, "element", self.report), ir.Space.ELEMENT, loc=doc.loc(el, "element")
        )

    def build(self, doc: XmlDocument, name: str) -> ir.Module:
        """The Module of one ``description``."""
        tns = doc.root.get("targetNamespace", "")
        decls: list[ir.Decl] = []
        for el in doc.root:
            if el.tag == _w("interface"):
                decls += self.interface(doc, el, tns)
            elif el.tag == _w("service"):
                decls.append(self.service(doc, el))
        return ir.Module(
            name, tuple(decls), namespace=tns, loc=doc.loc(doc.root), doc=doc_of(doc.root)
        )

    def interface(self, doc: XmlDocument, el: etree._Element, tns: str) -> list[ir.Decl]:
        """An interface, its faults (as Exception_s) and its bindings."""
        name = el.get("name") or ""
        out: list[ir.Decl] = []
        for f in el:
            if f.tag == _w("fault"):
                t = self.element_ref(doc, f)
                fields = (ir.Field("", t, loc=doc.loc(f)),) if t is not None else ()
                out.append(
                    ir.Exception_(f.get("name") or "", fields, loc=doc.loc(f), doc=doc_of(f))
                )
        bound = self.bindings.get(ir.QName(tns, name), [])
        operations = tuple(self.operation(doc, op, bound) for op in el if op.tag == _w("operation"))
        bases = tuple(
            ir.Named(
                _resolve(doc, el, text, self.report), ir.Space.INTERFACE, loc=doc.loc(el, "extends")
            )
            for text in (el.get("extends") or "").split()
        )
        out.append(
            ir.Interface(
                name,
                operations,
                bases,
                space=ir.Space.INTERFACE,
                annotations=tuple(self.binding(d, b) for d, b in bound),
                loc=doc.loc(el),
                doc=doc_of(el),
            )
        )
        return out

    def operation(
        self, doc: XmlDocument, el: etree._Element, bound: list[tuple[XmlDocument, etree._Element]]
    ) -> ir.Operation:
        """One operation: its input element as the Param, its output's as the result."""
        name = el.get("name") or ""
        pattern = el.get("pattern", IN_OUT)
        params: list[ir.Param] = []
        result: ir.Type = ir.Primitive(ir.Prim.VOID)
        in_ref: ir.Named | None = None
        out_ref: ir.Named | None = None
        faults: list[soap.FaultRef] = []
        raises: list[ir.Named] = []
        for c in el:
            if c.tag == _w("input"):
                t = self.element_ref(doc, c)
                if t is not None:
                    label = (
                        t.name.local
                        if isinstance(t, ir.Named) and isinstance(t.name, ir.QName)
                        else "body"
                    )
                    params.append(ir.Param(label, t, loc=doc.loc(c)))
                    in_ref = t if isinstance(t, ir.Named) else None
            elif c.tag == _w("output"):
                t = self.element_ref(doc, c)
                if t is not None:
                    result = t
                    out_ref = t if isinstance(t, ir.Named) else None
            elif c.tag in (_w("infault"), _w("outfault")) and c.get("ref"):
                q = qname(doc, c, "ref", self.report)
                exc = ir.Named(q, ir.Space.ORDINARY, loc=doc.loc(c, "ref"))
                raises.append(exc)
                faults.append(
                    soap.FaultRef(
                        q.local,
                        exc,
                        direction="in" if c.tag == _w("infault") else "out",
                        loc=doc.loc(c),
                    )
                )
        messages = soap.Messages(
            in_ref,
            out_ref,
            faults=tuple(faults),
            pattern=pattern,
            styles=tuple((el.get("style") or "").split()),
            safe=el.get(f"{{{WSDLX}}}safe") == "true",
            loc=doc.loc(el),
        )
        annotations: list[object] = [messages]
        for bdoc, b in bound:
            for op in b:
                if op.tag == _w("operation") and op.get("ref"):
                    if qname(bdoc, op, "ref", self.report).local == name:
                        annotations.append(self.operation_binding(bdoc, b, op))
        return ir.Operation(
            name,
            tuple(params),
            result,
            tuple(raises),
            oneway=pattern.endswith(("/in-only", "/robust-in-only")),
            annotations=tuple(annotations),
            loc=doc.loc(el),
            doc=doc_of(el),
        )

    def binding(self, doc: XmlDocument, el: etree._Element) -> soap.Binding:
        """A binding: SOAP (version 1.2 unless ``wsoap:version`` says) or HTTP."""
        kind = el.get("type", "")
        if _is_soap(el):
            return soap.Binding(
                el.get("name") or "",
                _wsoap(el, "version") or "1.2",
                transport=_wsoap(el, "protocol") or "http://www.w3.org/2003/05/soap/bindings/HTTP/",
                namespace=doc.root.get("targetNamespace", "") or None,
                loc=doc.loc(el),
            )
        return soap.Binding(
            el.get("name") or "",
            "",
            transport="",
            namespace=doc.root.get("targetNamespace", "") or None,
            protocol="http" if kind == WHTTP else "other",
            verb=el.get(f"{{{WHTTP}}}methodDefault"),
            loc=doc.loc(el),
        )

    def operation_binding(
        self, doc: XmlDocument, binding: etree._Element, op: etree._Element
    ) -> soap.OperationBinding:
        """One binding operation: its action; the binding's faults with their codes."""
        faults = tuple(
            soap.FaultBinding(
                qname(doc, f, "ref", self.report).local,
                code=_wsoap(f, "code"),
                loc=doc.loc(f),
            )
            for f in binding
            if f.tag == _w("fault") and f.get("ref")
        )
        return soap.OperationBinding(
            _wsoap(op, "action"),
            binding=binding.get("name") or "",
            binding_namespace=doc.root.get("targetNamespace", "") or None,
            faults=faults,
            loc=doc.loc(op),
        )

    def service(self, doc: XmlDocument, el: etree._Element) -> ir.Service:
        """A service of one interface and its endpoints."""
        iface = qname(doc, el, "interface", self.report)
        ports: list[ir.Port] = []
        for ep in el:
            if ep.tag != _w("endpoint"):
                continue
            b = qname(doc, ep, "binding", self.report)
            if b not in self.binding_interface:
                self.report.error(
                    doc.loc(ep, "binding"),
                    f"endpoint '{ep.get('name')}' uses binding '{ep.get('binding')}', "
                    "which is not defined",
                    "undefined-name",
                )
                continue
            bdoc_b = next(
                (
                    bb
                    for d, bb in self.bindings.get(self.binding_interface[b], [])
                    if bb.get("name") == b.local
                ),
                None,
            )
            version = (
                _wsoap(bdoc_b, "version", "1.2") or "1.2"
                if bdoc_b is not None and _is_soap(bdoc_b)
                else ""
            )
            ports.append(
                ir.Port(
                    ep.get("name") or "",
                    ir.Named(iface, ir.Space.INTERFACE, loc=doc.loc(el, "interface")),
                    ep.get("address"),
                    annotations=(
                        soap.PortBinding(
                            b.local,
                            b.namespace or None,
                            protocol="soap" if version else "http",
                            soap_version=version,
                            loc=doc.loc(ep),
                        ),
                    ),
                    loc=doc.loc(ep),
                )
            )
        return ir.Service(
            el.get("name") or "",
            tuple(ports),
            space=ir.Space.SERVICE,
            loc=doc.loc(el),
            doc=doc_of(el),
        )


def _resolve(doc: XmlDocument, el: etree._Element, text: str, report: Reporter) -> ir.QName:
    prefix, _, local = text.rpartition(":")
    ns = el.nsmap.get(prefix or None)
    if ns is None:
        if prefix:
            report.error(
                doc.loc(el), f"prefix '{prefix}' of '{text}' is not declared", "wsdl-prefix"
            )
        ns = ""
    return ir.QName(ns, local)
