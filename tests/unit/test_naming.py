"""The naming rules of naming.py: one mangling rule, and C parameter names."""

from __future__ import annotations

import pytest
from idlgen.naming.c import param_names
from idlgen.naming.xdr import member_name, package_name, py_name, type_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SIMP_PROG", "SIMP_PROG"),
        ("type", "type_"),  # builtin
        ("from", "from_"),  # keyword
        ("match", "match_"),  # soft keyword
        ("annotations", "annotations_"),  # a name the generated module uses
    ],
)
def test_one_trailing_underscore_for_names_python_holds(name: str, expected: str):
    assert py_name(name) == expected


def test_names_kept_clear_of_the_generated_code():
    assert type_name("buf") == "buf_" and type_name("entry") == "entry"
    assert member_name("to_xdr") == "to_xdr_" and member_name("x") == "x"
    assert package_name("rpcb-prot.v4") == "rpcb_prot_v4"


def test_c_parameters_lose_system_underscores_and_stay_unique():
    assert param_names(["__filename", "__modes"]) == ["filename", "modes"]
    assert param_names([None, "", "__"]) == ["arg0", "arg1", "arg2"]
    assert param_names(["__s", "s", "_s"]) == ["s", "s_1", "s_2"]
    assert param_names(["format", "len", "lib"], frozenset({"lib"})) == [
        "format_",
        "len_",
        "lib_",
    ]
