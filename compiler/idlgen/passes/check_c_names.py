"""CheckCNames: two C names that become one Python name are an error.

The bound declarations of a header become attributes of one Python package
(and enumerators, members of one ``IntEnum``) under the C naming policy
(:mod:`idlgen.naming.c`); ``#define type 1`` and ``#define type_ 2`` would
both be ``type_``. The second is the error, with a note at the first. Run as
a pass, so ``--check`` reports it whichever back-end would render.
"""

from __future__ import annotations

from idlgen import ir
from idlgen.naming.c import check_names
from idlgen.passes.context import Context


def check_c_names(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report each clash (the driver stops after the passes if there is one)."""
    for module in spec.decls:
        if isinstance(module, ir.Module):
            ctx.reporter.diagnostics.extend(check_names(module))
    return spec
