"""The symbol table and the shared passes on IR built as an OMG IDL front-end would:
scoped names, reopened modules, forward declarations, lookup through inherited
interfaces, and constant folding of every kind of value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from idlgen import ir
from idlgen.diagnostics import CompileError
from idlgen.passes.check_semantics import check_semantics
from idlgen.passes.context import Context, Language
from idlgen.passes.fold_constants import fold_constants
from idlgen.passes.resolve_names import resolve_names
from idlgen.symbols import IDL_SCOPES

IDL = Language("omgidl", scoping=IDL_SCOPES)
LONG = ir.Primitive(ir.Prim.INT32)


def at(line: int) -> ir.Loc:
    return ir.Loc("t.idl", line, 1)


def named(text: str, line: int = 0) -> ir.Named:
    return ir.Named(ir.name(text), loc=at(line))


def ref(text: str) -> ir.ConstRef:
    return ir.ConstRef(ir.name(text))


def check(*decls: ir.Decl) -> tuple[ir.Spec, Context]:
    ctx = Context(IDL)
    spec = ir.Spec("t.idl", decls)
    for run in (resolve_names, fold_constants, check_semantics):
        spec = run(spec, ctx)
        ctx.reindex(spec)
    ctx.reporter.check()
    return spec, ctx


def find(spec: ir.Spec, kind: type, name: str) -> ir.Node:
    return next(n for n in ir.walk(spec) if isinstance(n, kind) and getattr(n, "name", "") == name)


def test_names_resolve_to_full_names_through_scopes_and_reopened_modules():
    spec, ctx = check(
        ir.Module("M", (ir.Struct("T", (ir.Field("a", LONG),)),)),
        ir.Module(
            "N",
            (
                ir.Struct("T", (ir.Field("b", LONG),)),
                ir.Struct("U", (ir.Field("own", named("T")), ir.Field("other", named("M::T")))),
            ),
        ),
        ir.Module("M", (ir.Typedef("Again", named("T")), ir.Typedef("Root", named("::N::U")))),
    )
    u = find(spec, ir.Struct, "U")
    assert [str(f.type.name) for f in u.fields] == ["N::T", "M::T"]
    assert str(find(spec, ir.Typedef, "Again").type.name) == "M::T"  # the reopened module's T
    assert str(find(spec, ir.Typedef, "Root").type.name) == "N::U"
    assert isinstance(ctx.symbols.get(ir.Space.ORDINARY, ir.name("M::Again")), ir.Typedef)


def test_inherited_interfaces_are_searched_before_enclosing_scopes():
    _, ctx = check(
        ir.Struct("S", (ir.Field("outer", LONG),)),
        ir.Module(
            "M",
            (
                ir.Interface("Base", (), decls=(ir.Struct("S", (ir.Field("inner", LONG),)),)),
                ir.Forward("Derived", "interface"),
                ir.Interface(
                    "Derived",
                    (ir.Operation("f", (ir.Param("s", named("S")),), named("Derived")),),
                    bases=(named("Base"),),
                ),
            ),
        ),
    )
    derived = ctx.symbols.get(ir.Space.ORDINARY, ir.name("M::Derived"))
    assert isinstance(derived, ir.Interface)  # the definition, not the forward declaration
    (op,) = derived.operations
    assert str(op.params[0].type.name) == "M::Base::S"  # inherited, not ::S
    assert str(op.result.name) == "M::Derived"


def test_undefined_and_duplicate_names_are_reported_in_the_languages_words():
    with pytest.raises(CompileError) as exc:
        check(
            ir.Module("M", (ir.Struct("T", (ir.Field("a", named("Missing", 2)),), loc=at(1)),)),
            ir.Module("M", (ir.Const("T", LONG, ir.Literal(1), loc=at(3)),)),
            ir.Typedef("X", named("M::T::a", 4)),
        )
    messages = [(d.loc.line, d.message) for d in exc.value.diagnostics]
    assert (3, "duplicate name 'M::T'") in messages
    assert (2, "undefined type 'Missing'") in messages
    assert (4, "undefined type 'M::T::a'") in messages


def test_constants_of_every_kind_fold_with_scoped_references():
    spec, _ = check(
        ir.Module(
            "M",
            (
                ir.Const(
                    "THIRD",
                    ir.Primitive(ir.Prim.FLOAT64),
                    ir.Binary("/", ir.Literal(1.0), ir.Literal(3)),
                ),
                ir.Const(
                    "PRICE", ir.Fixed(), ir.Binary("*", ir.Literal(Decimal("1.25")), ir.Literal(4))
                ),
                ir.Const(
                    "GREETING",
                    ir.String(),
                    ir.Binary("+", ir.Literal("hello, "), ir.Literal("world")),
                ),
                ir.Const("LETTER", ir.Primitive(ir.Prim.CHAR), ir.Literal("a", char=True)),
                ir.Const("YES", ir.Primitive(ir.Prim.BOOL), ir.Literal(True)),
                ir.Enum_("Color", (ir.EnumMember("RED", None), ir.EnumMember("GREEN", None))),
                ir.Const(
                    "MASK",
                    LONG,
                    ir.Binary("|", ref("GREEN"), ir.Binary("<<", ir.Literal(1), ir.Literal(4))),
                ),
            ),
        ),
        ir.Const("FROM_OUTSIDE", LONG, ir.Binary("*", ref("M::MASK"), ir.Literal(2))),
    )
    values = {c.name: c.value.value for c in ir.walk(spec) if isinstance(c, ir.Const)}
    assert values == {
        "THIRD": 1 / 3,
        "PRICE": Decimal("5.00"),
        "GREETING": "hello, world",
        "LETTER": "a",
        "YES": True,
        "MASK": 17,
        "FROM_OUTSIDE": 34,
    }


@pytest.mark.parametrize(
    ("const", "message"),
    [
        (
            ir.Const("S", ir.Primitive(ir.Prim.INT16), ir.Literal(70000, loc=at(1))),
            "constant overflow: 70000 does not fit in 'S''s type",
        ),
        (
            ir.Const("F", ir.Primitive(ir.Prim.FLOAT32), ir.Literal("x", loc=at(1))),
            "'F' needs a float value, not 'x'",
        ),
        (
            ir.Const("B", ir.Primitive(ir.Prim.BOOL), ir.Literal(1, loc=at(1))),
            "'B' needs a boolean value, not 1",
        ),
        (
            ir.Const(
                "D", ir.Fixed(), ir.Binary("+", ir.Literal(Decimal(1)), ir.Literal(0.5), loc=at(1))
            ),
            "fixed-point and floating-point values do not mix",
        ),
        (
            ir.Const("M", LONG, ir.Binary("%", ir.Literal(1.5), ir.Literal(2), loc=at(1))),
            "operator '%' needs integer operands",
        ),
    ],
)
def test_constants_that_do_not_fit_their_type_are_errors_at_their_place(const, message):
    with pytest.raises(CompileError) as exc:
        check(const)
    assert [(d.loc.line, d.message) for d in exc.value.diagnostics] == [(1, message)]


def test_string_enumerations_are_values_not_numbers():
    spec, _ = check(
        ir.Enum_(
            "Size",
            (
                ir.EnumMember("SMALL", ir.Literal("small")),
                ir.EnumMember("LARGE", ir.Literal("large")),
            ),
            base=ir.String(),
        )
    )
    assert [m.value.value for m in find(spec, ir.Enum_, "Size").members] == ["small", "large"]


def test_a_constant_naming_a_character_constant_stays_a_character():
    spec, _ = check(
        ir.Const("A", ir.Primitive(ir.Prim.CHAR), ir.Literal("a", char=True)),
        ir.Const("B", ir.Primitive(ir.Prim.CHAR), ref("A")),
        ir.Const("W", ir.String(wide=True), ir.Literal("wide", wide=True)),
        ir.Const("V", ir.String(wide=True), ref("W")),
    )
    b, v = find(spec, ir.Const, "B").value, find(spec, ir.Const, "V").value
    assert (b.value, b.char, v.value, v.wide) == ("a", True, "wide", True)


def test_labels_beside_default_are_checked_like_the_others():
    disc = ir.Field("d", ir.Primitive(ir.Prim.INT16))
    arm = ir.Field("x", LONG)
    with pytest.raises(CompileError) as exc:
        check(
            ir.Union_(
                "U",
                disc,
                (ir.Case((ir.Literal(1, loc=at(1)),), arm),),
                ir.Case(
                    (ir.Literal(1, loc=at(2)), ir.Literal(70000, loc=at(3))), ir.Field("y", LONG)
                ),
            )
        )
    assert [(d.loc.line, d.message) for d in exc.value.diagnostics] == [
        (2, "duplicate case value 1"),
        (3, "case value 70000 is out of range of the discriminant type"),
    ]
