"""CDR and TypeCodes without sockets: exact bytes in both byte orders,
alignment, encapsulations, hostile lengths, depth bounds, long double,
TypeCodes of TypeCodes with indirections."""

from __future__ import annotations

import decimal
import math
import struct

import monservice as M
import pytest
from idlgen_runtime.corba import CORBA
from idlgen_runtime.giop import messages as msg
from idlgen_runtime.giop import plans, tc
from idlgen_runtime.giop.cdr import CdrInput, CdrOutput
from idlgen_runtime.giop.values import float_to_quad, float_to_x87, quad_to_float, x87_to_float


def enc(t: CORBA.TypeCode, v: object, little: bool = False, lead: int = 0) -> bytes:
    out = CdrOutput(little)
    out.buf += b"\xaa" * lead
    out.write(t, v)
    return bytes(out.buf[lead:])


def dec(t: CORBA.TypeCode, data: bytes, little: bool = False) -> object:
    inp = CdrInput(data, little)
    v = inp.read(t)
    assert inp.pos == len(data)
    return v


def test_struct_bytes_and_alignment() -> None:
    rec = M.Rec("ab", 7, 1.5, M.Inner(-1, 2.0))
    want = (
        struct.pack(">I", 3) + b"ab\0"  # string
        + b"\0"  # pad to 4
        + struct.pack(">i", 7)
        + b"\0" * 4 + struct.pack(">d", 1.5)  # pad to 16
        + struct.pack(">i", -1) + b"\0" * 4 + struct.pack(">d", 2.0)
    )  # fmt: skip
    assert enc(M.tc_Rec, rec) == want
    assert dec(M.tc_Rec, want) == rec
    little = enc(M.tc_Rec, rec, little=True)
    assert little[:4] == struct.pack("<I", 3)
    assert dec(M.tc_Rec, little, little=True) == rec


def test_padding_content_is_ignored() -> None:
    data = bytearray(enc(M.tc_Rec, M.Rec("ab", 7, 1.5, M.Inner(-1, 2.0))))
    data[7] = 0xEE  # the pad after "ab\0"
    data[12:16] = b"\x11\x22\x33\x44"  # the pad before the outer double
    data[28:32] = b"\x55\x66\x77\x88"  # the pad before the inner double
    assert dec(M.tc_Rec, bytes(data)) == M.Rec("ab", 7, 1.5, M.Inner(-1, 2.0))


def test_numeric_sequences_use_one_array_call() -> None:
    t = tc.sequence(tc.long)
    fn = plans.decoder(t, False)
    assert "frombytes" in fn.__idlgen_source__ and "for " not in fn.__idlgen_source__
    values = list(range(-1000, 1000))
    for little in (False, True):
        assert dec(t, enc(t, values, little), little) == values
    assert enc(t, [1, 2], False) == b"\0\0\0\x02\0\0\0\x01\0\0\0\x02"


def test_empty_sequence_of_doubles_has_no_padding() -> None:
    t = tc.struct(
        "IDL:S:1.0", "S", None, (("a", tc.long), ("d", tc.sequence(tc.double)), ("b", tc.long))
    )
    assert t  # a struct without a generated class decodes into a made-up dataclass
    data = struct.pack(">iIi", 1, 0, 2)
    v = dec(t, data)
    assert (v.a, v.d, v.b) == (1, [], 2)


@pytest.mark.parametrize("length", [0xFFFFFFFF, 0x7FFFFFFF, 1000])
def test_hostile_lengths_are_refused(length: int) -> None:
    for t in (
        tc.string,
        tc.sequence(tc.long),
        tc.sequence(M.tc_Rec),
        tc.sequence(tc.octet),
        tc.wstring,
    ):
        with pytest.raises(CORBA.MARSHAL):
            dec(t, struct.pack(">I", length) + b"\0" * 12)


def test_bounded_types_check_their_bounds() -> None:
    with pytest.raises(CORBA.BAD_PARAM):
        enc(tc.bounded_string(3), "abcd")
    with pytest.raises(CORBA.MARSHAL):
        dec(tc.bounded_string(3), struct.pack(">I", 5) + b"abcd\0")
    with pytest.raises(CORBA.BAD_PARAM):
        enc(tc.sequence(tc.long, 2), [1, 2, 3])
    with pytest.raises(CORBA.BAD_PARAM):
        enc(tc.string, "nul\0inside")
    with pytest.raises(CORBA.BAD_PARAM):
        enc(tc.long, 2**31)


def test_bad_values_are_marshal_errors() -> None:
    with pytest.raises(CORBA.MARSHAL):
        dec(M.tc_Color, struct.pack(">I", 7))  # no such enumerator
    with pytest.raises(CORBA.MARSHAL):
        dec(tc.string, struct.pack(">I", 3) + b"abc")  # no NUL
    with pytest.raises(CORBA.MARSHAL):
        dec(tc.long, b"\0\0")  # truncated


@pytest.mark.parametrize(
    "value", [0.0, -0.0, 1.0, math.pi, -1e300, 5e-324, 1.7976931348623157e308, math.inf]
)
def test_long_double_is_ieee_quad(value: float) -> None:
    for little in (False, True):
        q = float_to_quad(value, little)
        assert len(q) == 16 and quad_to_float(q, little) == value
        x = float_to_x87(value, little)
        assert x87_to_float(x, little) == value
    assert float_to_quad(1.0, False) == bytes.fromhex("3fff" + "00" * 14)
    assert math.isnan(quad_to_float(float_to_quad(math.nan, False), False))


def test_fixed_is_packed_decimal() -> None:
    assert enc(tc.fixed(5, 2), decimal.Decimal("-123.45")) == bytes.fromhex("12345d")
    assert enc(tc.fixed(4, 1), decimal.Decimal("1.5")) == bytes.fromhex("00015c")
    assert dec(tc.fixed(4, 1), bytes.fromhex("00015c")) == decimal.Decimal("1.5")
    with pytest.raises(CORBA.BAD_PARAM):
        enc(tc.fixed(3, 0), decimal.Decimal("12345"))


def test_wide_strings_per_giop_version() -> None:
    out = CdrOutput(False, wide12=True)
    out.write(tc.wstring, "h€")
    assert bytes(out.buf) == struct.pack(">I", 4) + "h€".encode("utf-16-be")
    out = CdrOutput(True, wide12=False)
    out.write(tc.wstring, "h€")
    assert bytes(out.buf) == struct.pack("<I", 3) + "h€\0".encode("utf-16-le")
    inp = CdrInput(struct.pack(">I", 6) + b"\xff\xfeh\x00i\x00")  # a BOM says little-endian
    assert inp.read(tc.wstring) == "hi"


def test_recursive_typecode_uses_an_indirection() -> None:
    out = CdrOutput(False)
    tc.write_typecode(out, M.tc_Node)
    data = bytes(out.buf)
    assert data.count(b"\xff\xff\xff\xff") == 1
    back = tc.read_typecode(CdrInput(data))
    assert back.equal(M.tc_Node) and back.member_type(1).content_type().kind() == CORBA.tk_struct
    assert back.member_type(1).content_type().id() == M.Node._NP_RepositoryId
    # the offset points back at the outer struct's kind (offset 0)
    pos = data.index(b"\xff\xff\xff\xff") + 4
    assert pos + struct.unpack_from(">i", data, pos)[0] == 0


@pytest.mark.parametrize(
    "t", [M.tc_Rec, M.tc_Shape, M.tc_Num, M.tc_Node, M.tc_Val, M.tc_Box, M.tc_Alias, M._tc_Oops,
          tc.fixed(7, 2), tc.bounded_wstring(9), tc.array(tc.any, 3), M.tc_Service, tc.TypeCode],
)  # fmt: skip
def test_typecodes_round_trip(t: CORBA.TypeCode) -> None:
    for little in (False, True):
        out = CdrOutput(little)
        out.octet(0)
        tc.write_typecode(out, t)
        back = tc.read_typecode(CdrInput(bytes(out.buf), little, 1))
        assert back.equal(t) and t.equal(back)


def test_typecode_indirection_to_nowhere_is_marshal() -> None:
    bad = struct.pack(">Ii", 0xFFFFFFFF, -4)
    with pytest.raises(CORBA.MARSHAL):
        tc.read_typecode(CdrInput(bad))
    with pytest.raises(CORBA.MARSHAL):
        tc.read_typecode(CdrInput(struct.pack(">I", 99)))  # unknown kind


def test_any_nesting_is_bounded() -> None:
    bomb = struct.pack(">I", 11) * 10_000 + struct.pack(">Ii", 3, 1)
    with pytest.raises(CORBA.MARSHAL):
        dec(tc.any, bomb)
    ok = struct.pack(">I", 11) * 10 + struct.pack(">Ii", 3, 1)
    v = dec(tc.any, ok)
    for _ in range(10):
        v = v.value()
    assert v.value() == 1


def test_deep_recursive_values_are_bounded() -> None:
    node = M.Node("leaf", [])
    for _ in range(200):
        node = M.Node("n", [node])
    with pytest.raises(CORBA.BAD_PARAM):
        enc(M.tc_Node, node)
    data = b"".join(struct.pack(">I2sxxI", 2, b"n\0", 1) for _ in range(200))
    with pytest.raises(CORBA.MARSHAL):
        dec(M.tc_Node, data)


def test_union_member_access() -> None:
    u = M.Shape(side=3)
    assert u._d == M.Color.GREEN and u.side == 3
    with pytest.raises(CORBA.BAD_PARAM):
        _ = u.radius
    assert M.Num(99, 1).other == 1
    assert M.Shape(M.Color.BLUE, 4) == M.Shape(M.Color.BLUE, 4) != M.Shape(M.Color.GREEN, 4)


def test_request_bytes_of_each_giop_version() -> None:
    h = msg.RequestHeader(2, True, b"key", "op", [])
    out = msg.start((1, 0), msg.REQUEST, False)
    msg.write_request(out, (1, 0), h)
    assert msg.finish(out) == (
        b"GIOP\x01\x00\x00\x00" + struct.pack(">I", 32)
        + struct.pack(">II?3xI", 0, 2, True, 3) + b"key\0" + struct.pack(">I", 3) + b"op\0\0"
        + struct.pack(">I", 0)
    )  # fmt: skip
    out = msg.start((1, 2), msg.REQUEST, True)
    msg.write_request(out, (1, 2), h)
    out.long(5)
    assert msg.finish(out) == (
        b"GIOP\x01\x02\x01\x00" + struct.pack("<I", 40)
        + struct.pack("<IB3xh2xI", 2, 3, 0, 3) + b"key\0" + struct.pack("<I", 3) + b"op\0\0"
        + struct.pack("<I", 0) + b"\0" * 4 + struct.pack("<i", 5)
    )  # fmt: skip
    out = msg.start((1, 2), msg.REPLY, False)
    msg.write_reply(out, (1, 2), 2, msg.NO_EXCEPTION, [])
    assert msg.finish(out) == b"GIOP\x01\x02\x00\x01" + struct.pack(">IIII", 12, 2, 0, 0)
