"""What a header binds, and the declarations those need from wherever they are.

Only declarations whose file is one of the named headers are bound, narrowed
by ``--symbols``/``--exclude`` (:class:`Request`); the types they use come
along (:func:`dependencies`), each struct, union or enum with its body only
where it is used by value: one only pointed to stays opaque, as it is to a C
caller.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from pycparser import c_ast, c_generator

from idlgen.diagnostics import Reporter
from idlgen.frontends.cheader.c_nodes import defined_tags, loc
from idlgen.frontends.cheader.c_types import int_typedefs

#: Parameter types that cffi cannot pass from Python (a va_list is a compiler builtin).
_UNPASSABLE = re.compile(r"\b(?:__gnuc_va_list|va_list|__builtin_va_list)\b")
#: Types cffi cannot declare at all (``_Float128`` is read as ``volatile long
#: double``: :data:`~.preprocess._FOR_BINDINGS`).
_UNDECLARABLE = re.compile(
    r"\b(?:long double _Complex|_Complex long double|__int128|volatile long double)\b"
)


@dataclass(frozen=True)
class Request:
    """What the user asked to bind: the files of the named headers, ``--symbols``, ``--exclude``."""

    own: set[str]
    symbols: re.Pattern[str] | None = None
    exclude: re.Pattern[str] | None = None
    #: Private headers among ``own`` (glibc's bits/): their ``__`` names are internal.
    parts: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        own: set[str],
        symbols: str | None,
        exclude: str | None,
        parts: Collection[str] = frozenset(),
    ) -> Request:
        """The command line's request (``--symbols``/``--exclude`` as given)."""
        return cls(
            own,
            re.compile(symbols) if symbols else None,
            re.compile(exclude) if exclude else None,
            frozenset(parts),
        )

    def wanted(self, name: str, file: str = "", enumerator: bool = False) -> bool:
        """Whether ``--symbols``/``--exclude`` keep ``name`` (declared in ``file``).

        A reserved name in a private part (glibc's ``__sin`` beside ``sin``,
        ``__FD_SETSIZE``, ``_IO_EOF_SEEN``, the guard ``_BITS_TYPES_H``) is the
        implementation's, never bound; but sysconf's enumerators are public
        with one underscore (``_SC_ARG_MAX``, bits/confname.h).
        """
        if file in self.parts and name.startswith("__" if enumerator else "_"):
            return False
        if self.symbols is not None and not self.symbols.fullmatch(name):
            return False
        return not (self.exclude is not None and self.exclude.fullmatch(name))


class TypeIndex:
    """The translation unit's typedefs and tags by name, wherever they are declared.

    A typedef is its first declaration; a tag its definition (with the body)
    when there is one, else its first forward declaration.
    """

    def __init__(self, ast: c_ast.FileAST) -> None:
        self.typedefs: dict[str, c_ast.Node] = {}
        self.tags: dict[tuple[str, str], c_ast.Node] = {}
        for ext in ast.ext:
            if isinstance(ext, c_ast.Typedef):
                self.typedefs.setdefault(ext.name, ext)
            for kind, tag, complete in defined_tags(ext):
                if complete or (kind, tag) not in self.tags:
                    self.tags[(kind, tag)] = ext
        #: The kind of each tag ("struct", "union", "enum").
        self.tag_kind = {tag: kind for kind, tag in self.tags}

    @functools.cached_property
    def int_typedefs(self) -> dict[str, tuple[int, bool]]:
        """The typedefs of integer types (see :func:`~.c_types.int_typedefs`)."""
        return int_typedefs(self.typedefs)


def choose(ast: c_ast.FileAST, request: Request, report: Reporter) -> list[c_ast.Node]:
    """The declarations of the named headers that are bound (warning for the rest)."""
    generator = c_generator.CGenerator()
    chosen: list[c_ast.Node] = []
    for ext in ast.ext:
        if not ext.coord or str(ext.coord.file) not in request.own:
            continue
        file = str(ext.coord.file)
        if file in request.parts and not _part_of_api(ext):
            continue  # glibc's bits/: its types come along where the API uses them
        if isinstance(ext, c_ast.FuncDef):
            if not request.wanted(str(ext.decl.name), file):
                continue
            report.warning(
                loc(ext),
                f"inline function '{ext.decl.name}' is not bound (it has no symbol)",
                "skipped",
                "is an inline function (no symbol)|are inline functions (no symbol)",
            )
            continue
        name = _name(ext)
        if (name is None or file in request.parts) and _enum_body(ext) is not None:
            # `enum { PTHREAD_CREATE_JOINABLE, ... };`, bits/'s `enum __socket_type
            # { SOCK_STREAM = 1, ... }`: its enumerators are the API
            if any(request.wanted(e.name, file, True) for e in _enum_body(ext) or []):
                chosen.append(ext)
            continue
        if name is None or not request.wanted(name, file):
            continue
        if isinstance(ext, c_ast.Decl) and not _is_type_decl(ext):
            unknown = _UNDECLARABLE.search(generator.visit(ext.type))
            if unknown:  # strtof128, cacosl
                what = "function" if isinstance(ext.type, c_ast.FuncDecl) else "variable"
                spelled = unknown.group(0).replace("volatile long double", "_Float128")
                report.warning(
                    loc(ext),
                    f"{what} '{name}' uses {spelled}, which cffi cannot declare; not bound",
                    "skipped",
                    "uses a type cffi cannot declare (_Float128, long double _Complex)"
                    "|use types cffi cannot declare (_Float128, long double _Complex)",
                )
                continue
        if isinstance(ext, c_ast.Decl) and isinstance(ext.type, c_ast.FuncDecl):
            if ext.type.args and _UNPASSABLE.search(generator.visit(ext.type.args)):
                report.warning(
                    loc(ext),
                    f"function '{name}' takes a va_list and is not bound",
                    "skipped",
                    "take a va_list",
                )
                continue
        elif isinstance(ext, c_ast.Decl) and not _is_type_decl(ext):
            if "static" in ext.storage or "extern" not in ext.storage:
                report.warning(
                    loc(ext),
                    f"variable '{name}' is not bound: only extern variables have a symbol",
                    "skipped",
                    "is a variable without a symbol|are variables without a symbol",
                )
                continue
        chosen.append(ext)
    return chosen


def dependencies(
    chosen: list[c_ast.Node], index: TypeIndex
) -> tuple[set[int], set[tuple[str, str]]]:
    """The declarations the chosen ones need (by id), and the tags needed only by name.

    A struct used only through pointers (``FILE *``) needs no definition:
    it stays opaque, as it is to a C caller, and glibc's private layout never
    reaches the cdef.
    """
    needed: set[int] = set()
    opaque: set[tuple[str, str]] = set()
    full: set[tuple[str, str]] = set()
    seen: set[tuple[int, bool]] = set()
    stack: list[tuple[c_ast.Node, bool]] = [(n, False) for n in chosen]
    while stack:
        node, via_pointer = stack.pop()
        for kind, name, pointer in _type_refs(node, via_pointer):
            if kind == "typedef":
                target = index.typedefs.get(name)
                if (
                    target is not None
                    and target not in chosen
                    and (id(target), pointer) not in seen
                ):
                    seen.add((id(target), pointer))
                    needed.add(id(target))
                    stack.append((target.type, pointer))
                continue
            key = (kind, name)
            target = index.tags.get(key)
            if pointer and kind != "enum":
                opaque.add(key)
            elif target is not None and key not in full:
                full.add(key)
                if target not in chosen:
                    needed.add(id(target))
                    stack.append((target, False))
    return needed, opaque - full


def _type_refs(node: c_ast.Node, via_pointer: bool) -> Iterator[tuple[str, str, bool]]:
    """Every type a declaration names: (kind, name, only through a pointer).

    kind is "typedef" or a tag kind ("struct", "union", "enum").
    """
    stack: list[tuple[c_ast.Node, bool]] = [(node, via_pointer)]
    while stack:
        current, pointer = stack.pop()
        if isinstance(current, c_ast.IdentifierType):
            for name in current.names:
                yield "typedef", name, pointer
            continue
        if isinstance(current, (c_ast.Struct, c_ast.Union, c_ast.Enum)):
            if current.name:
                yield type(current).__name__.lower(), current.name, pointer
            if getattr(current, "decls", None) is None and getattr(current, "values", None) is None:
                continue
            # a body written here is declared with it, pointed to or not: its
            # members' types are used by value (glibc's pthread_mutex_t, a typedef
            # of a union holding `struct __pthread_mutex_s __data`)
            stack.extend((child, False) for _, child in current.children())
            continue
        inner = pointer or isinstance(current, c_ast.PtrDecl)
        if isinstance(current, c_ast.FuncDecl):
            inner = False  # a function type's parameters are used by value
        stack.extend((child, inner) for _, child in current.children())


def _name(ext: c_ast.Node) -> str | None:
    if isinstance(ext, (c_ast.Typedef, c_ast.Decl)) and ext.name:
        return str(ext.name)
    for _, tag, _ in defined_tags(ext):
        return tag
    return None


def _enum_body(ext: c_ast.Node) -> list[c_ast.Enumerator] | None:
    """The enumerators of ``enum E {...};`` at file scope, or None for anything else."""
    if isinstance(ext, c_ast.Decl) and _is_type_decl(ext) and isinstance(ext.type, c_ast.Enum):
        return list(ext.type.values.enumerators) if ext.type.values else None
    return None


def _part_of_api(ext: c_ast.Node) -> bool:
    """Whether a declaration of a private part is API: a function, variable or enum's values."""
    if isinstance(ext, c_ast.FuncDef):
        return True
    if isinstance(ext, c_ast.Decl) and ext.name is not None:
        return True  # a function or an extern variable
    return _enum_body(ext) is not None


def _is_type_decl(ext: c_ast.Decl) -> bool:
    return ext.name is None and isinstance(ext.type, (c_ast.Struct, c_ast.Union, c_ast.Enum))
