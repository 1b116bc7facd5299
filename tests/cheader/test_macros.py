"""#define constants evaluated as the C compiler sees them on this machine (LP64):
literal types from value and suffix, the usual arithmetic conversions, unsigned
arithmetic modulo 2**N, casts to integer types and integer typedefs."""

from __future__ import annotations

import pytest
from idlgen.frontends.cheader.macros import Cast, NotConstant, evaluate

TYPEDEFS = {"M6": (3, True), "sint": (3, False)}  # typedef unsigned M6; typedef int sint;


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("(~(unsigned long)0)", 2**64 - 1),  # SIZE_MAX-style
        ("(0ULL - 1)", 2**64 - 1),  # zstd's ZSTD_CONTENTSIZE_UNKNOWN
        ("(0ULL - 2)", 2**64 - 2),
        ("((size_t)-1)", 2**64 - 1),  # curl's CURL_ZERO_TERMINATED
        ("(~(M6)0)", 2**32 - 1),  # a cast to a typedef of unsigned
        ("((M6) 1)", 1),  # an integer, not a pointer
        ("((sint)-1)", -1),
        ("0xFFFFFFFF", 2**32 - 1),  # hex: unsigned int
        ("(0xFFFFFFFF + 1)", 0),  # ... which wraps
        ("(0xFFFFFFFFu + 1ull)", 2**32),  # unless the other side is wider
        ("2147483648", 2**31),  # decimal: long
        ("(2147483647 + 1)", -(2**31)),  # int arithmetic (two's complement)
        ("(~0u)", 2**32 - 1),
        ("(~0)", -1),
        ("(-1 < 0u)", 0),  # -1 converts to unsigned
        ("((unsigned char)300)", 44),
        ("(1u << 31)", 2**31),
        ("(-5 / 2)", -2),  # C truncates toward zero
        ("(-5 % 2)", -1),
        ("(1 << 4 | 0x3)", 19),
        ("'a'", 97),
        ("010", 8),
        ("(1.5 * 2)", 3.0),
        ('"abc"', "abc"),
    ],
)
def test_values_as_c_computes_them(body: str, value: object):
    got = evaluate(body, {}, TYPEDEFS)
    assert got == value and type(got) is not bool


def test_a_constant_keeps_its_type_for_the_macros_that_use_it():
    known = {"ALL": evaluate("0xFFFFFFFFu", {})}
    assert evaluate("(ALL + 1)", known) == 0
    assert evaluate("(ENUMERATOR * 2)", {"ENUMERATOR": 3}) == 6  # a plain int is C's int


def test_pointer_casts_and_what_is_not_constant():
    assert evaluate("((void *) -1)", {}) == Cast("void *", -1)
    assert evaluate("((sqlite3_destructor_type)-1)", {}) == Cast("sqlite3_destructor_type", -1)
    for body in ("(1 / 0)", "(UNKNOWN + 1)", "(1 << 64)", "f(1)", "(a ? 1 : 2)"):
        with pytest.raises(NotConstant):
            evaluate(body, {})
