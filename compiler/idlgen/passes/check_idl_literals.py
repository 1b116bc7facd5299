"""CheckIdlLiterals: wide and narrow literals go with wide and narrow types.

OMG IDL 3.5 §7.4.2: a ``wchar`` or ``wstring`` constant is given a wide
literal (``L'x'``, ``L"text"``), a ``char`` or ``string`` constant a narrow
one. Folding forgets how a value was written, so this pass runs before
FoldConstants and looks only at constants whose value is a literal as written
(a constant defined by another constant's name takes that one's kind).
"""

from __future__ import annotations

from idlgen import ir
from idlgen.passes.context import Context


def check_idl_literals(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report each constant whose literal is wide where its type is narrow, or the reverse."""
    for node in ir.walk(spec):
        if not isinstance(node, ir.Const) or node.type is None:
            continue
        literal = node.value
        if not isinstance(literal, ir.Literal) or not isinstance(literal.value, str):
            continue
        t = ctx.resolve(node.type)
        if isinstance(t, ir.String) and not literal.char:
            wide = t.wide
        elif isinstance(t, ir.Primitive) and t.kind in (ir.Prim.CHAR, ir.Prim.WCHAR):
            wide = t.kind is ir.Prim.WCHAR
            if not literal.char:
                continue  # CheckSemantics: a char needs a character
        else:
            continue  # CheckSemantics says the value is of the wrong kind
        if literal.wide == wide:
            continue
        kind = "character" if literal.char else "string"
        example = (
            ("L'x'" if literal.char else 'L"..."') if wide else ("'x'" if literal.char else '"..."')
        )
        want = f"a wide {kind} ({example})" if wide else f"a {kind} without L ({example})"
        ctx.reporter.error(literal.loc, f"'{node.name}' needs {want}", "const-type")
    return spec
