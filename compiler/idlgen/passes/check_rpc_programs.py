"""CheckRpcPrograms: the RPC language's own rules (RFC 5531 §12), after FoldConstants.

Program, version and procedure numbers are unsigned 32-bit integers, unique
among their siblings; procedure names are unique within their version (a name
may recur in other versions, as rpcgen allows). A ``const`` must fit in a
hyper or an unsigned hyper, the widest XDR integers.
"""

from __future__ import annotations

from idlgen import ir
from idlgen.diagnostics import Reporter
from idlgen.passes.check_semantics import literal
from idlgen.passes.context import Context

_UINT32_MAX = 2**32 - 1
_HYPER_MIN, _UHYPER_MAX = -(2**63), 2**64 - 1


def check_rpc_programs(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report every numbering error at once; the tree is returned unchanged."""
    report = ctx.reporter
    for node in ir.walk(spec):
        if isinstance(node, ir.Module) and ir.annotation(node, ir.xdr.RpcNumber) is not None:
            _program(node, report)
        elif isinstance(node, ir.Const):
            v = literal(node.value)
            if (
                isinstance(v, int)
                and not isinstance(v, bool)
                and not _HYPER_MIN <= v <= _UHYPER_MAX
            ):
                report.error(
                    node.value.loc if node.value.loc.line else node.loc,
                    f"constant overflow: {v} does not fit in a hyper or an unsigned hyper",
                    "const-overflow",
                )
    return spec


def _program(module: ir.Module, report: Reporter) -> None:
    _number(module, "program", report)
    versions: dict[int, ir.Interface] = {}
    for iface in module.decls:
        if not isinstance(iface, ir.Interface):
            continue
        v = _number(iface, "version", report)
        if v is not None and v in versions:
            report.error(
                iface.loc,
                f"version number {v} is already used by '{versions[v].name}'",
                "duplicate-number",
            )
        elif v is not None:
            versions[v] = iface
        procs: dict[int, ir.Operation] = {}
        names: dict[str, ir.Operation] = {}
        for op in iface.operations:
            if op.name in names:
                report.error(
                    op.loc,
                    f"duplicate procedure name '{op.name}' in version '{iface.name}'",
                    "duplicate-name",
                )
            names.setdefault(op.name, op)
            p = _number(op, "procedure", report)
            if p is not None and p in procs:
                report.error(
                    op.loc,
                    f"procedure number {p} is already used by '{procs[p].name}'",
                    "duplicate-number",
                )
            elif p is not None:
                procs[p] = op


def _number(decl: ir.Decl, what: str, report: Reporter) -> int | None:
    ann = ir.annotation(decl, ir.xdr.RpcNumber)
    v = literal(ann.value) if ann else None
    if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= _UINT32_MAX:
        loc = ann.value.loc if ann else decl.loc
        report.error(
            loc, f"{what} number must be an unsigned 32-bit integer, not {v!r}", "bad-number"
        )
        return None
    return v
