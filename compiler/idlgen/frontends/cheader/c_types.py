"""C's arithmetic types: their IR kinds, one spelling of each, the integer typedefs.

pycparser gives a type as its specifier words in source order
(``long unsigned int``); :func:`primitive_spelling` puts them in the one
spelling :data:`PRIMS` knows. :func:`int_typedefs` finds the typedefs that name
integer types, which casts in macros and array sizes may use.
"""

from __future__ import annotations

from collections.abc import Mapping

from pycparser import c_ast

from idlgen import ir
from idlgen.frontends.cheader.macros import INT_TYPES, int_spelling
from idlgen.symbols import Declared, SymbolTable

#: C's arithmetic types (and void) as IR primitives, by their one spelling.
PRIMS = {
    "void": ir.Prim.VOID, "_Bool": ir.Prim.BOOL, "char": ir.Prim.CHAR, "signed char": ir.Prim.INT8,
    "unsigned char": ir.Prim.UINT8, "short": ir.Prim.INT16, "unsigned short": ir.Prim.UINT16,
    "int": ir.Prim.INT32, "unsigned int": ir.Prim.UINT32,
    "long": ir.Prim.LONG, "unsigned long": ir.Prim.ULONG, "long long": ir.Prim.INT64,
    "unsigned long long": ir.Prim.UINT64, "float": ir.Prim.FLOAT32, "double": ir.Prim.FLOAT64,
    "long double": ir.Prim.LONGDOUBLE,
}  # fmt: skip


#: One C spelling of each primitive kind (the first of ``PRIMS``).
SPELLED = {kind: spelled for spelled, kind in reversed(PRIMS.items())}


def primitive_spelling(names: list[str]) -> str:
    """A C arithmetic type in the one spelling ``PRIMS`` knows.

    C lets the words come in any order and leave ``int`` out: ``long unsigned
    int`` and ``unsigned long`` are one type.
    """
    words = [w for w in names if w not in ("signed", "unsigned", "int")]
    if words == ["char"] and "signed" in names:
        return "signed char"
    base = " ".join(words) or "int"
    return f"unsigned {base}" if "unsigned" in names else base


def int_typedefs(typedefs: Mapping[str, c_ast.Node]) -> dict[str, tuple[int, bool]]:
    """The typedefs of integer types (``size_t``, ``uLong``, an enum's).

    Casts in macros may use them, and they are integers, not pointers.
    Every typedef of the translation unit counts (a cast may name one no
    bound declaration uses), so they go into a symbol table of their own,
    which follows the chains as it does for the IR.
    """
    table = SymbolTable()
    for name, node in typedefs.items():
        inner = node.type.type if isinstance(node.type, c_ast.TypeDecl) else None
        target: ir.Type
        if isinstance(inner, c_ast.Enum):
            target = ir.Primitive(ir.Prim.INT32)
        elif isinstance(inner, c_ast.IdentifierType):
            spelled = primitive_spelling(inner.names)
            target = (
                ir.Primitive(PRIMS[spelled])
                if spelled in PRIMS
                else ir.Named(ir.ScopedName((int_spelling(inner.names),)))
            )
        else:
            continue
        table.declare(Declared(ir.Typedef(name, target), ir.name(name), ()))
    found: dict[str, tuple[int, bool]] = {}
    for name in typedefs:
        t = table.resolve(ir.Named(ir.name(name)))
        spelled = (
            SPELLED.get(t.kind, "")
            if isinstance(t, ir.Primitive)
            else str(t.name) if isinstance(t, ir.Named) else ""
        )
        if spelled in INT_TYPES:
            found[name] = INT_TYPES[spelled]
    return found
