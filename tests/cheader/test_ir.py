"""The C front-end's IR: complete declarations, not C text.

Structs and unions have their fields (bitfield widths, anonymous members),
tags live in their own symbol space, a body written in place is a Hoisted
declaration, incomplete types are Forwards, the functions and variables are
one Interface, and constants are folded by the shared pass.
"""

from __future__ import annotations

from pathlib import Path

from cbind_support import CLIB, idlgen
from idlgen import ir
from idlgen.driver import check
from idlgen.frontends.cheader import FRONTEND
from idlgen.passes.context import Context
from idlgen.pipeline import Options, PreprocessOptions


def _module() -> tuple[ir.Module, object]:
    options = Options(preprocess=PreprocessOptions(include_dirs=[str(CLIB)]))
    spec, ctx, _ = check(CLIB / "ctest.h", options)
    module = spec.decls[0]
    assert isinstance(module, ir.Module)
    return module, ctx


def _decl(module: ir.Module, name: str, space: ir.Space = ir.Space.ORDINARY) -> ir.Decl:
    return next(d for d in module.decls if d.name == name and d.space is space)


def test_records_have_their_fields():
    module, _ = _module()
    flags = _decl(module, "ct_flags", ir.Space.TAG)
    assert isinstance(flags, ir.Struct)
    assert [(f.name, f.bits) for f in flags.fields] == [
        ("ready", ir.Literal(1)),
        ("mode", ir.Literal(3)),
        ("count", ir.Literal(12)),
    ]
    value = _decl(module, "ct_value", ir.Space.TAG)
    assert isinstance(value, ir.Union_) and value.discriminator is None
    assert [c.field.name for c in value.cases if c.field] == ["i", "d", "bytes"]


def test_an_anonymous_member_is_a_hoisted_union():
    module, ctx = _module()
    shape = _decl(module, "ct_shape", ir.Space.TAG)
    assert isinstance(shape, ir.Struct)
    anonymous = shape.fields[1]
    assert anonymous.name == "" and isinstance(anonymous.type, ir.Named)
    union = ctx.symbols.lookup(anonymous.type)
    assert isinstance(union, ir.Union_)
    assert ir.annotation(union, ir.Hoisted) == ir.Hoisted("ct_shape")
    grid = shape.fields[-1]
    assert grid.type == ir.Array(
        ir.Array(ir.Named(ir.name("uint8_t")), (ir.Literal(3),)), (ir.Literal(2),)
    )


def test_typedef_chains_resolve_once_in_the_symbol_table():
    _, ctx = _module()
    offset = ir.Named(ir.name("ct_offset"))
    assert ctx.resolve(offset) == ir.Named(ir.name("ct_point"), ir.Space.TAG)
    assert isinstance(ctx.decl_of(offset), ir.Struct)


def test_functions_are_the_operations_of_one_interface():
    module, _ = _module()
    (interface,) = [d for d in module.decls if isinstance(d, ir.Interface)]
    names = [op.name for op in interface.operations]
    assert names[:2] == ["ct_add", "ct_scale"] and "ct_sum" in names
    ct_sum = next(op for op in interface.operations if op.name == "ct_sum")
    assert ct_sum.varargs and [p.name for p in ct_sum.params] == ["n"]
    by_value = next(op for op in interface.operations if op.name == "ct_flags_sum")
    assert ir.annotation(by_value, ir.c.ByValue) == ir.c.ByValue("struct ct_flags")
    assert not any(isinstance(d, ir.Operation) for d in module.decls)


def test_incomplete_types_and_constants():
    module, _ = _module()
    opaque = _decl(module, "ct_opaque", ir.Space.TAG)
    assert isinstance(opaque, ir.Forward) and opaque.kind == "struct"
    color = _decl(module, "ct_color", ir.Space.TAG)
    assert isinstance(color, ir.Enum_)
    assert [m.value for m in color.members] == [ir.Literal(0), ir.Literal(5), ir.Literal(6)]
    consts = {d.name: d.value for d in module.decls if isinstance(d, ir.Const)}
    assert consts["CT_NEG"] == ir.Literal(-16) and consts["CT_MASK"] == ir.Literal(19)
    assert consts["CT_VERSION"] == ir.Literal("1.0")


def test_names_that_become_one_python_name_are_an_error(tmp_path: Path):
    header = Path(__file__).parent / "names" / "clash.h"
    proc = idlgen("--check", str(header), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == (
        f"{header}:3:9: error: 'type_' and 'type' both become 'type_' in the package "
        "[name-clash]"
    )
    assert f"{header}:2:9: note: 'type' is declared here" in proc.stderr


def test_define_expressions_are_folded_by_the_shared_pass(tmp_path: Path):
    header = tmp_path / "m.h"
    header.write_text(
        '#define A 16\n#define NEG (-A)\n#define BOTH (1 << 4 | A)\n#define S "x"\n'
        "#define S2 S\n#define U 1u\n#define NOT_U (~U)\n#define WIDE (1 << 31)\n"
        "#define NEXT (RED + 1)\nenum c { RED = 3, GREEN, BLUE = GREEN << 2, LAST = 1u };\n"
    )
    ctx = Context(FRONTEND.language)
    spec, _ = FRONTEND.parse(header, Options(), ctx)
    before = {d.name: d.value for d in spec.decls[0].decls if isinstance(d, ir.Const)}
    a = ir.ConstRef(ir.name("A"))
    assert before["NEG"] == ir.Unary("-", a)
    assert before["BOTH"] == ir.Binary("|", ir.Binary("<<", ir.Literal(1), ir.Literal(4)), a)
    assert before["S2"] == ir.ConstRef(ir.name("S"))
    assert before["NEXT"] == ir.Binary("+", ir.ConstRef(ir.name("RED")), ir.Literal(1))
    # C's integer types decide these, which folding does not model: their C values
    assert before["NOT_U"] == ir.Literal(2**32 - 2) and before["WIDE"] == ir.Literal(-(2**31))
    (enum,) = [d for d in spec.decls[0].decls if isinstance(d, ir.Enum_)]
    values = [m.value for m in enum.members]
    green = ir.ConstRef(ir.name("GREEN"))
    assert values == [ir.Literal(3), None, ir.Binary("<<", green, ir.Literal(2)), ir.Literal(1)]
    for run_pass in FRONTEND.passes:
        spec = run_pass(spec, ctx)
        ctx.reindex(spec)
    after = {d.name: d.value for d in spec.decls[0].decls if isinstance(d, ir.Const)}
    assert after["NEG"] == ir.Literal(-16) and after["BOTH"] == ir.Literal(16)
    assert after["S2"] == ir.Literal("x") and after["NEXT"] == ir.Literal(4)
    (enum,) = [d for d in spec.decls[0].decls if isinstance(d, ir.Enum_)]
    assert [m.value for m in enum.members] == [ir.Literal(v) for v in (3, 4, 16, 1)]
