"""CheckIdlUnionLabels: a union switched on an enum is labelled with that enum's enumerators.

OMG IDL 3.5 §7.11.2.2: the labels of a union whose discriminator is an enum
are enumerators of that enum. Once constants are folded, an enumerator of
another enum (or a plain number) with the same value could not be told apart,
so this pass runs between ResolveNames and FoldConstants, on the names.
"""

from __future__ import annotations

from idlgen import ir
from idlgen.passes.context import Context


def check_idl_union_labels(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report every label of an enum-switched union that is not one of its enumerators."""
    for node in ir.walk(spec):
        if not isinstance(node, ir.Union_) or node.discriminator is None:
            continue
        enum = ctx.decl_of(node.discriminator.type)
        if not isinstance(enum, ir.Enum_):
            continue
        full = ctx.symbols.full_name(enum)
        scope = full.scope if isinstance(full, ir.ScopedName) else ()
        members = {ir.ScopedName((*scope, m.name)) for m in enum.members}
        arms = [*node.cases, *([node.default] if node.default else [])]
        for label in (label for case in arms for label in case.labels):
            if isinstance(label, ir.ConstRef) and label.name in members:
                continue
            written = f"'{label.name}'" if isinstance(label, ir.ConstRef) else "this label"
            ctx.reporter.error(
                label.loc,
                f"{written} is not an enumerator of enum '{full}', which union"
                f" '{node.name}' is switched on",
                "bad-case",
            )
    return spec
