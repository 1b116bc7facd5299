r"""CosNaming (the Interoperable Naming Service) client: types and stubs.

Hand-written here, in the form the IDL back-end generates (this runtime
cannot import the compiler): ``NameComponent``, ``Binding``, the exceptions,
and the ``NamingContext``/``NamingContextExt``/``BindingIterator`` stubs. It
talks to omniNames as to any naming service. ``to_name``/``to_string`` of
stringified names (``a.kind/b``, ``\\`` escapes) run locally.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from idlgen_runtime.giop import mapping, tc
from idlgen_runtime.giop.exceptions import BAD_PARAM, UserException
from idlgen_runtime.giop.objref import Object

P = "IDL:omg.org/CosNaming/"


@dataclasses.dataclass
class NameComponent:
    """One component of a name: an id and a kind."""

    id: str
    kind: str = ""
    _NP_RepositoryId = P + "NameComponent:1.0"


class BindingType(enum.IntEnum):
    """Whether a binding names an object or a context."""

    nobject = 0
    ncontext = 1


nobject, ncontext = BindingType.nobject, BindingType.ncontext


@dataclasses.dataclass
class Binding:
    """What ``list`` returns: a one-component name and whether it is a context."""

    binding_name: list[NameComponent]
    binding_type: BindingType
    _NP_RepositoryId = P + "Binding:1.0"


_tc_NameComponent = tc.struct(
    NameComponent._NP_RepositoryId,
    "NameComponent",
    NameComponent,
    (("id", tc.alias(P + "Istring:1.0", "Istring", tc.string)), ("kind", tc.string)),
)
_tc_Name = tc.alias(P + "Name:1.0", "Name", tc.sequence(_tc_NameComponent))
_tc_BindingType = tc.enum(
    P + "BindingType:1.0", "BindingType", BindingType, ("nobject", "ncontext")
)
_tc_Binding = tc.struct(
    Binding._NP_RepositoryId,
    "Binding",
    Binding,
    (("binding_name", _tc_Name), ("binding_type", _tc_BindingType)),
)
_tc_BindingList = tc.alias(P + "BindingList:1.0", "BindingList", tc.sequence(_tc_Binding))
_tc_NamingContext = tc.objref(P + "NamingContext:1.0", "NamingContext")
_tc_BindingIterator = tc.objref(P + "BindingIterator:1.0", "BindingIterator")

NC = P + "NamingContext/"


class NotFoundReason(enum.IntEnum):
    """Why a name was not found."""

    missing_node = 0
    not_context = 1
    not_object = 2


class NotFound(UserException):
    """No binding for (part of) the name; ``rest_of_name`` is what was left."""

    _NP_RepositoryId = NC + "NotFound:1.0"
    _NP_members = ("why", "rest_of_name")

    def __init__(self, why: NotFoundReason, rest_of_name: list[NameComponent]) -> None:
        super().__init__(why, rest_of_name)


class CannotProceed(UserException):
    """The service cannot go on resolving the name."""

    _NP_RepositoryId = NC + "CannotProceed:1.0"
    _NP_members = ("cxt", "rest_of_name")

    def __init__(self, cxt: Any, rest_of_name: list[NameComponent]) -> None:
        super().__init__(cxt, rest_of_name)


class InvalidName(UserException):
    """An empty or malformed name."""

    _NP_RepositoryId = NC + "InvalidName:1.0"


class AlreadyBound(UserException):
    """The name is already bound."""

    _NP_RepositoryId = NC + "AlreadyBound:1.0"


class NotEmpty(UserException):
    """Only an empty context can be destroyed."""

    _NP_RepositoryId = NC + "NotEmpty:1.0"


class InvalidAddress(UserException):
    """A malformed address in ``to_url``."""

    _NP_RepositoryId = P + "NamingContextExt/InvalidAddress:1.0"


_tc_NotFound = tc.exception(
    NotFound._NP_RepositoryId, "NotFound", NotFound,
    (("why", tc.enum(NC + "NotFoundReason:1.0", "NotFoundReason", NotFoundReason,
                     ("missing_node", "not_context", "not_object"))),
     ("rest_of_name", _tc_Name)),
)  # fmt: skip
_tc_CannotProceed = tc.exception(
    CannotProceed._NP_RepositoryId,
    "CannotProceed",
    CannotProceed,
    (("cxt", _tc_NamingContext), ("rest_of_name", _tc_Name)),
)
_tc_InvalidName = tc.exception(InvalidName._NP_RepositoryId, "InvalidName", InvalidName, ())
_tc_AlreadyBound = tc.exception(AlreadyBound._NP_RepositoryId, "AlreadyBound", AlreadyBound, ())
_tc_NotEmpty = tc.exception(NotEmpty._NP_RepositoryId, "NotEmpty", NotEmpty, ())
_tc_InvalidAddress = tc.exception(
    InvalidAddress._NP_RepositoryId, "InvalidAddress", InvalidAddress, ()
)
_R = (_tc_NotFound, _tc_CannotProceed, _tc_InvalidName)

_d_bind = tc.operation([_tc_Name, tc.Object], [], _R + (_tc_AlreadyBound,))
_d_rebind = tc.operation([_tc_Name, tc.Object], [], _R)
_d_bind_context = tc.operation([_tc_Name, _tc_NamingContext], [], _R + (_tc_AlreadyBound,))
_d_rebind_context = tc.operation([_tc_Name, _tc_NamingContext], [], _R)
_d_resolve = tc.operation([_tc_Name], [tc.Object], _R)
_d_unbind = tc.operation([_tc_Name], [], _R)
_d_new_context = tc.operation([], [_tc_NamingContext])
_d_bind_new_context = tc.operation([_tc_Name], [_tc_NamingContext], _R + (_tc_AlreadyBound,))
_d_destroy = tc.operation([], [], (_tc_NotEmpty,))
_d_list = tc.operation([tc.ulong], [_tc_BindingList, _tc_BindingIterator])
_d_next_one = tc.operation([], [tc.boolean, _tc_Binding])
_d_next_n = tc.operation([tc.ulong], [tc.boolean, _tc_BindingList])
_d_it_destroy = tc.operation([], [])
_d_to_string = tc.operation([_tc_Name], [tc.string], (_tc_InvalidName,))
_d_to_name = tc.operation([tc.string], [_tc_Name], (_tc_InvalidName,))
_d_to_url = tc.operation([tc.string, tc.string], [tc.string], (_tc_InvalidAddress, _tc_InvalidName))
_d_resolve_str = tc.operation([tc.string], [tc.Object], _R)


class BindingIterator(Object):
    """Hands out the rest of a ``list``, a few bindings at a time."""

    _NP_RepositoryId = P + "BindingIterator:1.0"

    def next_one(self) -> tuple[bool, Binding]:
        """The next binding; False when none is left."""
        return self._invoke("next_one", _d_next_one, ())  # type: ignore[no-any-return]

    def next_n(self, how_many: int) -> tuple[bool, list[Binding]]:
        """Up to ``how_many`` more bindings; False when none are left."""
        return self._invoke("next_n", _d_next_n, (how_many,))  # type: ignore[no-any-return]

    def destroy(self) -> None:
        """Destroy it (and what it owns)."""
        self._invoke("destroy", _d_it_destroy, ())


class NamingContext(Object):
    """A naming context: name-to-reference bindings."""

    _NP_RepositoryId = P + "NamingContext:1.0"
    NotFoundReason = NotFoundReason
    missing_node, not_context, not_object = list(NotFoundReason)
    NotFound = NotFound
    CannotProceed = CannotProceed
    InvalidName = InvalidName
    AlreadyBound = AlreadyBound
    NotEmpty = NotEmpty

    def bind(self, n: list[NameComponent], obj: Any) -> None:
        """Bind ``n`` to ``obj`` (AlreadyBound if taken)."""
        self._invoke("bind", _d_bind, (n, obj))

    def rebind(self, n: list[NameComponent], obj: Any) -> None:
        """Bind ``n`` to ``obj``, replacing any binding."""
        self._invoke("rebind", _d_rebind, (n, obj))

    def bind_context(self, n: list[NameComponent], nc: Any) -> None:
        """Bind ``n`` to the context ``nc``."""
        self._invoke("bind_context", _d_bind_context, (n, nc))

    def rebind_context(self, n: list[NameComponent], nc: Any) -> None:
        """Bind ``n`` to the context ``nc``, replacing any binding."""
        self._invoke("rebind_context", _d_rebind_context, (n, nc))

    def resolve(self, n: list[NameComponent]) -> Any:
        """The object bound to ``n`` (NotFound if none)."""
        return self._invoke("resolve", _d_resolve, (n,))

    def unbind(self, n: list[NameComponent]) -> None:
        """Remove the binding of ``n``."""
        self._invoke("unbind", _d_unbind, (n,))

    def new_context(self) -> NamingContext:
        """A new unbound context."""
        return self._invoke("new_context", _d_new_context, ())  # type: ignore[no-any-return]

    def bind_new_context(self, n: list[NameComponent]) -> NamingContext:
        """Make a context, bind it to ``n`` and return it."""
        return self._invoke("bind_new_context", _d_bind_new_context, (n,))  # type: ignore[no-any-return]

    def destroy(self) -> None:
        """Destroy it (and what it owns)."""
        self._invoke("destroy", _d_destroy, ())

    def list(self, how_many: int) -> tuple[list[Binding], BindingIterator | None]:
        """Up to ``how_many`` bindings, and an iterator for the rest (or None)."""
        return self._invoke("list", _d_list, (how_many,))  # type: ignore[no-any-return]


class NamingContextExt(NamingContext):
    """A naming context that also takes stringified names."""

    _NP_RepositoryId = P + "NamingContextExt:1.0"
    _NP_BaseIds = (P + "NamingContext:1.0",)
    InvalidAddress = InvalidAddress

    def to_string(self, n: list[NameComponent]) -> str:
        """NameComponents as a stringified name."""
        return to_string(n)

    def to_name(self, sn: str) -> list[NameComponent]:
        """A stringified name as NameComponents."""
        return to_name(sn)

    def to_url(self, addr: str, sn: str) -> str:
        """A ``corbaname:`` URL for ``sn`` at ``addr`` (asked of the service)."""
        return self._invoke("to_url", _d_to_url, (addr, sn))  # type: ignore[no-any-return]

    def resolve_str(self, sn: str) -> Any:
        """Resolve a stringified name."""
        return self.resolve(to_name(sn))


for _cls in (BindingIterator, NamingContext, NamingContextExt):
    mapping.register_stub(_cls)


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("/", "\\/").replace(".", "\\.")


def to_string(n: list[NameComponent]) -> str:
    """A name as a stringified name (``a.kind/b``), INS escaping."""
    if not n:
        raise InvalidName()
    parts = []
    for c in n:
        if c.kind:
            parts.append(f"{_escape(c.id)}.{_escape(c.kind)}")
        elif not c.id:
            parts.append(".")
        else:
            parts.append(_escape(c.id))
    return "/".join(parts)


def to_name(sn: str) -> list[NameComponent]:
    """A stringified name as a list of NameComponents (InvalidName when malformed)."""
    if not sn:
        raise InvalidName()
    comps: list[list[str]] = [["", ""]]
    field = 0
    dot_seen = [False]
    i = 0
    while i < len(sn):
        ch = sn[i]
        if ch == "\\":
            if i + 1 >= len(sn):
                raise InvalidName()
            comps[-1][field] += sn[i + 1]
            i += 2
            continue
        if ch == "/":
            comps.append(["", ""])
            dot_seen.append(False)
            field = 0
        elif ch == "." and field == 0:
            field = 1
            dot_seen[-1] = True
        elif ch == ".":
            raise InvalidName()
        else:
            comps[-1][field] += ch
        i += 1
    out = []
    for (ident, kind), dot in zip(comps, dot_seen, strict=False):
        if not ident and not kind and not dot:
            raise InvalidName()
        out.append(NameComponent(ident, kind))
    return out


def resolve_str(ctx: Any, sn: str) -> Any:
    """``corbaname:`` resolution: ``ctx.resolve(to_name(sn))``."""
    if not isinstance(ctx, NamingContext):
        raise BAD_PARAM(0, text="not a naming context")
    return ctx.resolve(to_name(sn))
