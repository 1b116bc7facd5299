"""IDL types as Python: the TypeCode expression and the type hint of each.

One :class:`TypeWriter` per generated ``x_idl`` module: it knows the flat
name of every declaration (its own file's, and ``other_idl.Flat`` for an
included file's), and which struct/union/value TypeCodes that module has
already built, so that a use before the definition (a recursive type through
a forward declaration) becomes ``tc.recursive(id)``, which the runtime
resolves when the enclosing TypeCode is built.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from idlgen import ir
from idlgen.passes.context import Context

#: IR primitive kinds → the runtime's ``tc`` constant.
PRIMITIVE_TC: dict[ir.Prim, str] = {
    ir.Prim.VOID: "tc.void",
    ir.Prim.BOOL: "tc.boolean",
    ir.Prim.CHAR: "tc.char",
    ir.Prim.WCHAR: "tc.wchar",
    ir.Prim.OCTET: "tc.octet",
    ir.Prim.INT8: "tc.octet",  # IDL 4 int8/uint8 have no CORBA 3 TypeCode: octets
    ir.Prim.UINT8: "tc.octet",
    ir.Prim.INT16: "tc.short",
    ir.Prim.UINT16: "tc.ushort",
    ir.Prim.INT32: "tc.long",
    ir.Prim.UINT32: "tc.ulong",
    ir.Prim.INT64: "tc.longlong",
    ir.Prim.UINT64: "tc.ulonglong",
    ir.Prim.FLOAT32: "tc.float",
    ir.Prim.FLOAT64: "tc.double",
    ir.Prim.LONGDOUBLE: "tc.longdouble",
    ir.Prim.FLOAT128: "tc.longdouble",
    ir.Prim.ANY: "tc.any",
    ir.Prim.TYPECODE: "tc.TypeCode",
    ir.Prim.OBJECT: "tc.Object",
    ir.Prim.VALUEBASE: "tc.ValueBase",
}

#: IR primitive kinds → the Python type hint of their values.
PRIMITIVE_HINT: dict[ir.Prim, str] = {
    ir.Prim.VOID: "None",
    ir.Prim.BOOL: "bool",
    ir.Prim.CHAR: "str",
    ir.Prim.WCHAR: "str",
    ir.Prim.FLOAT32: "float",
    ir.Prim.FLOAT64: "float",
    ir.Prim.LONGDOUBLE: "float",
    ir.Prim.FLOAT128: "float",
    ir.Prim.ANY: "CORBA.Any",
    ir.Prim.TYPECODE: "CORBA.TypeCode",
    ir.Prim.OBJECT: "CORBA.Object | None",
    ir.Prim.VALUEBASE: "mapping.Value | None",
}

#: Element kinds whose sequences and arrays the runtime decodes to ``mapping.NumSeq``.
NUMERIC = frozenset(
    {ir.Prim.INT16, ir.Prim.UINT16, ir.Prim.INT32, ir.Prim.UINT32, ir.Prim.INT64}
    | {ir.Prim.UINT64, ir.Prim.FLOAT32, ir.Prim.FLOAT64}
)

#: Declarations whose TypeCode is built from their class (and may be recursive).
_BUILT = (ir.Struct, ir.Union_, ir.ValueType, ir.Exception_)


def repository_id(decl: ir.Decl) -> str:
    """The repository ID the front-end assigned (omniidl's, checked by its tests)."""
    found = ir.annotation(decl, ir.omgidl.RepositoryId)
    return found.id if found is not None else ""


def int_value(expr: ir.Expr | None) -> int:
    """A folded integer expression (bounds, dimensions)."""
    assert isinstance(expr, ir.Literal) and isinstance(expr.value, int), expr
    return int(expr.value)


class TypeWriter:
    """TypeCodes and hints for one generated module (see the module docstring)."""

    def __init__(
        self,
        ctx: Context,
        decls: dict[tuple[str, ...], ir.Decl],
        ref: Callable[[tuple[str, ...]], str],
    ) -> None:
        self.ctx = ctx
        self.decls = decls
        #: The expression naming a declaration's class from this module.
        self.ref = ref
        #: Struct/union/value/exception/interface TypeCodes this module has built so far.
        self.built: set[tuple[str, ...]] = set()
        #: Whether a hint or literal needed ``decimal``.
        self.uses_decimal = False

    def decl(self, named: ir.Named) -> tuple[tuple[str, ...], ir.Decl]:
        """The path and the declaration a resolved name refers to (definitions over forwards)."""
        assert isinstance(named.name, ir.ScopedName)
        path = named.name.parts
        return path, self.decls[path]

    # -- TypeCodes -------------------------------------------------------------

    def typecode(self, t: ir.Type) -> str:
        """The expression of ``t``'s TypeCode in the generated module."""
        if isinstance(t, ir.Primitive):
            return PRIMITIVE_TC[t.kind]
        if isinstance(t, ir.String):
            if t.bound is not None:
                return f"tc.bounded_{'w' if t.wide else ''}string({int_value(t.bound)})"
            return "tc.wstring" if t.wide else "tc.string"
        if isinstance(t, ir.Fixed):
            return f"tc.fixed({int_value(t.digits)}, {int_value(t.scale)})"
        if isinstance(t, ir.Sequence):
            bound = f", {int_value(t.bound)}" if t.bound is not None else ""
            return f"tc.sequence({self.typecode(t.elem)}{bound})"
        if isinstance(t, ir.Array):
            inner = self.typecode(t.elem)
            for dim in reversed(t.dims):
                inner = f"tc.array({inner}, {int_value(dim)})"
            return inner
        assert isinstance(t, ir.Named), t
        path, decl = self.decl(t)
        return self.decl_typecode(path, decl)

    def decl_typecode(self, path: tuple[str, ...], decl: ir.Decl) -> str:
        """The TypeCode of a named declaration, as used from this module."""
        rid = _literal(repository_id(decl))
        name = _literal(decl.name)
        if isinstance(decl, ir.Interface) and (path in self.built or not self.is_local(path)):
            return self.ref(path, tc=True)  # type: ignore[call-arg]
        if isinstance(decl, ir.Interface) or (
            isinstance(decl, ir.Forward) and "interface" in decl.kind
        ):
            if decl_flag(decl, "abstract"):
                return f"tc.abstract_interface({rid}, {name})"
            if decl_flag(decl, "local"):
                return f"tc.local_interface({rid}, {name})"
            return f"tc.objref({rid}, {name})"
        if isinstance(decl, ir.Native):
            return f"tc.native({rid}, {name})"
        if isinstance(decl, ir.Forward):  # a struct, union or valuetype used before its body
            return f"tc.recursive({rid})"
        if isinstance(decl, _BUILT) and path not in self.built and self.is_local(path):
            return f"tc.recursive({rid})"
        return self.ref(path, tc=True)  # type: ignore[call-arg]

    def is_local(self, path: tuple[str, ...]) -> bool:
        """Whether ``path`` is defined by this module (not by an included file's)."""
        return "." not in self.ref(path)

    # -- hints -----------------------------------------------------------------

    def hint(self, t: ir.Type) -> str:
        """The type hint of values of ``t``."""
        if isinstance(t, ir.Primitive):
            return PRIMITIVE_HINT.get(t.kind, "int")
        if isinstance(t, ir.String):
            return "str"
        if isinstance(t, ir.Fixed):
            self.uses_decimal = True
            return "decimal.Decimal"
        if isinstance(t, (ir.Sequence, ir.Array)):
            elem = self.ctx.resolve(t.elem)
            if isinstance(t, ir.Array) and len(t.dims) > 1:
                inner = self.hint(ir.Array(t.elem, t.dims[1:]))
                return f"list[{inner}]"
            if isinstance(elem, ir.Primitive) and elem.kind in (ir.Prim.OCTET, ir.Prim.CHAR):
                return "bytes"
            if isinstance(elem, ir.Primitive) and elem.kind in NUMERIC:
                # Decoded in one call into the runtime's mapping.NumSeq (an
                # array.array); lists, tuples and arrays are all accepted.
                return f"typing.Sequence[{self.hint(t.elem)}]"
            return f"list[{self.hint(t.elem)}]"
        assert isinstance(t, ir.Named), t
        path, decl = self.decl(t)
        if isinstance(decl, ir.Typedef):
            return self.hint(decl.type)
        if isinstance(decl, ir.Native):
            return "object"
        if isinstance(decl, ir.ValueBox):
            return f"{self.hint(decl.type)} | None"
        if isinstance(decl, ir.Forward):  # never defined: a forward declaration alone
            return "mapping.Value | None" if "valuetype" in decl.kind else "CORBA.Object | None"
        if isinstance(decl, (ir.Interface, ir.ValueType)):
            return f"{self.ref(path)} | None"
        return self.ref(path)


def decl_flag(decl: ir.Decl, flag: str) -> bool:
    """Whether an interface (or its forward declaration) is ``abstract``/``local``."""
    if isinstance(decl, ir.Forward):
        return decl.kind.startswith(flag)
    return bool(getattr(decl, flag, False))


def _literal(text: str) -> str:
    from idlgen.render import string_literal

    return string_literal(text)


def python_literal(value: ir.Value) -> str:
    """A folded constant's value as Python source (booleans, ints, floats, text, fixed)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, Decimal):
        return f"decimal.Decimal({_literal(str(value))})"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f"float({_literal(repr(value))})"
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    return _literal(value)
