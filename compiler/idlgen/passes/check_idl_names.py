"""CheckIdlNames: OMG IDL's rules for names that other languages do not have.

OMG IDL 3.5 §7.2.3 and §7.20: identifiers that differ only in case collide
(``struct Point { ... } point;`` in one scope is an error, as ``Point`` twice
would be); a declaration may not take the name of the scope it is declared in
(``interface Left { void left(); };``); the parameters of one operation and
the members of one struct, union or exception are names of their own scope.
Exact duplicates of declarations are ResolveNames's to report; this pass
reports the rest.
"""

from __future__ import annotations

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Severity
from idlgen.passes.context import Context
from idlgen.symbols import declarations


def check_idl_names(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report names that collide by IDL's rules; the tree is returned unchanged."""
    scopes: dict[tuple[str, ...], list[ir.Decl]] = {}
    for item in declarations(spec, ctx.language.scoping):
        decl = item.decl
        scopes.setdefault(item.scope, []).append(decl)
        hoisted = ir.annotation(decl, ir.Hoisted)
        if hoisted is not None:  # declared inside a struct, union or exception
            inner = scopes.setdefault((*item.scope, hoisted.owner), [])
            inner.append(decl)
            if isinstance(decl, ir.Enum_):
                inner.extend(decl.members)
        members: tuple[ir.Decl, ...] = ()
        if isinstance(decl, (ir.Struct, ir.Exception_)):
            members = decl.fields
        elif isinstance(decl, ir.Union_):
            arms = [*decl.cases, *([decl.default] if decl.default else [])]
            members = tuple(c.field for c in arms if c.field is not None)
        elif isinstance(decl, ir.ValueType):
            members = decl.members
        if members:
            word = f"{ctx.language.word(decl)} '{decl.name}'"
            _collisions(ctx, members, word, True)
            scopes.setdefault((*item.scope, decl.name), []).extend(members)
        if isinstance(decl, (ir.Operation, ir.Initializer)):
            _collisions(ctx, decl.params, f"{ctx.language.word(decl)} '{decl.name}'", True)
    for path, decls in scopes.items():
        _collisions(ctx, decls, f"'{'::'.join(path)}'" if path else "the file", False)
        if not path:
            continue
        for decl in decls:
            if decl.name.lower() == path[-1].lower():
                ctx.reporter.error(
                    decl.loc,
                    f"{ctx.language.word(decl)} '{decl.name}' cannot take the name of the"
                    f" scope it is declared in, '{path[-1]}'",
                    "name-clash",
                )
    return spec


def _collisions(
    ctx: Context, decls: tuple[ir.Decl, ...] | list[ir.Decl], where: str, exact_too: bool
) -> None:
    seen: dict[str, ir.Decl] = {}
    for decl in decls:
        if not decl.name:
            continue
        first = seen.get(decl.name.lower())
        if first is None:
            seen[decl.name.lower()] = decl
            continue
        if first.name == decl.name and not exact_too:
            continue  # the same name: a reopened module, a forward declaration, or ResolveNames's
        note = Diagnostic(
            first.loc,
            f"{ctx.language.word(first)} '{first.name}' is declared here",
            "note",
            Severity.NOTE,
        )
        how = "repeats" if first.name == decl.name else "differs only in case from"
        ctx.reporter.diagnostics.append(
            Diagnostic(
                decl.loc,
                f"{ctx.language.word(decl)} '{decl.name}' {how} '{first.name}' in {where}"
                + ("" if first.name == decl.name else " (IDL names collide regardless of case)"),
                "name-clash",
                notes=(note,),
            )
        )
