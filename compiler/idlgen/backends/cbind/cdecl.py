"""C declarations printed from the IR: the cdef that cffi reads.

The spelling is the one pycparser's generator uses (a body's braces on lines
of their own, two spaces of indent), so the cdef reads like the header. A
body C writes inside another declaration (:class:`~idlgen.ir.Hoisted`) is
printed there, the first time its type is written; later uses name its tag.
Types come from the symbol table (``ctx``): a tag's keyword is its
declaration's kind.
"""

from __future__ import annotations

from collections.abc import Iterable

from idlgen import ir
from idlgen.passes.context import Context

#: C's spelling of each primitive kind.
SPELLING: dict[ir.Prim, str] = {
    ir.Prim.VOID: "void", ir.Prim.BOOL: "_Bool", ir.Prim.CHAR: "char",
    ir.Prim.INT8: "signed char", ir.Prim.UINT8: "unsigned char", ir.Prim.INT16: "short",
    ir.Prim.UINT16: "unsigned short", ir.Prim.INT32: "int", ir.Prim.UINT32: "unsigned int",
    ir.Prim.LONG: "long", ir.Prim.ULONG: "unsigned long", ir.Prim.INT64: "long long",
    ir.Prim.UINT64: "unsigned long long", ir.Prim.FLOAT32: "float", ir.Prim.FLOAT64: "double",
    ir.Prim.LONGDOUBLE: "long double",
}  # fmt: skip

INDENT = "  "


def is_anonymous(decl: ir.Decl) -> bool:
    """A struct/union/enum without a tag (the front-end names it ``owner:n``)."""
    return ":" in decl.name or not decl.name


def keyword(decl: ir.Decl | None) -> str:
    """``struct``, ``union`` or ``enum`` for a tag's declaration."""
    if isinstance(decl, ir.Forward):
        return decl.kind
    if isinstance(decl, ir.Union_):
        return "union"
    if isinstance(decl, ir.Enum_):
        return "enum"
    return "struct"


def fields_of(decl: ir.Struct | ir.Union_) -> tuple[ir.Field, ...]:
    """A record's members (a C union holds one per case)."""
    if isinstance(decl, ir.Struct):
        return decl.fields
    return tuple(c.field for c in decl.cases if c.field is not None)


def number(e: ir.Expr) -> str:
    """An array size, bitfield width or enumerator value (FoldConstants made it a number)."""
    return str(e.value) if isinstance(e, ir.Literal) else "0"


def underlying(ctx: Context, t: ir.Type) -> ir.Type:
    """``t`` without qualifiers or typedefs: ``const uLongf`` is ``unsigned long``.

    Typedef chains are the symbol table's to follow (``ctx.resolve``); a chain
    may pass through a qualified type (``typedef const T U``), dropped here.
    """
    while True:
        if isinstance(t, ir.Qualified):
            t = t.elem
            continue
        resolved = ctx.resolve(t)
        if resolved is t or resolved == t:
            return t
        t = resolved


class CPrinter:
    """C text of declarations; :class:`CythonPrinter` changes the spelling."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        #: Hoisted bodies with a tag, once printed in place.
        self.printed: set[tuple[ir.Space, str]] = set()

    # -- declarations ----------------------------------------------------------------

    def cdef(self, decls: Iterable[ir.Decl]) -> str:
        """The cdef of a header's declarations, in order (``#define`` constants aside)."""
        return "\n".join(text for d in decls if (text := self.decl(d)))

    def decl(self, d: ir.Decl) -> str:
        """One declaration (an Interface: its functions and variables), or ``""``."""
        if ir.annotation(d, ir.Hoisted) is not None:
            return ""
        if isinstance(d, ir.Forward):
            return f"{d.kind} {d.name};"
        if isinstance(d, (ir.Struct, ir.Union_, ir.Enum_)):
            return self.body(d, 0) + ";"
        if isinstance(d, ir.Typedef):
            return f"typedef {self.declarator(d.type, d.name)};"
        if isinstance(d, ir.Interface):
            return "\n".join(
                [self.decl(op) for op in d.operations] + [self.decl(a) for a in d.attributes]
            )
        if isinstance(d, ir.Operation):
            return self.declarator(ir.Function(d.result, d.params, d.varargs), d.name) + ";"
        if isinstance(d, ir.Attribute):
            return f"extern {self.declarator(d.type, d.name)};"
        return ""

    def body(self, d: ir.Struct | ir.Union_ | ir.Enum_, depth: int) -> str:
        """``struct S`` and its braced members, the members at ``depth + 1``."""
        head = keyword(d) + ("" if is_anonymous(d) else f" {d.name}")
        pad, inner = INDENT * depth, INDENT * (depth + 1)
        if isinstance(d, ir.Enum_):
            lines = ",\n".join(
                f"{inner}{m.name}" + (f" = {number(m.value)}" if m.value is not None else "")
                for m in d.members
            )
        else:
            lines = "\n".join(
                inner
                + self.declarator(f.type, f.name, depth + 1)
                + (f" : {number(f.bits)}" if f.bits is not None else "")
                + ";"
                for f in fields_of(d)
            )
        return f"{head}\n{pad}{{\n{lines}\n{pad}}}" if lines else f"{head}\n{pad}{{\n{pad}}}"

    # -- types -----------------------------------------------------------------------

    def declarator(self, t: ir.Type, inner: str, depth: int = 0) -> str:
        """``t`` declaring ``inner`` (a name, or more declarator), C's inside-out way."""
        if isinstance(t, ir.Pointer):
            star = "*" + (f" {' '.join(t.quals)} " if t.quals else "") + inner
            if isinstance(t.elem, (ir.Array, ir.Function)):
                star = f"({star})"
            return self.declarator(t.elem, star, depth)
        if isinstance(t, ir.Array):
            dims = "".join(f"[{number(d)}]" for d in t.dims) or self.open_array()
            return self.declarator(t.elem, inner + dims, depth)
        if isinstance(t, ir.Function):
            params = [self.declarator(p.type, self.param_name(p.name)) for p in t.params]
            if t.varargs:
                params.append("...")
            listed = ", ".join(params) or self.no_params()
            return self.declarator(t.result, f"{inner}({listed})", depth)
        if isinstance(t, ir.Qualified):
            quals = " ".join(q for q in t.quals if self.keeps(q))
            base = self.declarator(t.elem, inner, depth)
            return f"{quals} {base}" if quals else base
        spelled = self.spell(t, depth)
        return f"{spelled} {inner}" if inner else spelled

    def spell(self, t: ir.Type, depth: int = 0) -> str:
        """A base type: a primitive, a typedef name, a tag (or a body written in place)."""
        if isinstance(t, ir.Primitive):
            return self.primitive(t.kind)
        if isinstance(t, ir.Named):
            if t.space is not ir.Space.TAG:
                return self.type_name(str(t.name))
            decl = self.ctx.symbols.lookup(t)
            if isinstance(decl, (ir.Struct, ir.Union_, ir.Enum_)) and self.in_place(decl):
                return self.body(decl, depth)
            return self.tag(keyword(decl), str(t.name))
        return "void"

    def in_place(self, decl: ir.Struct | ir.Union_ | ir.Enum_) -> bool:
        """Whether a hoisted body is printed here: always if it has no tag, else once."""
        if ir.annotation(decl, ir.Hoisted) is None:
            return False
        if is_anonymous(decl):
            return True
        key = (decl.space, decl.name)
        if key in self.printed:
            return False
        self.printed.add(key)
        return True

    # -- what a dialect changes ---------------------------------------------------------

    def primitive(self, kind: ir.Prim) -> str:
        """A primitive kind as C spells it."""
        return SPELLING.get(kind, "void")

    def type_name(self, name: str) -> str:
        """A typedef name as written."""
        return name

    def tag(self, kind: str, name: str) -> str:
        """A struct/union/enum tag as written in a use."""
        return f"{kind} {name}"

    def param_name(self, name: str) -> str:
        """A parameter name in a function type."""
        return name

    def keeps(self, qualifier: str) -> bool:
        """Whether a qualifier is written."""
        return True

    def open_array(self) -> str:
        """The dimension of an array of unknown size (C's ``x[]``)."""
        return "[]"

    def no_params(self) -> str:
        """The parameter list of a function that takes none."""
        return "void"
