"""CheckIdlConstants: OMG IDL's rules for constant expressions as they are written.

Folding forgets how a value was written, so this pass runs between
ResolveNames and FoldConstants (OMG IDL 3.5 §7.4.2):

* a ``wchar`` or ``wstring`` constant is given a wide literal (``L'x'``,
  ``L"text"``), a ``char`` or ``string`` constant a narrow one (a constant
  defined by another constant's name takes that one's kind);
* a floating-point constant's expression has no integer literal (``14``,
  not ``14.0``: omniidl's "Cannot interpret integer literal as a double");
* an enum constant is one of its enum's enumerators (or a constant of that
  enum), and an integer constant's expression names no enumerator;
* ``~`` in an unsigned constant complements within the constant's type
  (``const unsigned long ALL = ~0;`` is 0xFFFFFFFF): the pass rewrites it to
  ``MAX - x`` so that the shared folder, which works in signed 64-bit
  integers, gets the IDL value.
"""

from __future__ import annotations

from dataclasses import replace

from idlgen import ir
from idlgen.passes.context import Context
from idlgen.symbols import declarations

_FLOATS = (ir.Prim.FLOAT32, ir.Prim.FLOAT64, ir.Prim.LONGDOUBLE)
_UNSIGNED = (ir.Prim.UINT8, ir.Prim.OCTET, ir.Prim.UINT16, ir.Prim.UINT32, ir.Prim.UINT64)


def check_idl_constants(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report the rules above; return the tree with unsigned ``~`` rewritten."""
    enum_of: dict[ir.Name, ir.Name] = {}  # enumerator -> its enum
    for item in declarations(spec, ctx.language.scoping):
        if isinstance(item.decl, ir.Enum_):
            for m in item.decl.members:
                enum_of[ir.ScopedName((*item.scope, m.name))] = item.name
    rewritten: dict[int, ir.Const] = {}
    for node in ir.walk(spec):
        if isinstance(node, ir.Const) and node.type is not None:
            _literal(node, ctx)
            _enums(node, ctx, enum_of)
            t = ctx.resolve(node.type)
            if isinstance(t, ir.Primitive) and t.kind in _FLOATS:
                _no_integers(node, ctx)
            if isinstance(t, ir.Primitive) and t.kind in _UNSIGNED:
                new = _complement(node, ir.INTEGER_RANGES[t.kind][1])
                if new is not node:
                    rewritten[id(node)] = new
    if not rewritten:
        return spec
    return ir.map_tree(spec, lambda n: rewritten.get(id(n), n))


def _no_integers(node: ir.Const, ctx: Context) -> None:
    for n in ir.walk(node.value):
        if isinstance(n, ir.Literal) and type(n.value) is int and not n.char:
            ctx.reporter.error(
                n.loc,
                f"'{node.name}' is floating-point: write {n.value}.0, not the integer {n.value}",
                "const-type",
            )


def _literal(node: ir.Const, ctx: Context) -> None:
    literal = node.value
    if not isinstance(literal, ir.Literal) or not isinstance(literal.value, str):
        return
    assert node.type is not None
    t = ctx.resolve(node.type)
    if isinstance(t, ir.String) and not literal.char:
        wide = t.wide
    elif isinstance(t, ir.Primitive) and t.kind in (ir.Prim.CHAR, ir.Prim.WCHAR):
        wide = t.kind is ir.Prim.WCHAR
        if not literal.char:
            return  # CheckSemantics: a char needs a character
    else:
        return  # CheckSemantics says the value is of the wrong kind
    if literal.wide == wide:
        return
    kind = "character" if literal.char else "string"
    example = (
        ("L'x'" if literal.char else 'L"..."') if wide else ("'x'" if literal.char else '"..."')
    )
    want = f"a wide {kind} ({example})" if wide else f"a {kind} without L ({example})"
    ctx.reporter.error(literal.loc, f"'{node.name}' needs {want}", "const-type")


def _enums(node: ir.Const, ctx: Context, enum_of: dict[ir.Name, ir.Name]) -> None:
    assert node.type is not None
    enum = ctx.decl_of(node.type)
    refs = [n for n in ir.walk(node.value) if isinstance(n, ir.ConstRef)]
    if isinstance(enum, ir.Enum_):
        full = ctx.symbols.full_name(enum)
        value = node.value
        if isinstance(value, ir.ConstRef):
            target = ctx.symbols.get(ir.Space.ORDINARY, value.name)
            if enum_of.get(value.name) == full:
                return
            if isinstance(target, ir.Const) and target.type is not None:
                if ctx.decl_of(target.type) is enum:
                    return
        ctx.reporter.error(
            value.loc,
            f"'{node.name}' is of enum '{full}': its value is one of that enum's enumerators",
            "const-type",
        )
        return
    t = ctx.resolve(node.type)
    if isinstance(t, ir.Primitive) and t.kind in ir.INTEGER_RANGES:
        for ref in refs:
            target = ctx.symbols.get(ir.Space.ORDINARY, ref.name)
            of_enum = (
                isinstance(target, ir.Const)
                and target.type is not None
                and isinstance(ctx.decl_of(target.type), ir.Enum_)
            )
            if ref.name in enum_of or of_enum:
                what = "an enumerator" if ref.name in enum_of else "a constant of an enum"
                ctx.reporter.error(
                    ref.loc,
                    f"'{ref.name}' is {what}, not an integer: an integer constant cannot use it",
                    "const-type",
                )


def _complement(node: ir.Const, maximum: int) -> ir.Const:
    def fix(n: ir.Node) -> ir.Node:
        if isinstance(n, ir.Unary) and n.op == "~":
            return ir.Binary("-", ir.Literal(maximum, loc=n.loc), n.operand, loc=n.loc)
        return n

    value = ir.map_tree(node.value, fix)
    return node if value is node.value else replace(node, value=value)
