"""Array sizes folded to numbers: cffi reads no ``sizeof`` or enumerator in a cdef.

glibc sizes ``__sigset_t`` (which png.h's jmp_buf brings along) as
``1024 / (8 * sizeof(unsigned long int))``; the machine's sizes of the
arithmetic types and the enumerators known so far make it 16. ``sizeof`` of a
struct or typedef already in the cdef (glibc's ``sockaddr_in.sin_zero``) is
cffi's, which lays types out as C does: for that, :class:`Dimensions` keeps the
C text of the declarations before the one it folds.
"""

from __future__ import annotations

import copy
import ctypes
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pycparser import c_ast, c_generator

from idlgen.frontends.cheader.c_nodes import body_path, walk
from idlgen.frontends.cheader.c_types import primitive_spelling
from idlgen.frontends.cheader.macros import NotConstant, evaluate

#: ``sizeof(T)`` of an arithmetic type, which :func:`_sizeof` turns into a number.
_SIZEOF = re.compile(
    r"sizeof\s*\(\s*((?:unsigned|signed|long|short|int|char|float|double|_Bool|\s)+)\)"
)
_CTYPES: dict[str, type[ctypes._SimpleCData[Any]]] = {
    "char": ctypes.c_char, "short": ctypes.c_short, "int": ctypes.c_int, "long": ctypes.c_long,
    "long long": ctypes.c_longlong, "float": ctypes.c_float, "double": ctypes.c_double,
    "long double": ctypes.c_longdouble, "_Bool": ctypes.c_bool,
}  # fmt: skip

#: ``sizeof(...)`` of anything else: a struct, union or typedef name.
_ANY_SIZEOF = re.compile(r"sizeof\s*\(\s*((?:struct\s+|union\s+|enum\s+)?[A-Za-z_]\w*)\s*\)")


def _sizeof(m: re.Match[str]) -> str:
    """The size of the arithmetic type in ``sizeof(...)`` on this machine."""
    spelled = primitive_spelling(m.group(1).split()).removeprefix("unsigned ")
    kind = _CTYPES.get("int" if spelled == "unsigned" else spelled)
    return str(ctypes.sizeof(kind)) if kind is not None else m.group(0)


class Dimensions:
    """Folds the array sizes of the kept declarations, in source order (see module docstring)."""

    def __init__(self, int_typedefs: Mapping[str, tuple[int, bool]]) -> None:
        self.int_typedefs = int_typedefs
        self.generator = c_generator.CGenerator()
        #: The declarations kept so far, their C text (written only when a
        #: ``sizeof`` in an array size needs cffi's layout of them) and cffi's reading.
        self._kept: list[c_ast.Node] = []
        self._emitted: list[str] = []
        self._texted = 0
        self._text_bodies: dict[int, str] = {}
        self._layout: tuple[int, Any] | None = None

    def declare_opaque(self, tags: Iterable[tuple[str, str]]) -> None:
        """The incomplete types (``struct S;``) that come before every kept declaration."""
        self._emitted.extend(f"{kind} {tag};" for kind, tag in tags)

    def keep(self, ext: c_ast.Node) -> None:
        """``ext`` is in the cdef now: a later ``sizeof`` may name what it declares."""
        self._kept.append(ext)

    def fold(self, ext: c_ast.Node, enumerators: Mapping[str, int]) -> None:
        """The array sizes in ``ext`` as numbers where they are constants (``ext`` is changed).

        ``enumerators`` are those of the declarations before ``ext``.
        """
        for node in walk(ext):
            if isinstance(node, c_ast.ArrayDecl) and node.dim is not None:
                if isinstance(node.dim, c_ast.Constant):
                    continue
                text = _SIZEOF.sub(_sizeof, str(self.generator.visit(node.dim)))
                text = _ANY_SIZEOF.sub(self._sizeof_declared, text)
                try:
                    value = evaluate(text, enumerators, self.int_typedefs)
                except NotConstant:
                    continue
                if isinstance(value, int) and not isinstance(value, bool):
                    node.dim = c_ast.Constant("int", str(value), node.dim.coord)

    def _sizeof_declared(self, m: re.Match[str]) -> str:
        """``sizeof(struct A)``/``sizeof(T)`` of a type the cdef so far declares."""
        from cffi import FFI, CDefError, FFIError  # only for the rare header that needs it

        while self._texted < len(self._kept):  # the declarations before this one
            self._emitted.append(self._text(self._kept[self._texted]))
            self._texted += 1
        if self._layout is None or self._layout[0] != len(self._emitted):
            ffi = FFI()
            try:
                ffi.cdef("\n".join(self._emitted))
            except (CDefError, FFIError):
                return m.group(0)
            self._layout = (len(self._emitted), ffi)
        try:
            return str(self._layout[1].sizeof(m.group(1).strip()))
        except (CDefError, FFIError, TypeError):
            return m.group(0)

    def _text(self, ext: c_ast.Node) -> str:
        """The C text of a kept declaration, for cffi's layout in :meth:`_sizeof_declared`."""
        text = "\n".join(str(self.generator.visit(n)) + ";" for n in self._one_body_each(ext))
        return "\n".join(line.rstrip() for line in text.split("\n"))

    def _one_body_each(self, ext: c_ast.Node) -> list[c_ast.Node]:
        """``ext`` as declarations that each define a struct, union or enum body once.

        ``typedef struct {...} T, *TP;`` is two Typedef nodes sharing one body;
        printed whole twice, cffi would see two different structs, so the second
        names the first (``typedef T *TP;``). ``typedef struct S {...} *SP;``
        becomes ``struct S {...};`` and ``typedef struct S *SP;``, which Cython
        can spell too.
        """
        if not isinstance(ext, c_ast.Typedef):
            return [ext]
        path, body = body_path(ext)
        if body is None:
            return [ext]
        if id(body) in self._text_bodies:
            name = self._text_bodies[id(body)]
            ref: c_ast.Node = (
                type(body)(body.name, None) if body.name else c_ast.IdentifierType([name])
            )
            return [_replaced(ext, path, ref)]
        self._text_bodies[id(body)] = body.name or ext.name
        if path and body.name:  # a pointer or array typedef of a body defined in place
            definition = c_ast.Decl(None, [], [], [], [], body, None, None, coord=ext.coord)
            return [definition, _replaced(ext, path, type(body)(body.name, None))]
        return [ext]


def _replaced(ext: c_ast.Typedef, path: list[c_ast.Node], ref: c_ast.Node) -> c_ast.Typedef:
    """A copy of ``ext`` whose innermost type is ``ref`` instead of the body."""
    new = copy.copy(ext)
    holder: c_ast.Node = new
    for node in path:
        holder.type = copy.copy(node)
        holder = holder.type
    decl = copy.copy(holder.type)
    decl.type = ref
    holder.type = decl
    return new
