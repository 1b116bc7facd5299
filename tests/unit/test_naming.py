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


def test_keyword_and_builtin_lists_do_not_depend_on_the_running_python():
    import builtins
    import keyword

    from idlgen.naming import BUILTINS, KEYWORDS, SOFT_KEYWORDS

    # a superset of what this Python has (3.10-3.14's), fixed in the source
    assert set(keyword.kwlist) <= KEYWORDS
    assert set(keyword.softkwlist) <= SOFT_KEYWORDS | {"type"}
    assert {n for n in dir(builtins) if not n.startswith("_")} <= BUILTINS | KEYWORDS
    assert "type" in SOFT_KEYWORDS and "PythonFinalizationError" in BUILTINS  # 3.12, 3.13


@pytest.mark.parametrize(
    ("idl", "python"),
    [
        ("class", "_class"),  # OMG IDL-to-Python: a leading underscore for keywords
        ("None", "_None"),
        ("match", "match"),  # soft keywords are names: omniORBpy keeps them too
        ("type", "type"),
        ("_interface", "interface"),  # IDL's escaped identifier
        ("doubler_str", "doubler_str"),
        ("print", "print"),  # a builtin is not a keyword: kept, as omniORBpy does
    ],
)
def test_omg_idl_mapping_names(idl: str, python: str):
    from idlgen.naming.omgidl import py_name

    assert py_name(idl) == python


def test_omg_idl_modules_and_skeletons():
    from idlgen.naming.omgidl import dotted, file_module, poa_module

    assert poa_module("MonService") == "MonService__POA"
    assert dotted(("M", "class", "T")) == "M._class.T"
    assert file_module("monservice") == "monservice_idl"


@pytest.mark.parametrize(
    ("xml", "cls", "attr", "const"),
    [
        ("EchoPerson", "EchoPerson", "echo_person", "ECHO_PERSON"),
        ("person-record", "PersonRecord", "person_record", "PERSON_RECORD"),
        ("HTTPHeader", "HTTPHeader", "http_header", "HTTP_HEADER"),
        ("class", "Class", "class_", "CLASS"),
        ("type", "Type", "type_", "TYPE"),
        ("2nd", "Value2nd", "value_2nd", "VALUE_2ND"),
    ],
)
def test_soap_mapping_names(xml: str, cls: str, attr: str, const: str):
    from idlgen.naming.soap import attribute_name, class_name, constant_name

    assert (class_name(xml), attribute_name(xml), constant_name(xml)) == (cls, attr, const)


def test_c_names_and_cython_words():
    from idlgen.naming.c import cython_ident, py_name

    assert py_name("lib") == "lib_" and py_name("ffi") == "ffi_" and py_name("open") == "open_"
    assert cython_ident("from") == 'from_ "from"' and cython_ident("type") == "type"
