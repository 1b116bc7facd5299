"""ResolveNames: every name used is declared, and is rewritten to its full name.

Declarations enter the symbol table with their full names (scopes per the
language's rule); duplicates are errors with a note at the first one. Then
every use (:class:`~idlgen.ir.Named`, :class:`~idlgen.ir.ConstRef`) is looked
up from the scope it is written in, and replaced by the full name it finds, so
later passes and back-ends look names up directly. Inherited interfaces are
resolved first, from the scope enclosing their interface, so that lookups
inside an interface see what it inherits.

Names a language knows implicitly (``u_int``, ``TRUE`` in rpcgen's dialect)
become primitives and literals unless the file declares them itself.
"""

from __future__ import annotations

from dataclasses import fields, replace

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Severity
from idlgen.passes.context import Context
from idlgen.symbols import declarations

#: What a name used as a type may declare.
TYPE_DECLS: tuple[type[ir.Decl], ...] = (
    ir.Struct, ir.Union_, ir.Enum_, ir.Typedef, ir.Forward, ir.Native, ir.Interface,
    ir.ValueType, ir.ValueBox, ir.Exception_, ir.Element, ir.ModelGroup, ir.Message,
)  # fmt: skip
#: What a name used in a constant expression may declare.
VALUE_DECLS: tuple[type[ir.Decl], ...] = (ir.Const, ir.EnumMember)


def resolve_names(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Fill the symbol table and resolve every use (see the module docstring)."""
    report = ctx.reporter
    table = ctx.symbols
    for item in declarations(spec, ctx.language.scoping):
        previous = table.declare(item)
        if previous is None:
            continue
        shown = item.decl.name if isinstance(item.name, ir.QName) else str(item.name)
        note = Diagnostic(previous.loc, f"'{shown}' was first defined here", "note", Severity.NOTE)
        report.diagnostics.append(
            Diagnostic(item.decl.loc, f"duplicate name '{shown}'", "duplicate-name", notes=(note,))
        )
    resolver = _Resolver(ctx)
    resolver.inherit(spec.decls, ())
    spec = replace(spec, decls=tuple(resolver.decl(d, ()) for d in spec.decls))
    report.check()
    return spec


class _Resolver:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.scopes = ctx.language.scoping.scopes
        self.type_decls = ctx.language.type_kinds or TYPE_DECLS
        self.value_decls = (*VALUE_DECLS, *ctx.language.value_kinds)

    # -- inheritance first ---------------------------------------------------------

    def inherit(self, decls: tuple[ir.Decl, ...], scope: tuple[str, ...]) -> None:
        """Record the interfaces each interface or valuetype inherits."""
        for decl in decls:
            inner = (*scope, decl.name) if isinstance(decl, self.scopes) else scope
            if isinstance(decl, (ir.Interface, ir.ValueType)) and inner != scope:
                bases = [*decl.bases, *(decl.supports if isinstance(decl, ir.ValueType) else ())]
                for base in bases:
                    found = self.ctx.symbols.find(base.name, base.space, scope)
                    if found is not None and isinstance(found[0], ir.ScopedName):
                        self.ctx.symbols.scope(inner).bases.append(found[0].parts)
            if isinstance(decl, ir.Module):
                self.inherit(decl.decls, inner)
            elif isinstance(decl, (ir.Interface, ir.ValueType)):
                self.inherit(decl.decls, inner)

    # -- uses ------------------------------------------------------------------------

    def decl(self, decl: ir.Decl, scope: tuple[str, ...]) -> ir.Decl:
        """``decl`` with every use inside it resolved; its own scope for what it holds."""
        inner = (*scope, decl.name) if isinstance(decl, self.scopes) else scope
        changes: dict[str, object] = {}
        for f in fields(decl):
            if f.name in ("loc", "annotations"):
                continue
            value = getattr(decl, f.name)
            # inherited interfaces are named from outside the interface
            where = scope if f.name in ("bases", "supports") else inner
            new = self.value(value, where)
            if new is not value:
                changes[f.name] = new
        annotations = tuple(self.value(a, inner) for a in decl.annotations)
        if any(a is not b for a, b in zip(annotations, decl.annotations, strict=True)):
            changes["annotations"] = annotations
        return replace(decl, **changes) if changes else decl  # type: ignore[arg-type]

    def value(self, value: object, scope: tuple[str, ...]) -> object:
        if isinstance(value, tuple):
            items = tuple(self.value(v, scope) for v in value)
            return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
        if isinstance(value, ir.Decl):
            return self.decl(value, scope)
        if isinstance(value, ir.Node):
            return ir.map_tree(value, lambda n: self.use(n, scope))
        return value

    def use(self, node: ir.Node, scope: tuple[str, ...]) -> ir.Node:
        if isinstance(node, ir.Named):
            return self.named(node, scope)
        if isinstance(node, ir.ConstRef):
            return self.const_ref(node, scope)
        return node

    def named(self, node: ir.Named, scope: tuple[str, ...]) -> ir.Type:
        found = self.ctx.symbols.find(node.name, node.space, scope)
        if found is None:
            builtin = self.ctx.language.builtin_types.get(str(node.name))
            if builtin is not None:
                return replace(builtin, loc=node.loc)
            hint = self.ctx.undefined_hints.get(("type", str(node.name)))
            self._undefined(node, _SPACE_WORDS.get(node.space, "type"), hint)
            return node
        full, decl = found
        if not isinstance(decl, self.type_decls):
            self._not_a(node, decl, "type")
        return replace(node, name=full) if full != node.name else node

    def const_ref(self, node: ir.ConstRef, scope: tuple[str, ...]) -> ir.Expr:
        found = self.ctx.symbols.find(node.name, ir.Space.ORDINARY, scope)
        if found is None:
            builtin = self.ctx.language.builtin_consts.get(str(node.name))
            if builtin is not None:
                return ir.Literal(builtin, loc=node.loc)
            hint = self.ctx.undefined_hints.get(("constant", str(node.name)))
            hint = hint or self.ctx.language.undefined_constant_hint.format(name=node.name)
            self._undefined(node, "constant", hint)
            return node
        full, decl = found
        if not isinstance(decl, self.value_decls):
            self._not_a(node, decl, "constant")
        assert isinstance(full, ir.ScopedName)
        return replace(node, name=full) if full != node.name else node

    def _undefined(self, node: ir.Named | ir.ConstRef, what: str, hint: str | None) -> None:
        message = f"undefined {what} '{node.name}'" + (f" ({hint})" if hint else "")
        self.ctx.reporter.error(node.loc, message, "undefined-name")

    def _not_a(self, node: ir.Named | ir.ConstRef, decl: ir.Decl, what: str) -> None:
        word = _a(self.ctx.language.word(decl))
        self.ctx.reporter.error(node.loc, f"'{node.name}' is {word}, not a {what}", f"not-a-{what}")


#: What a name in each symbol space is called when it is missing (types: "type").
_SPACE_WORDS = {
    ir.Space.ELEMENT: "element",
    ir.Space.ATTRIBUTE: "attribute",
    ir.Space.GROUP: "group",
    ir.Space.ATTRIBUTE_GROUP: "attribute group",
    ir.Space.MESSAGE: "message",
    ir.Space.INTERFACE: "port type",
    ir.Space.BINDING: "binding",
    ir.Space.SERVICE: "service",
}


def _a(word: str) -> str:
    """``a struct``, ``an enum``."""
    return ("an " if word[:1] in "aeiou" else "a ") + word
