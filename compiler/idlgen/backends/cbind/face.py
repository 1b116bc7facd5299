"""What a C type is to Python: the one face every C back-end gives a function.

The cffi and Cython layers must take and give the same Python values
(docs/c-headers.md, "The same on every back-end"), so both ask here what a
parameter or result is, and only the spelling of the conversion differs:

======== ===================================================== ======================
kind     C                                                     Python
======== ===================================================== ======================
value    numbers, enums, ``_Bool``                             int, float, bool
text     ``const char *`` (also through typedefs: XML_Char)    str or bytes in; str out
bytes    ``const`` byte or ``void`` pointers                   bytes-like in
pointer  any other pointer (handles, out-parameters, buffers)  a pointer object; None
callback a pointer to a function                               a Python function
======== ===================================================== ======================

A function whose parameters are all ``value``/``bytes`` and whose result is a
value is *plain*: cffi's own object is the binding, no Python in between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from idlgen import ir
from idlgen.backends.cbind.cdecl import underlying
from idlgen.passes.context import Context

_BYTE_KINDS = frozenset({ir.Prim.CHAR, ir.Prim.INT8, ir.Prim.UINT8, ir.Prim.VOID})
#: ctypes' name of each primitive (the Cython layer calls callbacks and
#: variadic functions through ctypes: libffi knows the calling convention).
CTYPES: dict[ir.Prim, str] = {
    ir.Prim.BOOL: "c_bool", ir.Prim.CHAR: "c_byte", ir.Prim.INT8: "c_byte",
    ir.Prim.UINT8: "c_ubyte", ir.Prim.INT16: "c_short", ir.Prim.UINT16: "c_ushort",
    ir.Prim.INT32: "c_int", ir.Prim.UINT32: "c_uint", ir.Prim.LONG: "c_long",
    ir.Prim.ULONG: "c_ulong", ir.Prim.INT64: "c_longlong", ir.Prim.UINT64: "c_ulonglong",
    ir.Prim.FLOAT32: "c_float", ir.Prim.FLOAT64: "c_double",
}  # fmt: skip
#: The standard integer typedefs C compilers know without a declaration.
STANDARD_CTYPES: dict[str, str] = {
    "size_t": "c_size_t", "ssize_t": "c_ssize_t", "int8_t": "c_int8", "uint8_t": "c_uint8",
    "int16_t": "c_int16", "uint16_t": "c_uint16", "int32_t": "c_int32", "uint32_t": "c_uint32",
    "int64_t": "c_int64", "uint64_t": "c_uint64", "intptr_t": "c_ssize_t",
    "uintptr_t": "c_size_t", "ptrdiff_t": "c_ssize_t", "off_t": "c_long", "time_t": "c_long",
    "wchar_t": "c_int", "intmax_t": "c_int64", "uintmax_t": "c_uint64",
}  # fmt: skip


@dataclass(frozen=True)
class Callback:
    """A C function-pointer type as the layers convert it.

    ``codes`` is one letter for the result, then one per parameter: ``v`` void,
    ``n`` a number, ``p`` a pointer (text too: :meth:`Face.callback`).
    """

    ctype: str  # cffi's spelling of the pointer type (a typedef name when it has one)
    codes: str
    ctypes: tuple[str, ...]  # ctypes names: the result's, then the parameters'
    pointers: tuple[str, ...]  # the C type of each ``p`` parameter ("" elsewhere)


class Face:
    """The kinds of parameters and results, from the IR (typedefs followed)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def resolve(self, t: ir.Type) -> ir.Type:
        """``t`` without qualifiers or typedefs."""
        return underlying(self.ctx, t)

    def is_text(self, t: ir.Type) -> bool:
        """``const char *`` (through typedefs: png_const_charp, ``const XML_Char *``)."""
        t = self.resolve(t)
        if not isinstance(t, ir.Pointer) or not self._const(t.elem):
            return False
        elem = self.resolve(t.elem)
        return isinstance(elem, ir.Primitive) and elem.kind is ir.Prim.CHAR

    def _const(self, t: ir.Type) -> bool:
        """Whether ``t`` is const, written there or in a typedef it names."""
        while True:
            if isinstance(t, ir.Qualified):
                if "const" in t.quals:
                    return True
                t = t.elem
                continue
            resolved = self.ctx.resolve(t)
            if resolved is t or resolved == t:
                return False
            t = resolved

    def is_value(self, t: ir.Type) -> bool:
        """A number, an enum or ``_Bool``: what Python's int and float carry."""
        return self.ctypes_name(t) is not None and not isinstance(
            self.resolve(t), (ir.Pointer, ir.Array)
        )

    def is_callback(self, t: ir.Type) -> bool:
        """A pointer to a function."""
        t = self.resolve(t)
        return isinstance(t, ir.Pointer) and isinstance(self.resolve(t.elem), ir.Function)

    def param(self, t: ir.Type) -> str | None:
        """``value``, ``text``, ``bytes``, ``pointer``, ``callback``; None: not from Python."""
        if self.is_value(t):
            return "value"
        if self.is_text(t):
            return "text"
        base = self.resolve(t)
        if isinstance(base, ir.Array):  # a parameter's array is a pointer
            return "pointer"
        if not isinstance(base, ir.Pointer):
            return None  # a struct or union by value
        if self.is_callback(t):
            return "callback"
        elem = self.resolve(base.elem)
        if self._const(base.elem) and isinstance(elem, ir.Primitive) and elem.kind in _BYTE_KINDS:
            return "bytes"
        return "pointer"

    def result(self, t: ir.Type) -> str | None:
        """``void``, ``value``, ``text``, ``pointer``; None: a struct or union by value."""
        base = self.resolve(t)
        if isinstance(base, ir.Primitive) and base.kind is ir.Prim.VOID:
            return "void"
        if self.is_value(t):
            return "value"
        if self.is_text(t):
            return "text"
        return "pointer" if isinstance(base, ir.Pointer) else None

    def plain(self, op: ir.Operation) -> bool:
        """Numbers and const buffers in, a number out: cffi's own object serves.

        A struct or union by value (kind None) passes as cffi's cdata, unconverted.
        """
        return (
            not op.varargs
            and all(self.param(p.type) in ("value", "bytes", None) for p in op.params)
            and self.result(op.result) in ("void", "value", None)
        )

    def may_call_back(self, op: ir.Operation) -> bool:
        """Whether C may run a Python callback during the call.

        It takes a callback, or a pointer through which one may have been
        registered (expat's parser).
        """
        return any(self.param(p.type) in ("pointer", "callback") for p in op.params)

    def ctypes_name(self, t: ir.Type) -> str | None:
        """Ctypes' name for a value type, ``c_void_p`` for a pointer; None for records."""
        base = self.resolve(t)
        if isinstance(base, ir.Primitive):
            return CTYPES.get(base.kind)
        if isinstance(base, (ir.Pointer, ir.Array)):
            return "c_void_p"
        if isinstance(base, ir.Named):
            if str(base.name) in STANDARD_CTYPES:
                return STANDARD_CTYPES[str(base.name)]
            if isinstance(self.ctx.symbols.lookup(base), ir.Enum_):
                return "c_int"
        return None

    def code(self, t: ir.Type) -> str | None:
        """The letter of a callback's parameter or result (:class:`Callback`)."""
        kind = self.result(t)
        return {"void": "v", "value": "n", "text": "s", "pointer": "p"}.get(kind or "")

    def named_callbacks(self, decls: Iterable[ir.Decl]) -> list[ir.Typedef]:
        """The function-pointer typedefs a Python function can be made into.

        ``callback(name, function)`` takes them: for a C function passed where
        the binding cannot see its type (a variadic argument, curl's
        ``CURLOPT_WRITEFUNCTION``).
        """
        return [
            d
            for d in decls
            if isinstance(d, ir.Typedef)
            and self.is_callback(d.type)
            and self.callback(d.type, d.name, str) is not None
        ]

    def callback(self, t: ir.Type, ctype: str, spell: Callable[[ir.Type], str]) -> Callback | None:
        """The conversion of a function-pointer parameter.

        None when Python cannot take part (a struct by value, a variadic callback).
        """
        pointer = self.resolve(t)
        assert isinstance(pointer, ir.Pointer)
        fn = self.resolve(pointer.elem)
        assert isinstance(fn, ir.Function)
        # text comes in as a pointer: C may pass it without a NUL (expat's character
        # data has a length), so the callback reads it with string(p) or string(p, n)
        codes = [self.code(fn.result)] + [
            "p" if self.code(p.type) == "s" else self.code(p.type) for p in fn.params
        ]
        names = [self.ctypes_name(fn.result)] + [self.ctypes_name(p.type) for p in fn.params]
        if fn.varargs or codes[0] == "s" or None in codes or None in names[1:]:
            return None
        return Callback(
            ctype,
            "".join(c or "" for c in codes),
            tuple(n or "None" for n in names),
            tuple(
                spell(p.type) if c == "p" else "" for p, c in zip(fn.params, codes[1:], strict=True)
            ),
        )
