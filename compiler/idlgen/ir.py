"""The one intermediate representation shared by every front-end and back-end.

Each class names, in the comment above it, the source constructs it stands for
in the four input languages (XDR/RPC language, OMG IDL, WSDL/XSD, C). Nodes are
frozen: passes return new trees (``dataclasses.replace``) instead of mutating.
``loc`` never takes part in equality, so trees compare structurally.

What only one front-end knows (RPC program numbers, CORBA repository IDs, SOAP
actions, C calling details) goes in a node's ``annotations``: a tuple of small
frozen dataclasses that back-ends look up by type with :func:`annotation`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from typing import TypeVar

A = TypeVar("A")


@dataclass(frozen=True, slots=True)
class Loc:
    """A place in a user's file: 1-based line and column, end exclusive."""

    file: str
    line: int
    col: int
    end_line: int | None = None
    end_col: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


#: Where builtin or synthesized nodes come from.
NOWHERE = Loc("<builtin>", 0, 0)


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every IR node: a location and a generic way to walk children."""

    loc: Loc = field(default=NOWHERE, compare=False, repr=False, kw_only=True)

    def children(self) -> Iterator[Node]:
        """Direct child nodes, in source order (for generic visitors)."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, Node))


def annotation(node: Decl | Operation | Param, kind: type[A]) -> A | None:
    """The front-end annotation of type ``kind`` on ``node``, if it has one."""
    for ann in node.annotations:
        if isinstance(ann, kind):
            return ann
    return None


# --- constant expressions ---------------------------------------------------
# XDR `const` values, array bounds, case labels; IDL const expressions;
# C `#define` values and enumerator values.


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """An integer, float, string, char or boolean literal (after folding: any value)."""

    value: int | float | str | bool


@dataclass(frozen=True, slots=True)
class ConstRef(Node):
    """A name used in an expression: a const or an enumerator."""

    name: str


@dataclass(frozen=True, slots=True)
class Unary(Node):
    """``-x``, ``+x``, ``~x``."""

    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary(Node):
    """``a op b`` for the arithmetic, shift and bitwise operators."""

    op: str
    left: Expr
    right: Expr


Expr = Literal | ConstRef | Unary | Binary


# --- types ------------------------------------------------------------------


class Prim(str, Enum):
    """Primitive kinds, named by meaning and width (not by one language's spelling)."""

    VOID = "void"
    BOOL = "bool"
    CHAR = "char"  # IDL char / C char
    WCHAR = "wchar"
    OCTET = "octet"
    INT8 = "int8"
    UINT8 = "uint8"
    INT16 = "int16"  # IDL short
    UINT16 = "uint16"
    INT32 = "int32"  # XDR int, IDL long
    UINT32 = "uint32"
    INT64 = "int64"  # XDR hyper, IDL long long
    UINT64 = "uint64"
    FLOAT32 = "float32"
    FLOAT64 = "float64"
    FLOAT128 = "float128"  # XDR quadruple
    LONGDOUBLE = "longdouble"
    ANY = "any"


INTEGER_RANGES: dict[Prim, tuple[int, int]] = {
    Prim.INT8: (-(2**7), 2**7 - 1),
    Prim.UINT8: (0, 2**8 - 1),
    Prim.OCTET: (0, 2**8 - 1),
    Prim.CHAR: (-(2**7), 2**8 - 1),
    Prim.INT16: (-(2**15), 2**15 - 1),
    Prim.UINT16: (0, 2**16 - 1),
    Prim.INT32: (-(2**31), 2**31 - 1),
    Prim.UINT32: (0, 2**32 - 1),
    Prim.INT64: (-(2**63), 2**63 - 1),
    Prim.UINT64: (0, 2**64 - 1),
    Prim.BOOL: (0, 1),
}


@dataclass(frozen=True, slots=True)
class Primitive(Node):
    """XDR int/hyper/float/double/quadruple/bool/void; IDL basic types; C arithmetic types."""

    kind: Prim


@dataclass(frozen=True, slots=True)
class String(Node):
    """XDR ``string<n>``; IDL ``string<n>``/``wstring``; XSD ``xs:string``."""

    bound: Expr | None = None
    wide: bool = False


@dataclass(frozen=True, slots=True)
class Opaque(Node):
    """XDR ``opaque[n]`` (fixed) and ``opaque<n>``; XSD ``base64Binary``."""

    bound: Expr | None = None
    fixed: bool = False


@dataclass(frozen=True, slots=True)
class Sequence(Node):
    """XDR ``T x<n>``; IDL ``sequence<T, n>``; XSD ``maxOccurs>1``."""

    elem: Type
    bound: Expr | None = None


@dataclass(frozen=True, slots=True)
class Array(Node):
    """XDR ``T x[n]``; IDL ``T x[n][m]``; C ``T x[n]``."""

    elem: Type
    dims: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Optional(Node):
    """XDR optional data ``T *x``; XSD ``minOccurs=0``/nillable."""

    elem: Type


@dataclass(frozen=True, slots=True)
class Pointer(Node):
    """A C pointer (not optional data: no wire form)."""

    elem: Type
    const: bool = False


@dataclass(frozen=True, slots=True)
class FuncPtr(Node):
    """A C function pointer / callback type."""

    result: Type
    params: tuple[Param, ...]
    varargs: bool = False


@dataclass(frozen=True, slots=True)
class Named(Node):
    """A use of a declared type by name (resolved by ``ResolveNames``)."""

    name: str


Type = Primitive | String | Opaque | Sequence | Array | Optional | Pointer | FuncPtr | Named


# --- declarations -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decl(Node):
    """Base of named declarations: a name, a doc comment, front-end annotations."""

    name: str
    doc: str | None = field(default=None, kw_only=True, compare=False)
    annotations: tuple[object, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True, slots=True)
class Const(Decl):
    """XDR/IDL ``const``; C ``#define NAME value``."""

    type: Type | None
    value: Expr


@dataclass(frozen=True, slots=True)
class EnumMember(Decl):
    """One enumerator; ``value`` is None where the language numbers implicitly."""

    value: Expr | None


@dataclass(frozen=True, slots=True)
class Enum_(Decl):
    """XDR/IDL/C ``enum``; XSD enumeration restriction."""

    members: tuple[EnumMember, ...]


@dataclass(frozen=True, slots=True)
class Field(Decl):
    """A struct member, union arm declaration or exception member."""

    type: Type


@dataclass(frozen=True, slots=True)
class Struct(Decl):
    """XDR/IDL/C ``struct``; XSD complexType sequence."""

    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Case(Node):
    """One union arm: its labels and declaration (``None`` for a ``void`` arm)."""

    labels: tuple[Expr, ...]
    field: Field | None


@dataclass(frozen=True, slots=True)
class Union_(Decl):
    """XDR/IDL discriminated ``union``; C ``union`` (no discriminator); XSD choice."""

    discriminator: Field | None
    cases: tuple[Case, ...]
    default: Case | None = None


@dataclass(frozen=True, slots=True)
class Typedef(Decl):
    """XDR/IDL/C ``typedef``."""

    type: Type


@dataclass(frozen=True, slots=True)
class Exception_(Decl):
    """IDL ``exception``; WSDL fault."""

    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Passthrough(Decl):
    """XDR ``%`` lines: text meant for rpcgen's C output, kept for the record."""

    text: str


class Direction(str, Enum):
    """Parameter passing direction."""

    IN = "in"
    OUT = "out"
    INOUT = "inout"


@dataclass(frozen=True, slots=True)
class Param(Decl):
    """An operation parameter (XDR procedure arguments are all ``in``)."""

    type: Type
    direction: Direction = Direction.IN


@dataclass(frozen=True, slots=True)
class Operation(Decl):
    """XDR procedure; IDL operation; WSDL operation; C function."""

    params: tuple[Param, ...]
    result: Type
    raises: tuple[Named, ...] = ()
    oneway: bool = False


@dataclass(frozen=True, slots=True)
class Attribute(Decl):
    """IDL ``attribute`` (``readonly`` when not writable); a C global variable."""

    type: Type
    readonly: bool = False


@dataclass(frozen=True, slots=True)
class Interface(Decl):
    """XDR program version; IDL interface; WSDL portType+binding; C function set."""

    operations: tuple[Operation, ...]
    bases: tuple[Named, ...] = ()
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True, slots=True)
class Module(Decl):
    """IDL ``module``; an XDR ``program`` (its versions are the Interfaces inside)."""

    decls: tuple[Decl, ...]


@dataclass(frozen=True, slots=True)
class Spec(Node):
    """One compilation unit: the main file and everything it included."""

    file: str
    decls: tuple[Decl, ...]


# --- the typed visitor ----------------------------------------------------------

R = TypeVar("R")


class Visitor:
    """Dispatches ``visit(node)`` to ``visit_<ClassName>``, else :meth:`generic_visit`."""

    def visit(self, node: Node) -> object:
        """Visit one node."""
        method = getattr(self, "visit_" + type(node).__name__, self.generic_visit)
        return method(node)

    def generic_visit(self, node: Node) -> object:
        """Visit every child; return nothing."""
        for child in node.children():
            self.visit(child)
        return None


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree below ``node`` (itself included), depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.children())))


# --- front-end annotations ------------------------------------------------------
# Small typed slots for what only one front-end knows; the core passes ignore
# them except to fold the constant expressions they hold.


@dataclass(frozen=True, slots=True)
class RpcNumber(Node):
    """XDR: the number of a ``program``, ``version`` or procedure.

    It annotates the Module, Interface or Operation that stands for it.
    """

    value: Expr


@dataclass(frozen=True, slots=True)
class Hoisted(Node):
    """XDR/IDL: this declaration was written in place (anonymous) inside ``owner``."""

    owner: str


N = TypeVar("N", bound=Node)


def map_tree(node: N, fn: Callable[[Node], Node]) -> N:
    """Rebuild ``node`` bottom-up, replacing each node ``n`` by ``fn(n)``.

    Unchanged subtrees are returned as they are, so a pass that touches a few
    nodes copies only their ancestors.
    """
    changes: dict[str, object] = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, Node):
            new = map_tree(value, fn)
            if new is not value:
                changes[f.name] = new
        elif isinstance(value, tuple) and any(isinstance(v, Node) for v in value):
            items = tuple(map_tree(v, fn) if isinstance(v, Node) else v for v in value)
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[f.name] = items
    rebuilt = replace(node, **changes) if changes else node  # type: ignore[arg-type]
    return fn(rebuilt)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class CDecl(Node):
    """C: the declaration as C text (for cffi's cdef and Cython's extern block).

    ``bound`` is False for a declaration that only comes along because a bound
    one uses its type.
    """

    text: str
    bound: bool = True


@dataclass(frozen=True, slots=True)
class CAlias(Node):
    """C: ``#define mpz_add __gmpz_add``, another name for a bound function."""

    target: str


@dataclass(frozen=True, slots=True)
class CCast(Node):
    """C: a ``#define`` whose value is a number cast to a pointer type."""

    ctype: str


@dataclass(frozen=True, slots=True)
class CVarargs(Node):
    """C: the function takes ``...`` after its named parameters."""


@dataclass(frozen=True, slots=True)
class CUnit(Node):
    """C: the headers of a binding and the cdef text of everything it declares."""

    headers: tuple[str, ...]
    cdef: str


@dataclass(frozen=True, slots=True)
class CByValue(Node):
    """C: the function passes a union or a bitfield struct by value (``type``)."""

    type: str
