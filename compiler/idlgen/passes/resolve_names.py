"""ResolveNames: one namespace of declarations; every name used is declared.

Reports duplicate declarations (with a note at the first one), types that are
not declared, constants used as types and types used as constants. Names a
front-end knows implicitly (``u_int``, ``TRUE`` in rpcgen's dialect) become
primitives and literals unless the file declares them itself. Procedure names
need only be unique within their version (CheckSemantics), as in rpcgen.
"""

from __future__ import annotations

from dataclasses import replace

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Severity
from idlgen.passes.context import Context

_TYPE_DECLS = (ir.Struct, ir.Union_, ir.Enum_, ir.Typedef)
#: rpcgen turns program, version and procedure names into #defines, and real
#: files use them as values (``RPCBPROC_BCAST(...) = RPCBPROC_CALLIT``).
_VALUE_DECLS = (ir.Const, ir.EnumMember, ir.Module, ir.Interface, ir.Operation)


def declarations(spec: ir.Spec) -> list[ir.Decl]:
    """Every declaration that claims a name: types, consts, enumerators, programs.

    Only declarations can hold these, so the walk never descends into types.
    """
    found: list[ir.Decl] = []
    stack: list[ir.Decl] = list(reversed(spec.decls))
    while stack:
        node = stack.pop()
        if isinstance(node, (*_TYPE_DECLS, *_VALUE_DECLS, ir.Module)):
            found.append(node)
        elif isinstance(node, (ir.Interface, ir.Operation)) and _numbered(node):
            found.append(node)
        if isinstance(node, ir.Enum_):
            found.extend(node.members)
        elif isinstance(node, ir.Module):
            stack.extend(reversed(node.decls))
        elif isinstance(node, ir.Interface):
            stack.extend(reversed(node.operations))
    return found


def resolve_names(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Fill ``ctx.symbols`` and check every reference (see module docstring)."""
    report = ctx.reporter
    for decl in declarations(spec):
        previous = ctx.symbols.get(decl.name)
        if isinstance(previous, ir.Operation) and isinstance(decl, ir.Operation):
            continue  # one procedure in several versions (CheckSemantics checks each version)
        if previous is not None:
            note = Diagnostic(
                previous.loc, f"'{decl.name}' was first defined here", "note", Severity.NOTE
            )
            report.diagnostics.append(
                Diagnostic(
                    decl.loc, f"duplicate name '{decl.name}'", "duplicate-name", notes=(note,)
                )
            )
            continue
        ctx.symbols[decl.name] = decl

    def check(node: ir.Node) -> ir.Node:
        if isinstance(node, ir.Named):
            decl = ctx.symbols.get(node.name)
            if decl is None:
                if node.name in ctx.builtin_types:
                    return replace(ctx.builtin_types[node.name], loc=node.loc)
                report.error(node.loc, f"undefined type '{node.name}'", "undefined-name")
            elif not isinstance(decl, _TYPE_DECLS):
                report.error(
                    node.loc, f"'{node.name}' is a {_kind(decl)}, not a type", "not-a-type"
                )
        elif isinstance(node, ir.ConstRef):
            decl = ctx.symbols.get(node.name)
            if decl is None and node.name in ctx.builtin_consts:
                return ir.Literal(ctx.builtin_consts[node.name], loc=node.loc)
            if decl is None:
                # rpcgen passes unknown names through to C, where a header defines
                # them (libvirt's VIR_UUID_BUFLEN); here the value must be known.
                hint = f"defined in a C header? give it with -D {node.name}=VALUE"
                report.error(
                    node.loc, f"undefined constant '{node.name}' ({hint})", "undefined-name"
                )
            elif not isinstance(decl, _VALUE_DECLS):
                report.error(
                    node.loc, f"'{node.name}' is a {_kind(decl)}, not a constant", "not-a-constant"
                )
        return node

    spec = ir.map_tree(spec, check)
    report.check()
    return spec


def _kind(decl: ir.Decl) -> str:
    return {
        ir.Const: "constant",
        ir.EnumMember: "enum value",
        ir.Struct: "struct",
        ir.Union_: "union",
        ir.Enum_: "enum",
        ir.Typedef: "typedef",
        ir.Module: "program",
        ir.Interface: "program version",
        ir.Operation: "procedure",
    }.get(type(decl), "declaration")


def _numbered(node: ir.Interface | ir.Operation) -> bool:
    """An RPC version or procedure (it has a number), not an IDL interface or operation."""
    return ir.annotation(node, ir.RpcNumber) is not None
