"""CheckXsdReferences: every name a WSDL or schema uses is declared, said in XSD's words.

Runs before ResolveNames, over WSDL/XSD input only. A type, element,
attribute, group, message, portType or fault that no schema or WSDL of the set
declares is an error at the attribute that names it, saying what uses it
(``undefined type '{urn:}TDate' (prefix 'ns2:' is namespace 'urn:', which no
schema read declares), used by element 'PMo_Dat_Treinamento' of complex type
'TPmo'``). One exception, as other WSDL readers make it: a message part that
names an element nobody declares is a warning, and the part is kept as
untyped XML (``xs:anyType``), so the rest of the service still compiles; so is
a part that names a type nobody declares (Axis 1 WSDLs without their schema).
"""

from __future__ import annotations

from dataclasses import replace

from idlgen import ir
from idlgen.passes.context import Context
from idlgen.symbols import declarations

_WORD = {
    ir.Space.TYPE: "type",
    ir.Space.ELEMENT: "element",
    ir.Space.ATTRIBUTE: "attribute",
    ir.Space.GROUP: "group",
    ir.Space.ATTRIBUTE_GROUP: "attribute group",
    ir.Space.MESSAGE: "message",
    ir.Space.INTERFACE: "portType",
    ir.Space.BINDING: "binding",
    ir.Space.SERVICE: "service",
    ir.Space.ORDINARY: "fault",
}


def check_xsd_references(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report undeclared names (see the module docstring); stop if any is an error.

    The WSDL front-end runs it at the end of parsing (ResolveNames, the first
    pass, expects an empty symbol table).
    """
    declared: set[tuple[ir.Space, ir.Name]] = {
        (item.decl.space, item.name) for item in declarations(spec, ctx.language.scoping)
    }
    modules = [d for d in spec.decls if isinstance(d, ir.Module)]
    namespaces = {m.namespace or "" for m in modules}
    checker = _Checker(ctx, declared, namespaces)
    for node in (d for m in modules for d in m.decls):
        if isinstance(node, ir.Message):
            for p in node.parts:
                ref = p.element if p.element is not None else p.type
                if isinstance(ref, ir.Named) and not checker.known(ref):
                    checker.dangling.add((ref.space, ref.name))
    spec = replace(spec, decls=tuple(checker.decl(d, "") for d in spec.decls))
    ctx.reporter.check()
    return spec


class _Checker:
    def __init__(
        self,
        ctx: Context,
        declared: set[tuple[ir.Space, ir.Name]],
        namespaces: set[str],
    ) -> None:
        self.ctx = ctx
        self.declared = declared
        self.namespaces = namespaces
        #: What message parts name without a declaration: kept as untyped XML.
        self.dangling: set[tuple[ir.Space, ir.Name]] = set()

    def known(self, n: ir.Named) -> bool:
        return (n.space, n.name) in self.declared

    def what(self, decl: ir.Decl) -> str:
        word = self.ctx.language.word(decl)
        if decl.space is ir.Space.ATTRIBUTE_GROUP:
            word = "attribute group"
        elif decl.space is ir.Space.ATTRIBUTE:
            word = "attribute"
        return f"{word} '{decl.name}'"

    def missing(self, n: ir.Named, where: str) -> None:
        assert isinstance(n.name, ir.QName)
        ns = n.name.namespace
        if ns and ns not in self.namespaces:
            why = f" (no schema of namespace '{ns}' was read)"
        else:
            why = ""
        self.ctx.reporter.error(
            n.loc,
            f"undefined {_WORD.get(n.space, 'name')} '{n.name}'{why}"
            + (f", used by {where}" if where else ""),
            "undefined-name",
        )

    def scan(self, node: ir.Node, where: str) -> None:
        """Every Named under ``node`` (not a declaration) is checked."""
        for n in ir.walk(node):
            if isinstance(n, ir.Named) and isinstance(n.name, ir.QName) and not self.known(n):
                self.missing(n, where)

    def decl(self, decl: ir.Decl, where: str) -> ir.Decl:
        here = self.what(decl) + (f" of {where}" if where else "")
        if isinstance(decl, ir.Module):
            return replace(decl, decls=tuple(self.decl(d, "") for d in decl.decls))
        if isinstance(decl, (ir.Struct, ir.ModelGroup, ir.Exception_)):
            fields = decl.fields if isinstance(decl, (ir.Struct, ir.Exception_)) else decl.members
            for f in fields:
                self.field(f, here)
            if isinstance(decl, ir.Struct) and decl.base is not None:
                self.scan(decl.base, f"the base of {here}")
            for a in decl.annotations:
                if isinstance(a, ir.Node):
                    self.scan(a, here)
            return decl
        if isinstance(decl, ir.Message):
            parts = tuple(self.part(p, decl) for p in decl.parts)
            return replace(decl, parts=parts) if parts != decl.parts else decl
        if isinstance(decl, ir.Interface):
            ops = tuple(self.operation(op, here) for op in decl.operations)
            for b in decl.bases:
                self.scan(b, here)
            return replace(decl, operations=ops)
        for child in decl.children():
            if isinstance(child, ir.Decl):
                self.decl(child, here)
            else:
                self.scan(child, here)
        return decl

    def field(self, f: ir.Field, where: str) -> None:
        if isinstance(f.type, ir.Group):
            for m in f.type.members:
                self.field(m, where)
            return
        is_ref = isinstance(f.type, ir.Named) and f.type.space in (
            ir.Space.ELEMENT,
            ir.Space.ATTRIBUTE,
        )
        if f.name and not is_ref:  # a ref="..." names what it uses: say only where
            kind = "attribute" if f.kind is ir.MemberKind.ATTRIBUTE else "element"
            self.scan(f.type, f"{kind} '{f.name}' of {where}")
        else:
            self.scan(f.type, where)

    def part(self, p: ir.MessagePart, message: ir.Message) -> ir.MessagePart:
        ref = p.element if p.element is not None else p.type
        if isinstance(ref, ir.Named) and not self.known(ref):
            word = _WORD[ref.space]
            self.ctx.reporter.warning(
                ref.loc,
                f"part '{p.name}' of message '{message.name}' names {word} '{ref.name}', "
                "which no schema declares; the part is kept as untyped XML",
                f"undefined-{word}",
            )
            return replace(p, element=None, type=ir.Primitive(ir.Prim.ANYTYPE, loc=ref.loc))
        if p.type is not None:
            self.scan(p.type, f"part '{p.name}' of message '{message.name}'")
        return p

    def operation(self, op: ir.Operation, where: str) -> ir.Operation:
        here = f"operation '{op.name}' of {where}"

        def untyped(n: ir.Node) -> ir.Node:
            if isinstance(n, ir.Named) and (n.space, n.name) in self.dangling:
                return ir.Primitive(ir.Prim.ANYTYPE, loc=n.loc)
            return n

        op = ir.map_tree(op, untyped)
        self.scan(op, here)
        return op
