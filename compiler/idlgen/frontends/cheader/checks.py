"""What pycparser lets through but C does not, reported before a declaration becomes IR."""

from __future__ import annotations

from pycparser import c_ast

from idlgen.diagnostics import Reporter
from idlgen.frontends.cheader.c_nodes import loc, walk

_BASE_TYPES = frozenset({"void", "char", "int", "float", "double", "_Bool", "__int128"})
_MODIFIERS = frozenset({"signed", "unsigned", "short", "long"})


def check_declaration(ext: c_ast.Node, report: Reporter) -> None:
    """Parameters without a type (K&R style) and type words that do not combine, as errors."""
    for node in walk(ext):
        params = node.args.params if isinstance(node, c_ast.FuncDecl) and node.args else []
        for bare in [p for p in params if isinstance(p, c_ast.ID)]:  # K&R-style names
            report.error(
                loc(bare),
                f"parameter '{bare.name}' has no type: a declaration needs a prototype",
                "syntax",
            )
        if isinstance(node, c_ast.IdentifierType) and not valid_specifiers(node.names):
            spelled = " ".join(node.names)
            report.error(
                loc(node), f"'{spelled}' is not a C type: these words do not combine", "syntax"
            )


def valid_specifiers(names: list[str]) -> bool:
    """Whether C's type specifier words combine (``unsigned long int``, not ``int int``).

    pycparser takes any run of them and gcc -E does not look; a wrong one
    would reach the cdef, which cffi refuses only when the module is imported.
    """
    if len(names) == 1:
        return True
    if any(n not in _BASE_TYPES | _MODIFIERS | {"_Complex"} for n in names):
        return False  # a typedef name with other words
    bases = [n for n in names if n in _BASE_TYPES]
    signs = [n for n in names if n in ("signed", "unsigned")]
    longs, shorts = names.count("long"), names.count("short")
    base = bases[0] if bases else "int"
    return (
        len(bases) <= 1
        and len(signs) <= 1
        and base != "void"
        and not (signs and base not in ("int", "char", "__int128"))
        and not (shorts and (longs or shorts > 1 or base != "int"))
        and longs <= (2 if base == "int" else 1 if base == "double" else 0)
        and ("_Complex" not in names or base in ("float", "double"))
    )
