"""XML Schema 1.0 to IR: one :class:`~idlgen.ir.Module` per ``xs:schema``.

    complexType           → Struct (Space.TYPE): particles and attributes as Fields,
                            ``base``/``derivation`` for extension and restriction
    simpleType            → Typedef(Restricted | Sequence (list) | UnionOf),
                            Enum_ for restriction by enumeration
    element (global)      → Element (Space.ELEMENT); attribute (global) → Element
                            in Space.ATTRIBUTE
    group/attributeGroup  → ModelGroup (Space.GROUP / Space.ATTRIBUTE_GROUP)
    sequence/choice/all   → a Field named "" whose type is a Group (a top-level
                            sequence that occurs once is flattened into the fields)
    any/anyAttribute      → a Field named "" whose type is a Wildcard

Anonymous complex types and enumerations are hoisted beside the schema's
declarations, named after what holds them (``Outer_inner``; a trailing ``_``
while the name is taken in the namespace) and marked :class:`~idlgen.ir.Hoisted`.
Every node's Loc is its element's line (and the column of its tag); a
reference's Loc is the attribute that holds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from lxml import etree

from idlgen import ir
from idlgen.diagnostics import Reporter
from idlgen.frontends.wsdl.xmlsafe import XmlDocument
from idlgen.frontends.wsdl.xsd.builtins import INTEGRAL, XML_NS, XSD, XSD_NAMESPACES, builtin

__all__ = ["SchemaUnit", "SchemaIndex", "SchemaBuilder", "XSD", "XSD_NAMESPACES", "is_xsd"]

SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/"
WSDL11 = "http://schemas.xmlsoap.org/wsdl/"


def is_xsd(el: etree._Element, local: str) -> bool:
    """Whether ``el`` is ``xs:local`` (any of XML Schema's namespaces)."""
    tag = el.tag
    if not isinstance(tag, str) or not tag.endswith("}" + local):
        return False
    return tag[1 : -len(local) - 1] in XSD_NAMESPACES


def local_name(el: etree._Element) -> str:
    """The local part of an element's tag ("" for comments and the like)."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def xsd_children(el: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """``(local name, child)`` for each XML Schema element under ``el``."""
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag.startswith("{"):
            ns, _, local = tag[1:].partition("}")
            if ns in XSD_NAMESPACES:
                yield local, child


@dataclass
class SchemaUnit:
    """One ``xs:schema`` element, with the namespace it declares into.

    ``chameleon``: an included schema without a target namespace takes the
    includer's, and its unprefixed references too.
    """

    doc: XmlDocument
    el: etree._Element
    namespace: str
    chameleon: bool = False

    @property
    def element_qualified(self) -> bool:
        """``elementFormDefault="qualified"``."""
        return self.el.get("elementFormDefault") == "qualified"

    @property
    def attribute_qualified(self) -> bool:
        """``attributeFormDefault="qualified"``."""
        return self.el.get("attributeFormDefault") == "qualified"


@dataclass
class SchemaIndex:
    """What every schema declares, by namespace: read before any is built.

    Simple or complex matters for simpleContent; the names make hoisted
    anonymous types unique in their namespace.
    """

    simple: set[ir.QName] = field(default_factory=set)
    complex: set[ir.QName] = field(default_factory=set)
    taken: set[ir.QName] = field(default_factory=set)

    def add(self, unit: SchemaUnit) -> None:
        """Record the named types of one schema."""
        for kind, child in xsd_children(unit.el):
            name = child.get("name")
            if name is None:
                continue
            if kind == "simpleType":
                self.simple.add(ir.QName(unit.namespace, name))
            elif kind == "complexType":
                self.complex.add(ir.QName(unit.namespace, name))
            if kind in ("simpleType", "complexType"):
                self.taken.add(ir.QName(unit.namespace, name))

    def fresh(self, namespace: str, wanted: str) -> str:
        """``wanted``, with ``_`` appended while a type of that name exists."""
        name = wanted
        while ir.QName(namespace, name) in self.taken:
            name += "_"
        self.taken.add(ir.QName(namespace, name))
        return name


def occurs(el: etree._Element) -> tuple[int, int | None]:
    """``minOccurs``/``maxOccurs`` (None: unbounded); malformed values count as 1."""

    def number(text: str | None, default: int) -> int:
        try:
            return int(text) if text is not None else default
        except ValueError:
            return default

    high = el.get("maxOccurs")
    return number(el.get("minOccurs"), 1), (None if high == "unbounded" else number(high, 1))


def doc_of(el: etree._Element) -> str | None:
    """The text of ``xs:annotation/xs:documentation`` (WSDL ``documentation`` too)."""
    texts: list[str] = []
    for child in el:
        local = local_name(child)
        if local == "annotation":
            for d in child:
                if local_name(d) == "documentation":
                    texts.append("".join(d.itertext()).strip())
        elif local == "documentation":
            texts.append("".join(child.itertext()).strip())
    text = "\n".join(t for t in texts if t)
    return text or None


def _literal(text: str, integral: bool = False) -> ir.Literal:
    if integral:
        try:
            return ir.Literal(int(text.strip()))
        except ValueError:
            pass
    return ir.Literal(text)


def _bound(text: str) -> ir.Literal:
    """A min/max facet's value: an integer or a decimal when it reads as one."""
    s = text.strip()
    try:
        return ir.Literal(int(s))
    except ValueError:
        pass
    try:
        return ir.Literal(Decimal(s))
    except InvalidOperation:
        return ir.Literal(text)


class SchemaBuilder:
    """Builds one schema's Module; hoisted declarations go beside its own."""

    def __init__(self, unit: SchemaUnit, index: SchemaIndex, reporter: Reporter) -> None:
        self.unit = unit
        self.doc = unit.doc
        self.ns = unit.namespace
        self.index = index
        self.report = reporter
        self.hoisted: list[ir.Decl] = []
        #: Global elements declared without a type but with a substitution group:
        #: their type is the head's (filled in once every schema is built).
        self.typed_by_head: set[ir.QName] = set()

    # -- names -------------------------------------------------------------------

    def loc(self, el: etree._Element, attr: str | None = None) -> ir.Loc:
        """Where ``el`` (or its attribute ``attr``) is."""
        return self.doc.loc(el, attr)

    def qname(self, el: etree._Element, text: str, attr: str) -> ir.QName:
        """``prefix:local`` as written on ``el`` to a QName."""
        text = text.strip()
        prefix, _, local = text.rpartition(":")
        if prefix == "xml":
            return ir.QName(XML_NS, local)
        ns = el.nsmap.get(prefix or None)
        if ns is None:
            if prefix:
                self.report.error(
                    self.loc(el, attr),
                    f"prefix '{prefix}' of '{text}' is not declared (no xmlns:{prefix}=...)",
                    "xsd-prefix",
                )
            ns = ""
        if not ns and self.unit.chameleon:
            ns = self.ns
        return ir.QName(ns, local)

    def type_ref(self, el: etree._Element, attr: str) -> ir.Type:
        """The type named by ``el``'s attribute ``attr`` (a built-in, or a Named use)."""
        return self._type_named(el, el.get(attr) or "", attr)

    def _type_named(self, el: etree._Element, text: str, attr: str) -> ir.Type:
        """The type ``text`` names, written in ``el``'s attribute ``attr``."""
        q = self.qname(el, text, attr)
        loc = self.loc(el, attr)
        if q.namespace in XSD_NAMESPACES:
            found = builtin(q.local)
            if found is None:
                self.report.error(
                    loc, f"'{text}' is not a built-in type of XML Schema", "undefined-name"
                )
                return ir.Primitive(ir.Prim.ANYTYPE, loc=loc)
            return _at(found, loc)
        return ir.Named(q, ir.Space.TYPE, loc=loc)

    def ref(self, el: etree._Element, attr: str, space: ir.Space) -> ir.Named:
        """A reference to an element, attribute or group."""
        q = self.qname(el, el.get(attr) or "", attr)
        return ir.Named(q, space, loc=self.loc(el, attr))

    def value_attr(self, el: etree._Element, attr: str) -> ir.Literal | None:
        """A ``default=``/``fixed=`` value, placed at its attribute."""
        text = el.get(attr)
        return ir.Literal(text, loc=self.loc(el, attr)) if text is not None else None

    # -- the schema ----------------------------------------------------------------

    def build(self, name: str) -> ir.Module:
        """The Module of the schema: its top-level declarations, then the hoisted ones."""
        decls: list[ir.Decl] = []
        for kind, child in xsd_children(self.unit.el):
            decl = self.top(kind, child)
            if decl is not None:
                decls.append(decl)
        return ir.Module(
            name,
            (*decls, *self.hoisted),
            namespace=self.ns,
            loc=self.loc(self.unit.el),
        )

    def top(self, kind: str, el: etree._Element) -> ir.Decl | None:
        """One top-level component."""
        name = el.get("name")
        if kind in ("import", "include", "redefine", "override", "annotation", "notation"):
            return None
        if name is None:
            self.report.error(self.loc(el), f"a top-level {kind} needs a name", "xsd-structure")
            return None
        if kind == "complexType":
            return self.complex_type(el, name)
        if kind == "simpleType":
            return self.simple_type(el, name)
        if kind == "element":
            return self.element(el, name)
        if kind == "attribute":
            return ir.Element(
                name,
                self.attribute_type(el, name),
                default=self.value_attr(el, "default"),
                fixed=self.value_attr(el, "fixed"),
                namespace=self.ns or None,
                space=ir.Space.ATTRIBUTE,
                loc=self.loc(el),
                doc=doc_of(el),
            )
        if kind == "group":
            members: list[ir.Field] = []
            for k, c in xsd_children(el):
                if k in ("sequence", "choice", "all"):
                    members += self.content(k, c, name, flatten=True)
            return ir.ModelGroup(
                name, tuple(members), space=ir.Space.GROUP, loc=self.loc(el), doc=doc_of(el)
            )
        if kind == "attributeGroup":
            return ir.ModelGroup(
                name,
                tuple(self.attributes(el, name)),
                space=ir.Space.ATTRIBUTE_GROUP,
                loc=self.loc(el),
                doc=doc_of(el),
            )
        self.report.warning(self.loc(el), f"xs:{kind} is not read; left out", "xsd-unsupported")
        return None

    # -- elements ------------------------------------------------------------------

    def element(self, el: etree._Element, name: str) -> ir.Element:
        """A global element declaration."""
        head = el.get("substitutionGroup")
        group = self.ref(el, "substitutionGroup", ir.Space.ELEMENT) if head else None
        if el.get("type") is None and not _has_inline_type(el) and group is not None:
            self.typed_by_head.add(ir.QName(self.ns, name))
        return ir.Element(
            name,
            self.element_type(el, name),
            nillable=el.get("nillable") in ("true", "1"),
            abstract=el.get("abstract") in ("true", "1"),
            substitution_group=group,
            default=self.value_attr(el, "default"),
            fixed=self.value_attr(el, "fixed"),
            namespace=self.ns or None,
            space=ir.Space.ELEMENT,
            loc=self.loc(el),
            doc=doc_of(el),
        )

    def element_type(self, el: etree._Element, owner: str) -> ir.Type:
        """An element's type: ``type=``, an inline (hoisted) type, or anyType."""
        if el.get("type") is not None:
            return self.type_ref(el, "type")
        for kind, child in xsd_children(el):
            if kind == "complexType":
                name = self.index.fresh(self.ns, owner)
                self.hoisted.append(
                    self.complex_type(child, name, annotations=(ir.Hoisted(owner),))
                )
                return ir.Named(ir.QName(self.ns, name), ir.Space.TYPE, loc=self.loc(child))
            if kind == "simpleType":
                return self.anonymous_simple(child, owner)
        return ir.Primitive(ir.Prim.ANYTYPE, loc=self.loc(el))

    def attribute_type(self, el: etree._Element, owner: str) -> ir.Type:
        """An attribute's type: ``type=``, an inline simple type, or anySimpleType."""
        if el.get("type") is not None:
            return self.type_ref(el, "type")
        for kind, child in xsd_children(el):
            if kind == "simpleType":
                return self.anonymous_simple(child, owner)
        return ir.Primitive(ir.Prim.ANYTYPE, loc=self.loc(el))

    # -- complex types ----------------------------------------------------------------

    def complex_type(
        self, el: etree._Element, name: str, annotations: tuple[object, ...] = ()
    ) -> ir.Struct:
        """A complexType: its content model, attributes, base and flags."""
        mixed = el.get("mixed") in ("true", "1")
        base: ir.Named | None = None
        derivation: ir.Derivation | None = None
        fields: list[ir.Field] = []
        extra: list[object] = []
        for kind, child in xsd_children(el):
            if kind in ("sequence", "choice", "all", "group"):
                fields += self.content(kind, child, name, flatten=True)
            elif kind in ("attribute", "attributeGroup", "anyAttribute"):
                fields += self.attributes(el, name, only=child)
            elif kind == "complexContent":
                mixed = mixed or child.get("mixed") in ("true", "1")
                base, derivation, more, array = self.complex_content(child, name)
                fields += more
                if array is not None:
                    extra.append(array)
            elif kind == "simpleContent":
                base, derivation, more = self.simple_content(child, name)
                fields += more
        return ir.Struct(
            name,
            tuple(fields),
            base=base,
            derivation=derivation,
            abstract=el.get("abstract") in ("true", "1"),
            mixed=mixed,
            space=ir.Space.TYPE,
            annotations=(*annotations, *extra),
            loc=self.loc(el),
            doc=doc_of(el),
        )

    def complex_content(
        self, el: etree._Element, owner: str
    ) -> tuple[ir.Named | None, ir.Derivation | None, list[ir.Field], object | None]:
        """``complexContent``: extension or restriction of a complex base."""
        for kind, child in xsd_children(el):
            if kind not in ("extension", "restriction"):
                continue
            derivation = (
                ir.Derivation.EXTENSION if kind == "extension" else ir.Derivation.RESTRICTION
            )
            base_type = self.type_ref(child, "base") if child.get("base") else None
            base = base_type if isinstance(base_type, ir.Named) else None
            fields: list[ir.Field] = []
            for k, c in xsd_children(child):
                if k in ("sequence", "choice", "all", "group"):
                    fields += self.content(k, c, owner, flatten=True)
            fields += self.attributes(child, owner)
            array = None
            if base is not None and base.name == ir.QName(SOAP_ENC, "Array"):
                array = self.encoded_array(child, fields)
            return base, derivation, fields, array
        return None, None, [], None

    def encoded_array(self, el: etree._Element, fields: list[ir.Field]) -> object | None:
        """A SOAP-ENC array: ``wsdl:arrayType`` on its arrayType attribute, or its element."""
        from idlgen.ir import soap

        for attr in el.iter():
            written = attr.get(f"{{{WSDL11}}}arrayType") if isinstance(attr.tag, str) else None
            if written:
                at = written.find("[")
                item_text, dims = (written[:at], written[at:]) if at >= 0 else (written, "[]")
                q = self.qname(attr, item_text, "arrayType")
                loc = self.loc(attr, "wsdl:arrayType")
                item: ir.Type
                if q.namespace in XSD_NAMESPACES:
                    item = _at(builtin(q.local) or ir.Primitive(ir.Prim.ANYTYPE), loc)
                else:
                    item = ir.Named(q, ir.Space.TYPE, loc=loc)
                return soap.EncodedArray(item, dims, loc=loc)
        for f in fields:
            if f.kind is ir.MemberKind.ELEMENT and f.name:
                return soap.EncodedArray(f.type, "[]", loc=f.loc)
        return None

    def simple_content(
        self, el: etree._Element, owner: str
    ) -> tuple[ir.Named | None, ir.Derivation | None, list[ir.Field]]:
        """``simpleContent``: a text value (a TEXT field) with attributes."""
        for kind, child in xsd_children(el):
            if kind not in ("extension", "restriction"):
                continue
            derivation = (
                ir.Derivation.EXTENSION if kind == "extension" else ir.Derivation.RESTRICTION
            )
            base_type = self.type_ref(child, "base") if child.get("base") else None
            fields: list[ir.Field] = []
            base: ir.Named | None = None
            if isinstance(base_type, ir.Named) and base_type.name in self.index.complex:
                base = base_type  # the text comes with the base's own fields
                if kind == "restriction":
                    facets = self.facets(child)
                    if facets != ir.Facets():
                        fields.append(self.text_field(ir.Restricted(ir.String(), facets), child))
            elif base_type is not None:
                text = base_type
                if kind == "restriction":
                    text = self.restriction_type(child, base_type, owner)
                fields.append(self.text_field(text, child))
            fields += self.attributes(child, owner)
            return base, derivation if base is not None else None, fields
        return None, None, []

    def text_field(self, t: ir.Type, el: etree._Element) -> ir.Field:
        """The value of a simpleContent type."""
        return ir.Field("", t, kind=ir.MemberKind.TEXT, loc=self.loc(el))

    def content(
        self, kind: str, el: etree._Element, owner: str, flatten: bool = False
    ) -> list[ir.Field]:
        """A particle: a model group (flattened when it is a sequence that occurs once)."""
        low, high = occurs(el)
        if kind == "group":
            return [
                ir.Field(
                    "",
                    self.ref(el, "ref", ir.Space.GROUP),
                    min_occurs=low,
                    max_occurs=high,
                    loc=self.loc(el),
                )
            ]
        members: list[ir.Field] = []
        for k, child in xsd_children(el):
            if k == "element":
                members.append(self.local_element(child, owner))
            elif k in ("sequence", "choice", "all", "group"):
                members += self.content(k, child, owner)
            elif k == "any":
                a_low, a_high = occurs(child)
                members.append(
                    ir.Field(
                        "",
                        ir.Wildcard(
                            child.get("namespace", "##any"),
                            child.get("processContents", "strict"),
                            loc=self.loc(child),
                        ),
                        min_occurs=a_low,
                        max_occurs=a_high,
                        loc=self.loc(child),
                    )
                )
        if flatten and kind == "sequence" and low == 1 and high == 1:
            return members
        group = ir.Group(ir.GroupKind(kind), tuple(members), loc=self.loc(el))
        return [ir.Field("", group, min_occurs=low, max_occurs=high, loc=self.loc(el))]

    def local_element(self, el: etree._Element, owner: str) -> ir.Field:
        """An element particle: a local declaration or a reference to a global one."""
        low, high = occurs(el)
        nillable = el.get("nillable") in ("true", "1")
        if el.get("ref") is not None:
            target = self.ref(el, "ref", ir.Space.ELEMENT)
            assert isinstance(target.name, ir.QName)
            return ir.Field(
                target.name.local,
                target,
                min_occurs=low,
                max_occurs=high,
                nillable=nillable,
                namespace=target.name.namespace or None,
                loc=self.loc(el),
                doc=doc_of(el),
            )
        name = el.get("name") or ""
        form = el.get("form")
        qualified = form == "qualified" if form else self.unit.element_qualified
        return ir.Field(
            name,
            self.element_type(el, f"{owner}_{name}"),
            min_occurs=low,
            max_occurs=high,
            nillable=nillable,
            default=self.value_attr(el, "default"),
            fixed=self.value_attr(el, "fixed"),
            namespace=(self.ns or None) if qualified else None,
            loc=self.loc(el),
            doc=doc_of(el),
        )

    def attributes(
        self, el: etree._Element, owner: str, only: etree._Element | None = None
    ) -> list[ir.Field]:
        """The attribute uses, attribute group references and anyAttribute under ``el``."""
        out: list[ir.Field] = []
        children = [(local_name(only), only)] if only is not None else list(xsd_children(el))
        for kind, child in children:
            loc = self.loc(child)
            if kind == "attribute":
                use = child.get("use", "optional")
                if use == "prohibited":
                    continue
                low = 1 if use == "required" else 0
                default = self.value_attr(child, "default")
                fixed = self.value_attr(child, "fixed")
                if child.get("ref") is not None:
                    target = self.ref(child, "ref", ir.Space.ATTRIBUTE)
                    assert isinstance(target.name, ir.QName)
                    out.append(
                        ir.Field(
                            target.name.local,
                            target,
                            kind=ir.MemberKind.ATTRIBUTE,
                            min_occurs=low,
                            default=default,
                            fixed=fixed,
                            namespace=target.name.namespace or None,
                            loc=loc,
                        )
                    )
                    continue
                name = child.get("name") or ""
                form = child.get("form")
                qualified = form == "qualified" if form else self.unit.attribute_qualified
                out.append(
                    ir.Field(
                        name,
                        self.attribute_type(child, f"{owner}_{name}"),
                        kind=ir.MemberKind.ATTRIBUTE,
                        min_occurs=low,
                        default=default,
                        fixed=fixed,
                        namespace=(self.ns or None) if qualified else None,
                        loc=loc,
                        doc=doc_of(child),
                    )
                )
            elif kind == "attributeGroup":
                out.append(
                    ir.Field(
                        "",
                        self.ref(child, "ref", ir.Space.ATTRIBUTE_GROUP),
                        kind=ir.MemberKind.ATTRIBUTE,
                        loc=loc,
                    )
                )
            elif kind == "anyAttribute":
                out.append(
                    ir.Field(
                        "",
                        ir.Wildcard(
                            child.get("namespace", "##any"),
                            child.get("processContents", "strict"),
                            loc=loc,
                        ),
                        kind=ir.MemberKind.ATTRIBUTE,
                        min_occurs=0,
                        loc=loc,
                    )
                )
        return out

    # -- simple types ------------------------------------------------------------------

    def simple_type(
        self, el: etree._Element, name: str, annotations: tuple[object, ...] = ()
    ) -> ir.Decl:
        """A named simple type: Enum_ for enumerations, else a Typedef."""
        loc = self.loc(el)
        for kind, child in xsd_children(el):
            if kind == "restriction":
                base = self.restriction_base(child, name)
                values = [c for k, c in xsd_children(child) if k == "enumeration"]
                if values:
                    return self.enum(name, base, child, values, annotations, loc, doc_of(el))
                return ir.Typedef(
                    name,
                    self.restriction_type(child, base, name),
                    space=ir.Space.TYPE,
                    annotations=annotations,
                    loc=loc,
                    doc=doc_of(el),
                )
            if kind in ("list", "union"):
                return ir.Typedef(
                    name,
                    self.list_or_union(kind, child, name),
                    space=ir.Space.TYPE,
                    annotations=annotations,
                    loc=loc,
                    doc=doc_of(el),
                )
        self.report.error(
            loc, f"simple type '{name}' has no restriction, list or union", "xsd-structure"
        )
        return ir.Typedef(name, ir.String(), space=ir.Space.TYPE, loc=loc)

    def anonymous_simple(self, el: etree._Element, owner: str) -> ir.Type:
        """An inline simple type: enumerations are hoisted (Enum_ is a declaration)."""
        for kind, child in xsd_children(el):
            if kind == "restriction" and any(k == "enumeration" for k, _ in xsd_children(child)):
                name = self.index.fresh(self.ns, owner)
                self.hoisted.append(self.simple_type(el, name, annotations=(ir.Hoisted(owner),)))
                return ir.Named(ir.QName(self.ns, name), ir.Space.TYPE, loc=self.loc(el))
            if kind == "restriction":
                return self.restriction_type(child, self.restriction_base(child, owner), owner)
            if kind in ("list", "union"):
                return self.list_or_union(kind, child, owner)
        return ir.String(loc=self.loc(el))

    def restriction_base(self, el: etree._Element, owner: str) -> ir.Type:
        """A restriction's base: ``base=`` or its inline simple type."""
        if el.get("base") is not None:
            return self.type_ref(el, "base")
        for kind, child in xsd_children(el):
            if kind == "simpleType":
                return self.anonymous_simple(child, owner)
        return ir.Primitive(ir.Prim.ANYTYPE, loc=self.loc(el))

    def restriction_type(self, el: etree._Element, base: ir.Type, owner: str) -> ir.Type:
        """``base`` restricted by the facets under ``el``."""
        return ir.Restricted(base, self.facets(el), loc=self.loc(el))

    def facets(self, el: etree._Element) -> ir.Facets:
        """The constraining facets under a restriction (enumerations apart)."""
        values: dict[str, Any] = {}
        patterns: list[str] = []
        for kind, child in xsd_children(el):
            value = child.get("value")
            if value is None:
                continue
            if kind in ("length", "minLength", "maxLength", "totalDigits", "fractionDigits"):
                try:
                    values[_SNAKE[kind]] = int(value)
                except ValueError:
                    self.report.error(
                        self.loc(child, "value"), f"{kind} must be an integer", "xsd-facet"
                    )
            elif kind in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
                values[_SNAKE[kind]] = _at(_bound(value), self.loc(child, "value"))
            elif kind == "pattern":
                patterns.append(value)
            elif kind == "whiteSpace":
                values["white_space"] = value
        return ir.Facets(patterns=tuple(patterns), loc=self.loc(el), **values)

    def enum(
        self,
        name: str,
        base: ir.Type,
        el: etree._Element,
        values: list[etree._Element],
        annotations: tuple[object, ...],
        loc: ir.Loc,
        doc: str | None,
    ) -> ir.Enum_:
        """A restriction by enumeration; values of integer built-ins are integers."""
        integral = isinstance(el.get("base"), str) and self._integral_builtin(el)
        members: list[ir.EnumMember] = []
        seen: set[str] = set()
        for v in values:
            text = v.get("value") or ""
            if text in seen:  # XSD allows repeats; they add nothing
                continue
            seen.add(text)
            members.append(
                ir.EnumMember(
                    text,
                    _at(_literal(text, integral), self.loc(v, "value")),
                    loc=self.loc(v),
                    doc=doc_of(v),
                )
            )
        return ir.Enum_(
            name,
            tuple(members),
            base=base,
            space=ir.Space.TYPE,
            annotations=annotations,
            loc=loc,
            doc=doc,
        )

    def _integral_builtin(self, el: etree._Element) -> bool:
        q = self.qname(el, el.get("base") or "", "base")
        return q.namespace in XSD_NAMESPACES and q.local in INTEGRAL

    def list_or_union(self, kind: str, el: etree._Element, owner: str) -> ir.Type:
        """``xs:list`` (a Sequence of its item type) or ``xs:union`` (UnionOf its members)."""
        loc = self.loc(el)
        inline = [self.anonymous_simple(c, owner) for k, c in xsd_children(el) if k == "simpleType"]
        if kind == "list":
            item = self.type_ref(el, "itemType") if el.get("itemType") else None
            return ir.Sequence(item or (inline[0] if inline else ir.String()), loc=loc)
        members: list[ir.Type] = []
        for text in (el.get("memberTypes") or "").split():
            members.append(self._type_named(el, text, "memberTypes"))
        return ir.UnionOf((*members, *inline), loc=loc)


_SNAKE = {
    "length": "length",
    "minLength": "min_length",
    "maxLength": "max_length",
    "totalDigits": "total_digits",
    "fractionDigits": "fraction_digits",
    "minInclusive": "min_inclusive",
    "maxInclusive": "max_inclusive",
    "minExclusive": "min_exclusive",
    "maxExclusive": "max_exclusive",
}


def _has_inline_type(el: etree._Element) -> bool:
    return any(k in ("complexType", "simpleType") for k, _ in xsd_children(el))


N = TypeVar("N", bound=ir.Node)


def _at(node: N, loc: ir.Loc) -> N:
    """A shared built-in node placed at ``loc``."""
    return replace(node, loc=loc)
