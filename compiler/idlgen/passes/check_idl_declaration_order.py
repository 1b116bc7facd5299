"""CheckIdlDeclarationOrder: OMG IDL names are declared before they are used.

OMG IDL 3.5 §7.20.2: a name is used only after its declaration (a forward
declaration counts). The shared ResolveNames accepts later declarations (the
RPC language and C headers are read that way), so IDL checks the order here.

A forward-declared struct or union is incomplete until its definition: before
it, it may be used only inside its own definition or as the element of a
sequence in a typedef (``struct Node; typedef sequence<Node> NodeSeq;``), as
omniidl has it (§7.11.2.3).

Positions are the order of the file: the top-level declarations in the order
the preprocessor produced them (includes in place), then line and column.
"""

from __future__ import annotations

from idlgen import ir
from idlgen.passes.context import Context

Position = tuple[int, int, int]


def check_idl_declaration_order(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Report every use of a name that comes before its declaration."""
    first: dict[ir.Name, Position] = {}
    defined: dict[ir.Name, Position] = {}
    forward_kinds: dict[ir.Name, str] = {}
    for k, top in enumerate(spec.decls):
        _declared(top, (), k, first, defined, forward_kinds)
    _Uses(ctx, first, defined, forward_kinds).run(spec)
    return spec


def _pos(k: int, loc: ir.Loc) -> Position:
    return (k, loc.line, loc.col)


def _declared(
    decl: ir.Decl,
    scope: tuple[str, ...],
    k: int,
    first: dict[ir.Name, Position],
    defined: dict[ir.Name, Position],
    forward_kinds: dict[ir.Name, str],
) -> None:
    full = ir.ScopedName((*scope, decl.name))
    pos = _pos(k, decl.loc)
    first[full] = min(first.get(full, pos), pos)
    if isinstance(decl, ir.Forward):
        forward_kinds[full] = decl.kind
    else:
        defined[full] = min(defined.get(full, pos), pos)
    if isinstance(decl, ir.Enum_):
        for m in decl.members:
            name = ir.ScopedName((*scope, m.name))
            first[name] = min(first.get(name, pos), _pos(k, m.loc))
    children: tuple[ir.Decl, ...] = ()
    if isinstance(decl, ir.Module):
        children = decl.decls
    elif isinstance(decl, ir.Interface):
        children = (*decl.decls, *decl.operations, *decl.attributes)
    elif isinstance(decl, ir.ValueType):
        children = (*decl.decls, *decl.operations, *decl.attributes, *decl.initializers)
    for child in children:
        _declared(child, (*scope, decl.name), k, first, defined, forward_kinds)


class _Uses:
    def __init__(
        self,
        ctx: Context,
        first: dict[ir.Name, Position],
        defined: dict[ir.Name, Position],
        forward_kinds: dict[ir.Name, str],
    ) -> None:
        self.ctx = ctx
        self.first = first
        self.defined = defined
        self.forward_kinds = forward_kinds

    def run(self, spec: ir.Spec) -> None:
        for k, top in enumerate(spec.decls):
            self.decl(top, (), k)

    def decl(self, decl: ir.Decl, scope: tuple[str, ...], k: int) -> None:
        full = ir.ScopedName((*scope, decl.name))
        if isinstance(decl, (ir.Module, ir.Interface, ir.ValueType)):
            inner = (*scope, decl.name)
            for child in decl.children():
                if isinstance(child, ir.Decl):
                    self.decl(child, inner, k)
                else:
                    self.node(child, k, full, decl, False)
            return
        for child in decl.children():
            self.node(child, k, full, decl, False)

    def node(self, node: ir.Node, k: int, owner: ir.Name, decl: ir.Decl, in_sequence: bool) -> None:
        if isinstance(node, (ir.Named, ir.ConstRef)):
            self.use(node, k, owner, decl, in_sequence)
            return
        if isinstance(node, (ir.omgidl.RepositoryId, ir.omgidl.Prefix, ir.Hoisted)):
            return
        for child in node.children():
            self.node(child, k, owner, decl, isinstance(node, ir.Sequence))

    def use(
        self, node: ir.Named | ir.ConstRef, k: int, owner: ir.Name, decl: ir.Decl, in_seq: bool
    ) -> None:
        name = node.name
        at = _pos(k, node.loc)
        declared = self.first.get(name)
        if declared is None:
            return  # undefined (ResolveNames said so) or a builtin name
        if at < declared:
            self.ctx.reporter.error(
                node.loc,
                f"'{name}' is used before it is declared (IDL declares names before their use)",
                "used-before-declared",
            )
            return
        kind = self.forward_kinds.get(name)
        if kind not in ("struct", "union"):
            return
        definition = self.defined.get(name)
        if definition is not None and at >= definition:
            return
        if owner == name or (in_seq and isinstance(decl, ir.Typedef)):
            return  # its own definition, or a sequence of it in a typedef
        self.ctx.reporter.error(
            node.loc,
            f"{kind} '{name}' is used before it is defined: until then only a sequence of it,"
            " in a typedef, may be",
            "incomplete-type",
        )
