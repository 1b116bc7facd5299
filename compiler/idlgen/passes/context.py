"""Per-compilation state handed explicitly to every pass (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field

from idlgen import ir
from idlgen.diagnostics import Reporter


@dataclass
class Context:
    """What passes share: the symbol table, the reporter, front-end facts."""

    reporter: Reporter = field(default_factory=Reporter)
    #: Every named declaration (types, consts, enumerators), by source name.
    symbols: dict[str, ir.Decl] = field(default_factory=dict)
    #: Names a front-end knows without a declaration (``u_int`` in ``.x`` files).
    builtin_types: dict[str, ir.Type] = field(default_factory=dict)
    #: Constants a front-end knows without a declaration (``TRUE`` in ``.x`` files).
    builtin_consts: dict[str, int] = field(default_factory=dict)

    def reindex(self, spec: ir.Spec) -> None:
        """Point ``symbols`` at the declarations of the current tree (passes rebuild it)."""
        from idlgen.passes.resolve_names import declarations

        for decl in declarations(spec):
            self.symbols.setdefault(decl.name, decl)
            if self.symbols[decl.name].loc == decl.loc:
                self.symbols[decl.name] = decl

    def resolve(self, t: ir.Type) -> ir.Type:
        """Follow ``Named`` references through typedefs to the underlying type."""
        seen: set[str] = set()
        while isinstance(t, ir.Named) and t.name not in seen:
            seen.add(t.name)
            decl = self.symbols.get(t.name)
            if isinstance(decl, ir.Typedef):
                t = decl.type
            else:
                break
        return t

    def decl_of(self, t: ir.Type) -> ir.Decl | None:
        """The struct/union/enum declaration ``t`` finally names, if any."""
        t = self.resolve(t)
        return self.symbols.get(t.name) if isinstance(t, ir.Named) else None
