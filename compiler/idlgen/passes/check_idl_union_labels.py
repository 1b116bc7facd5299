"""CheckIdlUnionLabels: union labels are of the discriminator's kind, as written.

OMG IDL 3.5 §7.11.2.2: the labels of a union whose discriminator is an enum
are enumerators of that enum. Once constants are folded, an enumerator of
another enum (or a plain number) with the same value could not be told apart,
so this pass runs between ResolveNames and FoldConstants, on the names.
Likewise a `char` discriminator takes `'a'` labels, not numbers (`case 0:`) nor
wide characters (`L'a'`), as omniidl says; folded, they would look alike.
"""

from __future__ import annotations

from idlgen import ir
from idlgen.passes.context import Context


def check_idl_union_labels(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report every label of an enum-switched union that is not one of its enumerators."""
    for node in ir.walk(spec):
        if not isinstance(node, ir.Union_) or node.discriminator is None:
            continue
        _char_labels(node, ctx)
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


def _char_labels(node: ir.Union_, ctx: Context) -> None:
    assert node.discriminator is not None
    t = ctx.resolve(node.discriminator.type)
    if not (isinstance(t, ir.Primitive) and t.kind is ir.Prim.CHAR):
        return
    arms = [*node.cases, *([node.default] if node.default else [])]
    for label in (label for case in arms for label in case.labels):
        if not isinstance(label, ir.Literal):
            continue  # a named constant or an expression: typed where it is declared
        if not label.char or label.wide:
            ctx.reporter.error(
                label.loc,
                f"union '{node.name}' is switched on a char: its labels are characters"
                " without L ('x')",
                "bad-case",
            )
