"""Apply ``#pragma prefix/ID/version``, ``typeid`` and ``typeprefix`` to the declarations.

These are lexical: a ``#pragma prefix`` holds from where it is written to the
end of the scope it is written in, or to the end of its file (an included
file starts with no prefix, and the includer's comes back after it, OMG IDL
3.5 §10.7.5); ``#pragma ID``/``version`` and ``typeid``/``typeprefix`` name an
earlier declaration by a scoped name, looked up from the scope they are
written in, outward. The front-end records what they say as annotations
(:mod:`idlgen.ir.omgidl`) on the declarations they concern and removes them
from the tree; ``AssignRepositoryIds`` computes the IDs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from idlgen import ir
from idlgen.diagnostics import Diagnostic
from idlgen.frontends.omgidl.builder import Directive

#: Declarations whose body is a scope of declarations (the rest hold members).
_CONTAINERS = (ir.Module, ir.Interface, ir.ValueType)


@dataclass
class _State:
    #: Per file: the prefix in force and the scope it was given in.
    prefix: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: Every declaration seen so far by its IDL path (a reopened module, a
    #: forward declaration and its definition share one).
    by_path: dict[tuple[str, ...], list[ir.Decl]] = field(default_factory=dict)
    #: Annotations to add, by declaration identity.
    extra: dict[int, list[object]] = field(default_factory=dict)
    errors: list[Diagnostic] = field(default_factory=list)


def apply_directives(spec: ir.Spec) -> tuple[ir.Spec, list[Diagnostic]]:
    """``spec`` with directives turned into annotations; the errors found on the way."""
    state = _State()
    _collect(spec.decls, (), state)
    decls = _rebuild(spec.decls, state)
    return replace(spec, decls=decls), state.errors


def _children(decl: ir.Decl) -> list[ir.Decl]:
    """A scope's declarations in source order (an interface keeps them in three lists)."""
    if isinstance(decl, ir.Module):
        return list(decl.decls)
    if isinstance(decl, ir.Interface):
        items = [*decl.decls, *decl.operations, *decl.attributes]
    elif isinstance(decl, ir.ValueType):
        items = [*decl.decls, *decl.operations, *decl.attributes, *decl.initializers]
    else:
        return []
    return sorted(items, key=lambda d: (d.loc.line, d.loc.col))


def _idl_paths(decls: list[ir.Decl], scope: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    """The IDL path of each declaration (a hoisted one is inside its owner)."""
    by_name = {d.name: d for d in decls if d.name}
    paths: dict[int, tuple[str, ...]] = {}

    def path(d: ir.Decl, depth: int = 0) -> tuple[str, ...]:
        hoisted = ir.annotation(d, ir.Hoisted)
        owner = by_name.get(hoisted.owner) if hoisted is not None else None
        if owner is None or owner is d or depth > 32:
            return (*scope, d.name)
        return (*path(owner, depth + 1), d.name)

    for d in decls:
        paths[id(d)] = path(d)
    return paths


def _collect(
    decls: tuple[ir.Decl, ...] | list[ir.Decl], scope: tuple[str, ...], st: _State
) -> None:
    saved = dict(st.prefix)
    paths = _idl_paths(list(decls), scope)
    for d in decls:
        if isinstance(d, Directive):
            _directive(d, scope, st)
            continue
        file = d.loc.file
        prefix, base = st.prefix.get(file, ("", ()))
        if prefix:
            st.extra.setdefault(id(d), []).append(ir.omgidl.Prefix(prefix, base, loc=d.loc))
        st.by_path.setdefault(paths[id(d)], []).append(d)
        if isinstance(d, _CONTAINERS):
            _collect(_children(d), (*scope, d.name), st)
    st.prefix = saved


def _directive(d: Directive, scope: tuple[str, ...], st: _State) -> None:
    if d.kind == "prefix":
        st.prefix[d.loc.file] = (d.value, scope)
        return
    assert d.target is not None
    starts = [()] if d.target.absolute else [scope[:i] for i in range(len(scope), -1, -1)]
    found: list[ir.Decl] = []
    for start in starts:
        found = st.by_path.get((*start, *d.target.parts), [])
        if found:
            break
    what = {"ID": "#pragma ID", "version": "#pragma version", "typeprefix": "typeprefix"}[d.kind]
    if not found:
        st.errors.append(
            Diagnostic(d.loc, f"'{d.target}' in {what} is not declared before it", "undefined-name")
        )
        return
    if d.kind == "typeprefix" and not isinstance(found[0], (*_CONTAINERS, ir.Forward)):
        st.errors.append(
            Diagnostic(
                d.loc,
                f"typeprefix names a module, interface or valuetype; '{d.target}' is not one",
                "bad-typeprefix",
            )
        )
        return
    note: object
    if d.kind == "ID":
        note = ir.omgidl.ExplicitId(d.value, loc=d.loc)
    elif d.kind == "version":
        note = ir.omgidl.Version(d.value, loc=d.loc)
    else:
        note = ir.omgidl.TypePrefix(d.value, loc=d.loc)
    for target in found:
        st.extra.setdefault(id(target), []).append(note)


def _rebuild(decls: tuple[ir.Decl, ...], st: _State) -> tuple[ir.Decl, ...]:
    out: list[ir.Decl] = []
    for d in decls:
        if isinstance(d, Directive):
            continue
        out.append(_one(d, st))
    return tuple(out)


def _one(d: ir.Decl, st: _State) -> ir.Decl:
    changes: dict[str, object] = {}
    if isinstance(d, ir.Module):
        changes["decls"] = _rebuild(d.decls, st)
    elif isinstance(d, (ir.Interface, ir.ValueType)):
        changes["decls"] = _rebuild(d.decls, st)
        changes["operations"] = tuple(_one(o, st) for o in d.operations)
        changes["attributes"] = tuple(_one(a, st) for a in d.attributes)
        if isinstance(d, ir.ValueType):
            changes["initializers"] = tuple(_one(i, st) for i in d.initializers)
    extra = st.extra.get(id(d))
    if extra:
        changes["annotations"] = (*d.annotations, *extra)
    return replace(d, **changes) if changes else d  # type: ignore[arg-type]
