"""Hand-written stubs and skeletons of MonService, exactly as the contract
(/work/contracts/corba.md) says the IDL back-end generates them, plus an
"everything" interface touching every TypeCode kind. The ORB's own tests use
these; the generated ones are tested by the back-end's suites.
"""

from __future__ import annotations

import dataclasses
import enum

from idlgen_runtime.corba import CORBA, PortableServer
from idlgen_runtime.giop import mapping, tc

# module MonService { interface Base { ... }; interface Service : Base { ... }; };


class Oops(CORBA.UserException):
    _NP_RepositoryId = "IDL:MonService/Oops:1.0"
    _NP_members = ("reason", "code")

    def __init__(self, reason: str, code: int) -> None:
        super().__init__(reason, code)


_tc_Oops = tc.exception(
    Oops._NP_RepositoryId, "Oops", Oops, (("reason", tc.string), ("code", tc.long))
)

_d_Base_ping = tc.operation([], [tc.string])
_d_Service_doubler_str = tc.operation([tc.string], [tc.string])
_d_Service_doubler_long = tc.operation([tc.long], [tc.long])
_d_Service_fail = tc.operation([tc.long], [], [_tc_Oops])
_d_Service_divmod = tc.operation(
    [tc.long, tc.long], [tc.long, tc.long]
)  # long divmod(in a, inout b)
_d_Service_notify = tc.operation([tc.string], [], oneway=True)
_d_Service__get_count = tc.operation([], [tc.long])
_d_Service__set_count = tc.operation([tc.long], [])
_d_Service_echo_any = tc.operation([tc.any], [tc.any])
_d_Service_sleep = tc.operation([tc.double], [])


class Base(CORBA.Object):
    _NP_RepositoryId = "IDL:MonService/Base:1.0"

    def ping(self) -> str:
        return self._invoke("ping", _d_Base_ping, ())


mapping.register_stub(Base)


class Service(Base):
    _NP_RepositoryId = "IDL:MonService/Service:1.0"
    _NP_BaseIds = ("IDL:MonService/Base:1.0",)

    def doubler_str(self, s: str) -> str:
        return self._invoke("doubler_str", _d_Service_doubler_str, (s,))

    def doubler_long(self, l: int) -> int:  # noqa: E741
        return self._invoke("doubler_long", _d_Service_doubler_long, (l,))

    def fail(self, code: int) -> None:
        return self._invoke("fail", _d_Service_fail, (code,))

    def divmod(self, a: int, b: int) -> tuple[int, int]:
        return self._invoke("divmod", _d_Service_divmod, (a, b))

    def notify(self, s: str) -> None:
        return self._invoke("notify", _d_Service_notify, (s,))

    def _get_count(self) -> int:
        return self._invoke("_get_count", _d_Service__get_count, ())

    def _set_count(self, v: int) -> None:
        return self._invoke("_set_count", _d_Service__set_count, (v,))

    def echo_any(self, a: CORBA.Any) -> CORBA.Any:
        return self._invoke("echo_any", _d_Service_echo_any, (a,))

    def sleep(self, s: float) -> None:
        return self._invoke("sleep", _d_Service_sleep, (s,))


mapping.register_stub(Service)


class Base__POA(PortableServer.Servant):
    _NP_RepositoryId = Base._NP_RepositoryId
    _NP_ops = {"ping": ("ping", _d_Base_ping)}


class Service__POA(Base__POA):
    _NP_RepositoryId = Service._NP_RepositoryId
    _NP_BaseIds = Service._NP_BaseIds
    _NP_ops = {
        "doubler_str": ("doubler_str", _d_Service_doubler_str),
        "doubler_long": ("doubler_long", _d_Service_doubler_long),
        "fail": ("fail", _d_Service_fail),
        "divmod": ("divmod", _d_Service_divmod),
        "notify": ("notify", _d_Service_notify),
        "_get_count": ("_get_count", _d_Service__get_count),
        "_set_count": ("_set_count", _d_Service__set_count),
        "echo_any": ("echo_any", _d_Service_echo_any),
        "sleep": ("sleep", _d_Service_sleep),
    }


class Service_i(Service__POA):
    """The servant the tests serve."""

    def __init__(self) -> None:
        self.count = 0
        self.notes: list[str] = []

    def ping(self) -> str:
        return "pong"

    def doubler_str(self, s: str) -> str:
        return s * 2

    def doubler_long(self, l: int) -> int:  # noqa: E741
        return l * 2

    def fail(self, code: int) -> None:
        if code == 1:
            raise Oops("asked to", code)
        if code == 2:
            raise CORBA.NO_PERMISSION(42, CORBA.COMPLETED_YES)
        if code == 3:
            raise KeyError("a bug in the servant")

    def divmod(self, a: int, b: int) -> tuple[int, int]:
        return a // b, a % b

    def notify(self, s: str) -> None:
        self.notes.append(s)

    def _get_count(self) -> int:
        return self.count

    def _set_count(self, v: int) -> None:
        self.count = v

    def echo_any(self, a: CORBA.Any) -> CORBA.Any:
        return a

    def sleep(self, s: float) -> None:
        import time

        time.sleep(s)


# -- types for the every-kind round trip ------------------------------------------------
@dataclasses.dataclass
class Inner:
    _NP_RepositoryId = "IDL:Every/Inner:1.0"
    a: int
    b: float


@dataclasses.dataclass
class Rec:
    _NP_RepositoryId = "IDL:Every/Rec:1.0"
    s: str
    l: int  # noqa: E741
    d: float
    n: Inner


class Color(enum.IntEnum):
    RED = 0
    GREEN = 1
    BLUE = 2


class Shape(mapping.Union):
    _NP_RepositoryId = "IDL:Every/Shape:1.0"
    _d_to_m = {Color.RED: "radius", Color.GREEN: "side", Color.BLUE: "side"}
    _m_to_d = {"radius": Color.RED, "side": Color.GREEN}
    _def_m = None
    _def_d = None


class Num(mapping.Union):
    _NP_RepositoryId = "IDL:Every/Num:1.0"
    _d_to_m = {1: "i", 2: "i", 3: "s"}
    _m_to_d = {"i": 1, "s": 3}
    _def_m = "other"
    _def_d = 0


@dataclasses.dataclass
class Node:
    _NP_RepositoryId = "IDL:Every/Node:1.0"
    name: str
    children: list[Node]


class Val(mapping.Value):
    _NP_RepositoryId = "IDL:Every/Val:1.0"


tc_Inner = tc.struct(Inner._NP_RepositoryId, "Inner", Inner, (("a", tc.long), ("b", tc.double)))
tc_Rec = tc.struct(
    Rec._NP_RepositoryId, "Rec", Rec,
    (("s", tc.string), ("l", tc.long), ("d", tc.double), ("n", tc_Inner)),
)  # fmt: skip
tc_Color = tc.enum("IDL:Every/Color:1.0", "Color", Color, ("RED", "GREEN", "BLUE"))
tc_Shape = tc.union(
    Shape._NP_RepositoryId, "Shape", Shape, tc_Color,
    ((Color.RED, "radius", tc.double), (Color.GREEN, "side", tc.long),
     (Color.BLUE, "side", tc.long)),
    -1,
)  # fmt: skip
tc_Num = tc.union(
    Num._NP_RepositoryId, "Num", Num, tc.short,
    ((1, "i", tc.long), (2, "i", tc.long), (3, "s", tc.string), (None, "other", tc.octet)), 3,
)  # fmt: skip
tc_Node = tc.struct(
    Node._NP_RepositoryId, "Node", Node,
    (("name", tc.string), ("children", tc.sequence(tc.recursive(Node._NP_RepositoryId)))),
)  # fmt: skip
tc_Val = tc.value(
    Val._NP_RepositoryId, "Val", Val, tc.VM_NONE, None,
    (("x", tc.long, True), ("label", tc.string, False)),
)  # fmt: skip
tc_Box = tc.value_box("IDL:Every/Box:1.0", "Box", None, tc.string)
tc_Alias = tc.alias("IDL:Every/Longs:1.0", "Longs", tc.sequence(tc.long))
tc_Service = tc.objref(Service._NP_RepositoryId, "Service")


# -- the asyncio twin (what ``MonService__aio`` holds) ------------------------------------
class ServiceAio(CORBA.Object):
    _NP_RepositoryId = Service._NP_RepositoryId
    _NP_BaseIds = Service._NP_BaseIds

    async def doubler_long(self, l: int) -> int:  # noqa: E741
        return await self._ainvoke("doubler_long", _d_Service_doubler_long, (l,))

    async def fail(self, code: int) -> None:
        return await self._ainvoke("fail", _d_Service_fail, (code,))

    async def divmod(self, a: int, b: int) -> tuple[int, int]:
        return await self._ainvoke("divmod", _d_Service_divmod, (a, b))

    async def sleep(self, s: float) -> None:
        return await self._ainvoke("sleep", _d_Service_sleep, (s,))

    async def echo_any(self, a: CORBA.Any) -> CORBA.Any:
        return await self._ainvoke("echo_any", _d_Service_echo_any, (a,))


mapping.register_stub(ServiceAio)


class AsyncService_i(Service_i):
    """A servant with ``async def`` methods (served by the asyncio ORB)."""

    async def doubler_long(self, l: int) -> int:  # noqa: E741
        import asyncio

        await asyncio.sleep(0)
        return l * 2

    async def sleep(self, s: float) -> None:
        import asyncio

        await asyncio.sleep(s)
