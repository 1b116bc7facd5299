"""quadruple: Python floats as IEEE 754 binary128, checked against known bytes
and against GCC's _Float128 (quad.c), since libtirpc has no xdr_quadruple."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from interop_support import HERE, generate
from peers import need

pytestmark = pytest.mark.interop

KNOWN = [
    (1.0, "3fff0000000000000000000000000000"),
    (-2.0, "c0000000000000000000000000000000"),
    (0.0, "00000000000000000000000000000000"),
    (-0.0, "80000000000000000000000000000000"),
    (0.5, "3ffe0000000000000000000000000000"),
    (1.5, "3fff8000000000000000000000000000"),
    (math.inf, "7fff0000000000000000000000000000"),
    (-math.inf, "ffff0000000000000000000000000000"),
    (1.7976931348623157e308, "43fefffffffffffff000000000000000"),  # the largest double
]


@pytest.fixture(scope="module")
def quad(tmp_path_factory):
    return generate(HERE / "quad.x", tmp_path_factory.mktemp("gen-quad"))


@pytest.fixture(scope="module")
def quad_c(tmp_path_factory) -> Path:
    need(shutil.which("gcc") is not None, "gcc is not installed (make deps)")
    exe = tmp_path_factory.mktemp("quad") / "quad"
    subprocess.run(
        ["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", str(exe), str(HERE / "quad.c")],
        check=True,
    )
    return exe


def _c(exe: Path, mode: str, args: list[str]) -> list[str]:
    out = subprocess.run(
        [str(exe), mode, *args], capture_output=True, text=True, check=True, timeout=30
    )
    return out.stdout.split()


@pytest.mark.parametrize(("value", "hex_bytes"), KNOWN)
def test_known_bytes(quad, value, hex_bytes):
    assert quad.codecs.q.encode(value).hex() == hex_bytes
    back = quad.codecs.q.decode(bytes.fromhex(hex_bytes))
    assert back == value and math.copysign(1, back) == math.copysign(1, value)


def test_tiny_values_encode_exactly(quad):
    assert quad.codecs.q.encode(2.0**-1074).hex() == "3bcd0000000000000000000000000000"
    assert quad.codecs.q.encode(-(2.0**-1022)).hex() == "bc010000000000000000000000000000"


def test_nan_and_quadruple_in_structs_and_unions(quad):
    t = quad.types
    assert math.isnan(quad.codecs.q.decode(quad.codecs.q.encode(math.nan)))
    pair = t.qpair(a=1.0, b=2.0)
    assert pair.to_xdr().hex() == "3fff0000000000000000000000000000" + "4000000000000000"
    assert t.qpair.from_xdr(pair.to_xdr()) == pair
    assert t.qmaybe.from_xdr(t.qmaybe(True, v=-0.5).to_xdr()) == t.qmaybe(True, v=-0.5)


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.floats(allow_nan=False), min_size=1, max_size=50))
def test_encoding_equals_gcc_float128(quad, quad_c, values):
    expected = _c(quad_c, "enc", [v.hex() for v in values])
    assert [quad.codecs.q.encode(v).hex() for v in values] == expected


def _quads(exponents: st.SearchStrategy[int]) -> st.SearchStrategy[bytes]:
    """binary128 values with any sign and significand, exponents as given."""
    bits = st.tuples(st.booleans(), exponents, st.integers(0, 2**112 - 1)).map(
        lambda t: (t[0] << 127) | (t[1] << 112) | t[2]
    )
    return bits.map(lambda b: b.to_bytes(16, "big"))


def _decodes_like_gcc(quad, quad_c, patterns: list[bytes]) -> None:
    expected = _c(quad_c, "dec", [p.hex() for p in patterns])
    for pattern, c_text in zip(patterns, expected, strict=True):
        want = float.fromhex(c_text) if "inf" not in c_text else float(c_text)
        got = quad.codecs.q.decode(pattern)
        assert (got, math.copysign(1, got)) == (want, math.copysign(1, want)), pattern.hex()


@settings(max_examples=30, deadline=None)
@given(patterns=st.lists(_quads(st.integers(16383 - 960, 16383 + 1023)), min_size=1, max_size=50))
def test_decoding_rounds_like_gcc_in_the_double_range(quad, quad_c, patterns):
    _decodes_like_gcc(quad, quad_c, patterns)


def test_decoding_tiny_values_like_gcc(quad, quad_c):
    tiny = [1e-300, 2.0**-1000, 2.0**-1074, 3 * 2.0**-1060, -(2.0**-970)]
    patterns = [quad.codecs.q.encode(v) for v in tiny]
    assert [quad.codecs.q.decode(p) for p in patterns] == tiny
    _decodes_like_gcc(quad, quad_c, patterns)


def test_decoding_huge_values_gives_infinity_like_gcc(quad, quad_c):
    patterns = [bytes.fromhex("7ffe" + "00" * 14), bytes.fromhex("c47f" + "00" * 14)]
    _decodes_like_gcc(quad, quad_c, patterns)
