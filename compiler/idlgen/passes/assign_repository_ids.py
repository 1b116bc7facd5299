"""AssignRepositoryIds: every OMG IDL declaration that has a repository ID gets one.

The ID is ``IDL:<prefix>/<path>:<version>`` (OMG IDL 3.5 §10.7.5, CORBA 3
§10.7): ``<path>`` is the declaration's scoped name with ``/`` for ``::``,
relative to the scope its ``#pragma prefix`` was written in; a ``typeprefix``
on a module, interface or valuetype gives the prefix to it and everything
inside it (the nearer of the two wins); ``#pragma version`` replaces ``1.0``;
``#pragma ID`` and ``typeid`` replace the whole ID. A forward declaration and
its definition, and the parts of a reopened module, share one ID. Types
declared inside a struct, union or exception (hoisted by the front-end, see
:class:`~idlgen.ir.Hoisted`) are named inside it.

Errors: two different IDs (or versions) for one declaration; a version for a
name whose ID a ``#pragma ID`` gives. A warning: an ID not of the form
``<format>:<string>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import cast

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Reporter, Severity
from idlgen.passes.context import Context
from idlgen.symbols import declarations

#: Declarations that have a repository ID.
IDENTIFIED: tuple[type[ir.Decl], ...] = (
    ir.Module, ir.Interface, ir.Forward, ir.ValueType, ir.ValueBox, ir.Struct, ir.Union_,
    ir.Enum_, ir.Typedef, ir.Exception_, ir.Native, ir.Const, ir.Operation, ir.Attribute,
)  # fmt: skip

_ID_FORMAT = re.compile(r"^[A-Za-z][\w.-]*:.")


def assign_repository_ids(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Put an :class:`ir.omgidl.RepositoryId` on every declaration that has one."""
    report = ctx.reporter
    paths: dict[int, tuple[str, ...]] = {}
    explicit: _Given = {}
    versions: _Given = {}
    typeprefixes: _Given = {}
    items = [i for i in declarations(spec, ctx.language.scoping) if isinstance(i.decl, IDENTIFIED)]
    for item in items:
        path = _idl_path(item.decl, item.scope, ctx)
        paths[id(item.decl)] = path
        for ann in item.decl.annotations:
            if isinstance(ann, ir.omgidl.ExplicitId):
                _once(report, explicit, path, ann.id, ann.loc, "repository ID")
                if not _ID_FORMAT.match(ann.id):  # omniidl takes it too (omniORB's bootstrap.idl)
                    report.warning(
                        ann.loc,
                        f"repository ID '{ann.id}' is not of the form <format>:<id>"
                        " (IDL:M/T:1.0, DCE:..., LOCAL:...)",
                        "bad-repository-id",
                    )
            elif isinstance(ann, ir.omgidl.Version):
                _once(report, versions, path, ann.version, ann.loc, "version")
            elif isinstance(ann, ir.omgidl.TypePrefix):
                _once(report, typeprefixes, path, ann.prefix, ann.loc, "typeprefix")
    for path, (_, loc) in versions.items():
        if path in explicit:
            report.error(
                loc,
                f"'{'::'.join(path)}' has a #pragma ID; it cannot have a version too",
                "bad-repository-id",
            )

    def assign(original: ir.Decl, rebuilt: ir.Decl) -> ir.Decl:
        path = paths.get(id(original))
        if path is None:
            return rebuilt
        repo_id = _repository_id(original, path, explicit, versions, typeprefixes)
        kept = tuple(
            a
            for a in rebuilt.annotations
            if not isinstance(a, (ir.omgidl.RepositoryId, ir.omgidl.ExplicitId, ir.omgidl.Version))
        )
        annotations = (*kept, ir.omgidl.RepositoryId(repo_id, loc=original.loc))
        return replace(rebuilt, annotations=annotations)

    return replace(spec, decls=tuple(_map_decls(d, assign) for d in spec.decls))


#: What a pragma gave, by IDL path: its value and where it was written.
_Given = dict[tuple[str, ...], tuple[str, ir.Loc]]


def _once(
    report: Reporter, seen: _Given, path: tuple[str, ...], value: str, loc: ir.Loc, what: str
) -> None:
    """Record ``value`` for ``path``; a different value given before is an error."""
    first = seen.get(path)
    if first is None:
        seen[path] = (value, loc)
        return
    old, where = first
    if old != value:
        note = Diagnostic(where, f"'{old}' was given here", "note", Severity.NOTE)
        report.diagnostics.append(
            Diagnostic(
                loc,
                f"'{'::'.join(path)}' is given the {what} '{value}' and '{old}'",
                "bad-repository-id",
                notes=(note,),
            )
        )


def _idl_path(decl: ir.Decl, scope: tuple[str, ...], ctx: Context) -> tuple[str, ...]:
    """The declaration's scoped name in IDL: a hoisted type is inside its owner."""
    parts = [decl.name]
    current = decl
    for _ in range(32):
        hoisted = ir.annotation(current, ir.Hoisted)
        if hoisted is None:
            break
        owner = ctx.symbols.get(ir.Space.ORDINARY, ir.ScopedName((*scope, hoisted.owner)))
        if owner is None:
            break
        parts.append(owner.name)
        current = owner
    return (*scope, *reversed(parts))


def _repository_id(
    decl: ir.Decl,
    path: tuple[str, ...],
    explicit: _Given,
    versions: _Given,
    typeprefixes: _Given,
) -> str:
    if path in explicit:
        return explicit[path][0]
    prefix, base = "", cast(tuple[str, ...], ())
    pragma = ir.annotation(decl, ir.omgidl.Prefix)
    if pragma is not None:
        prefix, base = pragma.prefix, pragma.scope
    for n in range(len(path), 0, -1):  # the nearest typeprefix: it and all inside it
        found = typeprefixes.get(path[:n])
        if found is not None:
            if n - 1 >= len(base):
                prefix, base = found[0], path[: n - 1]
            break
    if path[: len(base)] != base:
        base = ()
    relative = "/".join(path[len(base) :])
    version = versions[path][0] if path in versions else "1.0"
    return f"IDL:{prefix + '/' if prefix else ''}{relative}:{version}"


def _map_decls(d: ir.Decl, fn: Callable[[ir.Decl, ir.Decl], ir.Decl]) -> ir.Decl:
    """``fn(original, rebuilt)`` on every declaration, inner ones first."""
    changes: dict[str, object] = {}
    if isinstance(d, ir.Module):
        changes["decls"] = tuple(_map_decls(x, fn) for x in d.decls)
    elif isinstance(d, (ir.Interface, ir.ValueType)):
        changes["decls"] = tuple(_map_decls(x, fn) for x in d.decls)
        changes["operations"] = tuple(_map_decls(x, fn) for x in d.operations)
        changes["attributes"] = tuple(_map_decls(x, fn) for x in d.attributes)
    rebuilt = replace(d, **changes) if changes else d  # type: ignore[arg-type]
    return fn(d, rebuilt)
