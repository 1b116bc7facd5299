"""Python client -> Python server over real sockets: every TypeCode kind,
value for value, in both byte orders and all three GIOP versions (``any``
carries each value with its TypeCode, so both the TypeCode and the value
codecs cross the wire)."""

from __future__ import annotations

import decimal
import math

import monservice as M
import pytest
from idlgen_runtime.corba import CORBA
from idlgen_runtime.giop import tc
from orb_clients import client_orb

VAL = M.Val()
VAL.x, VAL.label = 7, "seven"

CASES = [
    (tc.null, None),
    (tc.void, None),
    (tc.short, -32768),
    (tc.ushort, 65535),
    (tc.long, -(2**31)),
    (tc.ulong, 2**32 - 1),
    (tc.longlong, -(2**63)),
    (tc.ulonglong, 2**64 - 1),
    (tc.float, 1.5),
    (tc.double, -2.25e300),
    (tc.longdouble, math.pi),
    (tc.boolean, True),
    (tc.char, "é"),
    (tc.wchar, "€"),
    (tc.octet, 255),
    (tc.string, "a string, with accents: éàü"),
    (tc.bounded_string(5), "abcde"),
    (tc.wstring, "wide € 𝄞"),
    (tc.bounded_wstring(3), "€€€"),
    (tc.fixed(9, 3), decimal.Decimal("-123456.789")),
    (tc.fixed(4, 0), decimal.Decimal("42")),
    (tc.sequence(tc.long), list(range(-50, 50))),
    (tc.sequence(tc.double, 4), [1.0, 2.5, -3.0]),
    (tc.sequence(tc.octet), bytes(range(256))),
    (tc.sequence(tc.char), b"chars"),
    (tc.sequence(tc.boolean), [True, False, True]),
    (tc.sequence(tc.string), ["a", "", "ccc"]),
    (tc.sequence(M.tc_Color), [M.Color.RED, M.Color.BLUE]),
    (tc.sequence(tc.sequence(tc.short)), [[1, 2], [], [3]]),
    (tc.array(tc.array(tc.long, 2), 3), [[1, 2], [3, 4], [5, 6]]),
    (tc.array(tc.octet, 4), b"\x00\x01\x02\x03"),
    (M.tc_Alias, [5, 6, 7]),
    (M.tc_Rec, M.Rec("rec", -7, 2.5, M.Inner(9, -1.5))),
    (tc.sequence(M.tc_Rec), [M.Rec(str(i), i, i / 2, M.Inner(i, i * 2.0)) for i in range(20)]),
    (M.tc_Color, M.Color.GREEN),
    (M.tc_Shape, M.Shape(radius=2.5)),
    (M.tc_Shape, M.Shape(M.Color.BLUE, 4)),
    (M.tc_Num, M.Num(i=5)),
    (M.tc_Num, M.Num(3, "three")),
    (M.tc_Num, M.Num(99, 7)),
    (M.tc_Node, M.Node("root", [M.Node("a", []), M.Node("b", [M.Node("c", [])])])),
    (M._tc_Oops, M.Oops("why", 3)),
    (tc.any, CORBA.Any(tc.string, "nested")),
    (tc.TypeCode, M.tc_Node),
    (tc.TypeCode, M.tc_Shape),
    (M.tc_Val, VAL),
    (M.tc_Val, None),
    (M.tc_Box, "boxed"),
]


def _id(case: tuple[object, object]) -> str:
    t = case[0]
    assert isinstance(t, CORBA.TypeCode)
    return f"{t.kind().name}-{CASES.index(case)}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_kind_round_trips(proxy: M.Service, case: tuple[CORBA.TypeCode, object]) -> None:
    t, v = case
    got = proxy.echo_any(CORBA.Any(t, v))
    assert got.typecode().equivalent(t)
    assert got.typecode().kind() == t.kind()
    if isinstance(v, M.Val):
        assert (got.value().x, got.value().label) == (7, "seven")
    else:
        assert got.value() == v


def test_objref_in_any(proxy: M.Service, ior: str) -> None:
    ref = proxy._orb.string_to_object(ior)
    got = proxy.echo_any(CORBA.Any(M.tc_Service, ref)).value()
    assert isinstance(got, M.Service)
    assert got.doubler_long(4) == 8
    assert proxy.echo_any(CORBA.Any(M.tc_Service, None)).value() is None


def test_operations(proxy: M.Service, servant: M.Service_i) -> None:
    assert proxy.doubler_long(21) == 42
    assert proxy.doubler_str("ab") == "abab"
    assert proxy.ping() == "pong"
    assert proxy.divmod(17, 5) == (3, 2)
    proxy._set_count(11)
    assert proxy._get_count() == 11
    with pytest.raises(M.Oops) as info:
        proxy.fail(1)
    assert (info.value.reason, info.value.code) == ("asked to", 1)
    with pytest.raises(CORBA.NO_PERMISSION) as sysinfo:
        proxy.fail(2)
    assert sysinfo.value.minor == 42
    assert sysinfo.value.completed == CORBA.COMPLETED_YES
    with pytest.raises(CORBA.UNKNOWN):
        proxy.fail(3)


def test_abstract_interface_carries_objrefs_and_values(proxy: M.Service, ior: str) -> None:
    t = tc.abstract_interface("IDL:Every/Abs:1.0", "Abs")
    ref = proxy._orb.string_to_object(ior)
    got = proxy.echo_any(CORBA.Any(t, ref)).value()
    assert isinstance(got, M.Service) and got.doubler_long(1) == 2
    val = M.Val()
    val.x, val.label = 3, "three"
    back = proxy.echo_any(CORBA.Any(t, val)).value()
    assert isinstance(back, M.Val) and (back.x, back.label) == (3, "three")


def test_shared_values_stay_shared(proxy: M.Service) -> None:
    v = M.Val()
    v.x, v.label = 1, "shared"
    t = tc.sequence(M.tc_Val)
    got = proxy.echo_any(CORBA.Any(t, [v, v, None])).value()
    assert got[0] is got[1] and got[2] is None and got[0].label == "shared"


_d_ctx = tc.operation([tc.long], [tc.long], contexts=("USER",))


class Ctx__POA(M.Service__POA):
    _NP_ops = {"doubler_ctx": ("doubler_long", _d_ctx)}


def test_context_clause(server_orb: CORBA.ORB) -> None:
    from idlgen_runtime.giop.connection import context_values

    assert context_values(("USER", "APP_*"), {"USER": "me", "APP_X": 1, "OTHER": "no"}) == [
        "APP_X",
        "1",
        "USER",
        "me",
    ]

    class Ctx_i(Ctx__POA, M.Service_i):
        pass

    poa = server_orb.resolve_initial_references("RootPOA")
    ior = server_orb.object_to_string(poa.servant_to_reference(Ctx_i()))
    p = client_orb().string_to_object(ior)._narrow(M.Service)
    assert p is not None
    assert p._invoke("doubler_ctx", _d_ctx, (4, {"USER": "me"})) == 8
    assert p._invoke("doubler_ctx", _d_ctx, (5,)) == 10


def test_code_set_negotiation(ior: str) -> None:
    """ISO-8859-1 by default: '€' cannot be sent; UTF-8 when the client's native
    code set is UTF-8 (the server's IOR lists it as a conversion code set)."""
    latin = client_orb("-ORBmaxGIOPVersion", "1.1").string_to_object(ior)._narrow(M.Service)
    assert latin is not None and latin.doubler_str("é") == "éé"
    with pytest.raises(CORBA.BAD_PARAM):
        latin.doubler_str("€")
    for giop in ("1.1", "1.2"):
        utf8 = client_orb("-ORBnativeCharCodeSet", "UTF-8", "-ORBmaxGIOPVersion", giop)
        p = utf8.string_to_object(ior)._narrow(M.Service)
        assert p is not None and p.doubler_str("€ and é") == "€ and é€ and é"


def test_giop_1_0_requests_stay_latin1_on_a_utf8_connection(ior: str) -> None:
    orb = client_orb("-ORBnativeCharCodeSet", "UTF-8")
    p12 = orb.string_to_object(ior)._narrow(M.Service)
    assert p12 is not None and p12.doubler_str("€") == "€€"  # negotiates UTF-8
    prof = p12._ior.iiop()
    from idlgen_runtime.giop.ior import IOR, IiopProfile

    old = IiopProfile(prof.host, prof.port, prof.key, (1, 0))
    p10 = orb.string_to_object(IOR.for_iiop(M.Service._NP_RepositoryId, old).to_string())
    p10 = p10._narrow(M.Service)
    assert p10 is not None and p10.doubler_str("é") == "éé"  # same connection, ISO-8859-1
    assert len(orb._client.conns) == 1
