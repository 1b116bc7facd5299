"""FoldConstants: every constant expression becomes a Literal with its value.

Constants may refer to constants and enumerators declared anywhere (also in
included files and after the use); cycles, division by zero and values beyond
64 bits are errors. Enumerators without a value number on from the previous
one, as in C and rpcgen.
"""

from __future__ import annotations

from dataclasses import replace

from idlgen import ir
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.passes.context import Context

Value = int | float | str | bool
_MIN, _MAX = -(2**63), 2**64 - 1


class _Folder:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.values: dict[str, Value] = {}
        self.active: set[str] = set()
        self.implicit: dict[str, int] = {}
        #: Constants whose value failed (reported once, then silently 0).
        self.failed: set[str] = set()

    def value_of(self, name: str, loc: ir.Loc) -> Value:
        if name in self.values:
            return self.values[name]
        if name in self.failed:
            raise CompileError([])
        if name in self.active:
            raise CompileError(
                [Diagnostic(loc, f"constant '{name}' is defined in terms of itself", "const-cycle")]
            )
        decl = self.ctx.symbols[name]
        self.active.add(name)
        try:
            if isinstance(decl, ir.Const):
                value = self.eval(decl.value)
            elif isinstance(decl, ir.EnumMember):
                value = self.eval(decl.value) if decl.value is not None else self.implicit[name]
            elif (number := ir.annotation(decl, ir.RpcNumber)) is not None:
                value = self.eval(number.value)  # a program, version or procedure name
            else:  # ResolveNames has already reported it
                value = 0
        except CompileError:
            self.failed.add(name)
            raise
        finally:
            self.active.discard(name)
        self.values[name] = value
        return value

    def eval(self, e: ir.Expr) -> Value:
        if isinstance(e, ir.Literal):
            return e.value
        if isinstance(e, ir.ConstRef):
            return self.value_of(e.name, e.loc)
        if isinstance(e, ir.Unary):
            v = self._int(self.eval(e.operand), e.operand)
            return self._fit({"-": -v, "+": v, "~": ~v}[e.op], e)
        left, right = self.eval(e.left), self.eval(e.right)
        if e.op == "+" and isinstance(left, str) and isinstance(right, str):
            return left + right
        a, b = self._int(left, e.left), self._int(right, e.right)
        if e.op in "/%" and b == 0:
            raise CompileError(
                [Diagnostic(e.loc, "division by zero in a constant expression", "const-div-zero")]
            )
        if e.op in ("<<", ">>") and not 0 <= b < 64:
            raise CompileError(
                [Diagnostic(e.right.loc, f"shift count {b} is out of range 0..63", "const-shift")]
            )
        if e.op == "/":
            result = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)  # C truncates toward zero
        elif e.op == "%":
            result = a - b * (abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1))
        else:
            ops = {
                "+": a + b, "-": a - b, "*": a * b, "&": a & b, "|": a | b, "^": a ^ b,
                "<<": a << b if e.op == "<<" else 0, ">>": a >> b if e.op == ">>" else 0,
            }  # fmt: skip
            result = ops[e.op]
        return self._fit(result, e)

    def int_of(self, e: ir.Expr) -> int:
        return self._int(self.eval(e), e)

    def _int(self, v: Value, node: ir.Node) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise CompileError(
                [Diagnostic(node.loc, f"expected an integer constant, got {v!r}", "const-type")]
            )
        return v

    def _fit(self, v: int, node: ir.Node) -> int:
        if not _MIN <= v <= _MAX:
            raise CompileError(
                [
                    Diagnostic(
                        node.loc,
                        f"constant overflow: {v} does not fit in 64 bits",
                        "const-overflow",
                    )
                ]
            )
        return v


def fold_constants(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Replace every expression by its value (see module docstring)."""
    folder = _Folder(ctx)
    for node in ir.walk(spec):
        if isinstance(node, ir.Enum_):
            next_value: ir.Expr = ir.Literal(0)
            for member in node.members:
                if member.value is None:
                    folder.implicit[member.name] = folder.int_of(next_value)
                next_value = ir.Binary(
                    "+", ir.ConstRef(member.name, loc=member.loc), ir.Literal(1), loc=member.loc
                )

    errors: list[Diagnostic] = []

    def fold(node: ir.Node) -> ir.Node:
        if isinstance(node, (ir.ConstRef, ir.Unary, ir.Binary)):
            try:
                return ir.Literal(folder.eval(node), loc=node.loc)
            except CompileError as exc:
                errors.extend(d for d in exc.diagnostics if d not in errors)
                return ir.Literal(0, loc=node.loc)
        if isinstance(node, ir.EnumMember) and node.value is None and node.name in folder.implicit:
            return replace(node, value=ir.Literal(folder.implicit[node.name], loc=node.loc))
        return node

    spec = ir.map_tree(spec, fold)
    if errors:
        raise CompileError(errors)
    return spec
