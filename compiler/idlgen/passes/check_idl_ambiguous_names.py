"""CheckIdlAmbiguousNames: a name inherited from two interfaces is ambiguous.

OMG IDL 3.5 §7.8.5: an interface that inherits the same identifier from two
base interfaces (declared in each, not one declaration reached twice) may not
use it unqualified: ``interface C : A, B { T f(); };`` with a ``T`` in both
``A`` and ``B`` is an error; ``A::T`` says which. The shared lookup takes the
first it finds, so the front-end checks this on the names as written, before
ResolveNames rewrites them, with a symbol table of its own.
"""

from __future__ import annotations

from dataclasses import fields

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Severity
from idlgen.passes.context import Context
from idlgen.symbols import SymbolTable, declarations


def check_idl_ambiguous_names(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report every relative name whose first identifier two bases declare."""
    table = SymbolTable(ctx.language.scoping)
    for item in declarations(spec, ctx.language.scoping):
        table.declare(item)
    walker = _Walker(ctx, table)
    walker.inherit(spec.decls, ())
    for d in spec.decls:
        walker.decl(d, ())
    return spec


class _Walker:
    def __init__(self, ctx: Context, table: SymbolTable) -> None:
        self.ctx = ctx
        self.table = table
        self.scopes = ctx.language.scoping.scopes

    def inherit(self, decls: tuple[ir.Decl, ...], scope: tuple[str, ...]) -> None:
        for decl in decls:
            inner = (*scope, decl.name)
            if isinstance(decl, (ir.Interface, ir.ValueType)):
                bases = [*decl.bases, *(decl.supports if isinstance(decl, ir.ValueType) else ())]
                for base in bases:
                    found = self.table.find(base.name, base.space, scope)
                    if found is not None and isinstance(found[0], ir.ScopedName):
                        self.table.scope(inner).bases.append(found[0].parts)
                self.inherit(decl.decls, inner)
            elif isinstance(decl, ir.Module):
                self.inherit(decl.decls, inner)

    def decl(self, decl: ir.Decl, scope: tuple[str, ...]) -> None:
        inner = (*scope, decl.name) if isinstance(decl, self.scopes) else scope
        for f in fields(decl):
            if f.name in ("loc", "annotations"):
                continue
            where = scope if f.name in ("bases", "supports") else inner
            self.value(getattr(decl, f.name), where)

    def value(self, value: object, scope: tuple[str, ...]) -> None:
        if isinstance(value, tuple):
            for v in value:
                self.value(v, scope)
        elif isinstance(value, ir.Decl):
            self.decl(value, scope)
        elif isinstance(value, ir.Node):
            for n in ir.walk(value):
                if isinstance(n, (ir.Named, ir.ConstRef)):
                    self.use(n, scope)

    def _declares(self, path: tuple[str, ...], ident: str) -> bool:
        scope = self.table.scopes.get(path)
        return scope is not None and any(name == ident for _, name in scope.names)

    def _found_in(self, path: tuple[str, ...], ident: str, depth: int = 0) -> set[tuple[str, ...]]:
        """The interfaces whose ``ident`` a lookup in ``path`` reaches (nearer ones hide)."""
        if self._declares(path, ident):
            return {path}
        scope = self.table.scopes.get(path)
        if scope is None or depth > 64:
            return set()
        found: set[tuple[str, ...]] = set()
        for base in scope.bases:
            found |= self._found_in(base, ident, depth + 1)
        return found

    def use(self, node: ir.Named | ir.ConstRef, scope: tuple[str, ...]) -> None:
        name = node.name
        if not isinstance(name, ir.ScopedName) or name.absolute:
            return
        ident = name.parts[0]
        path: tuple[str, ...] | None = scope
        while path is not None:
            owners = sorted(self._found_in(path, ident))
            if len(owners) > 1:
                notes = []
                for owner in owners[:2]:
                    decl = self.table.get(ir.Space.ORDINARY, ir.ScopedName((*owner, ident)))
                    if decl is not None:
                        where = "::".join(owner)
                        notes.append(
                            Diagnostic(decl.loc, f"'{ident}' of '{where}'", "note", Severity.NOTE)
                        )
                first, second = ("::".join(o) for o in owners[:2])
                self.ctx.reporter.diagnostics.append(
                    Diagnostic(
                        node.loc,
                        f"'{name}' is ambiguous: '{'::'.join(path)}' inherits '{ident}' from both"
                        f" '{first}' and '{second}' (qualify it)",
                        "ambiguous-name",
                        notes=tuple(notes),
                    )
                )
                return
            if owners:
                return
            path = path[:-1] if path else None
