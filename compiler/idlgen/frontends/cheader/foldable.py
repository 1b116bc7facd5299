"""A C expression as an IR expression for FoldConstants, kept only where that gives C's value.

One rule for both places C writes constant expressions the IR keeps: an
enumerator's value (``A = 1 << 10``) and a ``#define``'s body
(``#define B A``, ``#define NEG (-MAX)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container

from pycparser import c_ast

from idlgen import ir
from idlgen.frontends.cheader.macros import NotConstant, evaluate

#: The binary operators FoldConstants computes.
_FOLDED_OPERATORS = frozenset({"+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"})


def foldable(
    node: c_ast.Node,
    text: str,
    value: object,
    names: Container[str],
    value_of: Callable[[str], object],
    evaluate_c: Callable[[str], object],
    loc: ir.Loc,
) -> ir.Expr | None:
    """An expression for FoldConstants, when folding gives C's value; else None.

    ``#define B A``, ``#define NEG (-MAX)``, ``A = 1 << 10`` in an enum:
    ``names`` (the header's constants and enumerators), integer literals
    without a suffix, and the operators FoldConstants knows. FoldConstants
    computes with integers as wide as it needs; C with the types of the
    operands, wrapping unsigned ones (``~0u``) and overflowing narrow ones
    (``1 << 31`` is negative). So the expression is kept only when its
    names have signed values and C gives the same value with every literal
    a ``long long``; otherwise (and for a plain number) the value C gives,
    computed by the caller, is the constant's value.
    """
    try:
        expr = _c_expr(node, names, value_of, loc)
        if expr is None or isinstance(expr, ir.Literal):
            return None
        if isinstance(expr, ir.ConstRef):
            return expr  # another constant's name: its value, whatever its type
        wide = re.sub(r"\b(0[xX][0-9a-fA-F]+|[0-9]+)\b", r"\1LL", text)
        return expr if evaluate_c(wide) == value else None
    except (NotConstant, KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


def _c_expr(
    e: c_ast.Node,
    names: Container[str],
    value_of: Callable[[str], object],
    loc: ir.Loc,
) -> ir.Expr | None:
    if isinstance(e, c_ast.Constant) and e.type == "int":
        if not re.fullmatch(r"0[xX][0-9a-fA-F]+|[0-9]+", e.value):
            return None  # a suffix gives the literal a type folding does not keep
        number = evaluate(e.value, {})
        return ir.Literal(int(number), loc=loc) if isinstance(number, int) else None
    if isinstance(e, c_ast.ID) and e.name in names:
        v = value_of(e.name)
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            return None
        if getattr(v, "unsigned", False):
            return None  # C computes with it modulo 2**N: its value, not its name
        return ir.ConstRef(ir.name(e.name), loc=loc)
    if isinstance(e, c_ast.UnaryOp) and e.op in ("-", "+", "~"):
        operand = _c_expr(e.expr, names, value_of, loc)
        return None if operand is None else ir.Unary(e.op, operand, loc=loc)
    if isinstance(e, c_ast.BinaryOp) and e.op in _FOLDED_OPERATORS:
        left = _c_expr(e.left, names, value_of, loc)
        right = _c_expr(e.right, names, value_of, loc)
        if left is None or right is None:
            return None
        return ir.Binary(e.op, left, right, loc=loc)
    return None
