"""CheckIdlIntroducedNames: a name used in a scope is not declared there again.

OMG IDL 3.5 §7.20.3: using a relative name in a scope introduces its first
identifier into that scope; declaring that identifier there afterwards, in
any case, is an error (``struct S { Point point; };``, ``void f(in Id id);``,
``Foo foo();`` in an interface), and so is using, in a scope, a name that
differs only in case from one declared there. omniidl enforces both.

Runs on the names as written, before ResolveNames rewrites them: the
front-end calls it on the tree it builds (the driver's passes start with
ResolveNames, which fills the symbol table). Scopes are IDL's: modules,
interfaces and valuetypes (their operations and attributes, typedefs,
constants, inheritance), the members of a struct, union or exception, and the
parameters of an operation or factory. A use spelled exactly like a name the
same scope declared before it refers to that name and is fine; names used
before their declaration are CheckIdlDeclarationOrder's to report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Severity
from idlgen.passes.context import Context


def check_idl_introduced_names(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report names declared where a name of the same spelling but case was used before."""
    walk = _Walk(ctx)
    walk.container(list(spec.decls), (), _Scope((), ctx))
    return spec


@dataclass
class _Scope:
    path: tuple[str, ...]
    ctx: Context
    #: Identifiers used here, by lower case: the spelling and place of the first use.
    introduced: dict[str, tuple[str, ir.Loc]] = field(default_factory=dict)
    #: Names declared here, by lower case.
    declared: dict[str, str] = field(default_factory=dict)
    #: The enclosing scope a lookup continues in when this one has no such name
    #: (None at file scope, and past an interface with bases, whose inherited
    #: names this walk does not know).
    parent: _Scope | None = None

    @property
    def where(self) -> str:
        return f"'{'::'.join(self.path)}'" if self.path else "the file"

    def use(self, node: ir.Node) -> None:
        for n in ir.walk(node):
            if not isinstance(n, (ir.Named, ir.ConstRef)) or not isinstance(n.name, ir.ScopedName):
                continue
            if n.name.absolute:
                continue
            ident = n.name.parts[0]
            key = ident.lower()
            # The lookup goes outward and stops at the first scope that declares
            # the name in any case (omniidl: "Use of 'x' clashes with identifier 'X'").
            scope: _Scope | None = self
            while scope is not None:
                seen = scope.declared.get(key)
                if seen is not None:
                    if seen != ident:
                        self.ctx.reporter.error(
                            n.loc,
                            f"'{ident}' differs only in case from '{seen}', declared in"
                            f" {scope.where}",
                            "name-clash",
                        )
                    break
                scope = scope.parent
            self.introduced.setdefault(key, (ident, n.loc))

    def declare(self, decl: ir.Decl, member: bool = False) -> None:
        name = decl.name
        if not name:
            return
        key = name.lower()
        used = self.introduced.get(key)
        if used is not None and (used[0] != name or member):
            word = self.ctx.language.word(decl)
            note = Diagnostic(used[1], f"'{used[0]}' is used here", "note", Severity.NOTE)
            self.ctx.reporter.diagnostics.append(
                Diagnostic(
                    decl.loc,
                    f"{word} '{name}' clashes with '{used[0]}', used before it in {self.where}"
                    " (IDL: a name used in a scope is not declared there, whatever its case)",
                    "name-clash",
                    notes=(note,),
                )
            )
        self.declared.setdefault(key, name)


def _by_place(decls: list[ir.Decl]) -> list[ir.Decl]:
    return sorted(decls, key=lambda d: (d.loc.line, d.loc.col))


class _Walk:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        #: Reopened modules share one scope.
        self.modules: dict[tuple[str, ...], _Scope] = {}

    def container(self, decls: list[ir.Decl], path: tuple[str, ...], scope: _Scope) -> None:
        """The declarations of a module, interface or valuetype (or the file), in order."""
        nested: dict[str, list[ir.Decl]] = {}
        for d in decls:
            hoisted = ir.annotation(d, ir.Hoisted)
            if hoisted is not None:  # declared in its owner's scope
                nested.setdefault(hoisted.owner, []).append(d)
        for d in decls:
            if ir.annotation(d, ir.Hoisted) is None:
                self.one(d, path, scope, nested.get(d.name, []))

    def one(self, d: ir.Decl, path: tuple[str, ...], scope: _Scope, nested: list[ir.Decl]) -> None:
        inner = (*path, d.name)
        if isinstance(d, ir.Typedef):
            scope.use(d.type)
        elif isinstance(d, ir.Const):
            if d.type is not None:
                scope.use(d.type)
            scope.use(d.value)
        elif isinstance(d, ir.Attribute):
            scope.use(d.type)
            for n in (*d.get_raises, *d.set_raises):
                scope.use(n)
        elif isinstance(d, ir.Operation):
            scope.use(d.result)
            for n in d.raises:
                scope.use(n)
        elif isinstance(d, ir.Interface):
            for n in d.bases:
                scope.use(n)
        elif isinstance(d, ir.ValueType):
            for n in (*d.bases, *d.supports):
                scope.use(n)
        elif isinstance(d, ir.ValueBox):
            scope.use(d.type)
        elif isinstance(d, ir.Field):  # a valuetype's state member
            scope.use(d.type)
            scope.declare(d, member=True)
            return
        scope.declare(d)
        if isinstance(d, ir.Module):
            module = self.modules.setdefault(inner, _Scope(inner, self.ctx, parent=scope))
            self.container(list(d.decls), inner, module)
        elif isinstance(d, ir.Interface):
            children: list[ir.Decl] = [*d.decls, *d.operations, *d.attributes]
            outer = None if d.bases else scope
            self.container(_by_place(children), inner, _Scope(inner, self.ctx, parent=outer))
        elif isinstance(d, ir.ValueType):
            children = [*d.decls, *d.operations, *d.attributes, *d.initializers, *d.members]
            outer = None if d.bases or d.supports else scope
            self.container(_by_place(children), inner, _Scope(inner, self.ctx, parent=outer))
        elif isinstance(d, (ir.Struct, ir.Exception_, ir.Union_)):
            self.members(d, inner, nested, scope)
        if isinstance(d, (ir.Operation, ir.Initializer)):
            params = _Scope(inner, self.ctx, parent=scope)
            for p in d.params:
                params.use(p.type)
                params.declare(p, member=True)

    def members(
        self,
        d: ir.Struct | ir.Exception_ | ir.Union_,
        path: tuple[str, ...],
        nested: list[ir.Decl],
        outer: _Scope,
    ) -> None:
        scope = _Scope(path, self.ctx, parent=outer)
        for n in nested:
            scope.declare(n)
            if isinstance(n, ir.Enum_):
                for m in n.members:
                    scope.declare(m)
        if isinstance(d, ir.Union_):
            if d.discriminator is not None:
                scope.use(d.discriminator.type)
            arms = sorted(
                [*d.cases, *([d.default] if d.default else [])],
                key=lambda c: (c.loc.line, c.loc.col),
            )
            for case in arms:
                for label in case.labels:
                    scope.use(label)
                if case.field is not None:
                    scope.use(case.field.type)
                    scope.declare(case.field, member=True)
            return
        for f in d.fields:
            scope.use(f.type)
            scope.declare(f, member=True)
