"""CheckIdlDeclarations: OMG IDL's own rules for interfaces, operations and valuetypes.

Runs after ResolveNames and FoldConstants (every use is a full name, every
expression a Literal). What it checks, each in IDL 3.5's words:

* inheritance (§7.8.5): an interface inherits only interfaces, each once, never
  itself; an unconstrained interface does not inherit a local one; an abstract
  interface inherits only abstract ones; an operation or attribute does not
  redefine, or two bases both bring, one name (unless one base brings it);
* operations (§7.13): a ``oneway`` operation returns ``void``, has only ``in``
  parameters and raises nothing; ``raises``, ``getraises``, ``setraises`` and
  factories name exceptions; an exception is not a type of data;
* valuetypes (§7.9): they inherit valuetypes (a stateful one at most one
  stateful, first; an abstract one abstract ones only), ``truncatable`` needs a
  stateful base, they support interfaces (at most one that is not abstract);
  a value box does not box a valuetype;
* forward declarations: the definition is of the kind declared, and a
  forward-declared struct or union is defined;
* constants (§7.4.2): of an integer, char, wchar, boolean, floating-point,
  string, wstring, octet, fixed or enum type; floating-point values that fit
  (literals and enumerators as written: ``check_idl_constants``);
* types: string and sequence bounds of at least 1, ``fixed<d, s>`` with
  1 <= d <= 31 and 0 <= s <= d.
"""

from __future__ import annotations

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Severity
from idlgen.passes.context import Context
from idlgen.symbols import declarations

#: The largest finite value of each floating-point type (long double: as double).
_FLOAT_LIMITS = {
    ir.Prim.FLOAT32: 3.4028234663852886e38,
    ir.Prim.FLOAT64: 1.7976931348623157e308,
    ir.Prim.LONGDOUBLE: 1.7976931348623157e308,
}


def check_idl_declarations(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report every violation of the rules above; the tree is returned unchanged."""
    _Checker(ctx).run(spec)
    return spec


def _what(decl: ir.Decl | None, ctx: Context) -> str:
    if decl is None:
        return "not declared"
    word = ctx.language.word(decl)
    if isinstance(decl, ir.Forward):
        word = decl.kind
    return ("an " if word[:1] in "aeiou" else "a ") + word


class _Checker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.report = ctx.reporter

    def run(self, spec: ir.Spec) -> None:
        raised: set[int] = set()
        for node in ir.walk(spec):
            if isinstance(node, (ir.Operation, ir.Initializer)):
                for n in node.raises:
                    raised.add(id(n))
                    self.raises(n)
            if isinstance(node, ir.Attribute):
                for n in (*node.get_raises, *node.set_raises):
                    raised.add(id(n))
                    self.raises(n)
        for node in ir.walk(spec):
            if isinstance(node, ir.Named) and id(node) not in raised:
                if isinstance(self.ctx.symbols.lookup(node), ir.Exception_):
                    self.report.error(
                        node.loc,
                        f"'{node.name}' is an exception: it can only be raised, not used as a type",
                        "not-a-type",
                    )
            if isinstance(node, (ir.String, ir.Sequence)):
                self.bound(node)
            elif isinstance(node, ir.Fixed):
                self.fixed(node)
            if isinstance(node, ir.Operation):
                self.oneway(node)
            elif isinstance(node, ir.Const):
                self.const(node)
            elif isinstance(node, ir.ValueBox):
                self.value_box(node)
        for item in declarations(spec, self.ctx.language.scoping):
            decl = item.decl
            if isinstance(decl, ir.Interface):
                self.interface(decl, item.name)
            elif isinstance(decl, ir.ValueType):
                self.valuetype(decl)
            elif isinstance(decl, ir.Forward):
                self.forward(decl, item.name)

    # -- types

    def bound(self, t: ir.String | ir.Sequence) -> None:
        if isinstance(t.bound, ir.Literal) and t.bound.value == 0:
            what = "sequence" if isinstance(t, ir.Sequence) else "string"
            self.report.error(
                t.bound.loc, f"the bound of a {what} must be at least 1, not 0", "bad-size"
            )

    def fixed(self, t: ir.Fixed) -> None:
        digits, scale = t.digits, t.scale
        if not (isinstance(digits, ir.Literal) and isinstance(scale, ir.Literal)):
            return
        d, s = digits.value, scale.value
        if not isinstance(d, int) or not isinstance(s, int):
            return  # CheckSemantics says they are not integers
        if not 1 <= d <= 31:
            self.report.error(
                digits.loc, f"a fixed-point type has 1 to 31 digits, not {d}", "bad-size"
            )
        elif not 0 <= s <= d:
            self.report.error(
                scale.loc,
                f"the scale of fixed<{d}, {s}> must be between 0 and its {d} digits",
                "bad-size",
            )

    # -- operations

    def raises(self, n: ir.Named) -> None:
        decl = self.ctx.symbols.lookup(n)
        if decl is not None and not isinstance(decl, ir.Exception_):
            self.report.error(
                n.loc,
                f"'{n.name}' is {_what(decl, self.ctx)}, not an exception: only exceptions"
                " can be raised",
                "not-an-exception",
            )

    def oneway(self, op: ir.Operation) -> None:
        if not op.oneway:
            return
        result = op.result
        if not (isinstance(result, ir.Primitive) and result.kind is ir.Prim.VOID):
            self.report.error(
                result.loc, f"oneway operation '{op.name}' must return void", "bad-oneway"
            )
        for p in op.params:
            if p.direction is not ir.Direction.IN:
                self.report.error(
                    p.loc,
                    f"oneway operation '{op.name}' cannot have an {p.direction.value} parameter",
                    "bad-oneway",
                )
        if op.raises:
            self.report.error(
                op.raises[0].loc,
                f"oneway operation '{op.name}' cannot raise exceptions",
                "bad-oneway",
            )

    # -- constants

    def const(self, decl: ir.Const) -> None:
        if decl.type is None:
            return
        t = self.ctx.resolve(decl.type)
        ok = (
            isinstance(t, (ir.String, ir.Fixed))
            or (
                isinstance(t, ir.Primitive)
                and (
                    t.kind in ir.INTEGER_RANGES
                    or t.kind in ir.FLOAT_KINDS
                    or t.kind in (ir.Prim.WCHAR, ir.Prim.CHAR, ir.Prim.BOOL)
                )
            )
            or isinstance(self.ctx.decl_of(t), ir.Enum_)
        )
        if not ok:
            self.report.error(
                decl.type.loc,
                f"constant '{decl.name}' must be of an integer, char, wchar, boolean,"
                " floating-point, string, wstring, octet, fixed or enum type",
                "bad-const-type",
            )
            return
        literal = decl.value if isinstance(decl.value, ir.Literal) else None
        if literal is not None and isinstance(t, ir.Primitive):
            v = literal.value
            limit = _FLOAT_LIMITS.get(t.kind)
            if limit is not None and isinstance(v, float) and not abs(v) <= limit:
                self.report.error(
                    literal.loc,
                    f"constant overflow: the value of '{decl.name}' does not fit in its type",
                    "const-overflow",
                )

    # -- interfaces

    def _bases(self, decl: ir.Interface) -> list[tuple[ir.Named, ir.Interface | None]]:
        found: list[tuple[ir.Named, ir.Interface | None]] = []
        for base in decl.bases:
            target = self.ctx.decl_of(base)
            found.append((base, target if isinstance(target, ir.Interface) else None))
        return found

    def interface(self, decl: ir.Interface, full: ir.Name) -> None:
        seen: set[ir.Name] = set()
        for base, target in self._bases(decl):
            raw = self.ctx.decl_of(base) or self.ctx.symbols.lookup(base)
            if target is None:
                if isinstance(raw, ir.Forward) and raw.kind.endswith("interface"):
                    self.report.error(
                        base.loc,
                        f"interface '{decl.name}' cannot inherit from '{base.name}', which is"
                        " declared but not defined",
                        "bad-inheritance",
                    )
                elif raw is not None:
                    self.report.error(
                        base.loc,
                        f"interface '{decl.name}' cannot inherit from '{base.name}', which is"
                        f" {_what(raw, self.ctx)}, not an interface",
                        "bad-inheritance",
                    )
                continue
            if target.loc.file == base.loc.file and (target.loc.line, target.loc.col) > (
                base.loc.line,
                base.loc.col,
            ):
                # IDL 3.5 §7.8.2 (and omniidl): a base is defined before it is inherited.
                self.report.error(
                    base.loc,
                    f"interface '{decl.name}' cannot inherit from '{base.name}', which is"
                    f" only defined later (line {target.loc.line})",
                    "bad-inheritance",
                )
                continue
            if base.name in seen:
                self.report.error(
                    base.loc,
                    f"interface '{decl.name}' inherits from '{base.name}' twice",
                    "bad-inheritance",
                )
            seen.add(base.name)
            if base.name == full or full in self._ancestors(target):
                self.report.error(
                    base.loc,
                    f"interface '{decl.name}' inherits from itself",
                    "bad-inheritance",
                )
                continue
            if target.local and not decl.local:
                self.report.error(
                    base.loc,
                    f"interface '{decl.name}' is not local: it cannot inherit from local"
                    f" interface '{base.name}'",
                    "bad-inheritance",
                )
            if decl.abstract and not target.abstract:
                self.report.error(
                    base.loc,
                    f"abstract interface '{decl.name}' can only inherit from abstract"
                    f" interfaces, not '{base.name}'",
                    "bad-inheritance",
                )
        self.clashes(decl, full)

    def _ancestors(self, decl: ir.Interface) -> set[ir.Name]:
        """Full names of every interface ``decl`` inherits, directly or not."""
        found: set[ir.Name] = set()
        stack = [decl]
        while stack and len(found) < 10_000:
            for base, target in self._bases(stack.pop()):
                if target is not None and base.name not in found:
                    found.add(base.name)
                    stack.append(target)
        return found

    def _members(self, name: ir.Name) -> dict[str, tuple[ir.Decl, ir.Name]]:
        """Operations and attributes of an interface and all it inherits: where each is from."""
        out: dict[str, tuple[ir.Decl, ir.Name]] = {}
        decl = self.ctx.symbols.get(ir.Space.ORDINARY, name)
        if not isinstance(decl, ir.Interface):
            return out
        for member in (*decl.operations, *decl.attributes):
            out[member.name] = (member, name)
        for base in sorted(self._ancestors(decl), key=str):
            target = self.ctx.symbols.get(ir.Space.ORDINARY, base)
            if isinstance(target, ir.Interface):
                for member in (*target.operations, *target.attributes):
                    out.setdefault(member.name, (member, base))
        return out

    def clashes(self, decl: ir.Interface, full: ir.Name) -> None:
        inherited: dict[str, tuple[ir.Decl, ir.Name]] = {}
        for base, target in self._bases(decl):
            if target is None:
                continue
            for name, (member, origin) in self._members(base.name).items():
                first = inherited.get(name)
                if first is not None and first[1] != origin:
                    note = Diagnostic(
                        first[0].loc, f"'{name}' of '{first[1]}'", "note", Severity.NOTE
                    )
                    self.report.diagnostics.append(
                        Diagnostic(
                            base.loc,
                            f"interface '{decl.name}' inherits '{name}' from both"
                            f" '{first[1]}' and '{origin}'",
                            "inherited-clash",
                            notes=(note,),
                        )
                    )
                    continue
                inherited.setdefault(name, (member, origin))
        for member in (*decl.operations, *decl.attributes):
            clash = inherited.get(member.name)
            if clash is not None:
                word = self.ctx.language.word(member)
                note = Diagnostic(clash[0].loc, "inherited from here", "note", Severity.NOTE)
                self.report.diagnostics.append(
                    Diagnostic(
                        member.loc,
                        f"{word} '{member.name}' of '{full}' clashes with"
                        f" '{member.name}' inherited from '{clash[1]}'",
                        "inherited-clash",
                        notes=(note,),
                    )
                )

    # -- valuetypes

    def valuetype(self, decl: ir.ValueType) -> None:
        stateful = 0
        for i, base in enumerate(decl.bases):
            target = self.ctx.decl_of(base)
            if isinstance(target, ir.Forward) and target.kind.endswith("valuetype"):
                continue
            if not isinstance(target, ir.ValueType):
                self.report.error(
                    base.loc,
                    f"valuetype '{decl.name}' cannot inherit from '{base.name}', which is"
                    f" {_what(target, self.ctx)}, not a valuetype",
                    "bad-inheritance",
                )
                continue
            if target.abstract:
                continue
            if decl.abstract:
                self.report.error(
                    base.loc,
                    f"abstract valuetype '{decl.name}' can only inherit from abstract"
                    f" valuetypes, not '{base.name}'",
                    "bad-inheritance",
                )
            stateful += 1
            if i > 0 or stateful > 1:
                self.report.error(
                    base.loc,
                    f"valuetype '{decl.name}' may inherit from one stateful valuetype, written"
                    f" first; '{base.name}' is stateful",
                    "bad-inheritance",
                )
        if decl.truncatable and stateful == 0:
            self.report.error(
                decl.loc,
                f"valuetype '{decl.name}' is truncatable but has no stateful base",
                "bad-inheritance",
            )
        concrete = 0
        for sup in decl.supports:
            target = self.ctx.decl_of(sup)
            if isinstance(target, ir.Forward) and target.kind.endswith("interface"):
                continue
            if not isinstance(target, ir.Interface):
                self.report.error(
                    sup.loc,
                    f"valuetype '{decl.name}' can only support interfaces, not '{sup.name}',"
                    f" which is {_what(target, self.ctx)}",
                    "bad-inheritance",
                )
            elif not target.abstract:
                concrete += 1
                if concrete > 1:
                    self.report.error(
                        sup.loc,
                        f"valuetype '{decl.name}' may support one interface that is not"
                        f" abstract; '{sup.name}' is a second",
                        "bad-inheritance",
                    )

    def value_box(self, decl: ir.ValueBox) -> None:
        target = self.ctx.decl_of(decl.type)
        if isinstance(target, (ir.ValueType, ir.ValueBox)) or (
            isinstance(target, ir.Forward) and target.kind.endswith("valuetype")
        ):
            self.report.error(
                decl.type.loc,
                f"value box '{decl.name}' cannot box a valuetype",
                "bad-valuetype",
            )

    # -- forward declarations

    def forward(self, decl: ir.Forward, full: ir.Name) -> None:
        defined = self.ctx.symbols.get(ir.Space.ORDINARY, full)
        if defined is None or isinstance(defined, ir.Forward):
            if decl.kind in ("struct", "union"):
                self.report.error(
                    decl.loc, f"{decl.kind} '{full}' is declared but never defined", "undefined"
                )
            return
        if isinstance(defined, ir.Interface):
            written = "local " if defined.local else "abstract " if defined.abstract else ""
            matches = decl.kind == written + "interface"
        elif isinstance(defined, ir.ValueType):
            matches = decl.kind == ("abstract " if defined.abstract else "") + "valuetype"
        else:
            matches = {"struct": ir.Struct, "union": ir.Union_}.get(decl.kind) is type(defined)
        if not matches:
            note = Diagnostic(decl.loc, f"declared as {decl.kind} here", "note", Severity.NOTE)
            self.report.diagnostics.append(
                Diagnostic(
                    defined.loc,
                    f"'{full}' was declared as {('an ' if decl.kind[0] in 'aeiou' else 'a ')}"
                    f"{decl.kind}, but is defined as {_what(defined, self.ctx)}",
                    "forward-mismatch",
                    notes=(note,),
                )
            )
