"""IORs, corbaloc and corbaname: parse, emit, keep what is unknown."""

from __future__ import annotations

import pytest
from idlgen_runtime.corba import CORBA
from idlgen_runtime.giop.corbaloc import Address, parse_corbaloc, parse_corbaname
from idlgen_runtime.giop.ior import IOR, TAG_CODE_SETS, CodeSets, IiopProfile
from idlgen_runtime.giop.objref import Object

#: A context made by omniNames 4.2.5 (catior: IIOP 1.2, TAG_ORB_TYPE, TAG_CODE_SETS,
#: TAG_OMNIORB_PERSISTENT_ID), as this ORB re-emits it (the profile bytes are omniNames').
OMNINAMES = (
    "IOR:000000000000002b49444c3a6f6d672e6f72672f436f734e616d696e672f4e616d696e67436f6e746578"
    "744578743a312e300000000000010000000000000070010102000a0000003132372e302e302e310007520e00"
    "0000ff00fb9d0d6b01001db30000000100000300000000000000080000000100000000545441010000001c00"
    "0000010000000100010001000000010001050901010001000000090101000354544108000000fb9d0d6b0100"
    "1db3"
)


def test_iiop_profile_round_trips_with_unknown_components() -> None:
    prof = IiopProfile(
        "127.0.0.1", 2809, b"\x00key", (1, 2), [(0x41545403, b"\x01\x02"), (99, b"")]
    )
    ior = IOR.for_iiop("IDL:X:1.0", prof)
    back = IOR.from_string(ior.to_string())
    assert back.type_id == "IDL:X:1.0"
    got = back.iiop()
    assert (got.host, got.port, got.key, got.version) == ("127.0.0.1", 2809, b"\x00key", (1, 2))
    assert got.components == [(0x41545403, b"\x01\x02"), (99, b"")]
    assert back.profiles == ior.profiles


def test_iiop_1_0_profile_has_no_components() -> None:
    prof = IiopProfile("h", 1, b"k", (1, 0), [(1, b"x")])
    back = IiopProfile.decode(prof.encode())
    assert back.version == (1, 0) and back.components == []


def test_omninames_ior_parses() -> None:
    ior = IOR.from_string(OMNINAMES)
    assert ior.type_id == "IDL:omg.org/CosNaming/NamingContextExt:1.0"
    p = ior.iiop()
    key = b"\xff\x00\xfb\x9d\x0dk\x01\x00\x1d\xb3\x00\x00\x00\x01"
    assert (p.host, p.port, p.key, p.version) == ("127.0.0.1", 20999, key, (1, 2))
    tags = [t for t, _ in p.components]
    assert TAG_CODE_SETS in tags and 0x41545403 in tags
    cs = p.code_sets()
    assert cs == CodeSets(0x00010001, (0x05010001,), 0x00010109, (0x00010109,))
    assert ior.to_string() == OMNINAMES


def test_unknown_profiles_are_kept() -> None:
    ior = IOR("IDL:X:1.0", [(42, b"\x00opaque"), (0, IiopProfile("h", 7, b"k").encode())])
    back = IOR.from_string(ior.to_string())
    assert back.profiles[0] == (42, b"\x00opaque") and back.iiop().port == 7


@pytest.mark.parametrize(
    "bad", ["IOR:", "IOR:0", "IOR:zz", "IOR:01", "IOR:00ffffffff", "nonsense", "IOR:" + "00" * 9]
)
def test_malformed_iors_are_bad_param(bad: str) -> None:
    with pytest.raises(CORBA.BAD_PARAM):
        IOR.from_string(bad)


def test_corbaloc_forms() -> None:
    assert parse_corbaloc("corbaloc::127.0.0.1:2809/NameService").addresses == (
        Address("127.0.0.1", 2809, (1, 0)),
    )
    loc = parse_corbaloc("corbaloc:iiop:1.2@host:1234,:other/a%2Fb%00")
    assert loc.addresses == (Address("host", 1234, (1, 2)), Address("other", 2809, (1, 0)))
    assert loc.key == b"a/b\x00"
    assert parse_corbaloc("corbaloc::[::1]:99/K").addresses[0] == Address("::1", 99, (1, 0))
    assert parse_corbaloc("corbaloc:rir:/NameService").rir
    for bad in (
        "corbaloc::host",
        "corbaloc:http://x/y",
        "corbaloc::h:99999/k",
        "corbaloc::1.9@h/k",
    ):
        with pytest.raises(CORBA.BAD_PARAM):
            parse_corbaloc(bad)


def test_corbaname_forms() -> None:
    cn = parse_corbaname("corbaname::127.0.0.1:2809#a/b.kind/c")
    assert cn.loc.key == b"NameService" and cn.name == "a/b.kind/c"
    assert cn.loc.addresses[0].version == (1, 0)
    cn = parse_corbaname("corbaname:iiop:1.2@h:1/Other#x")
    assert (cn.loc.key, cn.name, cn.loc.addresses[0].version) == (b"Other", "x", (1, 2))


def test_string_to_object_gives_giop_1_0_for_corbaloc() -> None:
    orb = CORBA.ORB_init([], "ior-test")
    try:
        obj = orb.string_to_object("corbaloc::127.0.0.1:1/Key")
        assert isinstance(obj, Object)
        assert obj._ior.iiop().version == (1, 0) and obj._ior.iiop().key == b"Key"
        s = orb.object_to_string(obj)
        assert orb.string_to_object(s)._ior.profiles == obj._ior.profiles
        assert orb.object_to_string(None).startswith("IOR:")
        assert orb.string_to_object(orb.object_to_string(None)) is None
    finally:
        orb.destroy()


def test_corbaloc_with_several_addresses_uses_the_one_that_answers(ior: str) -> None:
    import socket

    import monservice as M
    from orb_clients import client_orb

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    live = IOR.from_string(ior).iiop()
    orb = client_orb()
    poa_key = "".join(f"%{b:02x}" for b in live.key)
    url = f"corbaloc::127.0.0.1:{dead},:1.2@127.0.0.1:{live.port}/{poa_key}"
    p = orb.string_to_object(url)._narrow(M.Service)
    assert p is not None and p.doubler_long(6) == 12
    assert p._ior.iiop().port == live.port  # remembered for the next calls
