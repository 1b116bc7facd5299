"""FoldConstants: every constant expression becomes a Literal with its value.

Values are integers, floats, fixed-point decimals (``Decimal``), strings,
characters and booleans. Integer arithmetic is C's (division truncates toward
zero) within 64 bits; floats take ``+ - * /``; a fixed-point operand makes the
operation decimal (an integer joins it exactly, a float may not); strings
concatenate with ``+``. Constants may refer to constants and enumerators
declared anywhere (in included files, after the use, in other scopes by their
scoped names); cycles and division by zero are errors. Enumerators without a
value number on from the previous one, as in C, rpcgen and IDL.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, DivisionByZero, InvalidOperation

from idlgen import ir
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.passes.context import Context
from idlgen.symbols import declarations

Value = ir.Value
_MIN, _MAX = -(2**63), 2**64 - 1


def _fail(node: ir.Node, message: str, code: str) -> CompileError:
    return CompileError([Diagnostic(node.loc, message, code)])


class _Folder:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.values: dict[ir.Name, Value] = {}
        self.active: set[ir.Name] = set()
        #: Enumerators numbered implicitly: the expression of their value.
        self.implicit: dict[ir.Name, ir.Expr] = {}
        #: Constants whose value failed (reported once, then silently 0).
        self.failed: set[ir.Name] = set()

    def value_of(self, name: ir.ScopedName, loc: ir.Loc) -> Value:
        if name in self.values:
            return self.values[name]
        if name in self.failed:
            raise CompileError([])
        if name in self.active:
            raise CompileError(
                [Diagnostic(loc, f"constant '{name}' is defined in terms of itself", "const-cycle")]
            )
        decl = self.ctx.symbols.get(ir.Space.ORDINARY, name)
        self.active.add(name)
        try:
            value = self._declared_value(decl, name)
        except CompileError:
            self.failed.add(name)
            raise
        finally:
            self.active.discard(name)
        self.values[name] = value
        return value

    def _declared_value(self, decl: ir.Decl | None, name: ir.Name) -> Value:
        if isinstance(decl, ir.Const):
            return self.eval(decl.value)
        if isinstance(decl, ir.EnumMember):
            return self.eval(decl.value if decl.value is not None else self.implicit[name])
        for ann in getattr(decl, "annotations", ()):
            value = getattr(ann, "value", None)  # an RPC program, version or procedure number
            if isinstance(value, (ir.Literal, ir.ConstRef, ir.Unary, ir.Binary)):
                return self.eval(value)
        return 0  # ResolveNames has already reported it

    def kind_of(self, e: ir.Expr) -> tuple[bool, bool]:
        """Whether ``e`` is a character and a wide literal, through constants named.

        A constant defined as ``'a'`` (or ``L"text"``) stays a character (wide)
        where another constant names it; arithmetic gives plain values.
        """
        for _ in range(64):  # constants naming constants; a cycle is reported by eval
            if isinstance(e, ir.Literal):
                return e.char, e.wide
            if not isinstance(e, ir.ConstRef):
                return False, False
            decl = self.ctx.symbols.get(ir.Space.ORDINARY, e.name)
            if not isinstance(decl, ir.Const):
                return False, False
            e = decl.value
        return False, False

    def eval(self, e: ir.Expr) -> Value:
        if isinstance(e, ir.Literal):
            return e.value
        if isinstance(e, ir.ConstRef):
            return self.value_of(e.name, e.loc)
        if isinstance(e, ir.Unary):
            return self._unary(e, self.eval(e.operand))
        return self._binary(e, self.eval(e.left), self.eval(e.right))

    def _unary(self, e: ir.Unary, v: Value) -> Value:
        if e.op == "~":
            return self._fit(~self._int(v, e.operand), e)
        number = self._number(v, e.operand)
        result = -number if e.op == "-" else number
        return self._fit(result, e) if isinstance(result, int) else result

    def _binary(self, e: ir.Binary, left: Value, right: Value) -> Value:
        if isinstance(left, str) and isinstance(right, str) and e.op == "+":
            return left + right
        a, b = self._number(left, e.left), self._number(right, e.right)
        if isinstance(a, int) and isinstance(b, int):
            return self._integer(e, a, b)
        if e.op not in ("+", "-", "*", "/"):
            raise _fail(e, f"operator '{e.op}' needs integer operands", "const-type")
        if isinstance(a, Decimal) or isinstance(b, Decimal):
            if isinstance(a, float) or isinstance(b, float):
                raise _fail(e, "fixed-point and floating-point values do not mix", "const-type")
            return self._decimal(e, Decimal(a), Decimal(b))
        x, y = float(a), float(b)
        if e.op == "/" and y == 0:
            raise _fail(e, "division by zero in a constant expression", "const-div-zero")
        return {"+": x + y, "-": x - y, "*": x * y, "/": x / y if y else 0.0}[e.op]

    def _decimal(self, e: ir.Binary, a: Decimal, b: Decimal) -> Decimal:
        try:
            return {
                "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
            }[e.op]()  # fmt: skip
        except (DivisionByZero, InvalidOperation):
            raise _fail(e, "division by zero in a constant expression", "const-div-zero") from None

    def _integer(self, e: ir.Binary, a: int, b: int) -> int:
        if e.op in "/%" and b == 0:
            raise _fail(e, "division by zero in a constant expression", "const-div-zero")
        if e.op in ("<<", ">>") and not 0 <= b < 64:
            raise _fail(e.right, f"shift count {b} is out of range 0..63", "const-shift")
        if e.op == "/":
            result = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)  # C truncates toward zero
        elif e.op == "%":
            result = a - b * (abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1))
        elif e.op == "<<":
            result = a << b
        elif e.op == ">>":
            result = a >> b
        else:
            ops = {"+": a + b, "-": a - b, "*": a * b, "&": a & b, "|": a | b, "^": a ^ b}
            result = ops[e.op]
        return self._fit(result, e)

    def _number(self, v: Value, node: ir.Node) -> int | float | Decimal:
        if isinstance(v, bool) or not isinstance(v, (int, float, Decimal)):
            raise _fail(node, f"expected a number, got {v!r}", "const-type")
        return v

    def _int(self, v: Value, node: ir.Node) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise _fail(node, f"expected an integer constant, got {v!r}", "const-type")
        return v

    def _fit(self, v: int, node: ir.Node) -> int:
        if not _MIN <= v <= _MAX:
            raise _fail(node, f"constant overflow: {v} does not fit in 64 bits", "const-overflow")
        return v


def fold_constants(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Replace every expression by its value (see module docstring)."""
    folder = _Folder(ctx)
    for item in declarations(spec, ctx.language.scoping):
        if isinstance(item.decl, ir.Enum_):
            previous: ir.ScopedName | None = None
            for member in item.decl.members:
                full = ir.ScopedName((*item.scope, member.name))
                if member.value is None:
                    folder.implicit[full] = (
                        ir.Literal(0)
                        if previous is None
                        else ir.Binary(
                            "+",
                            ir.ConstRef(previous, loc=member.loc),
                            ir.Literal(1),
                            loc=member.loc,
                        )
                    )
                previous = full

    errors: list[Diagnostic] = []
    numbered: dict[int, Value] = {}

    def fold(node: ir.Node) -> ir.Node:
        if isinstance(node, (ir.ConstRef, ir.Unary, ir.Binary)):
            try:
                char, wide = folder.kind_of(node)
                return ir.Literal(folder.eval(node), char, wide, loc=node.loc)
            except CompileError as exc:
                errors.extend(d for d in exc.diagnostics if d not in errors)
                return ir.Literal(0, loc=node.loc)
        if isinstance(node, ir.EnumMember) and node.value is None:
            return replace(node, value=ir.Literal(numbered.get(id(node), 0), loc=node.loc))
        return node

    for item in declarations(spec, ctx.language.scoping):  # implicit values, by identity
        if isinstance(item.decl, ir.EnumMember) and item.decl.value is None:
            try:
                numbered[id(item.decl)] = folder.value_of(
                    ir.ScopedName((*item.scope, item.decl.name)), item.decl.loc
                )
            except CompileError as exc:
                errors.extend(d for d in exc.diagnostics if d not in errors)
    spec = ir.map_tree(spec, fold)
    if errors:
        raise CompileError(errors)
    return spec
