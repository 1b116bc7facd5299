"""Scoped names that go through a struct, union or exception to a type nested in it.

IDL declares a type written inside a struct member (``struct Outer { struct
Inner { ... } x; };``) in the struct's scope, so other declarations name it
``Outer::Inner``; an enum in a union's ``switch`` puts its enumerators in the
union's scope (``U::ONE``). The IR's structs hold fields only, so the builder
hoists such types beside their owner (:class:`~idlgen.ir.Hoisted`). This step
rewrites the uses to match: ``Outer::Inner`` becomes ``Inner`` written in
Outer's enclosing scope (``M::Outer::Inner`` becomes ``M::Inner``).
"""

from __future__ import annotations

from dataclasses import replace

from idlgen import ir


def unnest_names(spec: ir.Spec) -> ir.Spec:
    """``spec`` with every ``Owner::Nested`` name of a hoisted type shortened to ``Nested``."""
    pairs: set[tuple[str, str]] = set()
    for node in ir.walk(spec):
        if not isinstance(node, ir.Decl):
            continue
        hoisted = ir.annotation(node, ir.Hoisted)
        if hoisted is None:
            continue
        pairs.add((hoisted.owner, node.name))
        if isinstance(node, ir.Enum_):
            pairs.update((hoisted.owner, m.name) for m in node.members)
    if not pairs:
        return spec

    def shorten(name: ir.ScopedName) -> ir.ScopedName:
        parts = list(name.parts)
        i = 0
        while i < len(parts) - 1:
            if (parts[i], parts[i + 1]) in pairs:
                del parts[i]
            else:
                i += 1
        return name if len(parts) == len(name.parts) else replace(name, parts=tuple(parts))

    def fix(node: ir.Node) -> ir.Node:
        if isinstance(node, (ir.Named, ir.ConstRef)) and isinstance(node.name, ir.ScopedName):
            if len(node.name.parts) > 1:
                short = shorten(node.name)
                if short is not node.name:
                    return replace(node, name=short)
        return node

    return ir.map_tree(spec, fix)
