"""TypeCode objects (CORBA.TypeCode) and the constructors generated code calls.

One class for every kind keeps the codecs simple: a TypeCode is a kind plus the
parameters that kind has (CORBA 3.x section 10.7). ``recursive(repo_id)`` makes
a placeholder that the enclosing struct/union/value constructor resolves, so a
``sequence<Node>`` inside ``Node`` needs no forward declaration in generated
code. Codec plans are compiled lazily per TypeCode and byte order (``plans``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from idlgen_runtime.giop.exceptions import BAD_PARAM, BAD_TYPECODE


class TCKind(enum.IntEnum):
    """The kinds of TypeCode, numbered as on the wire."""

    tk_null = 0
    tk_void = 1
    tk_short = 2
    tk_long = 3
    tk_ushort = 4
    tk_ulong = 5
    tk_float = 6
    tk_double = 7
    tk_boolean = 8
    tk_char = 9
    tk_octet = 10
    tk_any = 11
    tk_TypeCode = 12
    tk_Principal = 13
    tk_objref = 14
    tk_struct = 15
    tk_union = 16
    tk_enum = 17
    tk_string = 18
    tk_sequence = 19
    tk_array = 20
    tk_alias = 21
    tk_except = 22
    tk_longlong = 23
    tk_ulonglong = 24
    tk_longdouble = 25
    tk_wchar = 26
    tk_wstring = 27
    tk_fixed = 28
    tk_value = 29
    tk_value_box = 30
    tk_native = 31
    tk_abstract_interface = 32
    tk_local_interface = 33
    tk_component = 34
    tk_home = 35
    tk_event = 36


K = TCKind
#: Placeholder kind of ``recursive()`` TypeCodes until resolved (never on the wire).
RECURSIVE = -1

VM_NONE, VM_CUSTOM, VM_ABSTRACT, VM_TRUNCATABLE = 0, 1, 2, 3
PRIVATE_MEMBER, PUBLIC_MEMBER = 0, 1

#: Kinds whose wire form is an encapsulation of parameters (the "complex" ones).
COMPLEX = frozenset(
    {
        K.tk_objref,
        K.tk_struct,
        K.tk_union,
        K.tk_enum,
        K.tk_sequence,
        K.tk_array,
        K.tk_alias,
        K.tk_except,
        K.tk_fixed,
        K.tk_value,
        K.tk_value_box,
        K.tk_native,
        K.tk_abstract_interface,
        K.tk_local_interface,
        K.tk_component,
        K.tk_home,
        K.tk_event,
    }
)


class TypeCode:
    """A CORBA TypeCode; query it with the standard operations (``kind()``...)."""

    __slots__ = (
        "_k",
        "_id",
        "_name",
        "cls",
        "_mnames",
        "_mtypes",
        "_labels",
        "_vis",
        "_len",
        "_content",
        "_disc",
        "_defidx",
        "_digits",
        "_scale",
        "_mod",
        "_base",
        "_target",
        "_plans",
        "_label_map",
    )

    def __init__(self, kind: int, repo_id: str = "", name: str = "") -> None:
        self._k = kind
        self._id = repo_id
        self._name = name
        self.cls: Any = None
        self._mnames: tuple[str, ...] = ()
        self._mtypes: tuple[TypeCode, ...] = ()
        self._labels: tuple[Any, ...] = ()
        self._vis: tuple[int, ...] = ()
        self._len = 0
        self._content: TypeCode | None = None
        self._disc: TypeCode | None = None
        self._defidx = -1
        self._digits = 0
        self._scale = 0
        self._mod = 0
        self._base: TypeCode | None = None
        self._target: TypeCode | None = None
        self._plans: dict[Any, Any] = {}
        self._label_map: dict[Any, int] | None = None

    # -- the standard operations ---------------------------------------------------
    def kind(self) -> TCKind:
        """The TCKind."""
        return TCKind(deref(self)._k)

    def id(self) -> str:
        """The repository id."""
        t = deref(self)
        if t._k not in COMPLEX or t._k in (K.tk_sequence, K.tk_array, K.tk_fixed):
            raise BadKind()
        return t._id

    def name(self) -> str:
        """The simple name."""
        t = deref(self)
        if t._k not in COMPLEX or t._k in (K.tk_sequence, K.tk_array, K.tk_fixed):
            raise BadKind()
        return t._name

    def member_count(self) -> int:
        """Number of members."""
        t = _need(self, K.tk_struct, K.tk_union, K.tk_enum, K.tk_except, K.tk_value, K.tk_event)
        return len(t._mnames)

    def member_name(self, index: int) -> str:
        """The IDL name of member ``index``."""
        t = _need(self, K.tk_struct, K.tk_union, K.tk_enum, K.tk_except, K.tk_value, K.tk_event)
        if not 0 <= index < len(t._mnames):
            raise Bounds()
        return t._mnames[index]

    def member_type(self, index: int) -> TypeCode:
        """The TypeCode of member ``index``."""
        t = _need(self, K.tk_struct, K.tk_union, K.tk_except, K.tk_value, K.tk_event)
        if not 0 <= index < len(t._mtypes):
            raise Bounds()
        return t._mtypes[index]

    def member_label(self, index: int) -> Any:
        """The union label of member ``index``."""
        t = _need(self, K.tk_union)
        if not 0 <= index < len(t._labels):
            raise Bounds()
        return t._labels[index]

    def member_visibility(self, index: int) -> int:
        """PUBLIC_MEMBER or PRIVATE_MEMBER."""
        t = _need(self, K.tk_value, K.tk_event)
        if not 0 <= index < len(t._vis):
            raise Bounds()
        return t._vis[index]

    def discriminator_type(self) -> TypeCode:
        """The TypeCode of the discriminator."""
        t = _need(self, K.tk_union)
        assert t._disc is not None
        return t._disc

    def default_index(self) -> int:
        """Index of the default member, or -1."""
        return _need(self, K.tk_union)._defidx

    def length(self) -> int:
        """Bound of a string/sequence, length of an array."""
        return _need(self, K.tk_string, K.tk_wstring, K.tk_sequence, K.tk_array)._len

    def content_type(self) -> TypeCode:
        """The element, aliased or boxed TypeCode."""
        t = _need(self, K.tk_sequence, K.tk_array, K.tk_alias, K.tk_value_box)
        assert t._content is not None
        return t._content

    def fixed_digits(self) -> int:
        """Digits of a fixed type."""
        return _need(self, K.tk_fixed)._digits

    def fixed_scale(self) -> int:
        """Scale of a fixed type."""
        return _need(self, K.tk_fixed)._scale

    def type_modifier(self) -> int:
        """VM_NONE, VM_CUSTOM, VM_ABSTRACT or VM_TRUNCATABLE."""
        return _need(self, K.tk_value, K.tk_event)._mod

    def concrete_base_type(self) -> TypeCode | None:
        """The base valuetype (None if none)."""
        return _need(self, K.tk_value, K.tk_event)._base

    def equal(self, other: TypeCode) -> bool:
        """Structurally equal, names included."""
        return _equal(self, other, set(), strict=True)

    def equivalent(self, other: TypeCode) -> bool:
        """Equal once aliases are stripped; repository ids decide when both have one."""
        return _equal(unalias(self), unalias(other), set(), strict=False)

    def get_compact_typecode(self) -> TypeCode:
        """The same TypeCode (names are kept)."""
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TypeCode) and self.equal(other)

    def __hash__(self) -> int:
        t = deref(self)
        return hash((t._k, t._id))

    def __repr__(self) -> str:
        t = deref(self)
        if t._k == RECURSIVE:
            return f"<TypeCode recursive {t._id!r} (unresolved)>"
        extra = f" {t._id}" if t._id else ""
        return f"<TypeCode {TCKind(t._k).name}{extra}>"

    def label_index(self, label: Any) -> int:
        """Index of the member a union discriminator value selects, or -1."""
        t = deref(self)
        lm = t._label_map
        if lm is None:
            lm = t._label_map = {}
            for i, lab in enumerate(t._labels):
                if i != t._defidx:
                    lm.setdefault(_label_key(lab), i)
        return lm.get(_label_key(label), t._defidx)


class BadKind(BAD_PARAM):  # type: ignore[valid-type,misc]
    """CORBA.TypeCode.BadKind: the operation does not apply to this kind."""


class Bounds(BAD_PARAM):  # type: ignore[valid-type,misc]
    """CORBA.TypeCode.Bounds: a member index out of range."""


def _label_key(label: Any) -> Any:
    return label if label is None or isinstance(label, str) else int(label)


def deref(t: TypeCode) -> TypeCode:
    """The TypeCode a recursive placeholder stands for (itself otherwise)."""
    while t._k == RECURSIVE and t._target is not None:
        t = t._target
    return t


def unalias(t: TypeCode) -> TypeCode:
    """Strip placeholders and aliases (for ``equivalent`` and the codecs)."""
    t = deref(t)
    while t._k == K.tk_alias:
        assert t._content is not None
        t = deref(t._content)
    return t


def _need(t: TypeCode, *kinds: int) -> TypeCode:
    t = deref(t)
    if t._k not in kinds:
        raise BadKind()
    return t


def _equal(a: TypeCode, b: TypeCode, seen: set[tuple[int, int]], strict: bool) -> bool:
    a, b = deref(a), deref(b)
    if a is b or (id(a), id(b)) in seen:
        return True
    if not strict:
        a, b = unalias(a), unalias(b)
    if a._k != b._k:
        return False
    if a._k in COMPLEX and a._k not in (K.tk_sequence, K.tk_array, K.tk_fixed):
        if a._id and b._id:
            if a._id != b._id:
                return False
            if not strict:
                return True
        if strict and a._name != b._name:
            return False
    seen.add((id(a), id(b)))
    if (a._len, a._digits, a._scale, a._mod, a._defidx) != (
        b._len,
        b._digits,
        b._scale,
        b._mod,
        b._defidx,
    ):
        return False
    if len(a._mtypes) != len(b._mtypes) or (strict and a._mnames != b._mnames):
        return False
    if a._k == K.tk_enum and a._mnames != b._mnames:
        return False
    la = [_label_key(x) for i, x in enumerate(a._labels) if i != a._defidx]
    if la != [_label_key(x) for i, x in enumerate(b._labels) if i != b._defidx]:
        return False
    pairs = list(zip(a._mtypes, b._mtypes, strict=False))
    for x, y in ((a._content, b._content), (a._disc, b._disc), (a._base, b._base)):
        if (x is None) != (y is None):
            return False
        if x is not None and y is not None:
            pairs.append((x, y))
    return all(_equal(x, y, seen, strict) for x, y in pairs)


# -- constants -------------------------------------------------------------------------
null = TypeCode(K.tk_null)
void = TypeCode(K.tk_void)
short = TypeCode(K.tk_short)
long = TypeCode(K.tk_long)
ushort = TypeCode(K.tk_ushort)
ulong = TypeCode(K.tk_ulong)
longlong = TypeCode(K.tk_longlong)
ulonglong = TypeCode(K.tk_ulonglong)
float = TypeCode(K.tk_float)  # noqa: A001 - the contract's name
double = TypeCode(K.tk_double)
longdouble = TypeCode(K.tk_longdouble)
boolean = TypeCode(K.tk_boolean)
char = TypeCode(K.tk_char)
wchar = TypeCode(K.tk_wchar)
octet = TypeCode(K.tk_octet)
any = TypeCode(K.tk_any)  # noqa: A001
TypeCode_ = TypeCode(K.tk_TypeCode)
Principal = TypeCode(K.tk_Principal)
string = TypeCode(K.tk_string)
wstring = TypeCode(K.tk_wstring)
Object = TypeCode(K.tk_objref, "IDL:omg.org/CORBA/Object:1.0", "Object")
ValueBase = TypeCode(K.tk_value, "IDL:omg.org/CORBA/ValueBase:1.0", "ValueBase")

#: Every simple kind -> its one TypeCode (what the wire reader returns).
SIMPLE: dict[int, TypeCode] = {
    t._k: t
    for t in (null, void, short, long, ushort, ulong, longlong, ulonglong, float, double)
    + (longdouble, boolean, char, wchar, octet, any, TypeCode_, Principal)
}

#: Repository id -> the TypeCode generated code declared, so that a struct in an
#: ``any`` decodes into the generated class, as omniORBpy does.
REGISTRY: dict[str, TypeCode] = {}


# -- constructors ----------------------------------------------------------------------
def bounded_string(bound: int) -> TypeCode:
    """The TypeCode of ``string<bound>``."""
    t = TypeCode(K.tk_string)
    t._len = _bound(bound)
    return t


def bounded_wstring(bound: int) -> TypeCode:
    """The TypeCode of ``wstring<bound>``."""
    t = TypeCode(K.tk_wstring)
    t._len = _bound(bound)
    return t


def fixed(digits: int, scale: int) -> TypeCode:
    """The TypeCode of ``fixed<digits,scale>``."""
    if not (0 < digits <= 31 and 0 <= scale <= digits) and not (digits == scale == 0):
        raise BAD_PARAM(0, text=f"fixed<{digits},{scale}>")
    t = TypeCode(K.tk_fixed)
    t._digits, t._scale = digits, scale
    return t


def sequence(elem_tc: TypeCode, bound: int = 0) -> TypeCode:
    """The TypeCode of ``sequence<elem, bound>`` (0: unbounded)."""
    t = TypeCode(K.tk_sequence)
    t._content, t._len = elem_tc, _bound(bound)
    return t


def array(elem_tc: TypeCode, length: int) -> TypeCode:
    """The TypeCode of an array (multi-dimensional arrays nest)."""
    if length < 1:
        raise BAD_PARAM(0, text=f"array length {length}")
    t = TypeCode(K.tk_array)
    t._content, t._len = elem_tc, length
    return t


def alias(repo_id: str, name: str, tc: TypeCode) -> TypeCode:
    """The TypeCode of a typedef."""
    t = TypeCode(K.tk_alias, repo_id, name)
    t._content = tc
    return _register(t)


def struct(repo_id: str, name: str, cls: Any, members: Sequence[tuple[str, TypeCode]]) -> TypeCode:
    """The TypeCode of a struct."""
    t = TypeCode(K.tk_struct, repo_id, name)
    t.cls = cls
    t._mnames = tuple(m[0] for m in members)
    t._mtypes = tuple(m[1] for m in members)
    return _resolve_recursive(_register(t))


def exception(
    repo_id: str, name: str, cls: Any, members: Sequence[tuple[str, TypeCode]]
) -> TypeCode:
    """The TypeCode of an exception."""
    t = struct(repo_id, name, cls, members)
    t._k = K.tk_except
    return t


def union(
    repo_id: str,
    name: str,
    cls: Any,
    disc_tc: TypeCode,
    cases: Sequence[tuple[Any, str, TypeCode]],
    default_index: int = -1,
) -> TypeCode:
    """The TypeCode of a union (the default case has label None)."""
    t = TypeCode(K.tk_union, repo_id, name)
    t.cls = cls
    t._disc = disc_tc
    t._labels = tuple(c[0] for c in cases)
    t._mnames = tuple(c[1] for c in cases)
    t._mtypes = tuple(c[2] for c in cases)
    t._defidx = default_index
    return _resolve_recursive(_register(t))


def enum_(repo_id: str, name: str, cls: Any, members: Iterable[str]) -> TypeCode:
    """The TypeCode of an enum (``tc.enum``)."""
    t = TypeCode(K.tk_enum, repo_id, name)
    t.cls = cls
    t._mnames = tuple(members)
    return _register(t)


def objref(repo_id: str, name: str) -> TypeCode:
    """The TypeCode of an interface."""
    return TypeCode(K.tk_objref, repo_id, name)


def abstract_interface(repo_id: str, name: str) -> TypeCode:
    """The TypeCode of an abstract interface."""
    return TypeCode(K.tk_abstract_interface, repo_id, name)


def local_interface(repo_id: str, name: str) -> TypeCode:
    """The TypeCode of a local interface."""
    return TypeCode(K.tk_local_interface, repo_id, name)


def native(repo_id: str, name: str) -> TypeCode:
    """The TypeCode of a native type (never marshalled)."""
    return TypeCode(K.tk_native, repo_id, name)


def value(
    repo_id: str,
    name: str,
    cls: Any,
    modifier: int,
    base_tc: TypeCode | None,
    members: Sequence[tuple[str, TypeCode, bool]],
) -> TypeCode:
    """The value (Any) / the TypeCode of a valuetype (tc.value)."""
    t = TypeCode(K.tk_value, repo_id, name)
    t.cls = cls
    t._mod = modifier
    t._base = base_tc
    t._mnames = tuple(m[0] for m in members)
    t._mtypes = tuple(m[1] for m in members)
    t._vis = tuple(PUBLIC_MEMBER if m[2] else PRIVATE_MEMBER for m in members)
    return _resolve_recursive(_register(t))


def value_box(repo_id: str, name: str, cls: Any, boxed_tc: TypeCode) -> TypeCode:
    """The TypeCode of a value box."""
    t = TypeCode(K.tk_value_box, repo_id, name)
    t.cls = cls
    t._content = boxed_tc
    return _register(t)


def recursive(repo_id: str) -> TypeCode:
    """A placeholder for the enclosing type named ``repo_id`` (resolved by it)."""
    return TypeCode(RECURSIVE, repo_id)


def _bound(bound: int) -> int:
    if not 0 <= bound <= 0xFFFFFFFF:
        raise BAD_PARAM(0, text=f"bound {bound}")
    return bound


def _register(t: TypeCode) -> TypeCode:
    if t._id and t.cls is not None or t._k == K.tk_alias:
        REGISTRY[t._id] = t
    return t


def _resolve_recursive(t: TypeCode) -> TypeCode:
    """Point every unresolved ``recursive(t.id)`` placeholder inside ``t`` at ``t``."""
    seen: set[int] = set()
    todo = list(t._mtypes)
    while todo:
        m = todo.pop()
        if id(m) in seen:
            continue
        seen.add(id(m))
        if m._k == RECURSIVE:
            if m._target is None and m._id == t._id:
                m._target = t
            continue
        if m._k in (K.tk_sequence, K.tk_array, K.tk_alias, K.tk_value_box):
            assert m._content is not None
            todo.append(m._content)
        elif m._k in (K.tk_struct, K.tk_union, K.tk_except, K.tk_value):
            todo.extend(m._mtypes)
    return t


def check_resolved(t: TypeCode) -> None:
    """BAD_TYPECODE if ``t`` still holds a placeholder no enclosing type resolved."""
    if deref(t)._k == RECURSIVE:
        raise BAD_TYPECODE(0, text=f"recursive TypeCode {t._id!r} was never resolved")


Factory = Callable[..., TypeCode]
