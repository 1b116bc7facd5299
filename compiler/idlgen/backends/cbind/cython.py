"""The Cython back-end: a ``.pxd`` of the declarations and ``def`` wrappers.

The ``def`` wrappers are planned by :mod:`.cython_layer`.

    NAME/_decls.pxd    cdef extern from "zlib.h": ... (cimport it from Cython code)
    NAME/_NAME.pyx     def crc32(uLong crc, buf, uInt len): ... (the Python layer)
    NAME/__init__.py   the wrappers, IntEnums and #define constants
    NAME/_build.py     cythonize + compile in place (what --build runs)

The declarations are printed from the IR in Cython's spelling (no
struct/union/enum keywords in uses, bitfields as plain members, anonymous
members flattened, a record written inside another declared before it, C
names that are Cython words renamed with their C name kept).
"""

from __future__ import annotations

from collections.abc import Iterable

from idlgen import ir
from idlgen.backends.cbind.cdecl import CPrinter, fields_of, is_anonymous, keyword
from idlgen.naming.c import CYTHON_WORDS, cython_ident, cython_name
from idlgen.passes.context import Context


class CythonPrinter(CPrinter):
    """Declarations in Cython's ``.pxd`` spelling, and the ``def`` wrappers."""

    def __init__(
        self, ctx: Context, qualified: bool = False, renamed: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(ctx)
        #: Tags that are also the name of a function or variable (``struct sigaction``
        #: and ``sigaction()``): one namespace to Cython, so the tag is ``sigaction_tag``
        #: there, with its C name kept.
        self.renamed = renamed
        #: Names of declared types prefixed with the cimported module (``_c.uLong``).
        self.qualified = qualified
        #: (record, member, record's place) left out: a member of an unnamed type in place.
        self.skipped: list[tuple[str, str, ir.Loc]] = []
        #: Tags the ``.pxd`` has declared so far (one ``cdef struct X`` is enough).
        self.declared: set[str] = set()

    # -- the spelling ----------------------------------------------------------------

    def primitive(self, kind: ir.Prim) -> str:
        """``_Bool`` is ``bint``."""
        return "bint" if kind is ir.Prim.BOOL else super().primitive(kind)

    def type_name(self, name: str) -> str:
        """A typedef name (``_c.`` before it in the wrappers' casts); C's complex types."""
        if name.endswith(" _Complex"):  # Cython spells C's `double _Complex` `double complex`
            return name.removesuffix(" _Complex") + " complex"
        if self.qualified and self.ctx.symbols.get(ir.Space.ORDINARY, ir.name(name)):
            return f"_c.{cython_name(name)}"
        return cython_name(name)

    def tag(self, kind: str, name: str) -> str:
        """No keyword in a use (``_c.`` before it in the wrappers' casts)."""
        return f"_c.{self.tag_name(name)}" if self.qualified else self.tag_name(name)

    def tag_name(self, name: str) -> str:
        """A tag as Cython code names it (:attr:`renamed`)."""
        return f"{name}_tag" if name in self.renamed else cython_name(name)

    def tag_ident(self, name: str) -> str:
        """A tag where the ``.pxd`` declares it, with its C name when renamed."""
        return f'{name}_tag "{name}"' if name in self.renamed else cython_ident(name)

    def spell(self, t: ir.Type, depth: int = 0) -> str:
        """A tag by its name, or by its typedef when it has none; never a body."""
        if isinstance(t, ir.Named) and t.space is ir.Space.TAG:
            return self.tag("", self.record_name(self.ctx.symbols.lookup(t), str(t.name)))
        return super().spell(t, depth)

    def declarator(self, t: ir.Type, inner: str, depth: int = 0) -> str:
        """A function type in a wrapper's cast is ``noexcept``, as in ``cdef extern``."""
        text = super().declarator(t, inner, depth)
        return f"{text} noexcept" if self.qualified and isinstance(t, ir.Function) else text

    def param_name(self, name: str) -> str:
        """A Cython word gets a ``_``."""
        return name + "_" if name in CYTHON_WORDS else name

    def keeps(self, qualifier: str) -> bool:
        """Cython has no ``volatile`` and no ``_Atomic`` (stdatomic.h's ``atomic_bool``)."""
        return qualifier not in ("volatile", "_Atomic")

    def open_array(self) -> str:
        """Cython spells C's ``x[]`` as ``x[0]``."""
        return "[0]"

    def no_params(self) -> str:
        """``f()``, not ``f(void)``."""
        return ""

    def record_name(self, decl: ir.Decl | None, name: str) -> str:
        """A tag, or for an unnamed body the typedef that names it."""
        hoisted = ir.annotation(decl, ir.Hoisted) if decl is not None else None
        if decl is not None and is_anonymous(decl) and hoisted is not None:
            return hoisted.owner
        return name

    def line(self, t: ir.Type, name: str) -> str:
        """``type name`` for a member, typedef, function or variable."""
        return self.declarator(t, cython_ident(name) if name else "")

    # -- declarations ----------------------------------------------------------------

    def pxd_lines(self, decls: Iterable[ir.Decl]) -> list[str]:
        """The body of the ``cdef extern from`` block."""
        lines: list[str] = []
        for d in decls:
            lines += self.pxd(d)
        return lines

    def pxd(self, d: ir.Decl) -> list[str]:
        """The ``.pxd`` lines of one declaration."""
        if ir.annotation(d, ir.Hoisted) is not None:
            return []
        if isinstance(d, ir.Typedef):
            return self._typedef(d)
        if isinstance(d, ir.Forward):
            return self._forward(d.kind, d.name)
        if isinstance(d, (ir.Struct, ir.Union_)):
            return self._record(d, d.name)
        if isinstance(d, ir.Enum_):
            head = f"cdef enum {self.tag_ident(d.name)}:" if not is_anonymous(d) else "cdef enum:"
            return [head, *(f"    {cython_ident(m.name)}" for m in d.members)]
        if isinstance(d, ir.Interface):
            return [
                *(self.line(ir.Function(op.result, op.params, op.varargs), op.name)
                  for op in d.operations),
                *(self.line(a.type, a.name) for a in d.attributes),
            ]  # fmt: skip
        return []

    def _typedef(self, d: ir.Typedef) -> list[str]:
        t = d.type
        while isinstance(t, ir.Qualified) and not any(map(self.keeps, t.quals)):
            t = t.elem  # `typedef _Atomic struct {...} atomic_flag;`: the struct, to Cython
        decl = self.ctx.symbols.lookup(t) if isinstance(t, ir.Named) else None
        if isinstance(t, ir.Named) and t.space is ir.Space.TAG:
            hoisted = ir.annotation(decl, ir.Hoisted) if decl is not None else None
            if isinstance(decl, (ir.Struct, ir.Union_)) and hoisted is not None:
                if is_anonymous(decl):
                    return self._record(decl, d.name, ctypedef=True)
                # `typedef struct X {...} X;`: one name to Cython, no ctypedef
                alias = (
                    []
                    if decl.name == d.name
                    else [f"ctypedef {self.tag_name(decl.name)} {cython_ident(d.name)}"]
                )
                return [*self._record(decl, decl.name), *alias]
            if isinstance(decl, ir.Enum_) and hoisted is not None:
                members = [f"    {cython_ident(m.name)}" for m in decl.members]
                if is_anonymous(decl):
                    return [f"ctypedef enum {cython_ident(d.name)}:", *members]
                return [
                    f"cdef enum {self.tag_ident(decl.name)}:",
                    *members,
                    f"ctypedef {self.tag_name(decl.name)} {cython_ident(d.name)}",
                ]
            kind = keyword(decl)
            if kind in ("struct", "union"):
                tag = str(t.name)
                if tag == d.name:  # `typedef struct X X;`: the struct's name already
                    return self._forward(kind, tag)
                return [
                    *self._forward(kind, tag),
                    f"ctypedef {self.tag_name(tag)} {cython_ident(d.name)}",
                ]
        return [f"ctypedef {self.line(t, d.name)}"]

    def _forward(self, kind: str, tag: str) -> list[str]:
        """``cdef struct X`` where Cython has not seen X yet."""
        if tag in self.declared:
            return []
        self.declared.add(tag)
        return [f"cdef {kind} {self.tag_ident(tag)}"]

    def _record(self, d: ir.Struct | ir.Union_, name: str, ctypedef: bool = False) -> list[str]:
        """A struct/union block, after the named records defined inside its members."""
        self.declared.add(name)
        hoisted: list[str] = []
        members = self._members(d, hoisted, name)
        ident = cython_ident(name) if ctypedef else self.tag_ident(name)
        head = f"{'ctypedef' if ctypedef else 'cdef'} {keyword(d)} {ident}:"
        return [*hoisted, head, *(f"    {m}" for m in members or ["pass"])]

    def _members(self, d: ir.Struct | ir.Union_, hoisted: list[str], owner: str) -> list[str]:
        out = []
        for f in fields_of(d):
            inner = f.type
            while isinstance(inner, (ir.Pointer, ir.Array, ir.Qualified)):
                inner = inner.elem
            body = self.ctx.symbols.lookup(inner) if isinstance(inner, ir.Named) else None
            if (
                isinstance(body, (ir.Struct, ir.Union_))
                and ir.annotation(body, ir.Hoisted) is not None
                and body.name not in self.declared  # glibc's list node points to itself
            ):
                if not f.name:
                    out += self._members(body, hoisted, owner)  # anonymous: ours
                    continue
                if is_anonymous(body):
                    self.skipped.append((owner, f.name, d.loc))  # Cython cannot spell it
                    continue
                hoisted += self._record(body, body.name)  # written inside: declared first
            out.append(self.line(f.type, f.name))
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
            lines.append(f"{ctype}{cython_ident(c.name)}")
        return lines
