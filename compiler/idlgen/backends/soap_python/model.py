"""The schema side of the SOAP back-end: every type, element and fault as a view.

Each view holds the Python it places (names, type hints, descriptor
expressions) so that the templates only lay them out. The decisions are here:

* a simple type is a codec (``xsd.restricted``, ``xsd.list_of``,
  ``xsd.union_of``, ``xsd.enumeration`` over the built-in ``xsd`` codecs) and
  a Python type hint;
* a complex type is a dataclass (``kw_only``: XSD's optional members come
  anywhere) and its ``s.complex_type`` descriptor, its nested groups
  flattened into fields as the runtime contract says (a choice's members are
  optional fields; a repeated choice is one ``s.choice`` list);
* a global element is an ``s.element_decl`` descriptor; a fault an exception.

Only what the user's files declare, and what that uses of the bundled
standard schemas, is generated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from idlgen import ir
from idlgen.backends.soap_python.layout import Call, Expr, Kw
from idlgen.ir import soap as soap_ir
from idlgen.naming.soap import (
    ModuleNames,
    class_name,
    constant_name,
    element_name,
    member_names,
)
from idlgen.passes.context import Context
from idlgen.render import string_literal

#: Built-in simple types: (codec, Python type hint).
PRIMITIVES: dict[ir.Prim, tuple[str, str]] = {
    ir.Prim.BOOL: ("xsd.boolean", "bool"),
    ir.Prim.INT8: ("xsd.byte", "int"),
    ir.Prim.UINT8: ("xsd.unsignedByte", "int"),
    ir.Prim.OCTET: ("xsd.unsignedByte", "int"),
    ir.Prim.INT16: ("xsd.short", "int"),
    ir.Prim.UINT16: ("xsd.unsignedShort", "int"),
    ir.Prim.INT32: ("xsd.int_", "int"),
    ir.Prim.UINT32: ("xsd.unsignedInt", "int"),
    ir.Prim.INT64: ("xsd.long", "int"),
    ir.Prim.UINT64: ("xsd.unsignedLong", "int"),
    ir.Prim.INTEGER: ("xsd.integer", "int"),
    ir.Prim.DECIMAL: ("xsd.decimal", "decimal.Decimal"),
    ir.Prim.FLOAT32: ("xsd.float_", "float"),
    ir.Prim.FLOAT64: ("xsd.double", "float"),
    ir.Prim.DATE: ("xsd.date", "xsd.Date | datetime.date"),
    ir.Prim.TIME: ("xsd.time", "xsd.Time | datetime.time"),
    ir.Prim.DATETIME: ("xsd.dateTime", "xsd.DateTime | datetime.datetime"),
    ir.Prim.DURATION: ("xsd.duration", "xsd.Duration"),
    ir.Prim.QNAME: ("xsd.QName", "xsd.QNameValue"),
    ir.Prim.ANYURI: ("xsd.anyURI", "str"),
    ir.Prim.BASE64: ("xsd.base64Binary", "bytes"),
    ir.Prim.HEXBINARY: ("xsd.hexBinary", "bytes"),
    ir.Prim.ANYTYPE: ("xsd.anyType", "Any"),
}
ANY: tuple[Expr, str] = ("xsd.anyType", "Any")
#: SOAP-ENC's complex types (Array, Struct, string with id/href...) are the
#: runtime's business (rpc/encoded), never generated classes.
SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/"
_FACETS = (
    "length",
    "min_length",
    "max_length",
    "pattern",
    "min_inclusive",
    "max_inclusive",
    "min_exclusive",
    "max_exclusive",
    "total_digits",
    "fraction_digits",
    "white_space",
)
#: How deep named groups may nest in one content model (a loop guard).
_MAX_GROUP_DEPTH = 32


@dataclass
class FieldView:
    """One dataclass field: its name, hint and default."""

    name: str
    hint: str
    default: str | None  # None: required


@dataclass
class ClassView:
    """A complex type: the dataclass and its descriptor."""

    name: str
    doc: str
    base: str | None  # the Python base class (extension)
    fields: list[FieldView]
    qname: str
    particles: list[Expr]
    abstract: bool
    mixed: bool


@dataclass
class EnumView:
    """An enumeration: a str Enum of the lexical forms."""

    name: str
    doc: str | None
    members: list[tuple[str, str]]  # (Python name, string literal)


@dataclass
class CodecView:
    """A named simple type that is not an enumeration: a codec."""

    name: str
    doc: str | None
    expr: Expr


@dataclass
class ElementView:
    """A global element: ``el_x = s.element_decl(...)``."""

    name: str
    expr: Expr


@dataclass
class FaultView:
    """A WSDL fault: a generated exception class."""

    name: str
    doc: str | None
    detail: str  # the detail element's descriptor, or "None"


@dataclass
class Particle:
    """One flattened member of a content model, before it is named."""

    kind: str  # "element" | "attribute" | "text" | "any" | "any_attribute" | "choice"
    xml: str = ""
    type: ir.Type | None = None
    min_occurs: int = 1
    max_occurs: int | None = 1
    nillable: bool = False
    choices: list[Particle] = field(default_factory=list)
    doc: str | None = None


def _qname(namespace: str | None, local: str) -> str:
    return f"{{{namespace}}}{local}" if namespace else local


class SchemaModel:
    """The names, codecs and hints of every schema component the package holds."""

    def __init__(self, spec: ir.Spec, ctx: Context, main_namespace: str | None) -> None:
        self.ctx = ctx
        self.main = main_namespace
        self.names = ModuleNames()
        self.namespace_of: dict[int, str] = {}
        for module in spec.decls:
            if isinstance(module, ir.Module):
                for decl in module.decls:
                    self.namespace_of[id(decl)] = module.namespace or ""
        self.used = self._reachable(spec)
        self.py: dict[int, str] = {}  # id(decl) -> Python name
        types = [d for d in self.used if isinstance(d, (ir.Struct, ir.Enum_, ir.Typedef))]
        faults = [d for d in self.used if isinstance(d, ir.Exception_)]
        elements = [d for d in self.used if isinstance(d, ir.Element)]
        for decl in sorted(types, key=self._order):
            self.py[id(decl)] = self.names.claim(class_name(decl.name), self._ns(decl), self.main)
        for decl in sorted(faults, key=self._order):  # a fault named like a type: ...Error
            wanted = class_name(decl.name)
            if wanted in self.names.taken:
                wanted += "Error"
            self.py[id(decl)] = self.names.claim(wanted, self._ns(decl), self.main)
        for decl in sorted(elements, key=self._order):
            if decl.space == ir.Space.ELEMENT:
                wanted = element_name(decl.name)
                self.py[id(decl)] = self.names.claim(wanted, self._ns(decl), self.main, "_")
        self.defined: set[int] = set()

    # --- which declarations ------------------------------------------------------

    def _ns(self, decl: ir.Decl) -> str:
        return self.namespace_of.get(id(decl), "")

    def _order(self, decl: ir.Decl) -> tuple[int, str, str]:
        ns = self._ns(decl)
        return (0 if ns == self.main else 1, ns, decl.name)

    def _reachable(self, spec: ir.Spec) -> list[ir.Decl]:
        """The user's declarations and what they use (of the bundled schemas too)."""
        seen: dict[int, ir.Decl] = {}
        stack: list[ir.Decl] = []
        for module in spec.decls:
            if isinstance(module, ir.Module) and not _bundled(module):
                stack.extend(module.decls)
        while stack:
            decl = stack.pop()
            if id(decl) in seen:
                continue
            seen[id(decl)] = decl
            for node in ir.walk(decl):
                if isinstance(node, ir.Named):
                    target = self.ctx.symbols.lookup(node)
                    if target is None or id(target) in seen:
                        continue
                    if self._ns(target) != SOAP_ENC or not isinstance(target, ir.Struct):
                        stack.append(target)
        order = {id(d): i for i, d in enumerate(_all_decls(spec))}
        return sorted(seen.values(), key=lambda d: order.get(id(d), 0))

    # --- simple types ---------------------------------------------------------------

    def simple(self, t: ir.Type, depth: int = 0) -> tuple[Expr, str]:
        """(codec expression, Python hint) of a simple type."""
        if depth > _MAX_GROUP_DEPTH:
            return ANY
        if isinstance(t, ir.Primitive):
            return PRIMITIVES.get(t.kind, ANY)
        if isinstance(t, ir.String):
            return ("xsd.string", "str")
        if isinstance(t, ir.Opaque):
            return ("xsd.base64Binary", "bytes")
        if isinstance(t, ir.Sequence):
            codec, hint = self.simple(t.elem, depth + 1)
            return (Call("xsd.list_of", [codec]), f"list[{hint}]")
        if isinstance(t, ir.UnionOf):
            members = [self.simple(m, depth + 1) for m in t.members]
            hints = _union_hints([h for _, h in members])
            return (Call("xsd.union_of", [c for c, _ in members]), hints)
        if isinstance(t, ir.Restricted):
            codec, hint = self.simple(t.base, depth + 1)
            facets = self.facets(t.facets)
            return (Call("xsd.restricted", [codec, *facets]), hint)
        if isinstance(t, ir.Named):
            decl = self.ctx.symbols.lookup(t)
            if isinstance(decl, ir.Enum_):
                name = self.py[id(decl)]
                return (Call("xsd.enumeration", [name]), name)
            if isinstance(decl, ir.Typedef):
                return (self.py[id(decl)], self.simple(decl.type, depth + 1)[1])
            if isinstance(decl, ir.Struct):
                content = self._text_field(decl)
                if content is not None and not self._has_attributes(decl):
                    return self.simple(content, depth + 1)
        return ANY

    def facets(self, facets: ir.Facets) -> list[Expr]:
        """``name=value`` keyword arguments of the facets that are given."""
        out: list[Expr] = []
        for name in _FACETS:
            value = getattr(facets, "patterns" if name == "pattern" else name)
            if value is None or value == ():
                continue
            if isinstance(value, ir.Literal):
                value = value.value
            if name == "pattern":
                value = tuple(v for v in value if _python_regex(v))
                if not value:
                    continue  # XSD-only escapes (\\i, \\c, \\p{..}): not checked
            if isinstance(value, tuple):
                rendered: Expr = Call("", [string_literal(v) for v in value])
            elif isinstance(value, str):
                rendered = string_literal(value)
            elif isinstance(value, ir.Node):
                continue  # an unfolded expression: never after FoldConstants
            else:
                rendered = repr(value) if not hasattr(value, "as_tuple") else f'"{value}"'
            out.append(Kw(name, rendered))
        return out

    def _text_field(self, decl: ir.Struct) -> ir.Type | None:
        for f in decl.fields:
            if f.kind == ir.MemberKind.TEXT:
                return f.type
        return None

    def _has_attributes(self, decl: ir.Struct) -> bool:
        return any(f.kind == ir.MemberKind.ATTRIBUTE for f in decl.fields)

    # --- any type: a codec, a class or a lazy reference --------------------------------

    def value_type(self, t: ir.Type) -> tuple[Expr, str]:
        """(descriptor type argument, Python hint) of an element's or part's type."""
        if isinstance(t, ir.Named) and t.space == ir.Space.TYPE:
            decl = self.ctx.symbols.lookup(t)
            if isinstance(decl, ir.Struct) and self._ns(decl) == SOAP_ENC:
                content = self._text_field(decl)  # soapenc:string & co.: their value
                return self.simple(content) if content is not None else ANY
            if isinstance(decl, ir.Struct):
                name = self.py.get(id(decl))
                if name is None:
                    return ANY
                array = self._encoded_array(decl)
                hint = name
                if array is not None:
                    hint = f"list[{self.value_type(array.item)[1]}]"
                if id(decl) in self.defined:
                    return (name, hint)
                return (Call("s.ref", [string_literal(_qname(self._ns(decl), decl.name))]), hint)
        if isinstance(t, ir.Named) and t.space == ir.Space.ELEMENT:
            decl = self.ctx.symbols.lookup(t)
            if isinstance(decl, ir.Element):
                return self.value_type(decl.type)
        return self.simple(t)

    def _encoded_array(self, decl: ir.Decl) -> soap_ir.EncodedArray | None:
        return ir.annotation(decl, soap_ir.EncodedArray)

    # --- content models ------------------------------------------------------------------

    def particles(self, decl: ir.Struct) -> list[Particle]:
        """The flattened members of a complex type (its own, not its base's)."""
        return list(self._flatten(decl.fields, 1, 1, False, 0))

    def _flatten(
        self, fields: tuple[ir.Field, ...], lo: int, hi: int | None, choice: bool, depth: int
    ) -> Iterator[Particle]:
        for f in fields:
            mn = 0 if choice else f.min_occurs * lo
            mx = _times(f.max_occurs, hi)
            t = f.type
            if f.kind == ir.MemberKind.TEXT:
                yield Particle("text", type=t)
            elif isinstance(t, ir.Wildcard):
                kind = "any_attribute" if f.kind == ir.MemberKind.ATTRIBUTE else "any"
                yield Particle(kind, xml=t.namespace, type=t, min_occurs=mn, max_occurs=mx)
            elif isinstance(t, ir.Group):
                if depth > _MAX_GROUP_DEPTH:
                    continue
                inner = t.kind == ir.GroupKind.CHOICE
                if inner and mx != 1:
                    members = list(self._flatten(t.members, 1, 1, True, depth + 1))
                    yield Particle("choice", choices=members, min_occurs=mn, max_occurs=mx)
                else:
                    yield from self._flatten(t.members, mn, mx, choice or inner, depth + 1)
            elif isinstance(t, ir.Named) and t.space in (
                ir.Space.GROUP,
                ir.Space.ATTRIBUTE_GROUP,
            ):
                group = self.ctx.symbols.lookup(t)
                if isinstance(group, ir.ModelGroup) and depth <= _MAX_GROUP_DEPTH:
                    yield from self._flatten(group.members, mn, mx, choice, depth + 1)
            elif isinstance(t, ir.Named) and t.space in (ir.Space.ELEMENT, ir.Space.ATTRIBUTE):
                ref = self.ctx.symbols.lookup(t)
                if not isinstance(ref, ir.Element):
                    continue
                kind = "attribute" if t.space == ir.Space.ATTRIBUTE else "element"
                yield Particle(
                    kind,
                    xml=_qname(self._ns(ref) or ref.namespace, ref.name),
                    type=ref.type,
                    min_occurs=mn,
                    max_occurs=mx,
                    nillable=f.nillable or ref.nillable,
                    doc=f.doc or ref.doc,
                )
            else:
                kind = "attribute" if f.kind == ir.MemberKind.ATTRIBUTE else "element"
                yield Particle(
                    kind,
                    xml=_qname(f.namespace, f.name),
                    type=t,
                    min_occurs=mn,
                    max_occurs=mx,
                    nillable=f.nillable,
                    doc=f.doc,
                )

    # --- views ------------------------------------------------------------------------------

    def inherited_names(self, decl: ir.Struct, depth: int = 0) -> list[str]:
        """The Python field names a class inherits (its extension bases')."""
        base = self.extension_base(decl)
        if base is None or depth > _MAX_GROUP_DEPTH:
            return []
        own = [p for p in self.particles(base) if p.kind != "choice" or p.choices]
        return self.inherited_names(base, depth + 1) + member_names(
            [_xml_local(p) for p in own], frozenset(self.inherited_names(base, depth + 1))
        )

    def extension_base(self, decl: ir.Struct) -> ir.Struct | None:
        """The base a class inherits from in Python: an extension's complex base."""
        if decl.base is None or decl.derivation != ir.Derivation.EXTENSION:
            return None
        base = self.ctx.symbols.lookup(decl.base)
        if isinstance(base, ir.Struct) and id(base) in self.py and not self._encoded_array(base):
            return base
        return None

    def class_view(self, decl: ir.Struct) -> ClassView:
        """The dataclass and descriptor of one complex type."""
        base = self.extension_base(decl)
        parts = self.particles(decl)
        if base is None and decl.base is not None:
            base_decl = self.ctx.symbols.lookup(decl.base)
            if isinstance(base_decl, ir.Struct) and decl.derivation == ir.Derivation.EXTENSION:
                parts = self.particles(base_decl) + parts  # a base we do not generate
        inherited = frozenset(self.inherited_names(decl)) if base is not None else frozenset()
        names = member_names([_xml_local(p) for p in parts], inherited)
        fields: list[FieldView] = []
        descriptors: list[Expr] = []
        for p, name in zip(parts, names, strict=True):
            f, d = self._member(p, name)
            fields.append(f)
            descriptors.append(d)
        self.defined.add(id(decl))
        return ClassView(
            name=self.py[id(decl)],
            doc=decl.doc or _fallback_doc(decl),
            base=self.py[id(base)] if base is not None else None,
            fields=fields,
            qname=_qname(self._ns(decl), decl.name),
            particles=descriptors,
            abstract=decl.abstract,
            mixed=decl.mixed,
        )

    def _member(self, p: Particle, name: str) -> tuple[FieldView, Expr]:
        lit = string_literal
        if p.kind == "text":
            assert p.type is not None
            codec, hint = self.simple(p.type)
            return FieldView(name, f"{hint} | None", "None"), Call("s.text", [lit(name), codec])
        if p.kind == "any":
            wildcard = p.type
            assert isinstance(wildcard, ir.Wildcard)
            mx = "None" if p.max_occurs is None else str(p.max_occurs)
            args: list[Expr] = [
                lit(name),
                str(p.min_occurs),
                mx,
                lit(wildcard.namespace),
                lit(wildcard.process_contents),
            ]
            return (
                FieldView(name, "list[Any]", "field(default_factory=list)"),
                Call("s.any_element", args),
            )
        if p.kind == "any_attribute":
            return (
                FieldView(name, "dict[str, str]", "field(default_factory=dict)"),
                Call("s.any_attribute", [lit(name)]),
            )
        if p.kind == "choice":
            inner_names = member_names([_xml_local(c) for c in p.choices])
            inner = [self._member(c, n)[1] for c, n in zip(p.choices, inner_names, strict=True)]
            mx = "None" if p.max_occurs is None else str(p.max_occurs)
            return (
                FieldView(name, "list[tuple[str, Any]]", "field(default_factory=list)"),
                Call("s.choice", [lit(name), Call("", inner), str(p.min_occurs), mx]),
            )
        assert p.type is not None
        if p.kind == "attribute":
            codec, hint = self.simple(p.type)
            required = p.min_occurs >= 1
            optional = FieldView(name, f"{hint} | None", "None")
            return (
                FieldView(name, hint, None) if required else optional,
                Call("s.attribute", [lit(name), lit(p.xml), codec, Kw("required", str(required))]),
            )
        arg, hint = self.value_type(p.type)
        extra: list[Expr] = []
        if p.min_occurs != 1:
            extra.append(Kw("min_occurs", str(p.min_occurs)))
        if p.max_occurs != 1:
            extra.append(Kw("max_occurs", str(p.max_occurs)))
        if p.nillable:
            extra.append(Kw("nillable", "True"))
        descriptor = Call("s.element", [lit(name), lit(p.xml), arg, *extra])
        if p.max_occurs is None or p.max_occurs > 1:
            return FieldView(name, f"list[{hint}]", "field(default_factory=list)"), descriptor
        if p.min_occurs == 0 or p.nillable:
            return FieldView(name, f"{hint} | None", "None"), descriptor
        return FieldView(name, hint, None), descriptor

    def enum_view(self, decl: ir.Enum_) -> EnumView:
        """A str Enum of an enumeration's lexical forms."""
        members: list[tuple[str, str]] = []
        seen: set[str] = set()
        values: set[str] = set()
        for m in decl.members:
            value = _lexical(m.value)
            if value in values:
                continue
            values.add(value)
            name = constant_name(value or m.name)
            base, n = name, 2
            while name in seen or name in ("name", "value") or name.startswith("_"):
                name = f"{base}_{n}" if not base.startswith("_") else f"VALUE{base}"
                n += 1
            seen.add(name)
            members.append((name, string_literal(value)))
        return EnumView(self.py[id(decl)], decl.doc, members)

    def codec_view(self, decl: ir.Typedef) -> CodecView:
        """A named list, union or restriction: its codec."""
        qname = string_literal(_qname(self._ns(decl), decl.name))
        codec = self.simple(decl.type)[0]
        if isinstance(codec, Call) and codec.func != "xsd.enumeration":
            codec = Call(codec.func, [*codec.args, Kw("qname", qname)])  # its xsi:type
        return CodecView(self.py[id(decl)], decl.doc, Call("s.simple_type", [qname, codec]))

    def array_view(self, decl: ir.Struct) -> CodecView:
        """A SOAP-ENC array type: an encoded-array descriptor."""
        array = self._encoded_array(decl)
        assert array is not None
        item = self.value_type(array.item)[0]
        qname = string_literal(_qname(self._ns(decl), decl.name))
        expr = Call("s.soap_array", [item, Kw("qname", qname)])
        self.defined.add(id(decl))
        return CodecView(self.py[id(decl)], decl.doc, expr)

    def element_view(self, decl: ir.Element) -> ElementView:
        """A global element's descriptor."""
        arg, _ = self.value_type(decl.type)
        args: list[Expr] = [
            string_literal(_qname(self._ns(decl) or decl.namespace, decl.name)),
            arg,
        ]
        if decl.nillable:
            args.append(Kw("nillable", "True"))
        if decl.substitution_group is not None:
            head = decl.substitution_group.name
            args.append(Kw("substitution_group", string_literal(str(head))))
        if decl.abstract:
            args.append(Kw("abstract", "True"))
        return ElementView(self.py[id(decl)], Call("s.element_decl", args))

    def element_var(self, named: ir.Named) -> str | None:
        """The descriptor of a global element named by a message part."""
        decl = self.ctx.symbols.lookup(named)
        return self.py.get(id(decl)) if isinstance(decl, ir.Element) else None

    def fault_view(self, decl: ir.Exception_) -> FaultView:
        """A fault's exception class and its detail element."""
        detail = "None"
        for f in decl.fields:
            if isinstance(f.type, ir.Named) and f.type.space == ir.Space.ELEMENT:
                detail = self.element_var(f.type) or "None"
                break
        return FaultView(self.py[id(decl)], decl.doc, detail)

    # --- in the order the module needs them --------------------------------------------

    def simple_decls(self) -> list[ir.Decl]:
        """Enumerations and named simple types, each after those it uses."""
        chosen: list[ir.Decl] = [d for d in self.used if isinstance(d, (ir.Enum_, ir.Typedef))]
        return _topological(chosen, lambda d: self._uses(d, (ir.Enum_, ir.Typedef)))

    def complex_decls(self) -> list[ir.Struct]:
        """Complex types, each after its extension base and the arrays it uses."""
        chosen: list[ir.Decl] = [d for d in self.used if isinstance(d, ir.Struct)]

        def deps(d: ir.Decl) -> list[ir.Decl]:
            assert isinstance(d, ir.Struct)
            base = self.extension_base(d)
            found: list[ir.Decl] = [base] if base is not None else []
            array = self._encoded_array(d)
            if array is not None:  # an array's item must exist before it
                found += self._uses_type(array.item, (ir.Struct,))
            else:
                found += [
                    u
                    for u in self._uses(d, (ir.Struct,))
                    if isinstance(u, ir.Struct) and self._encoded_array(u)
                ]
            return found

        ordered = _topological(chosen, deps)
        return [d for d in ordered if isinstance(d, ir.Struct)]

    def _uses(self, decl: ir.Decl, kinds: tuple[type, ...]) -> list[ir.Decl]:
        out: list[ir.Decl] = []
        for node in ir.walk(decl):
            if isinstance(node, ir.Named):
                target = self.ctx.symbols.lookup(node)
                if target is not None and isinstance(target, kinds) and target is not decl:
                    out.append(target)
        return out

    def _uses_type(self, t: ir.Type, kinds: tuple[type, ...]) -> list[ir.Decl]:
        out: list[ir.Decl] = []
        for node in ir.walk(t):
            if isinstance(node, ir.Named):
                target = self.ctx.symbols.lookup(node)
                if target is not None and isinstance(target, kinds):
                    out.append(target)
        return out

    def is_array(self, decl: ir.Struct) -> bool:
        """Whether a complex type is a SOAP-ENC array."""
        return self._encoded_array(decl) is not None


def _topological(decls: list[ir.Decl], deps: object) -> list[ir.Decl]:
    """``decls`` in their order, each moved after what it depends on (cycles broken)."""
    assert callable(deps)
    index = {id(d) for d in decls}
    out: list[ir.Decl] = []
    state: dict[int, int] = {}
    for root in decls:
        if id(root) in state:
            continue
        stack: list[tuple[ir.Decl, Iterator[ir.Decl]]] = [(root, iter(deps(root)))]
        state[id(root)] = 1
        while stack:
            node, it = stack[-1]
            for nxt in it:
                if id(nxt) in index and id(nxt) not in state:
                    state[id(nxt)] = 1
                    stack.append((nxt, iter(deps(nxt))))
                    break
            else:
                stack.pop()
                state[id(node)] = 2
                out.append(node)
    return out


def _fallback_doc(decl: ir.Struct) -> str:
    """A docstring where the schema has none.

    A dataclass without one pays for an ``inspect.signature`` at import, and a
    large WSDL has thousands of them.
    """
    hoisted = ir.annotation(decl, ir.Hoisted)
    if hoisted is not None:
        return f"The content of {hoisted.owner}."
    return f"The complex type {decl.name}."


def _python_regex(pattern: str) -> bool:
    """Whether an XSD pattern means the same to Python's ``re`` (most do)."""
    if re.search(r"\\[icIC]|\\[pP]\{", pattern):
        return False
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _times(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a * b


def _xml_local(p: Particle) -> str:
    if p.kind == "text":
        return "value"
    if p.kind == "any":
        return "any"
    if p.kind == "any_attribute":
        return "any_attributes"
    if p.kind == "choice":
        return "choice"
    return p.xml.rpartition("}")[2]


def _lexical(value: ir.Expr | None) -> str:
    if isinstance(value, ir.Literal):
        v = value.value
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)
    return ""


def _union_hints(hints: list[str]) -> str:
    parts: list[str] = []
    for h in hints:
        for piece in h.split(" | "):
            if piece not in parts:
                parts.append(piece)
    return "Any" if "Any" in parts else " | ".join(parts)


def _bundled(module: ir.Module) -> bool:
    return "/frontends/wsdl/schemas/" in module.loc.file.replace("\\", "/")


def _all_decls(spec: ir.Spec) -> Iterator[ir.Decl]:
    for module in spec.decls:
        if isinstance(module, ir.Module):
            yield from module.decls
