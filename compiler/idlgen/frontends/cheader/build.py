"""pycparser's AST of a header to IR: what to bind, as complete declarations.

Only declarations whose file is one of the named headers are bound (functions,
structs, unions, enums, typedefs, ``#define`` constants); the types they use
come along from wherever they are declared (``uLong`` from zconf.h, ``FILE``
from glibc), marked as not bound (:class:`~idlgen.ir.c.Bound`). Structs and
unions have their fields (bitfield widths, anonymous members), tags live in
:attr:`~idlgen.ir.Space.TAG`, a body written inside another declaration is
its own declaration marked :class:`~idlgen.ir.Hoisted`, a tag used only
through pointers is a :class:`~idlgen.ir.Forward`; the functions and extern
variables are the operations and attributes of one Interface named after the
header. The back-ends print C from this IR; no C text travels in it.

The stages, each in its own module, put together by :func:`build_header`:

    select (what is bound and what it needs) → per declaration, in source
    order: dimensions (array sizes as numbers), checks (what is not C),
    to_ir (the IR) → constants (the ``#define`` macros)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from pycparser import c_ast

from idlgen import ir
from idlgen.diagnostics import Reporter
from idlgen.frontends.cheader.checks import check_declaration
from idlgen.frontends.cheader.constants import Constants, mark_defined
from idlgen.frontends.cheader.dimensions import Dimensions
from idlgen.frontends.cheader.preprocess import Macro
from idlgen.frontends.cheader.selection import Request, TypeIndex, choose, dependencies
from idlgen.frontends.cheader.to_ir import ToIR


def build_header(
    ast: c_ast.FileAST,
    request: Request,
    macros: Iterable[Macro],
    report: Reporter,
    unit: str = "",
    unit_loc: ir.Loc = ir.NOWHERE,
    expand: Callable[[list[str]], dict[str, str]] | None = None,
) -> list[ir.Decl]:
    """The bound declarations, the types they need, and the constants.

    In order: the incomplete types, the types in source order (a body
    written in place just before its owner), the function set (named
    ``unit``, at ``unit_loc``: the header's name and place), the constants.
    """
    index = TypeIndex(ast)
    chosen = choose(ast, request, report)
    needed, opaque = dependencies(chosen, index)
    dimensions = Dimensions(index.int_typedefs)
    dimensions.declare_opaque(sorted(opaque))
    forwards: list[ir.Decl] = [
        ir.Forward(tag, kind, annotations=(ir.c.Bound(False),), space=ir.Space.TAG)
        for kind, tag in sorted(opaque)
    ]
    to_ir = ToIR(report)
    types, functions, variables = _declarations(ast, chosen, needed, dimensions, to_ir, report)
    undeclared = _undeclared_tags(index.tag_kind, forwards, types, functions, variables)
    decls = [*forwards, *undeclared, *types]
    if functions or variables:
        decls.append(
            ir.Interface(unit, tuple(functions), attributes=tuple(variables), loc=unit_loc)
        )
    constants = Constants(request, to_ir.enumerators, index.int_typedefs, report)
    decls += constants.of_macros(macros, decls, functions, expand)
    return [mark_defined(d, constants.defined_enumerators) for d in decls]


def _declarations(
    ast: c_ast.FileAST,
    chosen: list[c_ast.Node],
    needed: set[int],
    dimensions: Dimensions,
    to_ir: ToIR,
    report: Reporter,
) -> tuple[list[ir.Decl], list[ir.Operation], list[ir.Attribute]]:
    """The IR of what is bound or needed: types, functions, variables (each once).

    One declaration after the other, as C reads them: an array size may use
    the enumerators and ``sizeof`` the types of the declarations before it.
    """
    types: list[ir.Decl] = []
    functions: list[ir.Operation] = []
    variables: list[ir.Attribute] = []
    taken: set[tuple[ir.Space, str]] = set()
    bound = {id(n) for n in chosen}
    for ext in ast.ext:
        if id(ext) not in bound and id(ext) not in needed:
            continue
        dimensions.fold(ext, to_ir.enumerators)
        check_declaration(ext, report)
        dimensions.keep(ext)
        for decl in to_ir.declaration(ext, id(ext) in bound):
            key = (decl.space, decl.name)
            if not isinstance(decl, ir.Forward) and key in taken:
                if isinstance(decl, ir.Operation) and id(ext) in bound:
                    # glibc's __REDIRECT declares scanf & co. a second time
                    report.warning(
                        decl.loc,
                        f"function '{decl.name}' is declared again; bound once, as first declared",
                        "skipped",
                        "are declared again (bound once)",
                    )
                continue  # C may declare a function or typedef again
            taken.add(key)
            if isinstance(decl, ir.Operation):
                functions.append(decl)
            elif isinstance(decl, ir.Attribute):
                variables.append(decl)
            else:
                types.append(decl)
    return types, functions, variables


def _undeclared_tags(tag_kind: dict[str, str], *groups: Sequence[ir.Decl]) -> list[ir.Decl]:
    """``struct S`` used but defined nowhere the selection looks: an incomplete type."""
    declared = {d.name for group in groups for d in group if d.space is ir.Space.TAG}
    found: dict[str, ir.Decl] = {}
    for decl in (d for group in groups for d in group):
        for node in ir.walk(decl):
            if (
                isinstance(node, ir.Named)
                and node.space is ir.Space.TAG
                and str(node.name) not in declared
            ):
                kind = tag_kind.get(str(node.name), "struct")
                found.setdefault(
                    str(node.name),
                    ir.Forward(
                        str(node.name),
                        kind,
                        annotations=(ir.c.Bound(False),),
                        space=ir.Space.TAG,
                        loc=node.loc,
                    ),
                )
    return list(found.values())
