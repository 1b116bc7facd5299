"""CByValue: mark the C functions that pass a union, a bitfield struct or a complex by value.

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

    def mark(op: ir.Operation) -> ir.Operation:
        if ir.annotation(op, ir.c.ByValue) is not None:
            return op
        for t in (op.result, *(p.type for p in op.params)):
            spelled = _by_value(t, ctx)
            if spelled is not None:
                return replace(op, annotations=(*op.annotations, ir.c.ByValue(spelled, loc=op.loc)))
        return op

    def functions(decl: ir.Decl) -> ir.Decl:
        if isinstance(decl, ir.Interface):
            return replace(decl, operations=tuple(mark(op) for op in decl.operations))
        if isinstance(decl, ir.Module):
            return replace(decl, decls=tuple(functions(d) for d in decl.decls))
        return decl

    return replace(spec, decls=tuple(functions(d) for d in spec.decls))


def _by_value(t: ir.Type, ctx: Context) -> str | None:
    """How C spells ``t`` when it is a union or a struct with bitfields, else None."""
    while isinstance(t, ir.Qualified):
        t = t.elem
    if not isinstance(t, ir.Named):
        return None
    if "_Complex" in str(t.name):  # csin: libffi has no complex numbers
        return str(t.name)
    decl = ctx.decl_of(t)
    if isinstance(decl, ir.Union_) or (
        isinstance(decl, ir.Struct) and any(f.bits is not None for f in decl.fields)
    ):
        if t.space is ir.Space.TAG:
            return f"{'union' if isinstance(decl, ir.Union_) else 'struct'} {t.name}"
        return str(t.name)
    return None
