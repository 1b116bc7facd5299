"""The ``CORBA`` module of the omniORBpy mapping (``from idlgen_runtime.corba import CORBA``)."""

from __future__ import annotations

from idlgen_runtime.giop import exceptions as _e
from idlgen_runtime.giop import typecode as _t
from idlgen_runtime.giop.exceptions import (
    BAD_INV_ORDER,
    BAD_OPERATION,
    BAD_PARAM,
    BAD_TYPECODE,
    CODESET_INCOMPATIBLE,
    COMM_FAILURE,
    COMPLETED_MAYBE,
    COMPLETED_NO,
    COMPLETED_YES,
    DATA_CONVERSION,
    IMP_LIMIT,
    INITIALIZE,
    INTERNAL,
    INV_OBJREF,
    INV_POLICY,
    MARSHAL,
    NO_IMPLEMENT,
    NO_MEMORY,
    NO_PERMISSION,
    NO_RESOURCES,
    NO_RESPONSE,
    OBJ_ADAPTER,
    OBJECT_NOT_EXIST,
    TIMEOUT,
    TRANSIENT,
    UNKNOWN,
    CompletionStatus,
    SystemException,
    UserException,
)
from idlgen_runtime.giop.exceptions import Exception_ as Exception  # noqa: A004
from idlgen_runtime.giop.objref import Object
from idlgen_runtime.giop.orb import ORB, ORB_ID, ORB_init
from idlgen_runtime.giop.typecode import TCKind, TypeCode
from idlgen_runtime.giop.values import Any

completion_status = CompletionStatus
for _name, _cls in _e.BY_REPO_ID.items():
    globals().setdefault(_cls.__name__, _cls)
for _k in TCKind:
    globals()[_k.name] = _k

#: omniORBpy's TypeCode constants.
TC_null, TC_void, TC_short, TC_long = _t.null, _t.void, _t.short, _t.long
TC_ushort, TC_ulong, TC_longlong, TC_ulonglong = _t.ushort, _t.ulong, _t.longlong, _t.ulonglong
TC_float, TC_double, TC_longdouble, TC_boolean = _t.float, _t.double, _t.longdouble, _t.boolean
TC_char, TC_wchar, TC_octet, TC_any = _t.char, _t.wchar, _t.octet, _t.any
TC_TypeCode, TC_string, TC_wstring, TC_Object = _t.TypeCode_, _t.string, _t.wstring, _t.Object
TRUE, FALSE = True, False

__all__ = [
    "BAD_INV_ORDER",
    "BAD_OPERATION",
    "BAD_PARAM",
    "BAD_TYPECODE",
    "CODESET_INCOMPATIBLE",
    "COMM_FAILURE",
    "COMPLETED_MAYBE",
    "COMPLETED_NO",
    "COMPLETED_YES",
    "DATA_CONVERSION",
    "IMP_LIMIT",
    "INITIALIZE",
    "INTERNAL",
    "INV_OBJREF",
    "INV_POLICY",
    "MARSHAL",
    "NO_IMPLEMENT",
    "NO_MEMORY",
    "NO_PERMISSION",
    "NO_RESOURCES",
    "NO_RESPONSE",
    "OBJ_ADAPTER",
    "OBJECT_NOT_EXIST",
    "TIMEOUT",
    "TRANSIENT",
    "UNKNOWN",
    "Any",
    "CompletionStatus",
    "Exception",
    "ORB",
    "ORB_ID",
    "ORB_init",
    "Object",
    "SystemException",
    "TCKind",
    "TypeCode",
    "UserException",
]
