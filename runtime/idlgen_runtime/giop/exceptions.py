"""CORBA system exceptions and the base of user exceptions (omniORBpy's names).

Every error the ORB raises on purpose is one of these: a malformed message is
``MARSHAL``, a dead peer ``COMM_FAILURE``/``TRANSIENT``, a call past its
deadline ``TIMEOUT``. They carry a minor code and a completion status both ways
on the wire (GIOP SYSTEM_EXCEPTION replies), as the CORBA spec says.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar

from idlgen_runtime.errors import IdlgenRuntimeError

#: OMG's vendor minor code id; omniORB's own is 0x41540000 ("AT").
OMG_VMCID = 0x4F4D0000
OMNI_VMCID = 0x41540000


class CompletionStatus(enum.IntEnum):
    """Whether the operation ran before a system exception was raised."""

    COMPLETED_YES = 0
    COMPLETED_NO = 1
    COMPLETED_MAYBE = 2


COMPLETED_YES = CompletionStatus.COMPLETED_YES
COMPLETED_NO = CompletionStatus.COMPLETED_NO
COMPLETED_MAYBE = CompletionStatus.COMPLETED_MAYBE


class Exception_(Exception):
    """CORBA.Exception: the root of user and system exceptions."""

    _NP_RepositoryId: ClassVar[str] = "IDL:omg.org/CORBA/Exception:1.0"


class UserException(Exception_):
    """Base of generated IDL exceptions.

    Generated classes set ``_NP_members`` (the Python names of the members in
    IDL order) and store them as attributes; the runtime reads them back
    positionally through ``_members()`` and builds with ``cls(*values)``.
    """

    _NP_members: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        for name, value in zip(self._NP_members, args, strict=False):
            setattr(self, name, value)

    def _members(self) -> tuple[Any, ...]:
        return tuple(getattr(self, n) for n in self._NP_members)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._members() == self._members()

    def __hash__(self) -> int:
        return hash(self._NP_RepositoryId)

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._NP_members)
        return f"{type(self).__name__}({inner})"

    __str__ = __repr__


class SystemException(Exception_, IdlgenRuntimeError):
    """A CORBA system exception: a minor code and a completion status."""

    def __init__(
        self, minor: int = 0, completed: CompletionStatus | int = COMPLETED_NO, text: str = ""
    ) -> None:
        self.minor = int(minor)
        self.completed = CompletionStatus(completed)
        self.text = text
        super().__init__(minor, self.completed)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and other.minor == self.minor
            and other.completed == self.completed
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.minor))

    def __str__(self) -> str:
        extra = f": {self.text}" if self.text else ""
        return (
            f"CORBA.{type(self).__name__}(minor=0x{self.minor:x}, " f"{self.completed.name}){extra}"
        )

    __repr__ = __str__


_NAMES = (
    "UNKNOWN BAD_PARAM NO_MEMORY IMP_LIMIT COMM_FAILURE INV_OBJREF NO_PERMISSION INTERNAL "
    "MARSHAL INITIALIZE NO_IMPLEMENT BAD_TYPECODE BAD_OPERATION NO_RESOURCES NO_RESPONSE "
    "PERSIST_STORE BAD_INV_ORDER TRANSIENT FREE_MEM INV_IDENT INV_FLAG INTF_REPOS BAD_CONTEXT "
    "OBJ_ADAPTER DATA_CONVERSION OBJECT_NOT_EXIST TRANSACTION_REQUIRED TRANSACTION_ROLLEDBACK "
    "INVALID_TRANSACTION INV_POLICY CODESET_INCOMPATIBLE REBIND TIMEOUT TRANSACTION_UNAVAILABLE "
    "TRANSACTION_MODE BAD_QOS INVALID_ACTIVITY ACTIVITY_COMPLETED ACTIVITY_REQUIRED"
).split()


def _make(name: str) -> type[SystemException]:
    return type(
        name,
        (SystemException,),
        {"_NP_RepositoryId": f"IDL:omg.org/CORBA/{name}:1.0", "__module__": __name__},
    )


#: Repository id -> class, for SYSTEM_EXCEPTION replies.
BY_REPO_ID: dict[str, type[SystemException]] = {}
for _n in _NAMES:
    BY_REPO_ID[f"IDL:omg.org/CORBA/{_n}:1.0"] = globals()[_n] = _make(_n)

# Spelled out for type checkers and readers (the loop above made them).
UNKNOWN: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/UNKNOWN:1.0"]
BAD_PARAM: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/BAD_PARAM:1.0"]
NO_MEMORY: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/NO_MEMORY:1.0"]
IMP_LIMIT: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/IMP_LIMIT:1.0"]
COMM_FAILURE: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/COMM_FAILURE:1.0"]
INV_OBJREF: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/INV_OBJREF:1.0"]
NO_PERMISSION: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/NO_PERMISSION:1.0"]
INTERNAL: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/INTERNAL:1.0"]
MARSHAL: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/MARSHAL:1.0"]
INITIALIZE: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/INITIALIZE:1.0"]
NO_IMPLEMENT: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/NO_IMPLEMENT:1.0"]
BAD_TYPECODE: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/BAD_TYPECODE:1.0"]
BAD_OPERATION: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/BAD_OPERATION:1.0"]
NO_RESOURCES: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/NO_RESOURCES:1.0"]
NO_RESPONSE: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/NO_RESPONSE:1.0"]
BAD_INV_ORDER: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/BAD_INV_ORDER:1.0"]
TRANSIENT: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/TRANSIENT:1.0"]
OBJ_ADAPTER: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/OBJ_ADAPTER:1.0"]
DATA_CONVERSION: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/DATA_CONVERSION:1.0"]
OBJECT_NOT_EXIST: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/OBJECT_NOT_EXIST:1.0"]
INV_POLICY: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/INV_POLICY:1.0"]
CODESET_INCOMPATIBLE: type[SystemException] = BY_REPO_ID[
    "IDL:omg.org/CORBA/CODESET_INCOMPATIBLE:1.0"
]
TIMEOUT: type[SystemException] = BY_REPO_ID["IDL:omg.org/CORBA/TIMEOUT:1.0"]


def marshal(
    text: str, minor: int = 0, completed: CompletionStatus = COMPLETED_NO
) -> SystemException:
    """A MARSHAL exception for malformed or hostile data, with a reason for logs."""
    return MARSHAL(minor, completed, text)
