"""The Cython back-end: a ``.pxd`` of the declarations and ``def`` wrappers.

The wrappers cover the functions whose arguments Python values can carry
(numbers, bytes and buffers).

    NAME/_decls.pxd    cdef extern from "zlib.h": ... (cimport it from Cython code)
    NAME/_NAME.pyx     def crc32(uLong crc, buf, uInt len): ... (bytes and buffers)
    NAME/__init__.py   the wrappers, IntEnums and #define constants
    NAME/_build.py     cythonize + compile in place (what --build runs)

The declarations are the cdef text the front-end kept, parsed again and
printed in Cython's spelling (no struct/union/enum keywords in uses, bitfields
as plain members, anonymous members flattened, keywords renamed with a C name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pycparser import c_ast, c_generator, c_parser

from idlgen import ir
from idlgen.naming.c import CYTHON_WORDS, param_names

_INTS = frozenset(
    "char short int long signed unsigned size_t ssize_t int8_t uint8_t int16_t uint16_t int32_t "
    "uint32_t int64_t uint64_t intptr_t uintptr_t _Bool".split()
)
_FLOATS = frozenset({"float", "double"})
_CHARS = frozenset({"char", "unsigned char", "signed char", "Bytef", "uint8_t"})


@dataclass
class Wrapper:
    """A ``def`` wrapper: its parameters and how each reaches C."""

    name: str
    params: list[tuple[str, str, str]]  # (python name, C type, kind: value|enum|buffer)
    result: str  # "int" | "float" | "bytes" | "void"


class CythonPrinter:
    """C declarations (pycparser AST) in Cython's ``.pxd`` spelling."""

    def __init__(self, cdef: str) -> None:
        self.ast = c_parser.CParser().parse(cdef, "<cdef>")
        self.gen = c_generator.CGenerator()
        #: Members left out of the .pxd (their type is an unnamed struct written in place).
        #: (record, member) pairs left out: a member of an unnamed type written in place.
        self.skipped: list[tuple[str, str]] = []
        self.tags = {
            n.name
            for n in _nodes(self.ast)
            if isinstance(n, (c_ast.Struct, c_ast.Union, c_ast.Enum)) and n.name
        }
        self.typedefs: dict[str, c_ast.Node] = {
            e.name: e.type for e in self.ast.ext if isinstance(e, c_ast.Typedef)
        }

    # -- names and types ---------------------------------------------------------

    @staticmethod
    def ident(name: str) -> str:
        """A C name usable in Cython (``from`` becomes ``from_ "from"``)."""
        return f'{name}_ "{name}"' if name in CYTHON_WORDS else name

    def decl(self, node: c_ast.Node, name: str | None) -> str:
        """``type name`` for a declarator, in Cython's spelling."""
        copy = _with_name(node, self.ident(name) if name else None)
        text = str(self.gen._generate_type(copy))  # the declarator printer pycparser itself uses
        text = re.sub(r"\b(?:struct|union|enum)\s+", "", text)
        text = re.sub(r"\bvolatile\s+", "", text)
        text = re.sub(r"\b_Bool\b", "bint", text)
        text = re.sub(r"\[\]", "[0]", text)
        text = text.replace("(void)", "()")
        return text.strip()

    # -- declarations ----------------------------------------------------------------

    def pxd_lines(self) -> list[str]:
        """The body of the ``cdef extern from`` block."""
        lines: list[str] = []
        for ext in self.ast.ext:
            lines += self._ext(ext)
        return lines

    def _ext(self, ext: c_ast.Node) -> list[str]:
        if isinstance(ext, c_ast.Typedef):
            inner = ext.type.type if isinstance(ext.type, c_ast.TypeDecl) else None
            if isinstance(inner, (c_ast.Struct, c_ast.Union)) and inner.decls is not None:
                kind = "struct" if isinstance(inner, c_ast.Struct) else "union"
                if inner.name:
                    # `typedef struct X {...} X;`: one name to Cython, no ctypedef
                    alias = (
                        []
                        if inner.name == ext.name
                        else [f"ctypedef {inner.name} {self.ident(ext.name)}"]
                    )
                    return [*self._record(kind, inner.name, inner.decls), *alias]
                return self._record(kind, ext.name, inner.decls, ctypedef=True)
            if isinstance(inner, c_ast.Enum) and inner.values is not None:
                names = [self.ident(v.name) for v in inner.values.enumerators]
                head = (
                    f"ctypedef enum {self.ident(ext.name)}:"
                    if not inner.name
                    else f"cdef enum {inner.name}:"
                )
                tail = [] if not inner.name else [f"ctypedef {inner.name} {self.ident(ext.name)}"]
                return [head, *(f"    {n}" for n in names), *tail]
            if isinstance(inner, (c_ast.Struct, c_ast.Union)) and inner.name:
                kind = "struct" if isinstance(inner, c_ast.Struct) else "union"
                if inner.name == ext.name:  # `typedef struct X X;`: the struct's name already
                    return [f"cdef {kind} {inner.name}"]
                return [
                    f"cdef {kind} {inner.name}",
                    f"ctypedef {inner.name} {self.ident(ext.name)}",
                ]
            return [f"ctypedef {self.decl(ext.type, ext.name)}"]
        if isinstance(ext, c_ast.Decl):
            t = ext.type
            if isinstance(t, (c_ast.Struct, c_ast.Union)) and t.name:
                kind = "struct" if isinstance(t, c_ast.Struct) else "union"
                if t.decls is None:
                    return [f"cdef {kind} {t.name}"]
                return self._record(kind, t.name, t.decls)
            if isinstance(t, c_ast.Enum) and t.values is not None:
                head = f"cdef enum {t.name}:" if t.name else "cdef enum:"
                return [head, *(f"    {self.ident(v.name)}" for v in t.values.enumerators)]
            if isinstance(t, c_ast.FuncDecl) and ext.name:
                return [self.decl(t, ext.name)]
            if ext.name and "extern" in ext.storage:  # a global variable
                return [self.decl(t, ext.name)]
        return []

    def _record(
        self, kind: str, name: str, decls: list[c_ast.Node], ctypedef: bool = False
    ) -> list[str]:
        """A struct/union block, after the named records defined inside its members."""
        hoisted: list[str] = []
        members = self._members(decls, hoisted, name)
        head = f"{'ctypedef' if ctypedef else 'cdef'} {kind} {self.ident(name)}:"
        return [*hoisted, head, *(f"    {m}" for m in members or ["pass"])]

    def _members(self, decls: list[c_ast.Node], hoisted: list[str], owner: str) -> list[str]:
        out = []
        for d in decls:
            inner = d.type
            while isinstance(inner, (c_ast.TypeDecl, c_ast.PtrDecl, c_ast.ArrayDecl)):
                inner = inner.type
            if isinstance(inner, (c_ast.Struct, c_ast.Union)) and inner.decls is not None:
                if d.name is None:
                    out += self._members(inner.decls, hoisted, owner)  # anonymous: ours
                    continue
                if not inner.name:
                    self.skipped.append((owner, d.name))  # an unnamed type: Cython cannot spell it
                    continue
                kind = "struct" if isinstance(inner, c_ast.Struct) else "union"
                hoisted += self._record(kind, inner.name, inner.decls)  # inline: declare first
                out.append(self.decl(_without_body(d.type), d.name))
                continue
            out.append(self.decl(d.type, d.name))
        return out

    def macro_lines(self, consts: list[ir.Const]) -> list[str]:
        """The ``#define`` constants, declared so Cython code can use them by name."""
        lines = []
        for c in consts:
            if ir.annotation(c, ir.c.Cast) is not None or not isinstance(c.value, ir.Literal):
                continue
            value = c.value.value
            if isinstance(value, str):
                ctype = "const char *"
            elif isinstance(value, float):
                ctype = "double "
            else:
                number = int(value)
                ctype = (
                    "int "
                    if -(2**31) <= number < 2**31
                    else "unsigned long long " if number >= 2**63 else "long long "
                )
            lines.append(f"{ctype}{self.ident(c.name)}")
        return lines

    # -- wrappers --------------------------------------------------------------------

    def wrappers(self, functions: set[str]) -> list[Wrapper]:
        """``def`` wrappers for the functions whose arguments are numbers or byte buffers."""
        found = []
        for ext in self.ast.ext:
            if not (
                isinstance(ext, c_ast.Decl)
                and isinstance(ext.type, c_ast.FuncDecl)
                and ext.name in functions
            ):
                continue
            func = ext.type
            params = []
            ok = True
            c_params = func.args.params if func.args else []
            names = param_names([getattr(p, "name", None) for p in c_params], CYTHON_WORDS)
            for i, p in enumerate(c_params):
                if isinstance(p, c_ast.EllipsisParam):
                    ok = False
                    break
                kind = self._kind(p.type)
                if kind is None:
                    if self._is_void(p.type):
                        continue
                    ok = False
                    break
                pname = names[i]
                base = self._base(p.type) or "int"
                ctype = (
                    base.replace("_Bool", "bint") if set(base.split()) <= _INTS | _FLOATS else "int"
                )
                if kind == "value" and self._is_enum(p.type):
                    kind = "enum"  # an int from Python, cast to the enum type for C
                if kind in ("buffer", "enum"):  # the cast to the parameter's own type
                    ctype = re.sub(
                        r"\b[A-Za-z_]\w*\b",
                        lambda m: (
                            f"_c.{m[0]}" if m[0] in self.typedefs or m[0] in self.tags else m[0]
                        ),
                        self.decl(p.type, None),
                    )
                params.append((pname, ctype, kind))
            result = self._result(func.type)
            if ok and result is not None:
                found.append(Wrapper(ext.name, params, result))
        return found

    def _resolve(self, t: c_ast.Node) -> c_ast.Node:
        for _ in range(16):
            if isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.IdentifierType):
                name = " ".join(t.type.names)
                if name in self.typedefs:
                    t = self.typedefs[name]
                    continue
            break
        return t

    def _base(self, t: c_ast.Node) -> str | None:
        t = self._resolve(t)
        if isinstance(t, c_ast.TypeDecl):
            if isinstance(t.type, c_ast.IdentifierType):
                return " ".join(t.type.names)
            if isinstance(t.type, c_ast.Enum):
                return "int"
        return None

    def _is_enum(self, t: c_ast.Node) -> bool:
        r = self._resolve(t)
        return isinstance(r, c_ast.TypeDecl) and isinstance(r.type, c_ast.Enum)

    def _is_void(self, t: c_ast.Node) -> bool:
        return self._base(t) == "void"

    def _kind(self, t: c_ast.Node) -> str | None:
        base = self._base(t)
        if base is not None and (set(base.split()) <= _INTS or base in _FLOATS or base == "int"):
            return "value"
        r = self._resolve(t)
        if isinstance(r, c_ast.PtrDecl):
            target = r.type
            name = (
                " ".join(target.type.names)
                if isinstance(target, c_ast.TypeDecl)
                and isinstance(target.type, c_ast.IdentifierType)
                else ""
            )
            if name in _CHARS or self._base(target) in _CHARS or name == "void":
                return "buffer" if "const" in target.quals else None
        return None

    def _result(self, t: c_ast.Node) -> str | None:
        base = self._base(t)
        if base == "void":
            return "void"
        if base is not None and set(base.split()) <= _INTS:
            return "int"
        if base in _FLOATS:
            return "float"
        r = self._resolve(t)
        if (
            isinstance(r, c_ast.PtrDecl)
            and self._base(r.type) in ("char",)
            and "const" in r.type.quals
        ):
            return "bytes"
        return None


def _with_name(node: c_ast.Node, name: str | None) -> c_ast.Node:
    """A copy of a type declarator with its innermost TypeDecl named ``name``."""
    import copy

    clone = copy.deepcopy(node)
    t = clone
    while not isinstance(t, c_ast.TypeDecl):
        t = t.type
    t.declname = name
    for inner in _nodes(clone):  # parameter names of function types: only keywords matter
        if isinstance(inner, c_ast.TypeDecl) and inner is not t and inner.declname in CYTHON_WORDS:
            inner.declname += "_"
    return clone


def _without_body(node: c_ast.Node) -> c_ast.Node:
    """A copy of a member's type that refers to its inline struct by name only."""
    import copy

    clone = copy.deepcopy(node)
    inner = clone
    while isinstance(inner, (c_ast.TypeDecl, c_ast.PtrDecl, c_ast.ArrayDecl)):
        inner = inner.type
    inner.decls = None
    return clone


def _nodes(node: c_ast.Node) -> list[c_ast.Node]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(child for _, child in current.children())
    return found
