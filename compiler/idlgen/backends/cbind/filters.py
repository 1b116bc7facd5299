"""Decisions the C-binding templates need: Python names, literals, type hints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from idlgen import ir
from idlgen.backends.cbind.cdecl import underlying
from idlgen.naming.c import RESERVED, cython_name, param_names, py_name
from idlgen.passes.context import Context
from idlgen.render import LINE_LENGTH, string_literal

_INT_KINDS = {
    ir.Prim.BOOL, ir.Prim.CHAR, ir.Prim.INT8, ir.Prim.UINT8, ir.Prim.INT16, ir.Prim.UINT16,
    ir.Prim.INT32, ir.Prim.UINT32, ir.Prim.LONG, ir.Prim.ULONG, ir.Prim.INT64, ir.Prim.UINT64,
}  # fmt: skip
#: The integer typedefs of the C standard and POSIX, which cffi knows without a
#: declaration (so the front-end brings none along).
_STANDARD_INTS = frozenset(
    "size_t ssize_t ptrdiff_t intptr_t uintptr_t intmax_t uintmax_t wchar_t off_t time_t "
    "int8_t uint8_t int16_t uint16_t int32_t uint32_t int64_t uint64_t".split()
)


def _is_byte(t: ir.Type) -> bool:
    return isinstance(t, ir.Primitive) and t.kind in (ir.Prim.CHAR, ir.Prim.UINT8, ir.Prim.INT8)


def _unqualified(t: ir.Type) -> ir.Type:
    return t.elem if isinstance(t, ir.Qualified) else t


class CFilters:
    """Filters of the cffi templates."""

    def __init__(self, ctx: Context, *, cython: bool = False) -> None:
        #: The symbol table, which follows typedef chains (``uLongf`` -> ``uLong``
        #: -> ``unsigned long``) and knows what a tag declares.
        self.ctx = ctx
        #: Hints for the Cython wrappers.
        self.cython = cython

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
        """A loose type hint for a C parameter, for editors (.pyi)."""
        if self.is_text(t):
            return "str | bytes | None"
        if isinstance(t, ir.Pointer):
            # cffi takes bytes for a byte pointer; through one C may write only
            # into memory of the caller's (ffi.new, ffi.from_buffer): cdata.
            const = isinstance(t.elem, ir.Qualified) and "const" in t.elem.quals
            return (
                "bytes | Any" if const and _is_byte(self.resolve(_unqualified(t.elem))) else "Any"
            )
        return self._value_hint(t)

    def result_hint(self, t: ir.Type) -> str:
        """A result's hint: ``const char *`` is text on every back-end; other pointers, cdata."""
        if self.is_text(t):
            return "str | None"
        if isinstance(t, ir.Pointer):
            return "Any"
        return self._value_hint(t)

    def is_text(self, t: ir.Type) -> bool:
        """Whether C reads a string there, so ``str`` can go in (as UTF-8).

        ``const char *``, or through a typedef of char (expat's ``XML_Char``).
        Only the const form: through a plain ``char *`` C may write, and cffi would
        hand it a temporary copy of the bytes that the caller never sees.
        """
        t = self.resolve(t)  # png's png_const_charp is a typedef of const char *
        if not isinstance(t, ir.Pointer) or not (
            isinstance(t.elem, ir.Qualified) and "const" in t.elem.quals
        ):
            return False
        elem = self.resolve(_unqualified(t.elem))
        return isinstance(elem, ir.Primitive) and elem.kind is ir.Prim.CHAR

    def resolve(self, t: ir.Type) -> ir.Type:
        """``t`` without qualifiers or typedefs (:func:`~.cdecl.underlying`)."""
        return underlying(self.ctx, t)

    def _value_hint(self, t: ir.Type) -> str:
        t = self.resolve(t)
        if isinstance(t, ir.Primitive):
            if t.kind is ir.Prim.VOID:
                return "None"
            if t.kind is ir.Prim.BOOL:
                return "bool"
            if t.kind in _INT_KINDS:
                return "int"
            if t.kind in (ir.Prim.FLOAT32, ir.Prim.FLOAT64, ir.Prim.LONGDOUBLE):
                return "float"
        if isinstance(t, ir.Named) and (
            str(t.name) in _STANDARD_INTS or isinstance(self.ctx.symbols.lookup(t), ir.Enum_)
        ):
            return "int"
        return "Any"

    def const_hint(self, c: ir.Const) -> str:
        """A constant's stub annotation: ``Final[int]``/``[float]``/``[str]``; casts are cdata."""
        if ir.annotation(c, ir.c.Cast) is not None or not isinstance(c.value, ir.Literal):
            return "Any"
        return f"Final[{type(c.value.value).__name__}]"

    def param_names(self, op: ir.Operation) -> list[str]:
        """Python names of a function's parameters (``naming.param_names``)."""
        return param_names([p.name for p in op.params], RESERVED)

    def params(self, op: ir.Operation) -> str:
        """A parameter list with hints (the wrappers' and the stubs')."""
        names = self.param_names(op)
        parts = [f"{n}: {self.hint(p.type)}" for n, p in zip(names, op.params, strict=True)]
        if op.varargs:
            parts.append("*args: Any")
        return ", ".join(parts)

    def takes_text(self, op: ir.Operation) -> bool:
        """Whether the cffi layer wraps the function: it takes or returns text, or is variadic.

        ``str`` goes in as UTF-8 where C reads a ``const char *``; a ``const char *``
        result comes back as ``str`` (None for NULL). A non-const ``char *`` result
        stays a pointer: the caller may have to free it. A variadic function's extra
        arguments go through ``_vararg`` (cffi takes only cdata there).
        """
        return self.returns_text(op) or self.reads_text(op) or op.varargs

    def reads_text(self, op: ir.Operation) -> bool:
        """Whether a parameter is a ``const char *``, which takes ``str`` too."""
        return any(self.is_text(p.type) for p in op.params)

    def returns_text(self, op: ir.Operation) -> bool:
        """Whether the function returns a ``const char *``, given to Python as ``str``."""
        return self.is_text(op.result)

    def wrapper_note(self, op: ir.Operation) -> str:
        """What a wrapper of the cffi layer converts, for its docstring."""
        if self.reads_text(op):
            note = (
                "``str`` in and out (UTF-8)"
                if self.returns_text(op)
                else "``str`` goes in as UTF-8"
            )
        else:
            note = "returns ``str``" if self.returns_text(op) else ""
        if op.varargs:
            note = (
                f"{note.replace(' goes in', ' in')}; varargs promoted"
                if note
                else ("varargs promoted as in C")
            )
        return note

    def arguments(self, op: ir.Operation) -> str:
        """The wrapper's call of the raw function: ``const char *`` arguments through ``_text``."""
        names = self.param_names(op)
        parts = [
            f"_text({n})" if self.is_text(p.type) else n
            for n, p in zip(names, op.params, strict=True)
        ]
        if op.varargs:
            parts.append("*map(_vararg, args)")
        return ", ".join(parts)

    def table(self) -> dict[str, Callable[..., Any]]:
        """The filters by the names templates use."""
        return {
            "name": self.name,
            "cython_name": cython_name,
            "literal": self.literal,
            "hint": self.hint,
            "result_hint": self.result_hint,
            "params": self.params,
            "takes_text": self.takes_text,
            "returns_text": self.returns_text,
            "variable_item": lambda a: f"{self.quoted(self.name(a.name))}: {self.quoted(a.name)}",
            "reads_text": self.reads_text,
            "wrapper_note": self.wrapper_note,
            "varargs": lambda op: op.varargs,
            "arguments": self.arguments,
            "repr": self.quoted,
            "assign": self.assign,
            "const_hint": self.const_hint,
            "tuple": tuple,
            "cast": lambda c: ir.annotation(c, ir.c.Cast),
        }
