"""The IR the OMG IDL front-end builds, for the cases that are easy to get wrong:
scoped lookup through inheritance, reopened modules, recursion through forward
declarations, repository IDs under every pragma, constant expressions of every
type, unions, valuetypes; and the classic MonService example end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from idlgen import driver, ir
from idlgen.diagnostics import CompileError
from idlgen.pipeline import Options, PreprocessOptions
from idlgen.symbols import IDL_SCOPES, declarations

HERE = Path(__file__).parent


def build(tmp_path: Path, text: str, name: str = "t.idl", **files: str) -> ir.Spec:
    for other, body in files.items():
        (tmp_path / other.replace("__", ".")).write_text(body)
    path = tmp_path / name
    path.write_text(text)
    spec, _, _ = driver.check(path, Options(preprocess=PreprocessOptions([str(tmp_path)])))
    return spec


def decls(spec: ir.Spec) -> dict[str, ir.Decl]:
    """Every declaration by its full name (the last one of a reopened module)."""
    return {str(d.name): d.decl for d in declarations(spec, IDL_SCOPES)}


def repo_id(decl: ir.Decl) -> str:
    found = ir.annotation(decl, ir.omgidl.RepositoryId)
    assert found is not None, decl
    return found.id


def value(decl: ir.Decl) -> object:
    assert isinstance(decl, ir.Const) and isinstance(decl.value, ir.Literal)
    return decl.value.value


# --- names ----------------------------------------------------------------------------


def test_lookup_through_inheritance(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        module M {
            interface A { typedef long T; exception E {}; };
            interface B : A { T f() raises (E); };
            interface C : B { attribute T value; };
            struct S { C::T via_scope; B::T via_base; };
        };
        """,
    )
    d = decls(spec)
    b, c, s = d["M::B"], d["M::C"], d["M::S"]
    assert isinstance(b, ir.Interface) and isinstance(c, ir.Interface)
    assert isinstance(s, ir.Struct)
    assert b.operations[0].result == ir.Named(ir.name("M::A::T"))
    assert b.operations[0].raises == (ir.Named(ir.name("M::A::E")),)
    assert c.attributes[0].type == ir.Named(ir.name("M::A::T"))
    assert [f.type for f in s.fields] == [ir.Named(ir.name("M::A::T"))] * 2
    assert c.bases == (ir.Named(ir.name("M::B")),)


def test_reopened_modules_are_one_scope(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        module M { struct S { long x; }; };
        module N { typedef M::S Alias; };
        module M { typedef S T; const long K = 2; };
        module M { const long L = K * 2; };
        """,
    )
    modules = [d for d in spec.decls if isinstance(d, ir.Module) and d.name == "M"]
    assert len(modules) == 3
    assert {repo_id(m) for m in modules} == {"IDL:M:1.0"}
    d = decls(spec)
    t = d["M::T"]
    assert isinstance(t, ir.Typedef) and t.type == ir.Named(ir.name("M::S"))
    assert value(d["M::L"]) == 4


def test_recursion_through_a_forward_declared_struct(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        struct Node;
        typedef sequence<Node> NodeSeq;
        struct Node { long value; NodeSeq children; sequence<Node, 2> pair; };
        union Tree;
        typedef sequence<Tree> Forest;
        union Tree switch (boolean) { case TRUE: Forest kids; case FALSE: long leaf; };
        """,
    )
    d = decls(spec)
    node = d["Node"]
    assert isinstance(node, ir.Struct)
    assert node.fields[1].type == ir.Named(ir.name("NodeSeq"))
    assert node.fields[2].type == ir.Sequence(ir.Named(ir.name("Node")), ir.Literal(2))
    assert repo_id(node) == "IDL:Node:1.0"
    forwards = [x for x in spec.decls if isinstance(x, ir.Forward)]
    assert [(f.name, f.kind) for f in forwards] == [("Node", "struct"), ("Tree", "union")]
    assert repo_id(forwards[0]) == "IDL:Node:1.0"


def test_recursion_by_value_is_an_error(tmp_path: Path):
    with pytest.raises(CompileError) as caught:
        build(tmp_path, "struct S { long x; S again; };")
    assert "recursive type 'S' contains itself" in str(caught.value)


def test_nested_types_are_hoisted_and_named_inside_their_owner(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        module M {
            struct Outer { struct Inner { long x; } nested; Inner again; };
            union U switch (enum Kind { ONE, TWO }) { case ONE: long first; case TWO: Kind k; };
            typedef Outer::Inner ByScope;
            const U::Kind K = U::TWO;
        };
        """,
    )
    m = spec.decls[0]
    assert isinstance(m, ir.Module)
    assert [x.name for x in m.decls] == ["Inner", "Outer", "Kind", "U", "ByScope", "K"]
    inner, outer, kind, union, by_scope, k = m.decls
    assert isinstance(by_scope, ir.Typedef) and by_scope.type == ir.Named(ir.name("M::Inner"))
    assert isinstance(k, ir.Const) and k.value == ir.Literal(1)
    assert ir.annotation(inner, ir.Hoisted) == ir.Hoisted("Outer")
    assert repo_id(inner) == "IDL:M/Outer/Inner:1.0"
    assert repo_id(kind) == "IDL:M/U/Kind:1.0"
    assert isinstance(outer, ir.Struct)
    assert [f.type for f in outer.fields] == [ir.Named(ir.name("M::Inner"))] * 2
    assert isinstance(union, ir.Union_) and union.discriminator is not None
    assert union.discriminator.type == ir.Named(ir.name("M::Kind"))


# --- repository IDs ----------------------------------------------------------------------


def test_repository_ids_with_pragmas(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        typedef long Plain;
        #pragma prefix "outer.org"
        #include "inc.idl"
        module M1 {
            typedef long T1;
            typedef long T2;
        #pragma ID T2 "DCE:d62207a2-011e-11ce-88b4-0800090b5d3e:3"
        };
        module M2 {
            module M3 {
        #pragma prefix "P2"
                typedef long T3;
            };
            typedef long T4;
        #pragma version T4 2.4
            interface I { void op(); attribute long a; };
        #pragma version I::op 1.1
        };
        module Typed {
            typeprefix Typed "typed.net";
            interface J {};
            typeid J "IDL:chosen/J:3.0";
            struct K { long x; };
        };
        module After { typedef long T5; };
        """,
        **{"inc__idl": 'module Inc { typedef long T0; };\n#pragma prefix "inc.org"\n'},
    )
    got = {name: repo_id(d) for name, d in decls(spec).items()}
    assert got["Plain"] == "IDL:Plain:1.0"
    assert got["Inc::T0"] == "IDL:Inc/T0:1.0"  # an included file starts with no prefix
    assert got["M1::T1"] == "IDL:outer.org/M1/T1:1.0"  # the includer's prefix comes back
    assert got["M1::T2"] == "DCE:d62207a2-011e-11ce-88b4-0800090b5d3e:3"
    assert got["M2::M3::T3"] == "IDL:P2/T3:1.0"  # relative to the scope of the pragma
    assert got["M2::T4"] == "IDL:outer.org/M2/T4:2.4"  # the prefix ends with M3's scope
    assert got["M2::I"] == "IDL:outer.org/M2/I:1.0"
    assert got["M2::I::op"] == "IDL:outer.org/M2/I/op:1.1"
    assert got["M2::I::a"] == "IDL:outer.org/M2/I/a:1.0"
    assert got["Typed"] == "IDL:typed.net/Typed:1.0"
    assert got["Typed::J"] == "IDL:chosen/J:3.0"
    assert got["Typed::K"] == "IDL:typed.net/Typed/K:1.0"
    assert got["After::T5"] == "IDL:outer.org/After/T5:1.0"


def test_forward_declaration_and_definition_share_one_id(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        #pragma prefix "x.org"
        interface I;
        #pragma ID I "IDL:elsewhere/I:2.0"
        interface I { void f(); };
        """,
    )
    assert [repo_id(d) for d in spec.decls] == ["IDL:elsewhere/I:2.0"] * 2


# --- constants ------------------------------------------------------------------------------


def test_const_expressions_of_every_type(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        module C {
            const short S = -7 / 2;
            const long MOD = -7 % 3;
            const long BITS = (1 << 4 | 0x3) & ~1 ^ 0x10;
            const long SHIFT = 1024 >> 3;
            const unsigned long long MAX = 0xFFFFFFFFFFFFFFFF;
            const octet OCT = 017;
            const uint16 U16 = 65535;
            const float F = 1.5e2;
            const double D = 1.0 / 4.0;
            const long double LD = -2.5;
            const fixed FX = 1.25d * 2.0d;
            const fixed FX2 = FX + 0.5d;
            const char CH = '\\x41';
            const char OCTAL_CH = '\\101';
            const wchar WCH = L'\\u00e9';
            const string STR = "ab" "cd";
            const wstring WSTR = L"wide";
            const boolean T = TRUE;
            const boolean F2 = FALSE;
            enum Color { RED, GREEN, BLUE };
            const Color C2 = BLUE;
            const long FROM_ENUM_SCOPE = ::C::S + C::SHIFT;
            const unsigned long ALL = ~0;
            const unsigned short MASK = ~0x00FF & 0xFFFF;
            const long MINUS_ONE = ~0;
        };
        """,
    )
    d = decls(spec)
    expected = {
        "S": -3, "MOD": -1, "BITS": 0x02, "SHIFT": 128, "MAX": 2**64 - 1,
        "OCT": 15, "U16": 65535, "F": 150.0, "D": 0.25, "LD": -2.5,
        "FX": Decimal("2.500"), "FX2": Decimal("3.000"), "CH": "A", "OCTAL_CH": "A",
        "WCH": "\u00e9", "STR": "abcd", "WSTR": "wide", "T": True, "F2": False, "C2": 2,
        "FROM_ENUM_SCOPE": 125, "ALL": 0xFFFFFFFF, "MASK": 0xFF00, "MINUS_ONE": -1,
    }  # fmt: skip
    assert {k: value(d[f"C::{k}"]) for k in expected} == expected
    ch, wch, wstr = d["C::CH"], d["C::WCH"], d["C::WSTR"]
    assert isinstance(ch, ir.Const) and isinstance(ch.value, ir.Literal) and ch.value.char
    assert isinstance(wch, ir.Const) and isinstance(wch.value, ir.Literal) and wch.value.wide
    assert isinstance(wstr, ir.Const) and isinstance(wstr.type, ir.String) and wstr.type.wide
    fx = d["C::FX"]
    assert isinstance(fx, ir.Const) and fx.type == ir.Fixed()


# --- unions, operations, valuetypes ------------------------------------------------------


def test_unions_with_several_labels_and_default(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        enum E { A, B, C };
        union ByEnum switch (E) { case A: case B: long ab; default: string other; };
        union ByChar switch (char) { case 'x': case 'y': long xy; case 'z': short z; };
        union ByLong switch (long) { case 1: case 2: default: long most; case 3: octet three; };
        """,
    )
    d = decls(spec)
    by_enum, by_char, by_long = d["ByEnum"], d["ByChar"], d["ByLong"]
    assert isinstance(by_enum, ir.Union_) and by_enum.default is not None
    assert [lab.value for lab in by_enum.cases[0].labels] == [0, 1]  # type: ignore[union-attr]
    assert isinstance(by_char, ir.Union_)
    assert [lab.value for lab in by_char.cases[0].labels] == ["x", "y"]  # type: ignore[union-attr]
    assert isinstance(by_long, ir.Union_) and by_long.default is not None
    assert [lab.value for lab in by_long.default.labels] == [1, 2]  # type: ignore[union-attr]
    assert [c.field.name for c in by_long.cases if c.field] == ["three"]


def test_operations_attributes_and_interfaces(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        exception E {}; exception F {};
        local interface L { void f(); };
        abstract interface Abs {};
        interface I : Abs {
            oneway void ping(in string s);
            long call(in long a, out string b, inout double c) raises (E, F) context ("x", "y*");
            readonly attribute long r raises (E);
            attribute long w getraises (E) setraises (F);
            attribute short p, q;
        };
        """,
    )
    d = decls(spec)
    local, abstract, i = d["L"], d["Abs"], d["I"]
    assert isinstance(local, ir.Interface) and local.local and not local.abstract
    assert isinstance(abstract, ir.Interface) and abstract.abstract
    assert isinstance(i, ir.Interface)
    ping, call = i.operations
    assert ping.oneway and ping.result == ir.Primitive(ir.Prim.VOID)
    assert [p.direction for p in call.params] == [
        ir.Direction.IN,
        ir.Direction.OUT,
        ir.Direction.INOUT,
    ]
    assert [str(r.name) for r in call.raises] == ["E", "F"]
    assert call.context == ("x", "y*")
    r, w, p, q = i.attributes
    assert r.readonly and [str(n.name) for n in r.get_raises] == ["E"]
    assert not w.readonly and [str(n.name) for n in w.get_raises] == ["E"]
    assert [str(n.name) for n in w.set_raises] == ["F"]
    assert (p.name, q.name, p.type) == ("p", "q", ir.Primitive(ir.Prim.INT16))


def test_valuetypes(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        interface I {};
        exception E {};
        abstract valuetype AV { void show(); };
        valuetype V;
        valuetype V : AV supports I {
            public long a;
            private string b, c;
            factory make(in long a) raises (E);
            attribute long n;
        };
        valuetype W : truncatable V { public double d; };
        custom valuetype CV { private octet o; };
        valuetype Box sequence<long>;
        """,
    )
    d = decls(spec)
    v, w, cv, box, av = d["V"], d["W"], d["CV"], d["Box"], d["AV"]
    assert isinstance(v, ir.ValueType)
    assert [f.name for f in v.members] == ["a", "b", "c"] and v.public == (True, False, False)
    assert [i.name for i in v.initializers] == ["make"]
    assert v.supports == (ir.Named(ir.name("I")),) and v.bases == (ir.Named(ir.name("AV")),)
    assert isinstance(w, ir.ValueType) and w.truncatable
    assert isinstance(cv, ir.ValueType) and cv.custom
    assert (
        isinstance(av, ir.ValueType) and av.abstract and [o.name for o in av.operations] == ["show"]
    )
    assert isinstance(box, ir.ValueBox) and box.type == ir.Sequence(ir.Primitive(ir.Prim.INT32))


def test_types_of_every_kind(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        typedef long long A; typedef unsigned long long B; typedef long double C;
        typedef int8 D; typedef uint32 E; typedef string<4> F; typedef wstring G;
        typedef fixed<5, 2> H; typedef any I; typedef Object J; typedef TypeCode K;
        typedef CORBA::TypeCode K2; typedef ValueBase L; typedef long M[2][3]; native N;
        typedef wchar O; typedef octet P; typedef boolean Q;
        """,
    )
    d = decls(spec)

    def t(name: str) -> ir.Type:
        typedef = d[name]
        assert isinstance(typedef, ir.Typedef)
        return typedef.type

    prim = ir.Primitive
    assert t("A") == prim(ir.Prim.INT64) and t("B") == prim(ir.Prim.UINT64)
    assert t("C") == prim(ir.Prim.LONGDOUBLE) and t("D") == prim(ir.Prim.INT8)
    assert t("E") == prim(ir.Prim.UINT32) and t("F") == ir.String(ir.Literal(4))
    assert t("G") == ir.String(wide=True) and t("H") == ir.Fixed(ir.Literal(5), ir.Literal(2))
    assert t("I") == prim(ir.Prim.ANY) and t("J") == prim(ir.Prim.OBJECT)
    assert t("K") == t("K2") == prim(ir.Prim.TYPECODE) and t("L") == prim(ir.Prim.VALUEBASE)
    assert t("M") == ir.Array(prim(ir.Prim.INT32), (ir.Literal(2), ir.Literal(3)))
    assert isinstance(d["N"], ir.Native)
    assert t("O") == prim(ir.Prim.WCHAR) and t("P") == prim(ir.Prim.OCTET)
    assert t("Q") == prim(ir.Prim.BOOL)


def test_escaped_identifiers_and_annotations(tmp_path: Path):
    spec = build(
        tmp_path,
        """
        module M {
            @topic struct _interface { @key long _module; };
        };
        """,
    )
    d = decls(spec)
    s = d["M::interface"]
    assert isinstance(s, ir.Struct) and s.fields[0].name == "module"
    assert ir.annotation(s, ir.omgidl.Annotation) == ir.omgidl.Annotation("topic")
    assert ir.annotation(s.fields[0], ir.omgidl.Annotation) == ir.omgidl.Annotation("key")


def test_annotation_parameters_are_kept_as_written(tmp_path: Path):
    spec = build(tmp_path, "struct S { @range(min = 0,\n max = 9) short level; };")
    s = spec.decls[0]
    assert isinstance(s, ir.Struct)
    found = ir.annotation(s.fields[0], ir.omgidl.Annotation)
    assert found == ir.omgidl.Annotation("range", "min = 0, max = 9")


def test_every_node_has_a_location():
    spec, _, _ = driver.check(HERE / "constructs.idl", Options())
    missing = [n for n in ir.walk(spec) if n.loc == ir.NOWHERE and not isinstance(n, ir.Literal)]
    assert not missing, missing[:5]


# --- the command line ---------------------------------------------------------------------


def idlgen(*args: str, cwd: Path = HERE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idlgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_monservice_checks_and_dumps():
    assert idlgen("--check", "monservice.idl").returncode == 0
    proc = idlgen("--dump-ir", "monservice.idl")
    assert proc.returncode == 0, proc.stderr
    module = json.loads(proc.stdout)["spec"]["decls"][0]
    service = module["decls"][0]
    assert (module["name"], service["name"]) == ("MonService", "Service")
    assert [op["name"] for op in service["operations"]] == ["doubler_str", "doubler_long"]
    assert service["annotations"][0]["id"] == "IDL:MonService/Service:1.0"


def test_generating_from_idl_writes_the_corba_packages(tmp_path: Path):
    proc = idlgen("monservice.idl", "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    for rel in ("monservice_idl.py", "MonService/__init__.py", "MonService__POA/__init__.py"):
        assert (tmp_path / "out" / rel).is_file()
    proc = idlgen("-b", "xdr-python", "--check", "monservice.idl")
    assert proc.returncode == 2 and "these do: corba-python" in proc.stderr


def test_include_dirs_and_defines(tmp_path: Path):
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "base.idl").write_text("module Base { typedef long Id; };\n")
    (tmp_path / "main.idl").write_text(
        "#include <base.idl>\n#ifdef FEATURE\nmodule M { typedef Base::Id Key; };\n#endif\n"
        "#ifdef __OMNIIDL__\nmodule O { typedef long X; };\n#endif\n"
    )
    proc = idlgen(
        "--dump-ir", "-I", "inc", "-D", "FEATURE=1", "-U", "__OMNIIDL__", "main.idl", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    names = [d["name"] for d in json.loads(proc.stdout)["spec"]["decls"]]
    assert names == ["Base", "M"]
