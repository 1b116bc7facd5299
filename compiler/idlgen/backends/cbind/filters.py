"""Decisions the C-binding templates need: Python names, literals, type hints."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from idlgen import ir
from idlgen.backends.cbind.cdecl import CPrinter, underlying
from idlgen.backends.cbind.cython_layer import Param
from idlgen.backends.cbind.face import Callback, Face
from idlgen.naming.c import HELPERS, RESERVED, cython_name, param_names, py_name
from idlgen.passes.context import Context
from idlgen.render import LINE_LENGTH, split_call, string_literal

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
        #: What each parameter and result is to Python, on every back-end.
        self.face = Face(ctx)
        #: The module's constant naming each callback type (:meth:`callback_types`).
        self.callback_names: dict[str, str] = {}

    def name(self, c_name: str) -> str:
        """The Python attribute for a C name (the one mangling rule, plus ffi/lib)."""
        return py_name(c_name, RESERVED | HELPERS)

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
        return self.face.is_text(t)

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

    def wrapped(self, op: ir.Operation) -> bool:
        """Whether the cffi layer wraps the function (it converts something).

        Anything but numbers and const buffers in and a number out
        (:meth:`.face.Face.plain`).
        """
        return not self.face.plain(op)

    def reads_text(self, op: ir.Operation) -> bool:
        """Whether a parameter is a ``const char *``, which takes ``str`` too."""
        return any(self.is_text(p.type) for p in op.params)

    def returns_text(self, op: ir.Operation) -> bool:
        """Whether the function returns a ``const char *``, given to Python as ``str``."""
        return self.is_text(op.result)

    def wrapper_note(self, op: ir.Operation) -> str:
        """What a wrapper of the cffi layer converts, for its docstring."""
        kinds = {self.face.param(p.type) for p in op.params}
        result = self.face.result(op.result)
        notes = [
            note
            for present, note in (
                ("text" in kinds, "str in (UTF-8)"),
                (result == "text", "str out"),
                ("pointer" in kinds or "bytes" in kinds, "None and buffers as pointers"),
                (result == "pointer", "None for NULL"),
                ("callback" in kinds, "Python callbacks"),
                (op.varargs, "varargs promoted as in C"),
            )
            if present
        ]
        return ", ".join(notes)

    def callback(self, t: ir.Type) -> Callback | None:
        """How a function-pointer parameter takes a Python function (None: it cannot)."""
        return self.face.callback(t, CPrinter(self.ctx).declarator(t, ""), str)

    def argument(self, name: str, t: ir.Type) -> str:
        """One argument of the cffi wrapper's call, converted by its kind."""
        kind = self.face.param(t)
        if kind == "text":
            return f"_text({name})"
        if kind in ("pointer", "bytes"):
            return f"_pointer({name})"
        if kind == "callback":
            callback = self.callback(t)
            if callback is None:
                return f"_pointer({name})"
            ctype = self.callback_names[callback.ctype]
            return f"_callback({name}, {ctype}, {self.quoted(callback.codes)})"
        return name

    def arguments(self, op: ir.Operation) -> str:
        """The wrapper's call of the raw function, each argument converted."""
        names = self.param_names(op)
        parts = [self.argument(n, p.type) for n, p in zip(names, op.params, strict=True)]
        if op.varargs:
            parts.append("*map(_vararg, args)")
        return ", ".join(parts)

    def callback_types(self, functions: list[ir.Operation]) -> list[str]:
        """``_C0 = "int (*)(void *, int)"``...: the callback types, a constant each.

        A function pointer spelled out is too long for a call's line; named in order.
        """
        for op in functions:
            for p in op.params:
                callback = self.callback(p.type) if self.face.is_callback(p.type) else None
                if callback is not None and callback.ctype not in self.callback_names:
                    self.callback_names[callback.ctype] = f"_C{len(self.callback_names)}"
        return [
            self.assign(ir.Literal(ctype), f"{name}: Final")
            for ctype, name in self.callback_names.items()
        ]

    def body(self, op: ir.Operation, callbacks: bool) -> str:
        """The wrapper's body after its docstring, in black's layout.

        ``return`` the call, its result converted, on one line when it fits;
        else the call alone first (one level of brackets, which
        :func:`~idlgen.render.split_call` lays out as black does).
        """
        done = callbacks and self.face.may_call_back(op)
        convert = {"text": "_string", "pointer": "_handle"}.get(self.face.result(op.result) or "")
        returns = self.result_hint(op.result) != "None"

        def wrap(call: str) -> str:
            call = f"_done({call})" if done else call
            return f"{convert}({call})" if convert else call

        one = wrap(f"lib.{op.name}({self.arguments(op)})")
        if 4 + len("return " + one) <= LINE_LENGTH:
            return f"    return {one}" if returns else f"    {one}"
        call = split_call(4, f"_result = lib.{op.name}(", self.arguments(op), ")")
        return f"    {call}\n    " + (f"return {wrap('_result')}" if returns else wrap("_result"))

    def docstring(self, op: ir.Operation) -> str:
        """The wrapper's docstring: where the function is from and what converts."""
        head = f"``{op.name}`` of {op.loc.file.rsplit('/', 1)[-1]}"
        note = self.wrapper_note(op)
        one = f'    """{head}; {note}."""'
        if len(one) <= LINE_LENGTH:
            return one
        lines = textwrap.wrap(f"Converts {note}.", LINE_LENGTH - 4)
        return f'    """{head}.\n\n' + "".join(f"    {line}\n" for line in lines) + '    """'

    # -- the Cython module's wrappers --------------------------------------------------

    def cargument(self, p: Param) -> str:
        """One argument of a Cython wrapper's call of C."""
        if p.kind == "enum":
            return f"<{p.ctype}>{p.name}"
        if p.kind == "buffer":
            return f"<{p.ctype}>_{p.name}_ptr"
        if p.kind == "pointer":
            return f"<{p.ctype}>_ptr({p.name})"
        if p.kind == "callback":
            return f"<{p.ctype}>_callback({p.name}, {p.signature})"
        return p.name

    def vfixed(self, p: Param) -> str:
        """A fixed argument of a variadic function, as ctypes passes it."""
        if p.kind in ("value", "enum"):
            return f"_ctypes.{p.ctypes}({p.name})"
        if p.kind == "buffer" and p.text:
            return f"_vtext({p.name})"
        if p.kind == "callback":
            return f"_ctypes.c_void_p(<size_t>_callback({p.name}, {p.signature}))"
        return f"_vpointer({p.name})"

    @staticmethod
    def ctypes_list(names: tuple[str, ...]) -> str:
        """A callback's ctypes prototype arguments: the result's type, the parameters'."""
        return ", ".join(n if n == "None" else f"_ctypes.{n}" for n in names)

    def table(self) -> dict[str, Callable[..., Any]]:
        """The filters by the names templates use."""
        return {
            "name": self.name,
            "cython_name": cython_name,
            "literal": self.literal,
            "hint": self.hint,
            "result_hint": self.result_hint,
            "params": self.params,
            "wrapped": self.wrapped,
            "returns_text": self.returns_text,
            "variable_item": lambda a: f"{self.quoted(self.name(a.name))}: {self.quoted(a.name)}",
            "reads_text": self.reads_text,
            "wrapper_note": self.wrapper_note,
            "varargs": lambda op: op.varargs,
            "arguments": self.arguments,
            "body": self.body,
            "docstring": self.docstring,
            "cargument": self.cargument,
            "vfixed": self.vfixed,
            "ctypes_list": self.ctypes_list,
            "repr": self.quoted,
            "assign": self.assign,
            "const_hint": self.const_hint,
            "tuple": tuple,
            "cast": lambda c: ir.annotation(c, ir.c.Cast),
        }
