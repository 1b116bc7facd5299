"""CByValue: mark the C functions that pass a union or a bitfield struct by value.

cffi's ABI mode cannot make such calls (libffi has no description of them), so
the ``cffi-abi`` back-end leaves these functions out with a warning that names
the type (:class:`~idlgen.ir.c.ByValue`). Types are followed through typedef
chains by the symbol table (``ctx.resolve``), nowhere else.
"""

from __future__ import annotations

from dataclasses import replace

from idlgen import ir
from idlgen.passes.context import Context


def c_by_value(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Annotate each Operation whose result or a parameter is such a type."""

    def mark(node: ir.Node) -> ir.Node:
        if not isinstance(node, ir.Operation) or ir.annotation(node, ir.c.ByValue) is not None:
            return node
        for t in (node.result, *(p.type for p in node.params)):
            spelled = _by_value(t, ctx)
            if spelled is not None:
                annotation = ir.c.ByValue(spelled, loc=node.loc)
                return replace(node, annotations=(*node.annotations, annotation))
        return node

    return ir.map_tree(spec, mark)


def _by_value(t: ir.Type, ctx: Context) -> str | None:
    """How C spells ``t`` when it is a union or a struct with bitfields, else None."""
    while isinstance(t, ir.Qualified):
        t = t.elem
    if not isinstance(t, ir.Named):
        return None
    decl = ctx.decl_of(t)
    if isinstance(decl, ir.Union_) or (
        isinstance(decl, ir.Struct) and any(f.bits is not None for f in decl.fields)
    ):
        if t.space is ir.Space.TAG:
            return f"{'union' if isinstance(decl, ir.Union_) else 'struct'} {t.name}"
        return str(t.name)
    return None
