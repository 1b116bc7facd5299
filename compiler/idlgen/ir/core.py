"""The one intermediate representation shared by every front-end and back-end.

Each class names, in the comment above it, the source constructs it stands for
in the four input languages (XDR/RPC language, OMG IDL, WSDL/XSD, C). Nodes are
frozen: passes return new trees (``dataclasses.replace``) instead of mutating.
``loc`` never takes part in equality, so trees compare structurally.

Names: a declaration has its local ``name``; where it lives is the scope the
tree gives it (IDL modules and interfaces nest scopes; an XSD schema is a
namespace). Uses of names (:class:`Named`, :class:`ConstRef`) hold a
:class:`ScopedName` (``M::I::T`` as written) or a :class:`QName`
(``{namespace}local``) and a symbol :class:`Space`; ``ResolveNames`` rewrites
each to the full name of what it refers to, so after it a use is a key of the
symbol table (:mod:`idlgen.symbols`).

What only one language knows (RPC program numbers, CORBA repository IDs, SOAP
actions, C calling details) goes in a node's ``annotations``: small frozen
dataclasses defined per language in :mod:`idlgen.ir.xdr`, :mod:`idlgen.ir.omgidl`,
:mod:`idlgen.ir.soap` and :mod:`idlgen.ir.c`, looked up by type with
:func:`annotation`. The core passes never read them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from enum import Enum
from typing import TypeVar

__all__ = [
    "Array",
    "Attribute",
    "Binary",
    "Case",
    "Const",
    "ConstRef",
    "Decl",
    "Derivation",
    "Direction",
    "Element",
    "EnumMember",
    "Enum_",
    "Exception_",
    "Expr",
    "FLOAT_KINDS",
    "Facets",
    "Field",
    "Fixed",
    "Forward",
    "Function",
    "Group",
    "GroupKind",
    "Hoisted",
    "INTEGER_RANGES",
    "Initializer",
    "Interface",
    "Literal",
    "Loc",
    "MemberKind",
    "Message",
    "MessagePart",
    "ModelGroup",
    "Module",
    "NOWHERE",
    "Name",
    "Named",
    "Native",
    "Node",
    "Opaque",
    "Operation",
    "Optional",
    "Param",
    "Passthrough",
    "Pointer",
    "Port",
    "Prim",
    "Primitive",
    "QName",
    "Qualified",
    "Restricted",
    "ScopedName",
    "Sequence",
    "Service",
    "Space",
    "Spec",
    "String",
    "Struct",
    "Type",
    "Typedef",
    "Unary",
    "UnionOf",
    "Union_",
    "Value",
    "ValueBox",
    "ValueType",
    "Visitor",
    "Wildcard",
    "annotation",
    "map_tree",
    "name",
    "walk",
]

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


# --- names --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class ScopedName:
    """XDR and C ``name``; IDL ``name``, ``M::I::name``, ``::M::name``.

    ``absolute`` is the leading ``::`` of IDL. After ``ResolveNames`` every use
    holds the full path of its declaration from the root (``absolute`` False).
    """

    parts: tuple[str, ...]
    absolute: bool = False

    @classmethod
    def parse(cls, text: str) -> ScopedName:
        """``"M::I::T"``, ``"::T"`` or a plain ``"T"``."""
        absolute = text.startswith("::")
        return cls(tuple(text.removeprefix("::").split("::")), absolute)

    @property
    def local(self) -> str:
        """The last identifier: the declaration's own name."""
        return self.parts[-1]

    @property
    def scope(self) -> tuple[str, ...]:
        """The scopes the name is written in (all but the last identifier)."""
        return self.parts[:-1]

    def __str__(self) -> str:
        return ("::" if self.absolute else "") + "::".join(self.parts)


@dataclass(frozen=True, slots=True, order=True)
class QName:
    """XSD/WSDL ``prefix:local`` after the prefix is looked up: ``{namespace}local``."""

    namespace: str
    local: str

    def __str__(self) -> str:
        return f"{{{self.namespace}}}{self.local}" if self.namespace else self.local


Name = ScopedName | QName


def name(text: str) -> ScopedName:
    """The ScopedName a front-end writes for ``text`` (``"T"``, ``"M::T"``, ``"::T"``)."""
    return ScopedName.parse(text)


class Space(str, Enum):
    """Symbol spaces: one name may be declared once in each.

    XDR and OMG IDL have one space; C keeps struct/union/enum tags apart from
    ordinary identifiers; XML Schema and WSDL 1.1 keep a space per component kind.
    """

    ORDINARY = "ordinary"
    TAG = "tag"  # C struct/union/enum tags
    TYPE = "type"  # XSD type definitions
    ELEMENT = "element"  # XSD element declarations
    ATTRIBUTE = "attribute"  # XSD attribute declarations
    GROUP = "group"  # XSD model groups
    ATTRIBUTE_GROUP = "attributeGroup"
    MESSAGE = "message"  # WSDL 1.1 messages
    INTERFACE = "interface"  # WSDL portTypes (1.1) and interfaces (2.0)
    BINDING = "binding"  # WSDL bindings
    SERVICE = "service"  # WSDL services


# --- the base node --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every IR node: a location and a generic way to walk children."""

    loc: Loc = field(default=NOWHERE, compare=False, repr=False, kw_only=True)

    def children(self) -> Iterator[Node]:
        """Direct child nodes, in source order (for generic visitors)."""
        for name in field_names(self):
            value = getattr(self, name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, Node))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
#: Field annotations that never hold a node (walks skip those fields).
_SCALARS = frozenset(
    {"Loc", "str", "bool", "int", "float", "Value", "Space", "MemberKind", "Prim"}
    | {"str | None", "int | None", "bool | None"}
)


def field_names(node: Node) -> tuple[str, ...]:
    """The names of the fields of a node that may hold nodes, looked up once per class.

    Fields declared as plain values (``str``, ``int``, ``Loc``...) are left out:
    walks over a large input visit half as many fields.
    """
    names = _FIELD_NAMES.get(type(node))
    if names is None:
        names = _FIELD_NAMES[type(node)] = tuple(
            f.name for f in fields(node) if str(f.type) not in _SCALARS
        )
    return names


def annotation(node: Node, kind: type[A]) -> A | None:
    """The language annotation of type ``kind`` on ``node``, if it has one."""
    for ann in getattr(node, "annotations", ()):
        if isinstance(ann, kind):
            return ann
    return None


# --- constant expressions ---------------------------------------------------
# XDR `const` values, array bounds, case labels; IDL const expressions;
# C `#define` values and enumerator values; XSD defaults, fixed values, facets.

Value = int | float | str | bool | Decimal


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A literal; after FoldConstants, the value of every expression.

    ``int``/``float``/``bool``/``str``; ``Decimal`` for IDL fixed-point (``1.5d``)
    and XSD decimals. ``char`` marks a character literal (IDL ``'a'``, a one
    character str), ``wide`` the ``L`` prefix of IDL wide chars and strings.
    """

    value: Value
    char: bool = False
    wide: bool = False


@dataclass(frozen=True, slots=True)
class ConstRef(Node):
    """A name used in an expression: a const or an enumerator (``M::C``, ``Color::RED``)."""

    name: ScopedName


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
    WCHAR = "wchar"  # IDL wchar / C wchar_t
    OCTET = "octet"
    INT8 = "int8"  # C signed char, IDL int8
    UINT8 = "uint8"  # C unsigned char, IDL uint8
    INT16 = "int16"  # IDL short, C short
    UINT16 = "uint16"
    INT32 = "int32"  # XDR int, IDL long, C int
    UINT32 = "uint32"
    LONG = "long"  # C long: as wide as the machine's (not a wire type)
    ULONG = "ulong"
    INT64 = "int64"  # XDR hyper, IDL long long, C long long
    UINT64 = "uint64"
    FLOAT32 = "float32"
    FLOAT64 = "float64"
    FLOAT128 = "float128"  # XDR quadruple
    LONGDOUBLE = "longdouble"  # IDL long double, C long double
    ANY = "any"  # IDL any
    TYPECODE = "TypeCode"  # IDL CORBA::TypeCode
    OBJECT = "Object"  # IDL Object (any object reference)
    VALUEBASE = "ValueBase"  # IDL ValueBase
    # XML Schema's built-in simple types beyond numbers and strings:
    INTEGER = "integer"  # xs:integer and its unbounded kin (no fixed width)
    DECIMAL = "decimal"
    DATE = "date"
    TIME = "time"
    DATETIME = "dateTime"
    DURATION = "duration"
    QNAME = "QName"
    ANYURI = "anyURI"
    BASE64 = "base64Binary"
    HEXBINARY = "hexBinary"
    ANYTYPE = "anyType"  # xs:anyType / xs:anySimpleType: kept as XML


INTEGER_RANGES: dict[Prim, tuple[int, int]] = {
    Prim.INT8: (-(2**7), 2**7 - 1),
    Prim.UINT8: (0, 2**8 - 1),
    Prim.OCTET: (0, 2**8 - 1),
    Prim.CHAR: (-(2**7), 2**8 - 1),
    Prim.INT16: (-(2**15), 2**15 - 1),
    Prim.UINT16: (0, 2**16 - 1),
    Prim.INT32: (-(2**31), 2**31 - 1),
    Prim.UINT32: (0, 2**32 - 1),
    Prim.LONG: (-(2**63), 2**63 - 1),
    Prim.ULONG: (0, 2**64 - 1),
    Prim.INT64: (-(2**63), 2**63 - 1),
    Prim.UINT64: (0, 2**64 - 1),
    Prim.BOOL: (0, 1),
}
FLOAT_KINDS = frozenset({Prim.FLOAT32, Prim.FLOAT64, Prim.FLOAT128, Prim.LONGDOUBLE})


@dataclass(frozen=True, slots=True)
class Primitive(Node):
    """XDR, IDL and C numbers, chars, bool, void; XSD built-in simple types."""

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
class Fixed(Node):
    """IDL ``fixed<digits, scale>`` (bare ``fixed`` in a const: both None)."""

    digits: Expr | None = None
    scale: Expr | None = None


@dataclass(frozen=True, slots=True)
class Sequence(Node):
    """XDR ``T x<n>``; IDL ``sequence<T, n>``; XSD list simple types (``xs:list``)."""

    elem: Type
    bound: Expr | None = None


@dataclass(frozen=True, slots=True)
class Array(Node):
    """XDR ``T x[n]``; IDL ``T x[n][m]``; C ``T x[n]`` (no dims: C's ``x[]``)."""

    elem: Type
    dims: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Optional(Node):
    """XDR optional data ``T *x``."""

    elem: Type


@dataclass(frozen=True, slots=True)
class Pointer(Node):
    """A C pointer (not optional data: no wire form). ``quals`` are its own (``* const``)."""

    elem: Type
    quals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Qualified(Node):
    """C ``const``/``volatile``/``restrict`` on a type: ``const char`` in ``const char *``."""

    elem: Type
    quals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Function(Node):
    """A C function type; a callback parameter is a Pointer to one."""

    result: Type
    params: tuple[Param, ...]
    varargs: bool = False


@dataclass(frozen=True, slots=True)
class Named(Node):
    """A use of a declared type by name (resolved by ``ResolveNames``).

    IDL: a use of an interface's name is an object reference.
    """

    name: Name
    space: Space = Space.ORDINARY


@dataclass(frozen=True, slots=True)
class UnionOf(Node):
    """XSD union simple types (``xs:union memberTypes=...``): any one of ``members``."""

    members: tuple[Type, ...]


@dataclass(frozen=True, slots=True)
class Facets(Node):
    """XSD constraining facets of a restriction (``None``: not given)."""

    length: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    patterns: tuple[str, ...] = ()
    min_inclusive: Expr | None = None
    max_inclusive: Expr | None = None
    min_exclusive: Expr | None = None
    max_exclusive: Expr | None = None
    total_digits: int | None = None
    fraction_digits: int | None = None
    white_space: str | None = None  # "preserve" | "replace" | "collapse"


@dataclass(frozen=True, slots=True)
class Restricted(Node):
    """XSD simple type restriction: a base type and its facets (enumerations are Enum_)."""

    base: Type
    facets: Facets


class GroupKind(str, Enum):
    """XSD model group compositors."""

    SEQUENCE = "sequence"
    CHOICE = "choice"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class Group(Node):
    """XSD ``sequence``/``choice``/``all`` nested in a content model (a Field's type)."""

    kind: GroupKind
    members: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Wildcard(Node):
    """XSD ``any``/``anyAttribute``: content kept as XML. ``namespace`` as written."""

    namespace: str = "##any"
    process_contents: str = "strict"


Type = (
    Primitive
    | String
    | Opaque
    | Fixed
    | Sequence
    | Array
    | Optional
    | Pointer
    | Qualified
    | Function
    | Named
    | UnionOf
    | Restricted
    | Group
    | Wildcard
)


# --- declarations -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decl(Node):
    """Base of named declarations: a local name, a doc comment, language annotations.

    ``space`` is the symbol space the name is declared in (C tags, XSD kinds).
    """

    name: str
    doc: str | None = field(default=None, kw_only=True, compare=False)
    annotations: tuple[object, ...] = field(default=(), kw_only=True)
    space: Space = field(default=Space.ORDINARY, kw_only=True)


@dataclass(frozen=True, slots=True)
class Const(Decl):
    """XDR/IDL ``const``; C ``#define NAME value``."""

    type: Type | None
    value: Expr


@dataclass(frozen=True, slots=True)
class EnumMember(Decl):
    """One enumerator; ``value`` is None where the language numbers implicitly.

    XSD enumeration facets have string (or other simple-type) values.
    """

    value: Expr | None


@dataclass(frozen=True, slots=True)
class Enum_(Decl):
    """XDR/IDL/C ``enum``; XSD restriction by enumeration (``base`` its simple type)."""

    members: tuple[EnumMember, ...]
    base: Type | None = None


class MemberKind(str, Enum):
    """How a member appears in XML (every other language: ELEMENT)."""

    ELEMENT = "element"
    ATTRIBUTE = "attribute"
    TEXT = "text"  # the value of a simpleContent type


@dataclass(frozen=True, slots=True)
class Field(Decl):
    """A struct member, union arm declaration, exception or value member, XSD particle.

    ``name`` is empty for a C anonymous member and an XSD model group or wildcard.
    ``min_occurs``/``max_occurs`` (None: unbounded) and ``nillable`` are XSD's
    (nillable is distinct from optional: the element is there, with xsi:nil);
    ``default``/``fixed`` are XSD value constraints; ``bits`` a C bitfield width;
    ``namespace`` the element's or attribute's namespace when it is qualified.
    """

    type: Type
    kind: MemberKind = field(default=MemberKind.ELEMENT, kw_only=True)
    min_occurs: int = field(default=1, kw_only=True)
    max_occurs: int | None = field(default=1, kw_only=True)
    nillable: bool = field(default=False, kw_only=True)
    default: Expr | None = field(default=None, kw_only=True)
    fixed: Expr | None = field(default=None, kw_only=True)
    bits: Expr | None = field(default=None, kw_only=True)
    namespace: str | None = field(default=None, kw_only=True)


class Derivation(str, Enum):
    """How an XSD complex type derives from its base."""

    EXTENSION = "extension"
    RESTRICTION = "restriction"


@dataclass(frozen=True, slots=True)
class Struct(Decl):
    """XDR/IDL/C ``struct``; XSD complexType (its particles and attributes as fields).

    ``base``/``derivation``: XSD extension or restriction of another type;
    ``abstract`` XSD abstract types; ``mixed`` XSD mixed content.
    """

    fields: tuple[Field, ...]
    base: Named | None = field(default=None, kw_only=True)
    derivation: Derivation | None = field(default=None, kw_only=True)
    abstract: bool = field(default=False, kw_only=True)
    mixed: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Case(Node):
    """One union arm: its labels and declaration (``None`` for a ``void`` arm)."""

    labels: tuple[Expr, ...]
    field: Field | None


@dataclass(frozen=True, slots=True)
class Union_(Decl):
    """XDR/IDL discriminated ``union``; C ``union``.

    A C union has no discriminator: each case holds one member and no labels.
    """

    discriminator: Field | None
    cases: tuple[Case, ...]
    default: Case | None = None


@dataclass(frozen=True, slots=True)
class Typedef(Decl):
    """XDR/IDL/C ``typedef``; XSD named simple types (list, union, restriction)."""

    type: Type


@dataclass(frozen=True, slots=True)
class Forward(Decl):
    """A forward declaration: IDL ``interface I;``, C ``struct S;`` (incomplete).

    ``kind`` is the keyword written (``interface``, ``struct``, ``valuetype``...).
    """

    kind: str


@dataclass(frozen=True, slots=True)
class Native(Decl):
    """IDL ``native``: a type only the language mapping knows."""


@dataclass(frozen=True, slots=True)
class Exception_(Decl):
    """IDL ``exception``; a WSDL fault."""

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
    """An operation parameter (XDR procedure arguments and C parameters are all ``in``)."""

    type: Type
    direction: Direction = Direction.IN


@dataclass(frozen=True, slots=True)
class Operation(Decl):
    """XDR procedure; IDL operation; WSDL operation; C function.

    ``raises`` names IDL exceptions and WSDL faults; ``context`` is IDL's
    ``context("a", "b")`` clause; ``varargs`` a C ``...``.
    """

    params: tuple[Param, ...]
    result: Type
    raises: tuple[Named, ...] = ()
    oneway: bool = False
    context: tuple[str, ...] = field(default=(), kw_only=True)
    varargs: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Attribute(Decl):
    """IDL ``attribute`` (``readonly`` when not writable); a C global variable.

    ``get_raises``/``set_raises``: IDL ``getraises``/``setraises`` (a readonly
    attribute's ``raises`` is its get_raises).
    """

    type: Type
    readonly: bool = False
    get_raises: tuple[Named, ...] = field(default=(), kw_only=True)
    set_raises: tuple[Named, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True, slots=True)
class Interface(Decl):
    """XDR program version; IDL interface; WSDL portType (with its binding); C function set.

    ``decls`` are the types, constants and exceptions declared inside (IDL
    interfaces are scopes); ``bases`` the inherited interfaces, in order.
    """

    operations: tuple[Operation, ...]
    bases: tuple[Named, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    decls: tuple[Decl, ...] = field(default=(), kw_only=True)
    local: bool = field(default=False, kw_only=True)
    abstract: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Initializer(Decl):
    """IDL valuetype ``factory name(in ...) raises (...)``."""

    params: tuple[Param, ...]
    raises: tuple[Named, ...] = ()


@dataclass(frozen=True, slots=True)
class ValueType(Decl):
    """IDL ``valuetype``: state members (``public`` or not), operations, factories.

    ``bases`` are inherited valuetypes, ``supports`` interfaces it supports.
    """

    members: tuple[Field, ...]
    public: tuple[bool, ...]
    operations: tuple[Operation, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    initializers: tuple[Initializer, ...] = ()
    bases: tuple[Named, ...] = ()
    supports: tuple[Named, ...] = ()
    decls: tuple[Decl, ...] = field(default=(), kw_only=True)
    abstract: bool = field(default=False, kw_only=True)
    custom: bool = field(default=False, kw_only=True)
    truncatable: bool = field(default=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class ValueBox(Decl):
    """IDL ``valuetype Name Type;``: a boxed value of ``type``."""

    type: Type


@dataclass(frozen=True, slots=True)
class Element(Decl):
    """XSD global ``element``: a name in the element space with its type.

    ``substitution_group`` is the head element this one may stand for.
    """

    type: Type
    nillable: bool = False
    abstract: bool = False
    substitution_group: Named | None = None
    default: Expr | None = None
    fixed: Expr | None = None
    namespace: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class ModelGroup(Decl):
    """XSD named ``group`` or ``attributeGroup``: members reused by reference."""

    members: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class MessagePart(Node):
    """A WSDL 1.1 message ``part``: by ``element`` or by ``type``."""

    name: str
    element: Named | None = None
    type: Type | None = None


@dataclass(frozen=True, slots=True)
class Message(Decl):
    """A WSDL 1.1 ``message`` (WSDL 2.0 operations name elements directly)."""

    parts: tuple[MessagePart, ...]


@dataclass(frozen=True, slots=True)
class Port(Node):
    """A WSDL ``port`` (1.1) or ``endpoint`` (2.0): an interface at an address."""

    name: str
    interface: Named
    address: str | None
    annotations: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True)
class Service(Decl):
    """A WSDL ``service``: its ports."""

    ports: tuple[Port, ...]


@dataclass(frozen=True, slots=True)
class Module(Decl):
    """IDL ``module``; XDR ``program``; one C header; an XSD schema or WSDL definitions.

    ``namespace`` is a schema's target namespace.

    Whether a Module is a scope is the language's rule (see :mod:`idlgen.symbols`).
    """

    decls: tuple[Decl, ...]
    namespace: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class Spec(Node):
    """One compilation unit: the main file and everything it included."""

    file: str
    decls: tuple[Decl, ...]


# --- walking ----------------------------------------------------------------------

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
        below: list[Node] = []  # children() inlined: walks are a large input's hot loop
        for name in field_names(current):
            value = getattr(current, name)
            if isinstance(value, Node):
                below.append(value)
            elif isinstance(value, tuple):
                below.extend(v for v in value if isinstance(v, Node))
        stack.extend(reversed(below))


N = TypeVar("N", bound=Node)


def map_tree(node: N, fn: Callable[[Node], Node]) -> N:
    """Rebuild ``node`` bottom-up, replacing each node ``n`` by ``fn(n)``.

    Unchanged subtrees are returned as they are, so a pass that touches a few
    nodes copies only their ancestors.
    """
    changes: dict[str, object] = {}
    for name in field_names(node):  # (written for speed: a large input's hot loop)
        value = getattr(node, name)
        if isinstance(value, Node):
            new = map_tree(value, fn)
            if new is not value:
                changes[name] = new
        elif isinstance(value, tuple):
            items: list[object] | None = None
            for i, v in enumerate(value):
                if isinstance(v, Node):
                    new = map_tree(v, fn)
                    if new is not v:
                        if items is None:
                            items = list(value)
                        items[i] = new
            if items is not None:
                changes[name] = tuple(items)
    rebuilt = replace(node, **changes) if changes else node  # type: ignore[arg-type]
    return fn(rebuilt)  # type: ignore[return-value]


# --- annotations every language may use ----------------------------------------------


@dataclass(frozen=True, slots=True)
class Hoisted(Node):
    """Marks a declaration written in place (anonymous) inside ``owner``.

    XDR and IDL give it a name of its own; C prints it in place again.
    """

    owner: str
