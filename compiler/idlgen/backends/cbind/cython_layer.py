"""The Cython module's Python layer: a ``def`` wrapper for every function cffi binds.

What each parameter and result is comes from :class:`~.face.Face`, as for the
cffi layer; here it becomes Cython: numbers typed in the ``def``, buffers
through the buffer protocol, pointers as ``_Pointer`` objects, callbacks as
ctypes closures (libffi makes a C function of a Python one, as cffi does), and
variadic functions called through ctypes, which passes each extra argument as
C's default promotions would. Pointer casts, the C types ``new``/``cast`` know
and the callback signatures are tables of the module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from idlgen import ir
from idlgen.backends.cbind.cdecl import CPrinter, is_anonymous
from idlgen.backends.cbind.cython import CythonPrinter
from idlgen.backends.cbind.face import STANDARD_CTYPES, Callback, Face
from idlgen.naming.c import CYTHON_WORDS, cython_name, param_names


@dataclass
class Param:
    """One parameter: its Python name, its kind and how it reaches C."""

    name: str
    kind: str  # value | enum | buffer | pointer | callback
    ctype: str  # Cython's type: a typed def argument (value), the cast (others)
    ctypes: str = ""  # ctypes' name (variadic functions)
    signature: int = -1  # callback: index in the module's signatures
    text: bool = False  # a const char * buffer, which takes str too (not unsigned char)


@dataclass
class Wrapper:
    """A ``def`` wrapper of one C function."""

    name: str
    params: list[Param]
    result: str  # void | value | text | pointer
    result_ctype: str = ""  # a pointer's C type, which its object prints
    result_ctypes: str = "None"  # ctypes' name of the result (variadic functions)
    varargs: bool = False
    plain: bool = False  # no conversion beyond Cython's own: the fast path


@dataclass
class Layer:
    """Everything the ``.pyx`` template places."""

    wrappers: list[Wrapper] = field(default_factory=list)
    signatures: list[Callback] = field(default_factory=list)
    #: function-pointer typedefs ``callback(name, f)`` takes: (name, signature index)
    named: list[tuple[str, int]] = field(default_factory=list)
    #: C type name -> ctypes name, for reading and writing through pointers
    scalars: list[tuple[str, str]] = field(default_factory=list)
    #: typedefs of data pointers, as cffi spells what they stand for: ``new``, ``cast``
    #: and indexing take them (``new("png_structp")``); (name, ``png_struct *``)
    pointers: list[tuple[str, str]] = field(default_factory=list)
    #: structs and unions ``new`` can allocate: (C name, Cython name)
    records: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[ir.Operation] = field(default_factory=list)


_PRIMITIVES = [
    ("char", "c_char"), ("signed char", "c_byte"), ("unsigned char", "c_ubyte"),
    ("short", "c_short"), ("unsigned short", "c_ushort"), ("int", "c_int"),
    ("unsigned int", "c_uint"), ("long", "c_long"), ("unsigned long", "c_ulong"),
    ("long long", "c_longlong"), ("unsigned long long", "c_ulonglong"), ("float", "c_float"),
    ("double", "c_double"), ("_Bool", "c_bool"), ("void *", "c_void_p"),
]  # fmt: skip


class CythonLayer:
    """Plans the wrappers and tables of one header's ``.pyx``."""

    def __init__(self, printer: CythonPrinter) -> None:
        self.ctx = printer.ctx
        self.face = Face(printer.ctx)
        #: Casts in the wrappers: declared names behind the cimported module (``_c.``).
        self.typed = CythonPrinter(printer.ctx, qualified=True, renamed=printer.renamed)
        #: C's spelling of a pointer's type, which its object prints (as cffi's does).
        self.c = CPrinter(printer.ctx)

    def plan(self, functions: Iterable[ir.Operation], decls: Iterable[ir.Decl]) -> Layer:
        """The wrappers of ``functions`` and the tables of ``decls``."""
        layer = Layer()
        signatures: dict[Callback, int] = {}
        for op in functions:
            wrapper = self.wrapper(op, signatures)
            if wrapper is None:
                layer.skipped.append(op)
            else:
                layer.wrappers.append(wrapper)
        decls = list(decls)
        for named in self.face.named_callbacks(decls):
            callback = self.face.callback(named.type, self.c.declarator(named.type, ""), self.spell)
            if callback is not None:  # the same C function type as a parameter's: its entry
                shape = (callback.codes, callback.ctypes, callback.pointers)
                same = [
                    i for c, i in signatures.items() if (c.codes, c.ctypes, c.pointers) == shape
                ]
                index = same[0] if same else signatures.setdefault(callback, len(signatures))
                layer.named.append((named.name, index))
        layer.signatures = list(signatures)
        layer.scalars = list(_PRIMITIVES) + [
            (name, ctypes) for name, ctypes in STANDARD_CTYPES.items()
        ]
        for d in decls:
            if isinstance(d, ir.Typedef) and (name := self.face.ctypes_name(d.type)) is not None:
                pointer = self.face.resolve(d.type)
                if not isinstance(pointer, (ir.Pointer, ir.Array)):
                    layer.scalars.append((d.name, name))
                elif isinstance(pointer, ir.Pointer) and not self.face.is_callback(d.type):
                    layer.pointers.append((d.name, self.spell(pointer)))
            if (
                isinstance(d, (ir.Struct, ir.Union_))
                and not is_anonymous(d)
                and ir.annotation(d, ir.Hoisted) is None
            ):
                layer.records.append((f"{'union' if isinstance(d, ir.Union_) else 'struct'} "
                                      f"{d.name}", self.typed.tag_name(d.name)))  # fmt: skip
            base = self.face.resolve(d.type) if isinstance(d, ir.Typedef) else None
            if isinstance(d, ir.Typedef) and isinstance(base, ir.Named):  # chains followed
                target = self.ctx.symbols.lookup(base)
                if isinstance(target, (ir.Struct, ir.Union_)):
                    layer.records.append((d.name, cython_name(d.name)))
        return layer

    def spell(self, t: ir.Type) -> str:
        """A pointer type as cffi prints it: ``sqlite3 *``, ``char * *``."""
        return " *".join(self.c.declarator(t, "").split("*")).replace("  ", " ").strip()

    def wrapper(self, op: ir.Operation, signatures: dict[Callback, int]) -> Wrapper | None:
        """The wrapper of one function, or None when a Python value cannot go there."""
        result = self.face.result(op.result)
        if result is None:
            return None
        params = []
        names = param_names([p.name for p in op.params], CYTHON_WORDS)
        for name, p in zip(names, op.params, strict=True):
            param = self.param(name, p.type, signatures)
            if param is None:
                return None
            params.append(param)
        return Wrapper(
            op.name,
            params,
            result,
            self.spell(op.result) if result == "pointer" else "",
            self.face.ctypes_name(op.result) or "None",
            op.varargs,
            self.face.plain(op),
        )

    def param(self, name: str, t: ir.Type, signatures: dict[Callback, int]) -> Param | None:
        """How one parameter reaches C.

        None: a struct by value, or a callback that Python cannot be (variadic,
        or taking a struct by value).
        """
        kind = self.face.param(t)
        ctypes = self.face.ctypes_name(t) or ""
        base = self.face.resolve(t)
        if kind == "value":
            if isinstance(base, ir.Named) and isinstance(self.ctx.symbols.lookup(base), ir.Enum_):
                return Param(name, "enum", self.typed.declarator(t, ""), ctypes)
            if isinstance(base, ir.Primitive):
                return Param(name, "value", self.typed.spell(base), ctypes)
            # off_t, int8_t...: Cython knows them only cimported; C converts the widest
            unsigned = ctypes.startswith("c_u") or ctypes == "c_size_t"
            return Param(name, "value", f"{'unsigned ' if unsigned else ''}long long", ctypes)
        if isinstance(base, ir.Array):  # an array parameter is a pointer to its element
            t = ir.Pointer(base.elem)
        if kind in ("text", "bytes"):
            return Param(name, "buffer", self.typed.declarator(t, ""), ctypes, text=kind == "text")
        if kind == "pointer":
            return Param(name, "pointer", self.typed.declarator(t, ""), ctypes)
        if kind == "callback":
            callback = self.face.callback(t, self.c.declarator(t, ""), self.spell)
            if callback is None:
                return None
            index = signatures.setdefault(callback, len(signatures))
            return Param(name, "callback", self.typed.declarator(t, ""), ctypes, index)
        return None

    def variables(self, variables: Iterable[ir.Attribute]) -> list[tuple[str, str, str]]:
        """``(name, kind, C type)`` of the globals the Python layer can read.

        kind is ``value``, ``text`` or ``pointer`` (an object that compares and
        prints its C type). Others (structs, arrays) are for Cython code only.
        """
        found = []
        for a in variables:
            kind = self.face.result(a.type)
            if kind in ("value", "text", "pointer"):
                found.append((a.name, str(kind), self.spell(a.type)))
        return found
