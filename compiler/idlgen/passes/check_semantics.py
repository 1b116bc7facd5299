"""CheckSemantics: what the grammar cannot say about a well-formed interface.

Runs after FoldConstants, so every expression is a Literal. Checks sizes and
bounds, union discriminants and case labels, enum values, infinite recursion
(a type that contains itself without optional data), and RPC program,
version and procedure numbering.
"""

from __future__ import annotations

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Reporter, Severity
from idlgen.passes.context import Context

_UINT32_MAX = 2**32 - 1
_DISCRIMINANTS = {
    ir.Prim.INT32, ir.Prim.UINT32, ir.Prim.BOOL, ir.Prim.INT16, ir.Prim.UINT16,
    ir.Prim.INT8, ir.Prim.UINT8, ir.Prim.CHAR, ir.Prim.INT64, ir.Prim.UINT64,
}  # fmt: skip


def literal(e: ir.Expr | None) -> int | float | str | bool | None:
    """The value of a folded expression."""
    return e.value if isinstance(e, ir.Literal) else None


class _Checker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.report: Reporter = ctx.reporter

    # -- sizes

    def size(self, e: ir.Expr, what: str, allow_zero: bool = True) -> None:
        v = literal(e)
        if not isinstance(v, int) or isinstance(v, bool):
            self.report.error(e.loc, f"{what} must be an integer constant, not {v!r}", "bad-size")
        elif v < 0 or (v == 0 and not allow_zero):
            self.report.error(
                e.loc,
                f"{what} must be {'non-negative' if allow_zero else 'positive'}, not {v}",
                "bad-size",
            )
        elif v > _UINT32_MAX:
            self.report.error(
                e.loc, f"constant overflow: {what} {v} does not fit in 32 bits", "const-overflow"
            )

    def types(self, node: ir.Node) -> None:
        for n in ir.walk(node):
            if isinstance(n, ir.Array):
                for d in n.dims:
                    self.size(d, "array size", allow_zero=False)
            elif isinstance(n, (ir.Sequence, ir.String, ir.Opaque)) and n.bound is not None:
                what = "opaque size" if isinstance(n, ir.Opaque) and n.fixed else "bound"
                self.size(n.bound, what)
            elif isinstance(n, ir.Opaque) and n.fixed and n.bound is None:
                self.report.error(n.loc, "fixed-length opaque needs a size", "bad-size")

    # -- enums and unions

    def enum(self, decl: ir.Enum_) -> None:
        seen: dict[object, str] = {}
        for m in decl.members:
            v = literal(m.value)
            if not isinstance(v, int) or isinstance(v, bool):
                self.report.error(
                    m.loc, f"enum value of '{m.name}' must be an integer, not {v!r}", "bad-enum"
                )
            elif not -(2**31) <= v <= 2**31 - 1:
                self.report.error(
                    m.loc,
                    f"constant overflow: enum value {v} of '{m.name}' does not fit in a 32-bit int",
                    "const-overflow",
                )
            elif v in seen:
                self.report.warning(
                    m.loc, f"'{m.name}' has the same value as '{seen[v]}'", "duplicate-enum-value"
                )
            else:
                seen[v] = m.name

    def union(self, decl: ir.Union_) -> None:
        disc = decl.discriminator
        if disc is None:
            return
        resolved = self.ctx.resolve(disc.type)
        enum = self.ctx.decl_of(disc.type)
        allowed: dict[int, str] | None = None
        value_range: tuple[int, int] | None = None
        if isinstance(enum, ir.Enum_):
            allowed = {int(literal(m.value) or 0): m.name for m in enum.members}
        elif isinstance(resolved, ir.Primitive) and resolved.kind in _DISCRIMINANTS:
            value_range = ir.INTEGER_RANGES[resolved.kind]
        else:
            self.report.error(
                disc.type.loc,
                "a union discriminant must be an int, unsigned int, enum or bool",
                "bad-discriminant",
            )
            return
        seen: dict[int, ir.Loc] = {}
        for case in decl.cases:
            for label in case.labels:
                v = literal(label)
                if not isinstance(v, int):
                    self.report.error(
                        label.loc, f"case label must be an integer constant, not {v!r}", "bad-case"
                    )
                    continue
                v = int(v)
                if allowed is not None and v not in allowed:
                    assert enum is not None
                    self.report.error(
                        label.loc,
                        f"case value {v} is not a value of enum '{enum.name}'",
                        "bad-case",
                    )
                elif value_range is not None and not value_range[0] <= v <= value_range[1]:
                    self.report.error(
                        label.loc,
                        f"case value {v} is out of range of the discriminant type",
                        "bad-case",
                    )
                elif v in seen:
                    note = Diagnostic(seen[v], "first used here", "note", Severity.NOTE)
                    self.report.diagnostics.append(
                        Diagnostic(
                            label.loc, f"duplicate case value {v}", "duplicate-case", notes=(note,)
                        )
                    )
                else:
                    seen[v] = label.loc
        if not decl.cases and decl.default is None:
            self.report.error(decl.loc, f"union '{decl.name}' has no arms", "bad-union")

    # -- recursion

    def recursion(self, decls: list[ir.Decl]) -> None:
        """A struct or union that contains itself by value would be infinitely large."""
        edges: dict[str, list[tuple[str, ir.Loc]]] = {}
        for decl in decls:
            members: list[ir.Field] = []
            if isinstance(decl, ir.Struct):
                members = list(decl.fields)
            elif isinstance(decl, ir.Union_):
                arms = [*decl.cases, *([decl.default] if decl.default else [])]
                members = [c.field for c in arms if c.field is not None]
            elif isinstance(decl, ir.Typedef):
                members = [ir.Field(decl.name, decl.type, loc=decl.loc)]
            edges[decl.name] = [(name, loc) for f in members for name, loc in _by_value(f.type)]
        reported: set[str] = set()
        for start in edges:
            self._find_cycle(start, edges, reported)

    def _find_cycle(
        self, start: str, edges: dict[str, list[tuple[str, ir.Loc]]], reported: set[str]
    ) -> None:
        stack = [(start, iter(edges.get(start, ())))]
        on_path = {start}
        while stack:
            name, it = stack[-1]
            step = next(it, None)
            if step is None:
                stack.pop()
                on_path.discard(name)
                continue
            target, loc = step
            if target == start and start not in reported:
                reported.add(start)
                self.report.error(
                    loc,
                    f"recursive type '{start}' contains itself; "
                    "use optional data ('*') to end the recursion",
                    "infinite-recursion",
                )
            elif target not in on_path and target in edges and len(stack) < 64:
                on_path.add(target)
                stack.append((target, iter(edges[target])))

    # -- programs

    def program(self, module: ir.Module) -> None:
        self._number(module, "program")
        versions: dict[int, ir.Interface] = {}
        for iface in module.decls:
            if not isinstance(iface, ir.Interface):
                continue
            v = self._number(iface, "version")
            if v is not None and v in versions:
                self.report.error(
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
                    self.report.error(
                        op.loc,
                        f"duplicate procedure name '{op.name}' in version '{iface.name}'",
                        "duplicate-name",
                    )
                names.setdefault(op.name, op)
                p = self._number(op, "procedure")
                if p is not None and p in procs:
                    self.report.error(
                        op.loc,
                        f"procedure number {p} is already used by '{procs[p].name}'",
                        "duplicate-number",
                    )
                elif p is not None:
                    procs[p] = op

    def _number(self, decl: ir.Decl, what: str) -> int | None:
        ann = ir.annotation(decl, ir.RpcNumber)
        v = literal(ann.value) if ann else None
        if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= _UINT32_MAX:
            loc = ann.value.loc if ann else decl.loc
            self.report.error(
                loc, f"{what} number must be an unsigned 32-bit integer, not {v!r}", "bad-number"
            )
            return None
        return v


def _by_value(t: ir.Type) -> list[tuple[str, ir.Loc]]:
    """Names a type contains by value (optional data and var-length arrays end recursion)."""
    while isinstance(t, ir.Array):
        t = t.elem
    return [(t.name, t.loc)] if isinstance(t, ir.Named) else []


def check_semantics(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report every semantic error at once; the tree is returned unchanged."""
    checker = _Checker(ctx)
    checker.types(spec)
    named: list[ir.Decl] = []
    for node in ir.walk(spec):
        if isinstance(node, ir.Enum_):
            checker.enum(node)
        elif isinstance(node, ir.Union_):
            checker.union(node)
        elif isinstance(node, ir.Module) and ir.annotation(node, ir.RpcNumber) is not None:
            checker.program(node)
        if isinstance(node, (ir.Struct, ir.Union_, ir.Typedef)):
            named.append(node)
    checker.recursion(named)
    ctx.reporter.check()
    return spec
