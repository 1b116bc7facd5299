"""One symbol table with scopes, for every input language.

Each declaration has a full name: the path of the scopes it is declared in
plus its own name (IDL ``M::I::T``), or, inside an XSD schema, a
:class:`~idlgen.ir.QName` of the schema's target namespace. Names live in
symbol spaces (:class:`~idlgen.ir.Space`): C tags apart from ordinary names,
one space per XSD component kind.

What opens a scope is the language's rule (:class:`Scoping`): OMG IDL nests
modules, interfaces, structs, unions, exceptions and valuetypes; the RPC
language and C have one flat scope (an XDR ``program`` is a Module, but its
names are global #defines in rpcgen's C).

Lookup of a relative IDL name follows OMG IDL 3.5 §7.20.3: the first
identifier is searched in the current scope, then in the interfaces it
inherits, then in each enclosing scope outward; the rest of the name is
searched inside what that found.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from idlgen import ir


@dataclass(frozen=True)
class Scoping:
    """A language's scoping rule (see the module docstring)."""

    #: Declarations that open a scope named after them (empty: one flat scope).
    scopes: tuple[type[ir.Decl], ...] = ()
    #: Declarations that may be declared again under one name (an RPC procedure
    #: in several versions of a program).
    redeclarable: tuple[type[ir.Decl], ...] = ()
    #: Declarations that claim no name (a C header's Module and function set).
    unnamed: tuple[type[ir.Decl], ...] = ()
    #: Whether enumerators are names of the enclosing scope (C, XDR, IDL); XSD
    #: enumeration facets are values, not names, and claim none.
    enumerators: bool = True


FLAT = Scoping()
IDL_SCOPES = Scoping((ir.Module, ir.Interface, ir.ValueType, ir.Struct, ir.Union_, ir.Exception_))

Key = tuple[ir.Space, ir.Name]


@dataclass
class Scope:
    """The names declared directly in one scope, and the interfaces it inherits."""

    path: tuple[str, ...]
    parent: Scope | None
    names: dict[tuple[ir.Space, str], ir.Decl] = field(default_factory=dict)
    #: Full names of inherited interfaces (IDL), searched after the scope itself.
    bases: list[tuple[str, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Declared:
    """One declaration with its full name and the scope it is declared in."""

    decl: ir.Decl
    name: ir.Name
    scope: tuple[str, ...]


def declarations(spec: ir.Spec, scoping: Scoping) -> Iterator[Declared]:
    """Every declaration that claims a name, with its full name, in source order.

    Enumerators are declared beside their enum (in the enclosing scope), as in
    C, XDR and IDL 3.5. Struct members, union arms and parameters are not names
    of the scope; only declarations that types, constants or services can be.
    """
    stack: list[tuple[ir.Decl, tuple[str, ...], str | None]] = [
        (d, (), None) for d in reversed(spec.decls)
    ]
    while stack:
        decl, scope, namespace = stack.pop()
        full: ir.Name = (
            ir.QName(namespace, decl.name)
            if namespace is not None
            else ir.ScopedName((*scope, decl.name))
        )
        if decl.name and not isinstance(
            decl, (ir.Passthrough, ir.Field, ir.Param, *scoping.unnamed)
        ):
            yield Declared(decl, full, scope)
        if isinstance(decl, ir.Enum_) and scoping.enumerators:
            for m in decl.members:
                yield Declared(m, _member_name(m.name, scope, namespace), scope)
        inner = (*scope, decl.name) if isinstance(decl, scoping.scopes) else scope
        inner_ns = (
            decl.namespace
            if isinstance(decl, ir.Module) and decl.namespace is not None
            else namespace
        )  # "": a schema without a target namespace
        children: tuple[ir.Decl, ...] = ()
        if isinstance(decl, ir.Module):
            children = decl.decls
        elif isinstance(decl, ir.Interface):
            children = (*decl.decls, *decl.operations, *decl.attributes)
        elif isinstance(decl, ir.ValueType):
            children = (*decl.decls, *decl.operations, *decl.attributes, *decl.initializers)
        stack.extend((d, inner, inner_ns) for d in reversed(children))


def _member_name(name: str, scope: tuple[str, ...], namespace: str | None) -> ir.Name:
    return ir.QName(namespace, name) if namespace is not None else ir.ScopedName((*scope, name))


class SymbolTable:
    """Every declaration by (space, full name), and the scopes for relative lookup."""

    def __init__(self, scoping: Scoping = FLAT) -> None:
        self.scoping = scoping
        self.by_name: dict[Key, ir.Decl] = {}
        self.scopes: dict[tuple[str, ...], Scope] = {(): Scope((), None)}
        #: The full name of each declaration, by identity (passes rebuild trees: reindex).
        self._names: dict[int, ir.Name] = {}
        #: Underlying types of typedef chains, filled on first use.
        self._resolved: dict[Key, ir.Type] = {}

    # -- building ----------------------------------------------------------------

    def scope(self, path: tuple[str, ...]) -> Scope:
        """The scope of ``path``, made on first use (reopened IDL modules share one)."""
        found = self.scopes.get(path)
        if found is None:
            found = Scope(path, self.scope(path[:-1]) if path else None)
            self.scopes[path] = found
        return found

    def declare(self, item: Declared) -> ir.Decl | None:
        """Enter one declaration; returns an earlier one it clashes with, if any.

        A forward declaration and its definition, and the parts of a reopened
        IDL module, are one name, not a clash.
        """
        decl = item.decl
        key = (decl.space, item.name)
        self._names[id(decl)] = item.name
        previous = self.by_name.get(key)
        local = (decl.space, decl.name)
        if previous is decl:  # the same declaration again (the table was filled before)
            return None
        if previous is not None and not _same_entity(previous, decl):
            if isinstance(decl, self.scoping.redeclarable) and type(previous) is type(decl):
                return None
            return previous
        if previous is None or isinstance(previous, ir.Forward) or isinstance(decl, ir.Module):
            if not (isinstance(decl, ir.Forward) and previous is not None):
                self.by_name[key] = decl
                if isinstance(item.name, ir.ScopedName):
                    self.scope(item.scope).names[local] = decl
        if isinstance(decl, self.scoping.scopes):
            self.scope((*item.scope, decl.name))
        return None

    def reindex(self, spec: ir.Spec) -> None:
        """Point every name at the declarations of a rebuilt tree (passes copy nodes)."""
        fresh = SymbolTable(self.scoping)
        for item in declarations(spec, self.scoping):
            fresh.declare(item)
        for path, scope in self.scopes.items():  # inheritance is found once, by ResolveNames
            fresh.scope(path).bases = list(scope.bases)
        self.by_name, self.scopes, self._names = fresh.by_name, fresh.scopes, fresh._names
        self._resolved.clear()

    # -- lookup ------------------------------------------------------------------

    def get(self, space: ir.Space, name: ir.Name) -> ir.Decl | None:
        """The declaration of a full name."""
        return self.by_name.get((space, name))

    def lookup(self, named: ir.Named) -> ir.Decl | None:
        """What a resolved use of a type names."""
        return self.by_name.get((named.space, named.name))

    def full_name(self, decl: ir.Decl) -> ir.Name:
        """The full name of a declaration of the current tree."""
        return self._names.get(id(decl)) or ir.ScopedName((decl.name,))

    def find(
        self, name: ir.Name, space: ir.Space, scope: tuple[str, ...]
    ) -> tuple[ir.Name, ir.Decl] | None:
        """Look ``name`` up as written in ``scope`` (see the module docstring)."""
        if isinstance(name, ir.QName):
            decl = self.by_name.get((space, name))
            return (name, decl) if decl is not None else None
        first, rest = name.parts[0], name.parts[1:]
        start: list[tuple[str, ...]] = [()] if name.absolute else self._search_order(scope)
        for path in start:
            found = self._in_scope(path, first, space if not rest else None)
            if found is None:
                continue
            full = (*path, first)
            for part in rest:  # the rest of the name, inside what the first part names
                inner = self._in_scope(
                    full, part, space if part is rest[-1] else None, with_bases=True
                )
                if inner is None:
                    return None
                full = (*self._owner_path(full, part), part)
            decl = self.by_name.get((space, ir.ScopedName(full)))
            return (ir.ScopedName(full), decl) if decl is not None else None
        return None

    def _search_order(self, scope: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The scopes a relative name is searched in: itself, its bases, then outward."""
        order: list[tuple[str, ...]] = []
        path: tuple[str, ...] | None = scope
        while path is not None:
            order.append(path)
            order.extend(self._bases(path))
            path = path[:-1] if path else None
        return order

    def _bases(self, path: tuple[str, ...], depth: int = 0) -> list[tuple[str, ...]]:
        """Every interface ``path`` inherits from, directly or not, nearest first."""
        scope = self.scopes.get(path)
        if scope is None or depth > 64:
            return []
        found: list[tuple[str, ...]] = []
        for base in scope.bases:
            found += [base, *self._bases(base, depth + 1)]
        return found

    def _in_scope(
        self,
        path: tuple[str, ...],
        local: str,
        space: ir.Space | None,
        with_bases: bool = False,
    ) -> ir.Decl | None:
        for where in [path, *(self._bases(path) if with_bases else [])]:
            scope = self.scopes.get(where)
            if scope is None:
                continue
            if space is not None:
                if (space, local) in scope.names:
                    return scope.names[(space, local)]
                continue
            for (_, name), decl in scope.names.items():  # a scope to go into: any space
                if name == local:
                    return decl
        return None

    def _owner_path(self, path: tuple[str, ...], local: str) -> tuple[str, ...]:
        """Which scope (``path`` or one it inherits) declares ``local``."""
        for where in [path, *self._bases(path)]:
            scope = self.scopes.get(where)
            if scope is not None and any(name == local for _, name in scope.names):
                return where
        return path

    # -- types -------------------------------------------------------------------

    def resolve(self, t: ir.Type) -> ir.Type:
        """``t`` with typedefs followed to the type they finally name.

        The one place that follows typedef chains (C's ``uLongf`` → ``uLong`` →
        ``unsigned long``); a chain that loops stops where it would repeat.
        """
        if not isinstance(t, ir.Named):
            return t
        key = (t.space, t.name)
        cached = self._resolved.get(key)
        if cached is not None:
            return cached
        seen: set[Key] = set()
        current: ir.Type = t
        while isinstance(current, ir.Named) and (current.space, current.name) not in seen:
            seen.add((current.space, current.name))
            decl = self.by_name.get((current.space, current.name))
            if not isinstance(decl, ir.Typedef):
                break
            current = decl.type
        self._resolved[key] = current
        return current

    def decl_of(self, t: ir.Type) -> ir.Decl | None:
        """The struct/union/enum/interface declaration ``t`` finally names, if any."""
        t = self.resolve(t)
        return self.lookup(t) if isinstance(t, ir.Named) else None


def _same_entity(previous: ir.Decl, decl: ir.Decl) -> bool:
    """A forward declaration and its definition, or a reopened module, are one name."""
    if isinstance(previous, ir.Module) and isinstance(decl, ir.Module):
        return True
    return isinstance(previous, ir.Forward) or isinstance(decl, ir.Forward)


__all__ = ["FLAT", "IDL_SCOPES", "Declared", "Scope", "Scoping", "SymbolTable", "declarations"]
