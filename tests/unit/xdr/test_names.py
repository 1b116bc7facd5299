"""Names Python holds and names of the generated code, used as .x names: the
generated package imports, round-trips every value, and serves its program.

(Names that would become one Python name are diagnostics: see
tests/unit/diagnostics/clashes.x.)
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from idlgen_runtime.oncrpc import RpcServer
from xdr_support import compile_package

NAMES = Path(__file__).parent / "names.x"


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    return compile_package(NAMES, tmp_path_factory.mktemp("names"))[0]


def test_every_name_is_mangled_by_the_one_rule(names):
    t = names.types
    assert names.const.class_ == 3 and names.const.Codec_ == 4
    assert [m.name for m in t.type_] == ["None_", "lambda_", "match_"]
    assert {"type_", "len_", "str_", "RpcClient_", "buf_"} <= set(vars(t))
    assert list(t.str_.__dataclass_fields__) == [
        "type_", "buf", "from_", "value", "pos", "bytes_", "to_xdr_",
    ]  # fmt: skip
    assert names.codecs.str_.decode(names.codecs.str_.encode(_a_str(t))) == _a_str(t)


def _a_str(t):
    return t.str_(t.type_.match_, 7, "from", 1, 2, b"\x00b", 9)


def test_values_round_trip_through_every_mangled_type(names):
    t = names.types
    for value in [
        _a_str(t),
        t.RpcClient_(t.type_.lambda_, self=_a_str(t)),
        t.RpcClient_(t.type_.match_, out=-5),
        t.RpcClient_(t.type_.None_),
        t.buf_(1, t.buf_(2, None)),
        t.n1(4),
        t.temps(1, "abc", 7, "xy", 9, b"z"),  # n3 was read as b's length
    ]:
        assert type(value).from_xdr(value.to_xdr()) == value
    decoded = t.RpcClient_.from_xdr(t.RpcClient_(t.type_.match_, out=3).to_xdr())
    assert decoded.disc is t.type_.match_  # an enum, not the builtin `type`


def test_a_program_of_runtime_names_serves_its_procedures(names):
    t = names.types

    class Impl(names.server.RpcProgram_.Procedure_):
        def print_(self, arg):
            return arg.self if arg.self is not None else _a_str(t)

        def connect_(self, arg):
            total = 0
            while arg is not None:
                total, arg = total + arg.out, arg.next_  # `next` is a builtin
            return total

        def sum_(self, arg1, arg2):
            return arg1 + arg2

    server = RpcServer([Impl()])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with names.client.RpcProgram_.Procedure_.connect("127.0.0.1", port=server.port) as c:
            assert c.print_(t.RpcClient_(t.type_.None_)) == _a_str(t)
            assert c.connect_(t.buf_(1, t.buf_(2, t.buf_(3, None)))) == 6
            assert c.sum_(2, 40) == 42  # `sum` is a builtin
    finally:
        server.shutdown()
        thread.join(5)
