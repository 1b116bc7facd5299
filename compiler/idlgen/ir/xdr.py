"""XDR / RPC language annotations: what only Sun RPC knows about a declaration."""

from __future__ import annotations

from dataclasses import dataclass

from idlgen.ir.core import Expr, Node


@dataclass(frozen=True, slots=True)
class RpcNumber(Node):
    """The number of a ``program``, ``version`` or procedure.

    It annotates the Module, Interface or Operation that stands for it.
    """

    value: Expr
