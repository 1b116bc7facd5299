"""Decisions the C-binding templates need: Python names, literals, type hints."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from idlgen import ir
from idlgen.naming import py_name
from idlgen.render import LINE_LENGTH, string_literal

_INT_KINDS = {
    ir.Prim.BOOL, ir.Prim.CHAR, ir.Prim.INT8, ir.Prim.UINT8, ir.Prim.INT16, ir.Prim.UINT16,
    ir.Prim.INT32, ir.Prim.UINT32, ir.Prim.INT64, ir.Prim.UINT64,
}  # fmt: skip
#: Names the generated module defines for itself.
RESERVED = frozenset({"ffi", "lib", "IntEnum", "Final", "Any"})


class CFilters:
    """Filters of the cffi templates."""

    def __init__(self, enums: Iterable[str] = ()) -> None:
        #: The module's enum types (tag or typedef names): hinted as ``int``.
        self.enums = frozenset(enums)

    def name(self, c_name: str) -> str:
        """The Python attribute for a C name (the one mangling rule, plus ffi/lib)."""
        return py_name(c_name, RESERVED)

    def literal(self, e: ir.Expr | None) -> str:
        """A folded constant as a Python literal (strings double-quoted, escaped)."""
        value = e.value if isinstance(e, ir.Literal) else 0
        if isinstance(value, str):
            return string_literal(value)
        return repr(value)

    def quoted(self, value: object) -> str:
        """A str, list or tuple of strs as Python source with black's double quotes."""
        if isinstance(value, str):
            return self.literal(ir.Literal(value))
        if isinstance(value, (list, tuple)):
            items = ", ".join(self.quoted(v) for v in value)
            return (
                f"[{items}]"
                if isinstance(value, list)
                else f"({items}{',' if len(value) == 1 else ''})"
            )
        return repr(value)

    def assign(self, e: ir.Expr | None, target: str) -> str:
        """``target = value`` for a constant, within black's line length as black leaves it.

        A string too long for one line becomes an implicit concatenation in
        parentheses, split after spaces where it can be; anything else too long
        goes alone in parentheses, as black puts it.
        """
        value = e.value if isinstance(e, ir.Literal) else 0
        line = f"{target} = {self.literal(e)}"
        if len(line) <= LINE_LENGTH:
            return line
        if not isinstance(value, str):
            return f"{target} = (\n    {self.literal(e)}\n)"
        pieces: list[str] = []
        rest = value
        while rest:
            cut = len(rest)
            while cut > 1 and len(string_literal(rest[:cut])) > LINE_LENGTH - 4:
                cut -= 1
            space = rest.rfind(" ", 0, cut)
            if cut < len(rest) and space > 0:
                cut = space + 1
            pieces.append(string_literal(rest[:cut]))
            rest = rest[cut:]
        body = "".join(f"    {piece}\n" for piece in pieces)
        return f"{target} = (\n{body})"

    def hint(self, t: ir.Type) -> str:
        """A loose type hint for a C parameter or result, for editors (.pyi)."""
        if isinstance(t, ir.Primitive):
            if t.kind is ir.Prim.VOID:
                return "None"
            if t.kind is ir.Prim.BOOL:
                return "bool"
            if t.kind in _INT_KINDS:
                return "int"
            if t.kind in (ir.Prim.FLOAT32, ir.Prim.FLOAT64, ir.Prim.LONGDOUBLE):
                return "float"
        if isinstance(t, ir.Pointer):
            inner = t.elem
            if isinstance(inner, ir.Primitive) and inner.kind in (
                ir.Prim.CHAR,
                ir.Prim.UINT8,
                ir.Prim.INT8,
            ):
                return "bytes | Any"
        if isinstance(t, ir.Named) and (
            t.name in _INT_TYPEDEFS or t.name.removeprefix("enum ") in self.enums
        ):
            return "int"
        return "Any"

    def const_hint(self, c: ir.Const) -> str:
        """A constant's stub annotation: ``Final[int]``/``[float]``/``[str]``; casts are cdata."""
        if ir.annotation(c, ir.CCast) is not None or not isinstance(c.value, ir.Literal):
            return "Any"
        return f"Final[{type(c.value.value).__name__}]"

    def params(self, op: ir.Operation) -> str:
        """A stub's parameter list."""
        names = [self.name(p.name) if p.name else f"arg{i}" for i, p in enumerate(op.params)]
        parts = [f"{n}: {self.hint(p.type)}" for n, p in zip(names, op.params, strict=True)]
        if ir.annotation(op, ir.CVarargs) is not None:
            parts.append("*args: Any")
        return ", ".join(parts)

    def table(self) -> dict[str, Callable[..., Any]]:
        """The filters by the names templates use."""
        return {
            "name": self.name,
            "literal": self.literal,
            "hint": self.hint,
            "params": self.params,
            "repr": self.quoted,
            "assign": self.assign,
            "const_hint": self.const_hint,
            "tuple": tuple,
            "cast": lambda c: ir.annotation(c, ir.CCast),
        }


_INT_TYPEDEFS = frozenset(
    {
        "size_t", "ssize_t", "off_t", "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t",
        "uint32_t", "int64_t", "uint64_t", "uLong", "uInt", "uLongf", "z_size_t", "sqlite3_int64",
        "sqlite_int64", "sqlite3_uint64", "sqlite_uint64", "lzma_ret", "lzma_bool",
    }
)  # fmt: skip
