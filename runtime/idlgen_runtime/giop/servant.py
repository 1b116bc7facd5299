"""Servants (``PortableServer.Servant``) and the upcall: from a Request to its Reply.

Generated skeletons list their own operations in ``_NP_ops``; ``ops_of``
merges them along the MRO once per class. The ORB answers ``_is_a``,
``_non_existent`` and ``_interface`` itself. A servant raising a user
exception its operation declares gets USER_EXCEPTION; a system exception passes
through; anything else becomes ``CORBA.UNKNOWN`` (COMPLETED_MAYBE).
"""

from __future__ import annotations

import logging
import struct
from typing import Any, ClassVar

from idlgen_runtime.giop import messages as m
from idlgen_runtime.giop.cdr import CdrInput, CdrOutput
from idlgen_runtime.giop.exceptions import (
    BAD_OPERATION,
    BAD_PARAM,
    COMPLETED_MAYBE,
    COMPLETED_NO,
    COMPLETED_YES,
    MARSHAL,
    UNKNOWN,
    SystemException,
    UserException,
)
from idlgen_runtime.giop.ior import write_ior
from idlgen_runtime.giop.objref import IS_A, NON_EXISTENT, OBJECT_ID, to_ior
from idlgen_runtime.giop.poa import ForwardRequest
from idlgen_runtime.giop.tc import Object, Operation, operation, sequence, string

log = logging.getLogger("idlgen_runtime.corba")
#: A GIOP 1.2 NO_EXCEPTION Reply up to its (8-aligned) body, per byte order.
_HEAD12 = {
    little: m.MAGIC + bytes((1, 2, int(little), m.REPLY)) + bytes(16) for little in (False, True)
}
_RID = {little: struct.Struct("<I" if little else ">I") for little in (False, True)}
INTERFACE = operation([], [Object])
CONTEXT = sequence(string)


class Servant:
    """Base of generated skeletons (``M__POA.Service``)."""

    _NP_RepositoryId: ClassVar[str] = ""
    _NP_BaseIds: ClassVar[tuple[str, ...]] = ()
    _NP_ops: ClassVar[dict[str, tuple[str, Operation]]] = {}

    def _default_POA(self) -> Any:
        from idlgen_runtime.giop.orb import default_orb

        return default_orb().resolve_initial_references("RootPOA")

    def _this(self) -> Any:
        """A reference to this servant, activating it implicitly if need be."""
        poa = getattr(self, "_idlgen_poa", None) or self._default_POA()
        return poa.servant_to_reference(self)

    def _is_a(self, repo_id: str) -> bool:
        return repo_id in (self._NP_RepositoryId, *self._NP_BaseIds, OBJECT_ID)

    def _non_existent(self) -> bool:
        return False


_PSEUDO: dict[str, tuple[str, Operation]] = {
    "_is_a": ("_is_a", IS_A),
    "_non_existent": ("_non_existent", NON_EXISTENT),
    "_not_existent": ("_non_existent", NON_EXISTENT),
    "_interface": ("", INTERFACE),
}


def ops_of(cls: type) -> dict[str, tuple[str, Operation]]:
    """Every operation of a skeleton class (its bases' merged along the MRO)."""
    cached = cls.__dict__.get("_idlgen_all_ops")
    if cached is None:
        cached = dict(_PSEUDO)
        for klass in reversed(cls.__mro__):
            cached.update(klass.__dict__.get("_NP_ops", {}))
        cls._idlgen_all_ops = cached  # type: ignore[attr-defined]
    return cached


def prepare(servant: Any, op: str, inp: CdrInput) -> tuple[Any, tuple[Any, ...], Operation]:
    """The bound method, decoded arguments and descriptor of a request."""
    entry = ops_of(type(servant)).get(op)
    if entry is None:
        raise BAD_OPERATION(0, COMPLETED_NO, f"{type(servant).__name__} has no operation {op!r}")
    name, desc = entry
    args = tuple(inp.read(t) for t in desc.params)
    if desc.contexts and inp.remaining():
        inp.read(CONTEXT)  # the IDL context clause's values: read, not passed on
    if not name:
        return (lambda: None), args, desc
    method = getattr(servant, name, None)
    if method is None:
        raise BAD_OPERATION(0, COMPLETED_NO, f"{type(servant).__name__} lacks {name!r}")
    return method, args, desc


def reply(
    version: tuple[int, int],
    rid: int,
    little: bool,
    char: str,
    orb: Any,
    desc: Operation | None,
    result: Any = None,
    exc: BaseException | None = None,
) -> bytes:
    """The Reply message for a result or an exception raised by the upcall."""
    if exc is None and version == (1, 2) and desc is not None and len(desc.results) < 2:
        buf = bytearray(_HEAD12[little])
        _RID[little].pack_into(buf, 12, rid)
        out = CdrOutput(little, char, True, orb, buf)
        try:
            if desc.results:
                out.write(desc.results[0], result)
            _RID[little].pack_into(buf, 8, len(buf) - 12)
            return bytes(buf)
        except SystemException as e:
            exc = MARSHAL(e.minor, COMPLETED_YES, e.text)
    out = m.start(version, m.REPLY, little, char=char, orb=orb)
    hdr = len(out.buf)
    if exc is None:
        assert desc is not None
        try:
            m.write_reply(out, version, rid, m.NO_EXCEPTION, [])
            n = len(desc.results)
            values = () if n == 0 else (result,) if n == 1 else tuple(result)
            if len(values) != n:
                raise BAD_PARAM(0, COMPLETED_YES, f"{n} results wanted, got {len(values)}")
            for t, v in zip(desc.results, values, strict=False):
                out.write(t, v)
            return m.finish(out)
        except (SystemException, TypeError) as e:
            del out.buf[hdr:]
            exc = e if isinstance(e, SystemException) else MARSHAL(0, COMPLETED_YES, str(e))
            if isinstance(exc, BAD_PARAM):
                exc = MARSHAL(exc.minor, COMPLETED_YES, exc.text)
    if isinstance(exc, ForwardRequest):
        m.write_reply(out, version, rid, m.LOCATION_FORWARD, [])
        write_ior(out, to_ior(exc.forward_reference))  # type: ignore[attr-defined]
        return m.finish(out)
    if isinstance(exc, UserException) and desc is not None:
        xt = desc.exception_tc(exc._NP_RepositoryId)
        if xt is not None:
            try:
                m.write_reply(out, version, rid, m.USER_EXCEPTION, [])
                out.string(exc._NP_RepositoryId)
                out.write(xt, exc)
                return m.finish(out)
            except SystemException as e:
                del out.buf[hdr:]
                exc = MARSHAL(e.minor, COMPLETED_YES, e.text)
    if not isinstance(exc, SystemException):
        log.warning("servant raised %r; the client gets CORBA.UNKNOWN", exc)
        exc = UNKNOWN(0, COMPLETED_MAYBE, repr(exc))
    m.write_reply(out, version, rid, m.SYSTEM_EXCEPTION, [])
    out.string(exc._NP_RepositoryId)
    out.ulong(exc.minor)
    out.ulong(int(exc.completed))
    return m.finish(out)
