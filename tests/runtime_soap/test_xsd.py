"""The built-in XML Schema types round-trip exactly and refuse what is outside them."""

from __future__ import annotations

import datetime as dt
import enum
import math
from decimal import Decimal

import pytest
from idlgen_runtime.soap import XsdValueError, xsd

EXACT = [
    (xsd.dateTime, "2024-01-02T03:04:05.5-07:00"),
    (xsd.dateTime, "2024-01-02T03:04:05"),
    (xsd.dateTime, "2024-01-02T03:04:05Z"),
    (xsd.dateTime, "2024-01-02T03:04:05+00:00"),
    (xsd.dateTime, "2024-01-02T03:04:05.123456+14:00"),
    (xsd.dateTime, "2024-12-31T24:00:00"),
    (xsd.date, "2024-02-29"),
    (xsd.date, "2024-02-29Z"),
    (xsd.date, "2024-02-29-05:00"),
    (xsd.time, "13:20:00"),
    (xsd.time, "13:20:00.25+01:00"),
    (xsd.duration, "P1Y2M3DT4H5M6.5S"),
    (xsd.duration, "-P1D"),
    (xsd.duration, "PT0S"),
    (xsd.duration, "P0Y"),
    (xsd.decimal, "-0.001"),
    (xsd.decimal, "123456789012345678901234567890.123456789"),
    (xsd.integer, "-123456789012345678901234567890"),
    (xsd.long, "9223372036854775807"),
    (xsd.unsignedLong, "18446744073709551615"),
    (xsd.double, "INF"),
    (xsd.double, "-INF"),
    (xsd.double, "NaN"),
    (xsd.double, "1.5"),
    (xsd.float_, "-0.25"),
    (xsd.boolean, "true"),
    (xsd.base64Binary, "AAEC/w=="),
    (xsd.hexBinary, "00FF10"),
    (xsd.anyURI, "http://example.org/a?b=c"),
    (xsd.gYear, "2024"),
    (xsd.gYearMonth, "2024-02Z"),
    (xsd.gMonthDay, "--02-29"),
    (xsd.gDay, "---31"),
    (xsd.gMonth, "--12"),
    (xsd.language, "en-GB"),
    (xsd.NCName, "abc-def"),
    (xsd.token, "a b c"),
]


@pytest.mark.parametrize("codec,text", EXACT, ids=[f"{c.qname[34:]}:{t}" for c, t in EXACT])
def test_round_trip_exact(codec, text):
    value = codec.from_text(text)
    assert codec.to_text(value) == text
    assert codec.to_text(codec.from_text(codec.to_text(value))) == text


def test_values_are_the_python_types():
    v = xsd.dateTime.from_text("2024-01-02T03:04:05.5-07:00")
    assert isinstance(v, dt.datetime)
    assert v == dt.datetime(2024, 1, 2, 3, 4, 5, 500000, dt.timezone(dt.timedelta(hours=-7)))
    assert xsd.dateTime.from_text("2024-01-02T03:04:05").tzinfo is None
    assert xsd.dateTime.from_text("2024-12-31T24:00:00") == dt.datetime(2025, 1, 1)
    d = xsd.date.from_text("2024-02-29+02:00")
    assert d == dt.date(2024, 2, 29) and d.tzinfo == dt.timezone(dt.timedelta(hours=2))
    assert xsd.decimal.from_text("1.10") == Decimal("1.10")
    assert isinstance(xsd.decimal.from_text("1.10"), Decimal)
    assert xsd.integer.from_text(" 10000000000000000000000 ") == 10**22
    assert xsd.base64Binary.from_text("AAEC\n/w==") == b"\x00\x01\x02\xff"
    assert xsd.hexBinary.from_text("00ff") == b"\x00\xff"
    assert math.isnan(xsd.float_.from_text("NaN"))
    dur = xsd.duration.from_text("-P1DT2H")
    assert dur.negative and dur.days == 1 and dur.hours == 2
    assert dur.to_timedelta() == -dt.timedelta(days=1, hours=2)


def test_plain_python_values_are_written_canonically():
    utc = dt.timezone.utc
    assert xsd.dateTime.to_text(dt.datetime(2024, 1, 2, 3, 4, 5, 500000, utc)) == (
        "2024-01-02T03:04:05.5Z"
    )
    tz = dt.timezone(dt.timedelta(hours=5, minutes=30))
    assert xsd.dateTime.to_text(dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=tz)) == (
        "2024-01-02T03:04:05+05:30"
    )
    assert xsd.date.to_text(dt.date(2024, 1, 2)) == "2024-01-02"
    assert xsd.time.to_text(dt.time(1, 2, 3, 40)) == "01:02:03.00004"
    assert xsd.duration.to_text(dt.timedelta(days=1, seconds=1.5)) == "P1DT1.5S"
    assert xsd.decimal.to_text(Decimal("1E+3")) == "1000"
    assert xsd.double.to_text(math.inf) == "INF" and xsd.double.to_text(-math.inf) == "-INF"
    assert xsd.double.to_text(1e300) == "1e+300"
    assert xsd.boolean.to_text(False) == "false"
    assert xsd.hexBinary.to_text(b"\xab") == "AB"


@pytest.mark.parametrize(
    "codec,text",
    [
        (xsd.int_, "2147483648"),
        (xsd.int_, "-2147483649"),
        (xsd.short, "32768"),
        (xsd.byte, "-129"),
        (xsd.unsignedByte, "256"),
        (xsd.unsignedInt, "-1"),
        (xsd.positiveInteger, "0"),
        (xsd.negativeInteger, "0"),
        (xsd.nonNegativeInteger, "-1"),
        (xsd.nonPositiveInteger, "1"),
        (xsd.integer, "1.0"),
        (xsd.integer, "1e3"),
        (xsd.decimal, "1e3"),
        (xsd.decimal, "NaN"),
        (xsd.double, "inf"),
        (xsd.double, "Infinity"),
        (xsd.double, "nan"),
        (xsd.boolean, "yes"),
        (xsd.dateTime, "2024-02-30T00:00:00"),
        (xsd.dateTime, "2024-01-02 03:04:05"),
        (xsd.date, "2024-13-01"),
        (xsd.time, "25:00:00"),
        (xsd.duration, "P"),
        (xsd.duration, "PT"),
        (xsd.duration, "P1H"),
        (xsd.base64Binary, "not base64!"),
        (xsd.hexBinary, "ABC"),
        (xsd.language, "not a language"),
        (xsd.gMonth, "--13"),
    ],
)
def test_refused(codec, text):
    with pytest.raises(XsdValueError):
        codec.from_text(text)


def test_range_checked_on_writing_too():
    with pytest.raises(XsdValueError):
        xsd.unsignedShort.to_text(65536)
    with pytest.raises(XsdValueError):
        xsd.int_.to_text(True)  # a bool is not an int on the wire
    with pytest.raises(XsdValueError):
        xsd.int_.to_text("5")
    with pytest.raises(XsdValueError):
        xsd.decimal.to_text(Decimal("NaN"))
    assert xsd.long.to_text(-(2**63)) == "-9223372036854775808"


def test_qname_resolves_prefixes():
    v = xsd.QName.from_text_ns("tns:Thing", {"tns": "urn:x", None: "urn:default"})
    assert v == xsd.QNameValue("urn:x", "Thing") and v.text == "{urn:x}Thing"
    assert xsd.QName.from_text_ns("Thing", {None: "urn:default"}).namespace == "urn:default"
    assert xsd.QName.from_text_ns("Thing", {}).namespace == ""
    with pytest.raises(XsdValueError):
        xsd.QName.from_text_ns("nope:Thing", {})
    declared = {}

    def declare(ns):
        return declared.setdefault(ns, f"p{len(declared)}")

    assert xsd.QName.to_text_ns(xsd.QNameValue("urn:x", "T"), declare) == "p0:T"
    assert xsd.QName.to_text_ns("{urn:y}U", declare) == "p1:U"


class Color(str, enum.Enum):
    RED = "red"
    DARK_BLUE = "dark blue"


def test_facets_enumerations_lists_unions():
    small = xsd.restricted(xsd.int_, min_inclusive=1, max_exclusive=10)
    assert small.from_text("9") == 9
    for bad in ("0", "10"):
        with pytest.raises(XsdValueError):
            small.from_text(bad)
    with pytest.raises(XsdValueError):
        small.to_text(10)
    code = xsd.restricted(xsd.string, pattern=r"[A-Z]{3}", max_length=3)
    assert code.to_text("EUR") == "EUR"
    with pytest.raises(XsdValueError):
        code.to_text("EURO")
    sizes = xsd.restricted(xsd.string, enumeration=("S", "M", "L"))
    with pytest.raises(XsdValueError):
        sizes.from_text("XL")
    money = xsd.restricted(xsd.decimal, total_digits=5, fraction_digits=2)
    assert money.from_text("123.45") == Decimal("123.45")
    with pytest.raises(XsdValueError):
        money.from_text("1.234")
    colors = xsd.enumeration(Color)
    assert colors.from_text("dark blue") is Color.DARK_BLUE
    assert colors.to_text(Color.RED) == "red"
    with pytest.raises(XsdValueError):
        colors.from_text("green")
    ints = xsd.list_of(xsd.int_)
    assert ints.from_text(" 1 2\n3 ") == [1, 2, 3] and ints.to_text([1, 2, 3]) == "1 2 3"
    either = xsd.union_of(xsd.int_, xsd.enumeration(Color))
    assert either.from_text("7") == 7 and either.from_text("red") is Color.RED
    assert either.to_text(7) == "7" and either.to_text(Color.RED) == "red"
    with pytest.raises(XsdValueError):
        either.from_text("seven")


def test_xml_schema_regex_escapes():
    name = xsd.restricted(xsd.string, pattern=r"\i\c*")
    assert name.from_text("ns:a-b.c") == "ns:a-b.c"
    with pytest.raises(XsdValueError):
        name.from_text("1abc")
    letters = xsd.restricted(xsd.string, pattern=r"\p{L}+")
    assert letters.from_text("Ünïcode") == "Ünïcode"
    with pytest.raises(XsdValueError):
        letters.from_text("abc1")
    literal = xsd.restricted(xsd.string, pattern=r"a^b$")  # no anchors in XML Schema
    assert literal.from_text("a^b$") == "a^b$"
    # what Python's re cannot say is not checked rather than refused at import
    subtraction = xsd.restricted(xsd.string, pattern=r"[a-z-[aeiou]]+")
    assert subtraction.from_text("anything") == "anything"
