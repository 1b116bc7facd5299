"""The TypeCode module generated code uses: constants, constructors, Any.

``from idlgen_runtime.giop import tc`` then ``tc.struct(...)``, ``tc.long``,
``tc.operation(...)`` (the descriptor of an operation). The TypeCode class and
its wire form live in ``typecode``/``tcwire``; value codecs in ``plans``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from idlgen_runtime.giop import typecode as _t
from idlgen_runtime.giop.tcwire import read_typecode, write_typecode
from idlgen_runtime.giop.typecode import (
    PRIVATE_MEMBER,
    PUBLIC_MEMBER,
    VM_ABSTRACT,
    VM_CUSTOM,
    VM_NONE,
    VM_TRUNCATABLE,
    TCKind,
)
from idlgen_runtime.giop.values import Any

null = _t.null
void = _t.void
short = _t.short
long = _t.long
ushort = _t.ushort
ulong = _t.ulong
longlong = _t.longlong
ulonglong = _t.ulonglong
float = _t.float  # noqa: A001
double = _t.double
longdouble = _t.longdouble
boolean = _t.boolean
char = _t.char
wchar = _t.wchar
octet = _t.octet
any = _t.any  # noqa: A001
Object = _t.Object
string = _t.string
wstring = _t.wstring
ValueBase = _t.ValueBase
Principal = _t.Principal

bounded_string = _t.bounded_string
bounded_wstring = _t.bounded_wstring
fixed = _t.fixed
sequence = _t.sequence
array = _t.array
alias = _t.alias
struct = _t.struct
exception = _t.exception
union = _t.union
enum = _t.enum_
objref = _t.objref
abstract_interface = _t.abstract_interface
local_interface = _t.local_interface
value = _t.value
value_box = _t.value_box
native = _t.native
recursive = _t.recursive
REGISTRY = _t.REGISTRY


@dataclass(frozen=True)
class Operation:
    """What the ORB needs to marshal one operation (``tc.operation(...)``)."""

    params: tuple[_t.TypeCode, ...]
    results: tuple[_t.TypeCode, ...]
    raises: tuple[_t.TypeCode, ...]
    oneway: bool
    contexts: tuple[str, ...]

    def exception_tc(self, repo_id: str) -> _t.TypeCode | None:
        """The TypeCode of the raised user exception with ``repo_id`` (or None)."""
        for t in self.raises:
            if t._id == repo_id:
                return t
        return None


def operation(
    params: Sequence[_t.TypeCode],
    results: Sequence[_t.TypeCode],
    raises: Sequence[_t.TypeCode] = (),
    oneway: bool = False,
    contexts: Sequence[str] = (),
) -> Operation:
    """The descriptor of an operation (see docs/runtime-corba.md)."""
    return Operation(tuple(params), tuple(results), tuple(raises), oneway, tuple(contexts))


#: The TypeCode of TypeCodes (the contract's ``tc.TypeCode``); the class is ``TypeCodeClass``.
TypeCode = _t.TypeCode_
TypeCodeClass = _t.TypeCode

__all__ = [
    "PRIVATE_MEMBER",
    "PUBLIC_MEMBER",
    "VM_ABSTRACT",
    "VM_CUSTOM",
    "VM_NONE",
    "VM_TRUNCATABLE",
    "Any",
    "Operation",
    "TCKind",
    "TypeCodeClass",
    "read_typecode",
    "write_typecode",
]
