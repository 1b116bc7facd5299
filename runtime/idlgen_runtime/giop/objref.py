"""CORBA.Object: the base of generated stubs, holding an IOR and its ORB.

Generated stub methods call ``self._invoke(op, descriptor, args)`` (or
``await self._ainvoke(...)`` in ``M__aio``); this class owns the pseudo
operations (``_narrow``, ``_is_a``, ``_non_existent``...). Unmarshalled
references become instances of the stub class registered for their type id
(``mapping.register_stub``), else of the static type's, else of Object.
"""

from __future__ import annotations

import zlib
from typing import Any, ClassVar, TypeVar

from idlgen_runtime.giop import mapping
from idlgen_runtime.giop.exceptions import BAD_PARAM, OBJECT_NOT_EXIST
from idlgen_runtime.giop.ior import IOR
from idlgen_runtime.giop.tc import Operation, boolean, operation, string

T = TypeVar("T")
OBJECT_ID = "IDL:omg.org/CORBA/Object:1.0"
IS_A = operation([string], [boolean])
NON_EXISTENT = operation([], [boolean])


class Object:
    """An object reference (the base of every stub)."""

    _NP_RepositoryId: ClassVar[str] = OBJECT_ID
    _NP_BaseIds: ClassVar[tuple[str, ...]] = ()

    def __init__(self, ior: IOR, orb: Any) -> None:
        self._ior = ior
        self._orb = orb
        self._fwd: IOR | None = None

    # -- invocation ------------------------------------------------------------------
    def _invoke(self, op: str, desc: Operation, args: tuple[Any, ...]) -> Any:
        if self._orb is None:
            raise BAD_PARAM(0, text="this reference belongs to no ORB")
        return self._orb._client.invoke(self, op, desc, args)

    async def _ainvoke(self, op: str, desc: Operation, args: tuple[Any, ...]) -> Any:
        if self._orb is None or not hasattr(self._orb, "_ainvoke"):
            raise BAD_PARAM(0, text="_ainvoke needs a reference from the asyncio ORB")
        return await self._orb._ainvoke(self, op, desc, args)

    # -- pseudo operations ---------------------------------------------------------------
    def _ids(self) -> tuple[str, ...]:
        return (type(self)._NP_RepositoryId, *type(self)._NP_BaseIds, OBJECT_ID)

    def _local_is_a(self, repo_id: str) -> bool:
        if repo_id in self._ids():
            return True
        stub = mapping.STUBS.get(self._ior.type_id)
        return stub is not None and (
            repo_id == getattr(stub, "_NP_RepositoryId", "")
            or repo_id in getattr(stub, "_NP_BaseIds", ())
        )

    def _is_a(self, repo_id: str) -> bool:
        if self._local_is_a(repo_id):
            return True
        return bool(self._invoke("_is_a", IS_A, (repo_id,)))

    def _non_existent(self) -> bool:
        try:
            return bool(self._invoke("_non_existent", NON_EXISTENT, ()))
        except OBJECT_NOT_EXIST:
            return True

    def _narrow(self, cls: type[T]) -> T | None:
        """``cls``'s stub sharing this reference, or None when the object is not one."""
        rid = cls._NP_RepositoryId  # type: ignore[attr-defined]
        if isinstance(self, cls) or self._local_is_a(rid) or self._is_a(rid):
            return self._as(cls)
        return None

    async def _anarrow(self, cls: type[T]) -> T | None:
        rid = cls._NP_RepositoryId  # type: ignore[attr-defined]
        if isinstance(self, cls) or self._local_is_a(rid):
            return self._as(cls)
        ok = await self._ainvoke("_is_a", IS_A, (rid,))
        return self._as(cls) if ok else None

    def _unchecked_narrow(self, cls: type[T]) -> T:
        return self._as(cls)

    def _as(self, cls: type[T]) -> T:
        obj = cls.__new__(cls)
        Object.__init__(obj, self._ior, self._orb)  # type: ignore[arg-type]
        obj._fwd = self._fwd  # type: ignore[attr-defined]
        return obj

    def _is_equivalent(self, other: Object | None) -> bool:
        if other is None:
            return False
        return self._ior.profiles == other._ior.profiles

    def _hash(self, maximum: int) -> int:
        return zlib.crc32(b"".join(d for _, d in self._ior.profiles)) % max(1, maximum)

    def _duplicate(self, obj: Any = None) -> Any:
        return self

    def _release(self) -> None:
        return None

    def _get_interface(self) -> Any:
        return None

    def __repr__(self) -> str:
        try:
            where = self._ior.iiop()
            at = f" at {where.host}:{where.port}"
        except Exception:
            at = ""
        return f"<{type(self).__name__} {self._ior.type_id or OBJECT_ID}{at}>"


def stub_class(type_id: str, static_id: str = "", aio: bool = False) -> type[Object]:
    """The stub class for a reference of ``type_id`` (falling back to the static type)."""
    table = mapping.AIO_STUBS if aio else mapping.STUBS
    for rid in (type_id, static_id):
        cls = table.get(rid)
        if cls is not None:
            return cls
    return Object


def from_ior(ior: IOR, orb: Any, static_id: str = "") -> Object | None:
    """A stub for ``ior`` (None for the nil reference)."""
    if ior.is_nil:
        return None
    cls = stub_class(ior.type_id, static_id, bool(getattr(orb, "is_aio", False)))
    obj = cls.__new__(cls)
    Object.__init__(obj, ior, orb)
    return obj


def to_ior(v: Any) -> IOR:
    """The IOR of a stub (nil for None); servants are activated implicitly."""
    from idlgen_runtime.giop.ior import NIL

    if v is None:
        return NIL
    if isinstance(v, Object):
        return v._ior
    this = getattr(v, "_this", None)
    if callable(this):
        return to_ior(this())
    raise BAD_PARAM(0, text=f"an object reference is wanted, not {type(v).__name__}")
