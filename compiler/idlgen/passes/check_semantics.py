"""CheckSemantics: what the grammar cannot say about a well-formed interface.

Runs after FoldConstants, so every expression is a Literal. Checks what every
language shares: sizes and bounds, union discriminators and case labels, enum
values (integers in the language's range, or values of the enum's base type),
constants that fit the type they are declared with, and infinite recursion (a
type that contains itself by value). Each language's own rules are passes of
their own (``check_rpc_programs`` for XDR's numbering).
"""

from __future__ import annotations

from decimal import Decimal

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Reporter, Severity
from idlgen.passes.context import Context

_UINT32_MAX = 2**32 - 1
_DISCRIMINANTS = {
    ir.Prim.INT32, ir.Prim.UINT32, ir.Prim.BOOL, ir.Prim.INT16, ir.Prim.UINT16,
    ir.Prim.INT8, ir.Prim.UINT8, ir.Prim.CHAR, ir.Prim.INT64, ir.Prim.UINT64, ir.Prim.WCHAR,
    ir.Prim.OCTET, ir.Prim.LONG, ir.Prim.ULONG,
}  # fmt: skip


#: A type by its symbol space and full name (XSD's group ``Array`` is not its type ``Array``).
Key = tuple[ir.Space, ir.Name]


def literal(e: ir.Expr | None) -> ir.Value | None:
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
        textual = decl.base is not None and not self._integral(decl.base)
        limits = self.ctx.language.enum_range
        for m in decl.members:
            v = literal(m.value)
            if textual:  # XSD: values of the base type, any kind
                if v in seen:
                    self.report.error(
                        m.loc,
                        f"'{m.name}' repeats the value of '{seen[v]}'",
                        "duplicate-enum-value",
                    )
                seen.setdefault(v, m.name)
                continue
            if not isinstance(v, int) or isinstance(v, bool):
                self.report.error(
                    m.loc, f"enum value of '{m.name}' must be an integer, not {v!r}", "bad-enum"
                )
            elif limits is not None and not limits[0] <= v <= limits[1]:
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
            value_range = ir.INTEGER_RANGES.get(resolved.kind, (0, 2**32 - 1))  # wchar: UCS
        else:
            self.report.error(
                disc.type.loc,
                self.ctx.language.discriminator_rule,
                "bad-discriminant",
            )
            return
        seen: dict[int, ir.Loc] = {}
        # the default arm may have labels too (IDL's `case 1: default:`)
        for case in [*decl.cases, *([decl.default] if decl.default else [])]:
            for label in case.labels:
                v = literal(label)
                if isinstance(v, str) and len(v) == 1 and _is_char(resolved):
                    v = ord(v)  # IDL 'a' labels of a char or wchar discriminator
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

    def _integral(self, t: ir.Type, depth: int = 0) -> bool:
        r = self.ctx.resolve(t)
        if isinstance(r, ir.Primitive):
            return r.kind in ir.INTEGER_RANGES or r.kind is ir.Prim.INTEGER
        decl = self.ctx.decl_of(r)
        if not isinstance(decl, ir.Enum_):
            return False
        # an XSD enumeration restricting another one is as integral as that one's base
        return decl.base is None or (depth < 32 and self._integral(decl.base, depth + 1))

    # -- constants

    def const(self, decl: ir.Const) -> None:
        """A constant declared with a type holds a value of that type (IDL's rule)."""
        if decl.type is None:
            return
        v = literal(decl.value)
        t = self.ctx.resolve(decl.type)
        where = decl.value.loc if decl.value.loc.line else decl.loc
        expected = _const_kind(t, self.ctx)
        if expected is None:
            return
        if expected == "integer":
            assert isinstance(t, ir.Primitive)
            low, high = ir.INTEGER_RANGES.get(t.kind, (-(2**63), 2**64 - 1))
            if not isinstance(v, int) or isinstance(v, bool):
                self.report.error(
                    where, f"'{decl.name}' needs an integer value, not {v!r}", "const-type"
                )
            elif not low <= v <= high:
                self.report.error(
                    where,
                    f"constant overflow: {v} does not fit in '{decl.name}''s type",
                    "const-overflow",
                )
            return
        ok = {
            "float": isinstance(v, (int, float)) and not isinstance(v, bool),
            "fixed": isinstance(v, (int, Decimal)) and not isinstance(v, bool),
            "string": isinstance(v, str)
            and not (isinstance(decl.value, ir.Literal) and decl.value.char),
            "char": isinstance(v, str) and len(v) == 1,
            "boolean": isinstance(v, bool),
            "enum": isinstance(v, int) and not isinstance(v, bool),
        }[expected]
        if not ok:
            self.report.error(
                where, f"'{decl.name}' needs a {expected} value, not {v!r}", "const-type"
            )
        elif expected == "string" and isinstance(t, ir.String) and t.bound is not None:
            bound = literal(t.bound)
            if isinstance(bound, int) and isinstance(v, str) and len(v) > bound:
                self.report.error(
                    where,
                    f"string of {len(v)} characters is longer than its bound {bound}",
                    "const-overflow",
                )

    # -- recursion

    def recursion(self, decls: list[ir.Decl]) -> None:
        """A struct or union that contains itself by value would be infinitely large."""
        edges: dict[Key, list[tuple[Key, ir.Loc]]] = {}
        for decl in decls:
            members: list[ir.Field] = []
            if isinstance(decl, ir.Struct):
                members = list(decl.fields)
            elif isinstance(decl, ir.Union_):
                arms = [*decl.cases, *([decl.default] if decl.default else [])]
                members = [c.field for c in arms if c.field is not None]
            elif isinstance(decl, ir.Typedef):
                members = [ir.Field(decl.name, decl.type, loc=decl.loc)]
            edges[(decl.space, self.ctx.symbols.full_name(decl))] = [
                (name, loc)
                for f in members
                if f.min_occurs >= 1 and f.max_occurs == 1  # XSD: optional and lists end it
                for name, loc in _by_value(f.type)
            ]
        reported: set[Key] = set()
        for start in edges:
            self._find_cycle(start, edges, reported)

    def _find_cycle(
        self,
        start: Key,
        edges: dict[Key, list[tuple[Key, ir.Loc]]],
        reported: set[Key],
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
                hint = self.ctx.language.recursion_hint
                self.report.error(
                    loc,
                    f"recursive type '{start[1]}' contains itself" + (f"; {hint}" if hint else ""),
                    "infinite-recursion",
                )
            elif target not in on_path and target in edges and len(stack) < 64:
                on_path.add(target)
                stack.append((target, iter(edges[target])))


_TYPE_SPACES = (ir.Space.ORDINARY, ir.Space.TAG, ir.Space.TYPE)


def _is_char(t: ir.Type) -> bool:
    """IDL ``char`` or ``wchar``: its case labels are characters."""
    return isinstance(t, ir.Primitive) and t.kind in (ir.Prim.CHAR, ir.Prim.WCHAR)


def _by_value(t: ir.Type) -> list[tuple[Key, ir.Loc]]:
    """Names a type contains by value (optional data and var-length arrays end recursion)."""
    while isinstance(t, ir.Array):
        t = t.elem
    if isinstance(t, ir.Named) and t.space in _TYPE_SPACES:
        return [((t.space, t.name), t.loc)]
    return []  # XSD: a reference to an element or group is not a type's name


def check_semantics(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report every semantic error; the tree is returned unchanged.

    Checks only report: the driver stops after the last pass if any failed, so
    every check of every language runs and the user sees all errors at once.
    """
    checker = _Checker(ctx)
    checker.types(spec)
    named: list[ir.Decl] = []
    for node in ir.walk(spec):
        if isinstance(node, ir.Enum_):
            checker.enum(node)
        elif isinstance(node, ir.Union_):
            checker.union(node)
        elif isinstance(node, ir.Const):
            checker.const(node)
        if isinstance(node, (ir.Struct, ir.Union_, ir.Typedef)):
            named.append(node)
    checker.recursion(named)
    return spec


def _const_kind(t: ir.Type, ctx: Context) -> str | None:
    """Which kind of value a constant of type ``t`` holds (None: not checked)."""
    if isinstance(t, ir.Primitive):
        if t.kind is ir.Prim.BOOL:
            return "boolean"
        if t.kind in (ir.Prim.CHAR, ir.Prim.WCHAR):
            return "char"
        if t.kind in ir.INTEGER_RANGES:
            return "integer"
        if t.kind in ir.FLOAT_KINDS:
            return "float"
        return None
    if isinstance(t, ir.String):
        return "string"
    if isinstance(t, ir.Fixed):
        return "fixed"
    if isinstance(ctx.decl_of(t), ir.Enum_):
        return "enum"
    return None
