"""pycparser's AST of a header to IR: what to bind, as complete declarations.

Only declarations whose file is one of the named headers are bound (functions,
structs, unions, enums, typedefs, ``#define`` constants); the types they use
come along from wherever they are declared (``uLong`` from zconf.h, ``FILE``
from glibc), marked as not bound (:class:`~idlgen.ir.c.Bound`). Structs and
unions have their fields (bitfield widths, anonymous members), tags live in
:attr:`~idlgen.ir.Space.TAG`, a body written inside another declaration is
its own declaration marked :class:`~idlgen.ir.Hoisted`, a tag used only
through pointers is a :class:`~idlgen.ir.Forward`; the functions and extern
variables are the operations and attributes of one Interface named after the
header. The back-ends print C from this IR; no C text travels in it.
"""

from __future__ import annotations

import copy
import ctypes
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pycparser import c_ast, c_generator, c_parser
from pycparser.c_parser import ParseError

from idlgen import ir
from idlgen.diagnostics import Reporter
from idlgen.frontends.cheader.macros import INT_TYPES, Cast, NotConstant, evaluate, int_spelling
from idlgen.frontends.cheader.preprocess import Macro
from idlgen.symbols import Declared, SymbolTable

_PRIMS = {
    "void": ir.Prim.VOID, "_Bool": ir.Prim.BOOL, "char": ir.Prim.CHAR, "signed char": ir.Prim.INT8,
    "unsigned char": ir.Prim.UINT8, "short": ir.Prim.INT16, "unsigned short": ir.Prim.UINT16,
    "int": ir.Prim.INT32, "unsigned int": ir.Prim.UINT32,
    "long": ir.Prim.LONG, "unsigned long": ir.Prim.ULONG, "long long": ir.Prim.INT64,
    "unsigned long long": ir.Prim.UINT64, "float": ir.Prim.FLOAT32, "double": ir.Prim.FLOAT64,
    "long double": ir.Prim.LONGDOUBLE,
}  # fmt: skip


#: One C spelling of each primitive kind (the first of ``_PRIMS``).
_SPELLED = {kind: spelled for spelled, kind in reversed(_PRIMS.items())}


def _primitive_spelling(names: list[str]) -> str:
    """A C arithmetic type in the one spelling ``_PRIMS`` knows.

    C lets the words come in any order and leave ``int`` out: ``long unsigned
    int`` and ``unsigned long`` are one type.
    """
    words = [w for w in names if w not in ("signed", "unsigned", "int")]
    if words == ["char"] and "signed" in names:
        return "signed char"
    base = " ".join(words) or "int"
    return f"unsigned {base}" if "unsigned" in names else base


#: ``sizeof(T)`` of an arithmetic type, which :func:`_sizeof` turns into a number.
_SIZEOF = re.compile(
    r"sizeof\s*\(\s*((?:unsigned|signed|long|short|int|char|float|double|_Bool|\s)+)\)"
)
_CTYPES: dict[str, type[ctypes._SimpleCData[Any]]] = {
    "char": ctypes.c_char, "short": ctypes.c_short, "int": ctypes.c_int, "long": ctypes.c_long,
    "long long": ctypes.c_longlong, "float": ctypes.c_float, "double": ctypes.c_double,
    "long double": ctypes.c_longdouble, "_Bool": ctypes.c_bool,
}  # fmt: skip


_BASE_TYPES = frozenset({"void", "char", "int", "float", "double", "_Bool", "__int128"})
_MODIFIERS = frozenset({"signed", "unsigned", "short", "long"})


def _valid_specifiers(names: list[str]) -> bool:
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


#: The binary operators FoldConstants computes.
_FOLDED_OPERATORS = frozenset({"+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"})

#: ``sizeof(...)`` of anything else: a struct, union or typedef name.
_ANY_SIZEOF = re.compile(r"sizeof\s*\(\s*((?:struct\s+|union\s+|enum\s+)?[A-Za-z_]\w*)\s*\)")


class _KnownConstants(Mapping[str, object]):
    """What a macro may name: enumerators, and every object-like macro.

    The macros of the whole translation unit, each evaluated when first used
    (with its C type), so a header's ``#define MINE (BASE + 1)`` works when
    BASE comes from a header it includes.
    """

    def __init__(
        self,
        values: dict[str, object],
        macros: Mapping[str, Macro],
        int_typedefs: Mapping[str, tuple[int, bool]],
    ) -> None:
        self.known, self.macros, self.int_typedefs = values, macros, int_typedefs
        self.failed: dict[str, NotConstant] = {}
        self.active: set[str] = set()

    def evaluate(self, name: str) -> object:
        """The value of macro ``name`` (raises NotConstant, remembered)."""
        if name in self.known:
            return self.known[name]
        if name in self.failed:
            raise self.failed[name]
        if name in self.active:
            raise NotConstant(f"{name} refers to itself")
        self.active.add(name)
        try:
            value = evaluate(self.macros[name].body, self, self.int_typedefs)  # type: ignore[arg-type]
        except NotConstant as exc:
            self.failed[name] = exc
            raise
        finally:
            self.active.discard(name)
        if not isinstance(value, Cast):
            self.known[name] = value
        return value

    def value_of(self, body: str) -> object:
        """The value of a macro body given as text (one the preprocessor expanded)."""
        return evaluate(body, self, self.int_typedefs)  # type: ignore[arg-type]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if name in self.known:
            return True
        if name not in self.macros:
            return False
        try:
            return not isinstance(self.evaluate(name), Cast)
        except NotConstant:
            return False

    def __getitem__(self, name: str) -> object:
        if name not in self:
            raise KeyError(name)
        return self.known[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


def _sizeof(m: re.Match[str]) -> str:
    """The size of the arithmetic type in ``sizeof(...)`` on this machine."""
    spelled = _primitive_spelling(m.group(1).split()).removeprefix("unsigned ")
    kind = _CTYPES.get("int" if spelled == "unsigned" else spelled)
    return str(ctypes.sizeof(kind)) if kind is not None else m.group(0)


#: Parameter types that cffi cannot pass from Python (a va_list is a compiler builtin).
_UNPASSABLE = re.compile(r"\b(?:__gnuc_va_list|va_list|__builtin_va_list)\b")


@dataclass
class Selection:
    """What a header binds, in source order, and what came along for its types."""

    decls: list[ir.Decl] = field(default_factory=list)


def _loc(node: c_ast.Node) -> ir.Loc:
    coord = node.coord
    if coord is None:
        return ir.NOWHERE
    return ir.Loc(str(coord.file), int(coord.line or 0), int(coord.column or 1))


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
        if isinstance(current, (c_ast.Struct, c_ast.Union, c_ast.Enum)) and current.name:
            yield type(current).__name__.lower(), current.name, pointer
            if getattr(current, "decls", None) is None and getattr(current, "values", None) is None:
                continue
        inner = pointer or isinstance(current, c_ast.PtrDecl)
        if isinstance(current, c_ast.FuncDecl):
            inner = False  # a function type's parameters are used by value
        stack.extend((child, inner) for _, child in current.children())


def _body_path(ext: c_ast.Typedef) -> tuple[list[c_ast.Node], c_ast.Node | None]:
    """The pointer/array declarators down to a struct/union/enum body a typedef defines."""
    path: list[c_ast.Node] = []
    t = ext.type
    while isinstance(t, (c_ast.PtrDecl, c_ast.ArrayDecl)):
        path.append(t)
        t = t.type
    inner = t.type if isinstance(t, c_ast.TypeDecl) else None
    has_body = (isinstance(inner, (c_ast.Struct, c_ast.Union)) and inner.decls is not None) or (
        isinstance(inner, c_ast.Enum) and inner.values is not None
    )
    return path, inner if has_body else None


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


def _walk(node: c_ast.Node) -> Iterator[c_ast.Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(child for _, child in current.children())


class HeaderBuilder:
    """Selects declarations of a parsed header and turns them into IR (see module docstring)."""

    def __init__(
        self,
        ast: c_ast.FileAST,
        own_files: set[str],
        symbols: str | None,
        exclude: str | None,
        report: Reporter,
        unit: str = "",
        unit_loc: ir.Loc = ir.NOWHERE,
    ) -> None:
        self.ast = ast
        #: The header's name and place: its function set is named after it.
        self.unit, self.unit_loc = unit, unit_loc
        self.own = own_files
        self.symbols = re.compile(symbols) if symbols else None
        self.exclude = re.compile(exclude) if exclude else None
        self.report = report
        self.generator = c_generator.CGenerator()
        self.typedefs: dict[str, c_ast.Node] = {}
        #: The declarations kept so far, their C text (written only when a
        #: ``sizeof`` in an array size needs cffi's layout of them) and cffi's reading.
        self._kept: list[c_ast.Node] = []
        self._emitted: list[str] = []
        self._texted = 0
        self._text_bodies: dict[int, str] = {}
        self._layout: tuple[int, Any] | None = None
        #: Struct/union/enum bodies already in the IR: id → the use that names them.
        self._bodies: dict[int, ir.Named] = {}
        self._anonymous: dict[str, int] = {}
        #: Enumerators of the enums in the IR so far (a value may name one).
        self._ir_enumerators: set[str] = set()
        #: Enumerators that a ``#define`` of their own name makes constants too.
        self._defined_enumerators: set[str] = set()
        #: Reads a macro body as a C expression (see :meth:`_expression`).
        self._expression_parser = c_parser.CParser()
        self._constant_names: set[str] = set()
        #: Values of the macros kept as expressions.
        self._values: dict[str, int | float | str] = {}
        self.enumerators: dict[str, int] = {}
        self._seen: set[tuple[int, bool]] = set()
        self.tags: dict[tuple[str, str], c_ast.Node] = {}
        for ext in ast.ext:
            if isinstance(ext, c_ast.Typedef):
                self.typedefs.setdefault(ext.name, ext)
            for kind, tag, complete in self._defined_tags(ext):
                if complete or (kind, tag) not in self.tags:
                    self.tags[(kind, tag)] = ext
        self._tag_kind = {tag: kind for kind, tag in self.tags}

    @staticmethod
    def _defined_tags(ext: c_ast.Node) -> Iterator[tuple[str, str, bool]]:
        t = getattr(ext, "type", None)
        while isinstance(t, (c_ast.TypeDecl, c_ast.PtrDecl, c_ast.ArrayDecl)):
            t = t.type
        if isinstance(t, (c_ast.Struct, c_ast.Union)) and t.name:
            yield type(t).__name__.lower(), t.name, t.decls is not None
        elif isinstance(t, c_ast.Enum) and t.name:
            yield "enum", t.name, t.values is not None

    def wanted(self, name: str) -> bool:
        """Whether ``--symbols``/``--exclude`` keep ``name``."""
        if self.symbols is not None and not self.symbols.fullmatch(name):
            return False
        return not (self.exclude is not None and self.exclude.fullmatch(name))

    # -- selection --------------------------------------------------------------

    def select(
        self,
        macros: Iterable[Macro],
        expand: Callable[[list[str]], dict[str, str]] | None = None,
    ) -> Selection:
        """The bound declarations, the types they need, and the constants.

        In order: the incomplete types, the types in source order (a body
        written in place just before its owner), the function set, the
        constants.
        """
        chosen = self._chosen()
        needed, opaque = self._dependencies(chosen)
        self._emitted.extend(f"{kind} {tag};" for kind, tag in sorted(opaque))
        forwards: list[ir.Decl] = [
            ir.Forward(tag, kind, annotations=(ir.c.Bound(False),), space=ir.Space.TAG)
            for kind, tag in sorted(opaque)
        ]
        types, functions, variables = self._declarations(chosen, needed)
        decls = [*forwards, *self._undeclared_tags(forwards, types, functions, variables), *types]
        if functions or variables:
            decls.append(
                ir.Interface(
                    self.unit, tuple(functions), attributes=tuple(variables), loc=self.unit_loc
                )
            )
        decls += self._constants(macros, decls, functions, expand)
        return Selection([self._defined(d) for d in decls])

    def _chosen(self) -> list[c_ast.Node]:
        """The declarations of the named headers that are bound (warning for the rest)."""
        chosen: list[c_ast.Node] = []
        for ext in self.ast.ext:
            if not ext.coord or str(ext.coord.file) not in self.own:
                continue
            if isinstance(ext, c_ast.FuncDef):
                self.report.warning(
                    _loc(ext),
                    f"inline function '{ext.decl.name}' is not bound (it has no symbol)",
                    "skipped",
                )
                continue
            name = self._name(ext)
            if name is None or not self.wanted(name):
                continue
            if isinstance(ext, c_ast.Decl) and isinstance(ext.type, c_ast.FuncDecl):
                if ext.type.args and _UNPASSABLE.search(self.generator.visit(ext.type.args)):
                    self.report.warning(
                        _loc(ext), f"function '{name}' takes a va_list and is not bound", "skipped"
                    )
                    continue
            elif isinstance(ext, c_ast.Decl) and not self._is_type_decl(ext):
                if "static" in ext.storage or "extern" not in ext.storage:
                    self.report.warning(
                        _loc(ext),
                        f"variable '{name}' is not bound: only extern variables have a symbol",
                        "skipped",
                    )
                    continue
            chosen.append(ext)
        return chosen

    def _declarations(
        self, chosen: list[c_ast.Node], needed: set[int]
    ) -> tuple[list[ir.Decl], list[ir.Operation], list[ir.Attribute]]:
        """The IR of what is bound or needed: types, functions, variables (each once)."""
        types: list[ir.Decl] = []
        functions: list[ir.Operation] = []
        variables: list[ir.Attribute] = []
        taken: set[tuple[ir.Space, str]] = set()
        bound = {id(n) for n in chosen}
        for ext in self.ast.ext:
            if id(ext) not in bound and id(ext) not in needed:
                continue
            self._check(ext)
            self._kept.append(ext)
            for decl in self._to_ir(ext, id(ext) in bound):
                key = (decl.space, decl.name)
                if not isinstance(decl, ir.Forward) and key in taken:
                    continue  # C may declare a function or typedef again
                taken.add(key)
                if isinstance(decl, ir.Operation):
                    functions.append(decl)
                elif isinstance(decl, ir.Attribute):
                    variables.append(decl)
                else:
                    types.append(decl)
        return types, functions, variables

    def _defined(self, decl: ir.Decl) -> ir.Decl:
        """An enum whose enumerators a ``#define`` of their own name makes constants too."""
        if not isinstance(decl, ir.Enum_) or not self._defined_enumerators & {
            m.name for m in decl.members
        }:
            return decl
        members = tuple(
            (
                replace(m, annotations=(*m.annotations, ir.c.Defined(loc=m.loc)))
                if m.name in self._defined_enumerators
                else m
            )
            for m in decl.members
        )
        return replace(decl, members=members)

    def _undeclared_tags(self, *groups: Sequence[ir.Decl]) -> list[ir.Decl]:
        """``struct S`` used but defined nowhere the selection looks: an incomplete type."""
        declared = {d.name for group in groups for d in group if d.space is ir.Space.TAG}
        found: dict[str, ir.Decl] = {}
        for decl in (d for group in groups for d in group):
            for node in ir.walk(decl):
                if (
                    isinstance(node, ir.Named)
                    and node.space is ir.Space.TAG
                    and str(node.name) not in declared
                ):
                    kind = self._tag_kind.get(str(node.name), "struct")
                    found.setdefault(
                        str(node.name),
                        ir.Forward(
                            str(node.name),
                            kind,
                            annotations=(ir.c.Bound(False),),
                            space=ir.Space.TAG,
                            loc=node.loc,
                        ),
                    )
        return list(found.values())

    def _name(self, ext: c_ast.Node) -> str | None:
        if isinstance(ext, (c_ast.Typedef, c_ast.Decl)) and ext.name:
            return str(ext.name)
        for _, tag, _ in self._defined_tags(ext):
            return tag
        return None

    @staticmethod
    def _is_type_decl(ext: c_ast.Decl) -> bool:
        return ext.name is None and isinstance(ext.type, (c_ast.Struct, c_ast.Union, c_ast.Enum))

    def _dependencies(self, chosen: list[c_ast.Node]) -> tuple[set[int], set[tuple[str, str]]]:
        """The declarations the chosen ones need, and the tags needed only by name.

        A struct used only through pointers (``FILE *``) needs no definition:
        it stays opaque, as it is to a C caller, and glibc's private layout never
        reaches the cdef.
        """
        needed: set[int] = set()
        opaque: set[tuple[str, str]] = set()
        full: set[tuple[str, str]] = set()
        stack: list[tuple[c_ast.Node, bool]] = [(n, False) for n in chosen]
        while stack:
            node, via_pointer = stack.pop()
            for kind, name, pointer in _type_refs(node, via_pointer):
                if kind == "typedef":
                    target = self.typedefs.get(name)
                    if (
                        target is not None
                        and target not in chosen
                        and (id(target), pointer) not in self._seen
                    ):
                        self._seen.add((id(target), pointer))
                        needed.add(id(target))
                        stack.append((target.type, pointer))
                    continue
                key = (kind, name)
                target = self.tags.get(key)
                if pointer and kind != "enum":
                    opaque.add(key)
                elif target is not None and key not in full:
                    full.add(key)
                    if target not in chosen:
                        needed.add(id(target))
                        stack.append((target, False))
        return needed, opaque - full

    def _check(self, ext: c_ast.Node) -> None:
        """What pycparser lets through but C does not; array sizes folded to numbers."""
        self._fold_dimensions(ext)
        for node in _walk(ext):
            params = node.args.params if isinstance(node, c_ast.FuncDecl) and node.args else []
            for bare in [p for p in params if isinstance(p, c_ast.ID)]:  # K&R-style names
                self.report.error(
                    _loc(bare),
                    f"parameter '{bare.name}' has no type: a declaration needs a prototype",
                    "syntax",
                )
            if isinstance(node, c_ast.IdentifierType) and not _valid_specifiers(node.names):
                spelled = " ".join(node.names)
                self.report.error(
                    _loc(node), f"'{spelled}' is not a C type: these words do not combine", "syntax"
                )

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
        path, body = _body_path(ext)
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

    @functools.cached_property
    def int_typedefs(self) -> dict[str, tuple[int, bool]]:
        """The typedefs of integer types (``size_t``, ``uLong``, an enum's).

        Casts in macros may use them, and they are integers, not pointers.
        Every typedef of the translation unit counts (a cast may name one no
        bound declaration uses), so they go into a symbol table of their own,
        which follows the chains as it does for the IR.
        """
        table = SymbolTable()
        for name, node in self.typedefs.items():
            inner = node.type.type if isinstance(node.type, c_ast.TypeDecl) else None
            target: ir.Type
            if isinstance(inner, c_ast.Enum):
                target = ir.Primitive(ir.Prim.INT32)
            elif isinstance(inner, c_ast.IdentifierType):
                spelled = _primitive_spelling(inner.names)
                target = (
                    ir.Primitive(_PRIMS[spelled])
                    if spelled in _PRIMS
                    else ir.Named(ir.ScopedName((int_spelling(inner.names),)))
                )
            else:
                continue
            table.declare(Declared(ir.Typedef(name, target), ir.name(name), ()))
        found: dict[str, tuple[int, bool]] = {}
        for name in self.typedefs:
            t = table.resolve(ir.Named(ir.name(name)))
            spelled = (
                _SPELLED.get(t.kind, "")
                if isinstance(t, ir.Primitive)
                else str(t.name) if isinstance(t, ir.Named) else ""
            )
            if spelled in INT_TYPES:
                found[name] = INT_TYPES[spelled]
        return found

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

    def _fold_dimensions(self, ext: c_ast.Node) -> None:
        """Array sizes as numbers: cffi reads no ``sizeof`` or enumerator in a cdef.

        glibc sizes ``__sigset_t`` (which png.h's jmp_buf brings along) as
        ``1024 / (8 * sizeof(unsigned long int))``; the machine's sizes of
        the arithmetic types and the enumerators known so far make it 16.
        ``sizeof`` of a struct or typedef already in the cdef (glibc's
        ``sockaddr_in.sin_zero``) is cffi's, which lays types out as C does.
        """
        for node in _walk(ext):
            if isinstance(node, c_ast.ArrayDecl) and node.dim is not None:
                if isinstance(node.dim, c_ast.Constant):
                    continue
                text = _SIZEOF.sub(_sizeof, str(self.generator.visit(node.dim)))
                text = _ANY_SIZEOF.sub(self._sizeof_declared, text)
                try:
                    value = evaluate(text, self.enumerators, self.int_typedefs)
                except NotConstant:
                    continue
                if isinstance(value, int) and not isinstance(value, bool):
                    node.dim = c_ast.Constant("int", str(value), node.dim.coord)

    # -- IR ----------------------------------------------------------------------

    def _to_ir(self, ext: c_ast.Node, bound: bool) -> list[ir.Decl]:
        """One external declaration as IR: what it defines in place comes first.

        A function becomes an Operation and an extern variable an Attribute
        (the caller puts both in the header's Interface); a struct, union or
        enum body becomes its own declaration in the tag space, marked
        :class:`~idlgen.ir.Hoisted` when C writes it inside another one.
        """
        out: list[ir.Decl] = []
        ann: tuple[object, ...] = (ir.c.Bound(bound),)
        loc = _loc(ext)
        if isinstance(ext, c_ast.Decl) and isinstance(ext.type, c_ast.FuncDecl):
            result = self.ir_type(ext.type.type, str(ext.name), out, bound)
            params, varargs = self._params(ext.type, str(ext.name), out, bound)
            op = ir.Operation(
                str(ext.name), params, result, annotations=ann, varargs=varargs, loc=loc
            )
            return [*out, op]
        if isinstance(ext, c_ast.Typedef):
            path, body = _body_path(ext)
            if body is not None and id(body) not in self._bodies and path and body.name:
                # `typedef struct S {...} *SP;`: struct S on its own, then the typedef
                self._body(body, None, out, bound)
            t = self.ir_type(ext.type, str(ext.name), out, bound)
            known = self._bodies.get(id(body)) if body is not None else None
            if (
                known is not None
                and known.space is ir.Space.TAG
                and body is not None
                and not body.name
            ):
                # `typedef struct {...} T, *TP;`: TP names the struct by T
                self._bodies[id(body)] = ir.Named(ir.name(str(ext.name)), loc=loc)
            return [*out, ir.Typedef(str(ext.name), t, annotations=ann, loc=loc)]
        if isinstance(ext, c_ast.Decl) and ext.name and "extern" in ext.storage:
            t = self.ir_type(ext.type, str(ext.name), out, bound)
            readonly = isinstance(t, ir.Qualified) and "const" in t.quals
            return [*out, ir.Attribute(ext.name, t, readonly, annotations=ann, loc=loc)]
        if isinstance(ext, c_ast.Decl) and isinstance(
            ext.type, (c_ast.Struct, c_ast.Union, c_ast.Enum)
        ):
            t = ext.type
            if (t.values if isinstance(t, c_ast.Enum) else t.decls) is None:
                kind = type(t).__name__.lower()
                return [ir.Forward(str(t.name), kind, annotations=ann, space=ir.Space.TAG, loc=loc)]
            self._body(t, None, out, bound)
        return out

    def _params(
        self, func: c_ast.FuncDecl, owner: str, out: list[ir.Decl], bound: bool
    ) -> tuple[tuple[ir.Param, ...], bool]:
        params = []
        varargs = False
        for p in func.args.params if func.args else []:
            if isinstance(p, c_ast.EllipsisParam):
                varargs = True
                continue
            if isinstance(p, c_ast.ID):
                continue  # reported by _check
            t = self.ir_type(p.type, owner, out, bound)
            if isinstance(t, ir.Primitive) and t.kind is ir.Prim.VOID:
                continue  # `f(void)`
            params.append(ir.Param(p.name or "", t, loc=_loc(p)))
        return tuple(params), varargs

    def ir_type(self, t: c_ast.Node, owner: str, out: list[ir.Decl], bound: bool) -> ir.Type:
        """A C type as IR; bodies written in it are added to ``out`` (see :meth:`_body`)."""
        loc = _loc(t)
        if isinstance(t, c_ast.Typename):
            return self.ir_type(t.type, owner, out, bound)
        if isinstance(t, c_ast.TypeDecl):
            base = self._base(t.type, owner, out, bound, loc)
            return ir.Qualified(base, tuple(t.quals), loc=loc) if t.quals else base
        if isinstance(t, c_ast.PtrDecl):
            return ir.Pointer(self.ir_type(t.type, owner, out, bound), tuple(t.quals), loc=loc)
        if isinstance(t, c_ast.ArrayDecl):
            dims = (self._dim(t.dim),) if t.dim is not None else ()
            return ir.Array(self.ir_type(t.type, owner, out, bound), dims, loc=loc)
        if isinstance(t, c_ast.FuncDecl):
            params, varargs = self._params(t, owner, out, bound)
            return ir.Function(self.ir_type(t.type, owner, out, bound), params, varargs, loc=loc)
        return self._base(t, owner, out, bound, loc)  # an anonymous member's struct or union

    def _base(
        self, t: c_ast.Node, owner: str, out: list[ir.Decl], bound: bool, loc: ir.Loc
    ) -> ir.Type:
        if isinstance(t, c_ast.IdentifierType):
            spelled = _primitive_spelling(t.names)
            if spelled in _PRIMS:
                return ir.Primitive(_PRIMS[spelled], loc=loc)
            return ir.Named(ir.ScopedName((" ".join(t.names),)), loc=loc)
        if isinstance(t, (c_ast.Struct, c_ast.Union, c_ast.Enum)):
            has_body = (t.decls if not isinstance(t, c_ast.Enum) else t.values) is not None
            if has_body:
                return self._body(t, owner, out, bound)
            return ir.Named(ir.name(str(t.name)), ir.Space.TAG, loc=loc)
        return ir.Primitive(ir.Prim.ANY, loc=loc)

    def _body(self, t: c_ast.Node, owner: str | None, out: list[ir.Decl], bound: bool) -> ir.Named:
        """A struct/union/enum body as a declaration of its own (once); a use of it.

        ``owner`` is the declaration C writes it inside (None: at file scope);
        an unnamed body gets a name no C identifier has (``T:1``), seen only here.
        """
        known = self._bodies.get(id(t))
        if known is not None:
            return known
        loc = _loc(t)
        name = t.name
        if not name:  # numbered per owner, so the names stay put when others change
            self._anonymous[owner or ""] = number = self._anonymous.get(owner or "", 0) + 1
            name = f"{owner or ''}:{number}"
        use = ir.Named(ir.name(name), ir.Space.TAG, loc=loc)
        self._bodies[id(t)] = use
        ann: tuple[object, ...] = (ir.c.Bound(bound),)
        if owner is not None:
            ann = (ir.Hoisted(owner, loc=loc), *ann)
        inner: list[ir.Decl] = []
        decl: ir.Decl
        if isinstance(t, c_ast.Enum):
            decl = self._enum(t, name, ann)
        else:
            fields = tuple(self._field(d, name, inner, bound) for d in t.decls)
            if isinstance(t, c_ast.Struct):
                decl = ir.Struct(name, fields, annotations=ann, space=ir.Space.TAG, loc=loc)
            else:
                cases = tuple(ir.Case((), f, loc=f.loc) for f in fields)
                decl = ir.Union_(name, None, cases, annotations=ann, space=ir.Space.TAG, loc=loc)
        out.extend(inner)
        out.append(decl)
        return use

    def _field(self, d: c_ast.Node, owner: str, out: list[ir.Decl], bound: bool) -> ir.Field:
        t = self.ir_type(d.type, owner, out, bound)
        bits = self._dim(d.bitsize) if getattr(d, "bitsize", None) is not None else None
        return ir.Field(d.name or "", t, bits=bits, loc=_loc(d))

    def _enum(self, t: c_ast.Enum, name: str, ann: tuple[object, ...]) -> ir.Enum_:
        """An enum's members, their values for FoldConstants.

        A value is an expression FoldConstants computes where that gives C's
        value (:meth:`_folded`), else the value C gives; members without a
        value are numbered on by FoldConstants.
        """
        members = []
        next_value = 0
        for e in t.values.enumerators:
            value: ir.Expr | None = None
            if e.value is not None:
                try:
                    next_value = int(evaluate(self.generator.visit(e.value), self.enumerators))  # type: ignore[arg-type]
                except (NotConstant, TypeError, ValueError):
                    self.report.warning(
                        _loc(e),
                        f"value of enumerator '{e.name}' is not a constant idlgen can evaluate",
                        "skipped",
                    )
                text = str(self.generator.visit(e.value))
                value = self._folded(
                    e.value,
                    text,
                    next_value,
                    self._ir_enumerators,
                    self.enumerators.__getitem__,
                    lambda wide: evaluate(wide, self.enumerators),
                    _loc(e.value),
                ) or ir.Literal(next_value, loc=_loc(e.value))
            self.enumerators[e.name] = next_value
            self._ir_enumerators.add(e.name)
            members.append(ir.EnumMember(e.name, value, loc=_loc(e)))
            next_value += 1
        return ir.Enum_(name, tuple(members), annotations=ann, space=ir.Space.TAG, loc=_loc(t))

    def _dim(self, e: c_ast.Node) -> ir.Expr:
        """An array size or bitfield width (folded to a number by :meth:`_fold_dimensions`)."""
        if isinstance(e, c_ast.Constant):
            try:
                value = evaluate(e.value, {})
            except NotConstant:
                value = None
            if isinstance(value, int) and not isinstance(value, bool):
                return ir.Literal(int(value), loc=_loc(e))
        if isinstance(e, c_ast.ID) and e.name in self._ir_enumerators:
            return ir.ConstRef(ir.name(e.name), loc=_loc(e))
        self.report.error(
            _loc(e),
            f"size '{self.generator.visit(e)}' is not a constant idlgen can evaluate",
            "not-constant",
        )
        return ir.Literal(0, loc=_loc(e))

    # -- constants -----------------------------------------------------------------

    def _constants(
        self,
        macros: Iterable[Macro],
        decls: list[ir.Decl],
        operations: list[ir.Operation],
        expand: Callable[[list[str]], dict[str, str]] | None = None,
    ) -> list[ir.Decl]:
        """The header's object-like macros as constants, or as other names of functions.

        A body that calls a function-like macro (pcre2's ``PCRE2_SUFFIX(...)``)
        is given to ``expand`` (the real preprocessor) and read again. A macro
        named like a function or enumerator it stands for (glibc's
        ``#define SEEK_SET SEEK_SET``) is that declaration already. For the
        values, see :meth:`_expression`.
        """
        macros = list(macros)
        everything = {m.name: m for m in macros if m.params is None and m.body}
        int_types = dict(self.int_typedefs)
        for m in everything.values():  # pcre2's `#define PCRE2_SIZE size_t`, used in casts
            spelled = int_spelling(m.body.split())
            if spelled in INT_TYPES or spelled in int_types:
                int_types[m.name] = INT_TYPES.get(spelled) or int_types[spelled]
        known = _KnownConstants(dict(self.enumerators), everything, int_types)
        functions = {d.name for d in operations}
        declared = functions | {m.name for d in decls if isinstance(d, ir.Enum_) for m in d.members}
        function_like = {m.name for m in macros if m.params is not None}
        found: list[ir.Const] = []
        deferred: list[tuple[Macro, NotConstant]] = []
        #: What an expression may name: the header's own constants and enumerators.
        self._constant_names = (declared - functions) | {
            m.name
            for m in macros
            if m.params is None and m.body and m.loc.file in self.own and self.wanted(m.name)
        }
        for macro in macros:
            if macro.loc.file not in self.own or not self.wanted(macro.name):
                continue
            if macro.params is not None:
                self.report.warning(
                    macro.loc, f"function-like macro '{macro.name}' is not bound", "skipped"
                )
                continue
            if macro.name in declared and macro.body.strip() == macro.name:
                self._defined_enumerators.add(macro.name)
            if not macro.body or macro.name in declared:
                continue  # a flag such as an include guard: nothing to bind
            try:
                found.append(self._constant(macro, macro.body.strip(), functions, known))
            except NotConstant as exc:
                calls = set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", macro.body)) & function_like
                if calls and expand is not None:
                    deferred.append((macro, exc))
                else:
                    self.report.warning(
                        macro.loc, f"macro '{macro.name}' is not bound: {exc}", "skipped"
                    )
        expanded = expand([m.name for m, _ in deferred]) if deferred and expand else {}
        for macro, first in deferred:
            reason: NotConstant = first
            if macro.name in expanded:
                try:
                    found.append(self._constant(macro, expanded[macro.name], functions, known))
                    continue
                except NotConstant as again:
                    reason = again
            self.report.warning(
                macro.loc, f"macro '{macro.name}' is not bound: {reason}", "skipped"
            )
        names = declared | {c.name for c in found}
        return [  # an expression naming a macro left unbound: its value instead
            (
                replace(c, value=ir.Literal(self._values[c.name], loc=c.loc))
                if any(
                    isinstance(n, ir.ConstRef) and str(n.name) not in names
                    for n in ir.walk(c.value)
                )
                else c
            )
            for c in found
        ]

    def _constant(
        self, macro: Macro, body: str, functions: set[str], known: _KnownConstants
    ) -> ir.Const:
        """One macro as a Const: another name of a function, a pointer cast, or a value."""
        if body in functions:  # gmp's `#define mpz_add __gmpz_add`
            return ir.Const(
                macro.name, None, ir.Literal(body), annotations=(ir.c.Alias(body),), loc=macro.loc
            )
        value = known.evaluate(macro.name) if body == macro.body.strip() else known.value_of(body)
        if not isinstance(value, Cast):
            plain_value = int(value) if isinstance(value, int) else value
            assert isinstance(plain_value, (int, float, str))
            expr = self._expression(body, value, known, macro.loc)
            if expr is not None:
                self._values[macro.name] = plain_value  # should a name in it stay unbound
                return ir.Const(macro.name, None, expr, loc=macro.loc)
        if isinstance(value, Cast):
            return ir.Const(
                macro.name,
                None,
                ir.Literal(value.value),
                annotations=(ir.c.Cast(value.ctype),),
                loc=macro.loc,
            )
        plain = int(value) if isinstance(value, int) else value
        assert isinstance(plain, (int, float, str))
        return ir.Const(macro.name, None, ir.Literal(plain), loc=macro.loc)

    def _expression(
        self, body: str, value: object, known: _KnownConstants, loc: ir.Loc
    ) -> ir.Expr | None:
        """A macro's expression for FoldConstants (see :meth:`_folded`), or None."""
        if not re.search(r"[A-Za-z_]", body) or "." in body or "'" in body or '"' in body:
            return None  # a plain number, a float or a string: nothing to fold
        try:
            tree = self._expression_parser.parse(f"int __idlgen_value = ({body});", "<macro>")
        except ParseError:
            return None

        def value_of(name: str) -> object:
            return known.evaluate(name) if name in known.macros else self.enumerators[name]

        return self._folded(
            tree.ext[0].init, body, value, self._constant_names, value_of, known.value_of, loc
        )

    def _folded(
        self,
        node: c_ast.Node,
        text: str,
        value: object,
        names: set[str],
        value_of: Callable[[str], object],
        evaluate_c: Callable[[str], object],
        loc: ir.Loc,
    ) -> ir.Expr | None:
        """An expression for FoldConstants, when folding gives C's value; else None.

        ``#define B A``, ``#define NEG (-MAX)``, ``A = 1 << 10`` in an enum:
        ``names`` (the header's constants and enumerators), integer literals
        without a suffix, and the operators FoldConstants knows. FoldConstants
        computes with integers as wide as it needs; C with the types of the
        operands, wrapping unsigned ones (``~0u``) and overflowing narrow ones
        (``1 << 31`` is negative). So the expression is kept only when its
        names have signed values and C gives the same value with every literal
        a ``long long``; otherwise (and for a plain number) the value C gives,
        computed by the caller, is the constant's value.
        """
        try:
            expr = self._c_expr(node, names, value_of, loc)
            if expr is None or isinstance(expr, ir.Literal):
                return None
            if isinstance(expr, ir.ConstRef):
                return expr  # another constant's name: its value, whatever its type
            wide = re.sub(r"\b(0[xX][0-9a-fA-F]+|[0-9]+)\b", r"\1LL", text)
            return expr if evaluate_c(wide) == value else None
        except (NotConstant, KeyError, TypeError, ValueError, AttributeError, IndexError):
            return None

    def _c_expr(
        self,
        e: c_ast.Node,
        names: set[str],
        value_of: Callable[[str], object],
        loc: ir.Loc,
    ) -> ir.Expr | None:
        if isinstance(e, c_ast.Constant) and e.type == "int":
            if not re.fullmatch(r"0[xX][0-9a-fA-F]+|[0-9]+", e.value):
                return None  # a suffix gives the literal a type folding does not keep
            number = evaluate(e.value, {})
            return ir.Literal(int(number), loc=loc) if isinstance(number, int) else None
        if isinstance(e, c_ast.ID) and e.name in names:
            v = value_of(e.name)
            if isinstance(v, bool) or not isinstance(v, (int, float, str)):
                return None
            if getattr(v, "unsigned", False):
                return None  # C computes with it modulo 2**N: its value, not its name
            return ir.ConstRef(ir.name(e.name), loc=loc)
        if isinstance(e, c_ast.UnaryOp) and e.op in ("-", "+", "~"):
            operand = self._c_expr(e.expr, names, value_of, loc)
            return None if operand is None else ir.Unary(e.op, operand, loc=loc)
        if isinstance(e, c_ast.BinaryOp) and e.op in _FOLDED_OPERATORS:
            left = self._c_expr(e.left, names, value_of, loc)
            right = self._c_expr(e.right, names, value_of, loc)
            if left is None or right is None:
                return None
            return ir.Binary(e.op, left, right, loc=loc)
        return None
