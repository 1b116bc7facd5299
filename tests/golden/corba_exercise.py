"""Run by test_golden_corba.py in a fresh interpreter: ``corba_exercise.py CASE DIR``.

Imports every package of a golden case from DIR, then exercises it: each
struct/union/enum value through CDR in both byte orders, and operations
through the runtime's ORB against a servant served in this process.
"""

from __future__ import annotations

import decimal
import importlib
import sys
import threading
from pathlib import Path
from typing import Any

from idlgen_runtime.corba import CORBA
from idlgen_runtime.giop.cdr import CdrInput, CdrOutput


def roundtrip(tc: Any, value: object) -> None:
    for little in (False, True):
        out = CdrOutput(little)
        out.write(tc, value)
        back = CdrInput(bytes(out.buf), little).read(tc)
        assert back == value, (back, value)


def serve(servant: Any, cls: Any) -> tuple[Any, Any, Any]:
    orb = CORBA.ORB_init(["x", "-ORBendPoint", "giop:tcp:127.0.0.1:0"], CORBA.ORB_ID)
    poa = orb.resolve_initial_references("RootPOA")
    ref = servant._this()
    poa._get_the_POAManager().activate()
    threading.Thread(target=orb.run, daemon=True).start()
    client = CORBA.ORB_init(["x"], CORBA.ORB_ID)
    proxy = client.string_to_object(orb.object_to_string(ref))._narrow(cls)
    assert proxy is not None
    return orb, client, proxy


def monservice() -> None:
    import MonService
    import MonService__POA

    class Impl(MonService__POA.Service):
        def doubler_str(self, s: str) -> str:
            return s * 2

        def doubler_long(self, l: int) -> int:  # noqa: E741 - the IDL's name
            return l * 2

    orb, client, proxy = serve(Impl(), MonService.Service)
    assert proxy.doubler_long(21) == 42 and proxy.doubler_str("ab") == "abab"
    orb.shutdown(True)


def constructs() -> None:
    import Consts
    import Services
    import Services__POA
    import Types
    import Values

    assert Consts.L == 1048588 and Consts.FX == decimal.Decimal("246.90") and Consts.WC == "é"
    assert Types.FAVOURITE is Types.Color.BLUE and Types.BLUE is Types.Color.BLUE
    node = Types.Node(1, [Types.Node(2, []), Types.Node(3, [Types.Node(4, [])])])
    roundtrip(Types._tc_Node, node)
    roundtrip(Types._tc_Point, Types.Point(1.5, -2.0, Types.Extra(True)))
    for u in (
        Types.ByInt(small=7),
        Types.ByInt(2, 9),
        Types.ByInt(other=255),
        Types.ByInt(10, Types.Point(0.0, 1.0, Types.Extra(False))),
    ):
        roundtrip(Types._tc_ByInt, u)
    assert Types.ByInt(3, 5).small == 5 and Types.ByInt(other=1)._d not in (1, 2, 3, 10)
    roundtrip(Types._tc_ByEnum, Types.ByEnum(Types.Color.BLUE, "gb"))
    roundtrip(Types._tc_ByChar, Types.ByChar(b=0.5))
    roundtrip(Types._tc_Matrix, [[i * 4 + j for j in range(4)] for i in range(3)])
    assert not hasattr(Services, "NotFound") and Services.Base.FIRST == 1
    assert Services.Both._NP_BaseIds[0] == Services.Left._NP_RepositoryId
    assert issubclass(Services__POA.Both, Services__POA.Left)
    roundtrip(Values._tc_Savings, Values.Savings("me", decimal.Decimal("1.50"), [], 0.5))

    class Both(Services__POA.Both):
        def lookup(self, key: str) -> int:
            if key == "missing":
                raise Services.Base.NotFound(404)
            return len(key)

        def find_both(self, where: Any) -> tuple[int, Any, Any]:
            return 7, Types.Point(where.y, where.x, where.more), Types.Color.GREEN

        def _get_count(self) -> int:
            return 3

    orb, client, proxy = serve(Both(), Services.Both)
    assert proxy.lookup("four") == 4 and proxy._get_count() == 3
    try:
        proxy.lookup("missing")
        raise AssertionError("NotFound expected")
    except Services.Base.NotFound as exc:
        assert exc.missing == 404
    n, p, c = proxy.find_both(Types.Point(1.0, 2.0, Types.Extra(True)))
    assert (n, p, c) == (7, Types.Point(2.0, 1.0, Types.Extra(True)), Types.Color.GREEN)
    try:
        proxy.go_left(1)
        raise AssertionError("NO_IMPLEMENT expected")
    except CORBA.NO_IMPLEMENT:
        pass
    orb.shutdown(True)


def mapping() -> None:
    import _GlobalIDL
    import Shop
    import Shop__POA
    from Shop import Inner

    assert _GlobalIDL.ANSWER == 42 and Shop.TAX == decimal.Decimal("0.19")
    assert Shop.Item._NP_RepositoryId == "IDL:example.org/Shop/Item:1.0"  # typeprefix
    assert Inner.Item is not Shop.Item and Inner.Item(True).nested
    item = Shop.Item("pen", decimal.Decimal("1.25"), Shop.TOY, b"\x89PNG", 3)
    assert item._class == 3
    roundtrip(Shop._tc_Item, item)
    assert Shop.Tag(label="x")._d == Shop.BOOK and Shop.Tag(Shop.TOY, "y").label == "y"
    assert Shop.Code(2, 5).small == 5 and Shop.Code(other=True)._d not in (1, 2, 3, 100)
    roundtrip(Shop._tc_Code, Shop.Code(other=False))
    assert Shop.Odd(5).self == 5 and Shop.Odd(5)._members() == (5,)
    note = Shop.Note("hi", 5)
    assert (note.text, note.stamp) == ("hi", 5)
    seen: list[str] = []
    done = threading.Event()

    class Register(Shop__POA.Register):
        discount = decimal.Decimal("0.00")

        def add(self, it: Any, count: int) -> tuple[decimal.Decimal, int, str]:
            if it.name == "none":
                raise Shop.SoldOut(it.name, 0)
            return it.price * count, count + 1, f"{count} x {it.name}"

        def ping(self, from_: str) -> None:
            seen.append(from_)
            done.set()

        def _get_items(self) -> list[Any]:
            return [item]

        def _get_discount(self) -> decimal.Decimal:
            return self.discount

        def _set_discount(self, value: decimal.Decimal) -> None:
            self.discount = value

        def lookup(self, t: Any, c: Any) -> Any:
            return Inner.Item(t._d == Shop.FOOD and c._d == 100)

        def echo(self, a: Any) -> Any:
            return a

        def _None(self, _from: int) -> bool:
            return _from > 0

    orb, client, proxy = serve(Register(), Shop.Register)
    total, count, receipt = proxy.add(item, 2)
    assert (total, count, receipt) == (decimal.Decimal("2.50"), 3, "2 x pen")
    try:
        proxy.add(Shop.Item("none", decimal.Decimal(0), Shop.FOOD, b"", 0), 1)
        raise AssertionError("SoldOut expected")
    except Shop.SoldOut as exc:
        assert (exc.name, exc.left) == ("none", 0)
    proxy.ping("golden")
    assert done.wait(10) and seen == ["golden"]
    assert proxy._get_items() == [item]
    proxy._set_discount(decimal.Decimal("0.10"))
    assert proxy._get_discount() == decimal.Decimal("0.10")
    assert proxy.lookup(Shop.Tag(grams=1.0), Shop.Code(100, "big")) == Inner.Item(True)
    found = proxy.lookup(Shop.Tag(label="x"), Shop.Code(1, 2), {"user": "me", "other": "x"})
    assert found == Inner.Item(False)  # the context values travel; the servant does not see them
    back = proxy.echo(CORBA.Any(Shop._tc_Item, item))
    assert back.value() == item
    assert proxy._None(1) is True
    orb.shutdown(True)


def main() -> int:
    case, where = sys.argv[1], Path(sys.argv[2])
    sys.path.insert(0, str(where))
    for init in sorted(where.rglob("__init__.py")):
        importlib.import_module(".".join(init.parent.relative_to(where).parts))
    {"monservice": monservice, "constructs": constructs, "mapping": mapping}[case]()
    print(f"{case}: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
