"""A value that cannot be encoded is named by its field path and what it should be.

The generated encoders pack many fields with one ``struct`` call, whose own
error (``'i' format requires -2147483648 <= number <= 2147483647``) names
neither the field nor the type; the runtime finds the field only after the
encoder failed, so the fast path is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from idlgen_runtime import xdr as _xdr
from idlgen_runtime.errors import XdrEncodeError
from xdr_support import compile_package

SOURCE = """
enum color { RED = 0, GREEN = 1 };
struct inner { unsigned int u; hyper h; unsigned hyper uh; float f; int i; };
struct operands { int x; int y; };
struct outer { int a; inner items<>; color c; inner *next; };
union pick switch (int k) { case 1: inner i; default: void; };
typedef unsigned int count;
program P {
    version V { int ADD(operands) = 1; int TWO(int, unsigned int) = 2; } = 1;
} = 0x20000001;
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory):
    folder = tmp_path_factory.mktemp("enc")
    (folder / "encerr.x").write_text(SOURCE)
    return compile_package(folder / "encerr.x", folder / "out")[0]


def _message(encode) -> str:
    with pytest.raises(XdrEncodeError) as info:
        encode()
    return str(info.value)


def test_an_int_out_of_range_names_the_field_and_the_range(pkg):
    t = pkg.types
    assert _message(t.operands(2**31, 1).to_xdr) == (
        "cannot encode operands: operands.x = 2147483648 does not fit in an int "
        "(-2147483648..2147483647)"
    )
    assert "operands.y = -2147483649 does not fit in an int" in _message(
        t.operands(1, -(2**31) - 1).to_xdr
    )


def test_nested_fields_list_items_and_each_integer_type(pkg):
    t = pkg.types
    good = t.inner(1, 2, 3, 1.0, 4)

    def outer(*items, nxt=None):
        return t.outer(-1, list(items), t.color.RED, nxt)

    cases = [
        (outer(good, t.inner(-1, 2, 3, 1.0, 4)), "outer.items[1].u = -1 does not fit in an "
         "unsigned int (0..4294967295)"),
        (outer(good, nxt=t.inner(1, 2**63, 3, 1.0, 4)), "outer.next_.h = 9223372036854775808 "
         "does not fit in a hyper (-9223372036854775808..9223372036854775807)"),
        (outer(t.inner(1, 2, -3, 1.0, 4)), "outer.items[0].uh = -3 does not fit in an unsigned "
         "hyper (0..18446744073709551615)"),
        (outer(t.inner(1, 2, 3, 1e39, 4)), "outer.items[0].f = 1e+39 does not fit in a float"),
        (outer(t.inner(1, 2, 3, 1.0, 2**31)), "outer.items[0].i = 2147483648 does not fit in "
         "an int"),
        (t.pick(1, t.inner(1, 2, 2**64, 0.0, 0)), "pick.i.uh = 18446744073709551616 does not "
         "fit in an unsigned hyper"),
    ]  # fmt: skip
    for value, expected in cases:
        assert expected in _message(value.to_xdr)


def test_a_value_of_the_wrong_kind_is_named_too(pkg):
    t = pkg.types
    assert _message(t.operands(1, "x").to_xdr) == (
        "cannot encode operands: operands.y = 'x' is not an integer"
    )
    assert _message(t.pick(1, t.inner(1, 2, 3, None, 0)).to_xdr) == (
        "cannot encode pick: pick.i.f = None is not a number"
    )


def test_codecs_and_procedure_arguments_say_the_same(pkg):
    assert "count = -1 does not fit in an unsigned int" in _message(
        lambda: _xdr.encode_args(pkg.codecs.count.encoder, bytearray(), ("count",), -1)
    )
    assert "operands.x = 2147483648" in _message(
        lambda: pkg.codecs.operands.encode(pkg.types.operands(2**31, 0))
    )
    client = Path(pkg.__file__).parent / "client.py"
    assert '_xdr.encode_args(_t._enc_operands, out, ("arg",), arg)' in client.read_text()
    two = next(
        getattr(pkg.types, n) for n in dir(pkg.types) if n.startswith("_enc_") and "TWO" in n
    )
    assert _message(lambda: _xdr.encode_args(two, bytearray(), ("arg1", "arg2"), 1, -5)) == (
        "cannot encode arg1 and arg2: arg2 = -5 does not fit in an unsigned int (0..4294967295)"
    )


def test_the_encoders_own_words_when_no_number_explains_it(pkg):
    message = _message(pkg.types.outer(1, None, pkg.types.color.RED, None).to_xdr)
    assert message.startswith("cannot encode outer: ")


def test_a_codec_of_a_typedef_names_it(pkg):
    assert _message(lambda: pkg.codecs.count.encode(-1)) == (
        "cannot encode count: count = -1 does not fit in an unsigned int (0..4294967295)"
    )
