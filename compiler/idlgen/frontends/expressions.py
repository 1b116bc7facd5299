"""Transformer rules for C-style constant expressions, shared by the Lark front-ends.

The RPC language and OMG IDL write constant expressions with C's operators;
their grammars name the rules alike (``neg``, ``bin_add``...), and each
builder binds them with these factories. A builder provides ``_loc(meta)``.
"""

from __future__ import annotations

from typing import Any, Protocol

from idlgen import ir


class _Locating(Protocol):
    def _loc(self, meta: Any) -> ir.Loc: ...


def unary(op: str) -> Any:
    """The rule of a prefix operator: ``-x``, ``+x``, ``~x``."""

    def rule(self: _Locating, meta: Any, operand: ir.Expr) -> ir.Unary:
        return ir.Unary(op, operand, loc=self._loc(meta))

    return rule


def binary(op: str) -> Any:
    """The rule of an infix operator: ``a op b``."""

    def rule(self: _Locating, meta: Any, left: ir.Expr, right: ir.Expr) -> ir.Binary:
        return ir.Binary(op, left, right, loc=self._loc(meta))

    return rule
