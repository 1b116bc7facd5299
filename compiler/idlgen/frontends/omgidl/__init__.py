"""The OMG IDL front-end: ``.idl`` files (OMG IDL 3.5, the IDL 4.2 core) to IR.

    preprocess (cpp: -I, -D, -U, #include; #pragma lines pass through)
    → blank IDL 4 annotations (a warning each) → parse (grammars/omgidl.lark)
    → build IR → apply #pragma prefix/ID/version, typeid, typeprefix
    → check names as written (introduced names) → ``Outer::Inner`` to hoisted
      ``Inner`` → check names inherited twice
    → passes: resolve names, declaration order, union labels, constants as
      written, fold constants, check semantics, IDL's own checks, repository IDs

The back-end is ``corba-python`` (:mod:`idlgen.backends.corba_python`).
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from pathlib import Path

from idlgen import ir
from idlgen.diagnostics import CompileError
from idlgen.frontends.comments import with_docs
from idlgen.frontends.omgidl.builder import parse_idl
from idlgen.frontends.omgidl.directives import apply_directives
from idlgen.frontends.omgidl.lexing import blank_annotations
from idlgen.frontends.omgidl.nested import unnest_names
from idlgen.passes.assign_repository_ids import assign_repository_ids
from idlgen.passes.check_idl_ambiguous_names import check_idl_ambiguous_names
from idlgen.passes.check_idl_constants import check_idl_constants
from idlgen.passes.check_idl_declaration_order import check_idl_declaration_order
from idlgen.passes.check_idl_declarations import check_idl_declarations
from idlgen.passes.check_idl_introduced_names import check_idl_introduced_names
from idlgen.passes.check_idl_names import check_idl_names
from idlgen.passes.check_idl_union_labels import check_idl_union_labels
from idlgen.passes.check_semantics import check_semantics
from idlgen.passes.context import Context, Language
from idlgen.passes.fold_constants import fold_constants
from idlgen.passes.resolve_names import resolve_names
from idlgen.pipeline import Frontend, Options
from idlgen.preprocess import preprocess
from idlgen.symbols import IDL_SCOPES

__all__ = ["FRONTEND", "OMGIDL", "load_idl"]

_TYPECODE = ir.Primitive(ir.Prim.TYPECODE)

#: OMG IDL's rules and words for the shared passes.
OMGIDL = Language(
    "omgidl",
    scoping=IDL_SCOPES,
    words={
        ir.Module: "module",
        ir.Interface: "interface",
        ir.Operation: "operation",
        ir.Attribute: "attribute",
        ir.EnumMember: "enumerator",
        ir.Exception_: "exception",
        ir.Forward: "forward declaration",
        ir.Native: "native type",
        ir.ValueType: "valuetype",
        ir.ValueBox: "value box",
        ir.Initializer: "factory",
        ir.Const: "constant",
        ir.Typedef: "typedef",
        ir.Param: "parameter",
        ir.Field: "member",
    },
    recursion_hint="use a sequence to end the recursion",
    enum_range=(0, 2**32 - 1),
    # TypeCode is CORBA::TypeCode; IDL files name it bare too (omniORB's corbaidl.idl).
    builtin_types={
        "TypeCode": _TYPECODE,
        "CORBA::TypeCode": _TYPECODE,
        "::CORBA::TypeCode": _TYPECODE,
    },
    discriminator_rule=(
        "a union discriminator must be an integer, char, wchar, boolean, octet or enum type"
    ),
)

#: Macros defined for every file: idlgen's own, and omniidl's, which IDL files
#: written for omniORB test to include what other ORBs' orb.idl brings (the
#: interface repository in omniORB's COS files). ``-U __OMNIIDL__`` drops it.
PREDEFINED = ("__IDLGEN__", "__OMNIIDL__")


def _parse(path: Path, options: Options, ctx: Context) -> tuple[ir.Spec, dict[str, str]]:
    pre = options.preprocess
    return load_idl(path, ctx, pre.include_dirs, pre.defines, pre.undefines)


def load_idl(
    path: Path,
    ctx: Context,
    include_dirs: list[str] | tuple[str, ...] = (),
    defines: list[str] | tuple[str, ...] = (),
    undefines: list[str] | tuple[str, ...] = (),
) -> tuple[ir.Spec, dict[str, str]]:
    """Preprocess, parse and build ``path``; warnings go to ``ctx.reporter``.

    :data:`PREDEFINED` macros are defined first. ``#include <x.idl>`` also
    looks in the main file's folder, after the ``-I`` folders (gcc's
    ``-idirafter``), so omniORB's COS files, which include each other with
    ``<...>``, need only the top ``-I``.
    """
    pre = preprocess(
        path,
        include_dirs,
        [*PREDEFINED, *defines],
        undefines,
        extra_args=["-idirafter", str(path.parent)],
    )
    text, annotations = blank_annotations(pre.text)
    warnings = ctx.reporter.diagnostics
    placed: list[tuple[ir.Loc, ir.omgidl.Annotation]] = []
    for found in annotations:
        loc = pre.loc(found.line, found.col, found.line, found.col + len(found.name) + 1)
        if found.name != "annotation":
            placed.append((loc, ir.omgidl.Annotation(found.name, found.params, loc=loc)))
        ctx.reporter.warning(
            loc,
            f"annotation '@{found.name}' has no meaning for idlgen yet: kept in the IR only",
            "annotation-ignored",
        )
    spec = with_docs(parse_idl(text, pre, str(path), warnings), pre.source_lines)
    spec = _annotate(spec, placed)
    spec, errors = apply_directives(spec)
    if errors:
        raise CompileError([*ctx.reporter.diagnostics, *errors])
    # On the names as written: ResolveNames rewrites them, and the shared
    # symbol table expects ResolveNames to be the first pass.
    check_idl_introduced_names(spec, ctx)
    spec = unnest_names(spec)
    check_idl_ambiguous_names(spec, ctx)
    return spec, pre.sources


def _annotate(spec: ir.Spec, placed: list[tuple[ir.Loc, ir.omgidl.Annotation]]) -> ir.Spec:
    """Each IDL 4 annotation on the first declaration written after it in its file."""
    if not placed:
        return spec
    starts = sorted(
        {(n.loc.file, n.loc.line, n.loc.col) for n in ir.walk(spec) if isinstance(n, ir.Decl)}
    )
    wanted: dict[tuple[str, int, int], list[ir.omgidl.Annotation]] = {}
    for loc, note in placed:
        i = bisect.bisect_right(starts, (loc.file, loc.line, loc.col))
        if i < len(starts) and starts[i][0] == loc.file:
            wanted.setdefault(starts[i], []).append(note)

    def attach(node: ir.Node) -> ir.Node:
        if isinstance(node, ir.Decl):
            notes = wanted.get((node.loc.file, node.loc.line, node.loc.col))
            if notes:
                return replace(node, annotations=(*node.annotations, *notes))
        return node

    return ir.map_tree(spec, attach)


FRONTEND = Frontend(
    OMGIDL,
    _parse,
    (
        resolve_names,
        check_idl_declaration_order,
        check_idl_union_labels,
        check_idl_constants,
        fold_constants,
        check_semantics,
        check_idl_declarations,
        check_idl_names,
        assign_repository_ids,
    ),
    "corba-python",
)
