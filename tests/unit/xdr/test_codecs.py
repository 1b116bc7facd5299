"""Generated XDR codecs: round trips, exact bytes, and hostile input."""

from __future__ import annotations

import inspect
import struct
from pathlib import Path

import pytest
import xdrlib3
from hypothesis import given, settings
from hypothesis import strategies as st
from idlgen_runtime.errors import XdrDecodeError, XdrEncodeError
from xdr_support import Samples, compile_package

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def constructs(tmp_path_factory):
    pkg, spec, ctx = compile_package(HERE / "constructs.x", tmp_path_factory.mktemp("constructs"))
    return pkg, ctx


def test_constants_resolve_and_fold(constructs):
    pkg, _ = constructs
    c = pkg.const
    assert (c.MAXNAME, c.HEXVAL, c.OCTAL, c.NEGATIVE, c.EXPR) == (255, 0x7FFFFFFF, 0o755, -42, 512)
    assert c.GREETING == "hello"
    assert c.CONSTRUCTS_PROG == 0x20000101 and c.CONSTRUCTS_V2 == 2 and c.ADD3 == 2
    assert pkg.types.implicit.FOURTH == 11 and pkg.types.implicit.SECOND == 1


@pytest.mark.parametrize("seed", range(40))
def test_every_type_round_trips(constructs, seed):
    pkg, ctx = constructs
    samples = Samples(pkg.types, ctx, seed=seed)
    for name in (
        "everything",
        "mixed",
        "result",
        "maybe",
        "flagged",
        "node",
        "nodelist",
        "palette",
    ):
        value = samples.of_decl(name)
        codec = getattr(pkg.codecs, name)
        data = codec.encode(value)
        assert len(data) % 4 == 0
        assert codec.decode(data) == value
        if type(value).__name__ == name:  # structs and unions; typedefs have only codecs
            assert value.to_xdr() == data
            assert type(value).from_xdr(data) == value


def test_bytes_match_xdrlib3(constructs):
    """Differential: the generated encoder writes what a reference Packer writes."""
    t = constructs[0].types
    value = t.mixed(True, -1, 2**32 - 1, -(2**63), 2**64 - 1, 1.5, 2.25, 3.5, -128, 255, -32768,
                    65535, t.color.BLUE, 7, 8, 9)  # fmt: skip
    p = xdrlib3.Packer()
    p.pack_bool(True)
    p.pack_int(-1)
    p.pack_uint(2**32 - 1)
    p.pack_hyper(-(2**63))
    p.pack_uhyper(2**64 - 1)
    p.pack_float(1.5)
    p.pack_double(2.25)
    p.pack_fopaque(16, bytes.fromhex("4000c000000000000000000000000000"))  # 3.5 as binary128
    for v in (-128, 255, -32768, 65535):
        p.pack_int(v)
    for v in (2, 7, 8, 9):
        p.pack_int(v)
    assert value.to_xdr() == p.get_buffer()

    everything_part = t.everything_inner(5, "abcde")
    p = xdrlib3.Packer()
    p.pack_int(5)
    p.pack_string(b"abcde")
    assert everything_part.to_xdr() == p.get_buffer()


def test_million_entry_linked_list(constructs):
    t = constructs[0].types
    head = None
    for i in range(1_000_000):
        head = t.node(i, "n", head)
    data = head.to_xdr()
    assert len(data) == 1_000_000 * 16
    back = t.node.from_xdr(data)
    assert back == head
    back.next_.next_.value = -1
    assert back != head
    text = repr(head)  # no recursion either
    assert text.startswith("node(value=999999, label='n', next_=node(value=999998, label='n'")
    assert text.endswith("next_=None" + ")" * 1_000_000)


def test_linked_list_repr_is_the_dataclass_repr(constructs):
    t = constructs[0].types
    two = t.node(1, "a", t.node(2, "b", None))
    assert repr(two) == "node(value=1, label='a', next_=node(value=2, label='b', next_=None))"


def test_trailing_and_truncated_data_rejected(constructs):
    t = constructs[0].types
    data = t.point(1, 2).to_xdr()
    with pytest.raises(XdrDecodeError, match="trailing"):
        t.point.from_xdr(data + b"\0\0\0\0")
    for cut in range(len(data)):
        with pytest.raises(XdrDecodeError):
            t.point.from_xdr(data[:cut])


def test_hostile_lengths_rejected_before_allocation(constructs):
    pkg, _ = constructs
    huge = struct.pack(">I", 0xFFFFFFF0)
    with pytest.raises(XdrDecodeError, match="bound"):
        pkg.codecs.var_bytes.decode(huge)
    with pytest.raises(XdrDecodeError, match="remain"):
        pkg.codecs.int_list.decode(huge)
    with pytest.raises(XdrDecodeError, match="past the end"):
        pkg.codecs.anystring.decode(huge + b"abc\0")
    with pytest.raises(XdrDecodeError, match="bound"):
        pkg.codecs.name.decode(struct.pack(">I", 256) + b"a" * 256)


def test_bad_enum_bool_and_union_values(constructs):
    pkg, _ = constructs
    t = pkg.types
    with pytest.raises(XdrDecodeError, match="not a valid color"):
        pkg.codecs.color.decode(struct.pack(">i", 9))
    with pytest.raises(XdrDecodeError, match="bool"):
        t.flagged.from_xdr(struct.pack(">I", 2))
    with pytest.raises(XdrDecodeError, match="3 is not a valid color"):
        t.result.from_xdr(struct.pack(">i", 3))
    with pytest.raises(XdrEncodeError, match="must be set"):
        t.result(t.color.RED).to_xdr()
    with pytest.raises(XdrEncodeError, match="exceeds the bound"):
        pkg.codecs.name.encode("x" * 256)
    with pytest.raises(XdrEncodeError, match="exactly 5"):
        pkg.codecs.fixed_bytes.encode(b"1234")
    with pytest.raises(XdrEncodeError, match="out of range"):
        t.mixed(True, 0, 0, 0, 0, 0.0, 0.0, 0.0, 128, 0, 0, 0, t.color.RED, 0, 0, 0).to_xdr()
    with pytest.raises(XdrEncodeError):
        t.point("x", 1).to_xdr()


def test_strings_keep_undecodable_bytes(constructs):
    pkg, _ = constructs
    raw = struct.pack(">I", 3) + b"a\xffb\0"
    text = pkg.codecs.anystring.decode(raw)
    assert pkg.codecs.anystring.encode(text) == raw


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_garbage_only_ever_raises_decode_errors(constructs, data):
    pkg, _ = constructs
    for name in ("everything", "mixed", "result", "maybe", "nodelist"):
        try:
            getattr(pkg.codecs, name).decode(data)
        except XdrDecodeError:
            pass


def test_doc_comments_become_docstrings(constructs):
    pkg = constructs[0]
    doc = inspect.getdoc(pkg.types.point)
    assert doc.startswith("struct point (constructs.x:")
    assert 'a backslash \\ and three quotes """ that must\nnot end' in doc
    assert "\n    indented example, kept indented" in doc
    assert inspect.getdoc(pkg.types.color).endswith("Primary colours, in a C++-style comment.")
    assert inspect.getdoc(pkg.types.maybe).split("\n\n")[1] == "Boxed comment: only the text stays."
    echo = pkg.client.CONSTRUCTS_PROG.CONSTRUCTS_V1.ECHO
    assert inspect.getdoc(echo).endswith("Returns its argument.")
    assert inspect.getdoc(pkg.types.node).count("\n\n") == 1  # no comment: the template's only
    source = inspect.getsource(pkg.types.point)
    assert "    #: across\n    x: int\n    #: and down\n    y: int" in source
    assert "#:" not in inspect.getsource(pkg.types.color)  # members on the enum's line: none
