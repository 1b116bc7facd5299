"""The Sun RPC / XDR front-end: ``.x`` files (RFC 4506 + RFC 5531) to IR."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from idlgen import ir
from idlgen.frontends.comments import with_docs
from idlgen.frontends.xdr.builder import parse_xdr, passthrough_consts
from idlgen.frontends.xdr.builtins import XDR_BUILTIN_CONSTS, XDR_BUILTIN_TYPES, XDR_PRELUDE
from idlgen.frontends.xdr.cheaders import c_includes, read_headers
from idlgen.passes.check_rpc_programs import check_rpc_programs
from idlgen.passes.check_semantics import check_semantics
from idlgen.passes.context import Context, Language
from idlgen.passes.fold_constants import fold_constants
from idlgen.passes.resolve_names import resolve_names
from idlgen.pipeline import Frontend, Options
from idlgen.preprocess import map_lines, preprocess
from idlgen.symbols import Scoping

__all__ = ["FRONTEND", "XDR", "load_xdr", "parse_xdr"]

#: The RPC language's rules: one flat scope (program, version and procedure
#: names are rpcgen #defines, usable as values; a procedure may recur in
#: several versions), and its words for what it declares.
XDR = Language(
    "xdr",
    scoping=Scoping(redeclarable=(ir.Operation,)),
    words={
        ir.Module: "program",
        ir.Interface: "program version",
        ir.Operation: "procedure",
        ir.EnumMember: "enum value",
    },
    recursion_hint="use optional data ('*') to end the recursion",
    discriminator_rule="a union discriminant must be an int, unsigned int, enum or bool",
    builtin_types=XDR_BUILTIN_TYPES,
    builtin_consts=dict(XDR_BUILTIN_CONSTS),
    type_kinds=(ir.Struct, ir.Union_, ir.Enum_, ir.Typedef),
    value_kinds=(ir.Module, ir.Interface, ir.Operation),
    undefined_constant_hint="defined in a C header? give it with -D {name}=VALUE",
)


def _parse(path: Path, options: Options, ctx: Context) -> tuple[ir.Spec, dict[str, str]]:
    pre = options.preprocess
    spec, sources = load_xdr(path, pre.include_dirs, pre.defines, pre.undefines)
    return with_header_constants(spec, pre.include_dirs, pre.defines, pre.undefines, ctx), sources


def with_header_constants(
    spec: ir.Spec,
    include_dirs: Sequence[str],
    defines: Sequence[str],
    undefines: Sequence[str],
    ctx: Context,
) -> ir.Spec:
    """``spec`` with the constants it uses from the C headers it ``%#include``s.

    See :mod:`.cheaders`. Names still missing, and C types used as XDR types,
    get an explanation that ResolveNames adds to its error.
    """
    includes = [i for i in c_includes(spec.decls) if not _is_x_header(i[0], i[2], include_dirs)]
    if not includes:
        return spec
    declared = {d.name for d in declarations_flat(spec)} | set(XDR_BUILTIN_CONSTS)
    consts, types = set(), set()
    for node in ir.walk(spec):
        if isinstance(node, ir.ConstRef) and str(node.name) not in declared:
            consts.add(str(node.name))
        elif isinstance(node, ir.Named) and str(node.name) not in declared:
            if str(node.name) not in XDR_BUILTIN_TYPES:
                types.add(str(node.name))
    if not consts and not types:
        return spec
    values = read_headers(includes, include_dirs, defines, undefines, consts, types)
    found = [
        ir.Const(name, None, ir.Literal(value, loc=loc), loc=loc)
        for name, (value, loc) in values.consts.items()
    ]
    for name in consts - values.consts.keys():
        ctx.undefined_hints[("constant", name)] = values.constant_hint(name)
    for name in values.types:
        ctx.undefined_hints[("type", name)] = values.type_hint(name)
    if found and values.failures:
        first = next(d for d in spec.decls if isinstance(d, ir.Passthrough) and c_includes([d]))
        names = ", ".join(sorted(values.consts))
        ctx.reporter.warning(
            first.loc,
            f"{names} taken from C headers that did not preprocess cleanly "
            f"({'; '.join(values.failures)}): give the -I and -D the project's build gives",
            "c-header-errors",
        )
    return ir.Spec(spec.file, (*found, *spec.decls), loc=spec.loc) if found else spec


def declarations_flat(spec: ir.Spec) -> list[ir.Decl]:
    """Every name an XDR file declares (one flat scope): decls, enumerators, versions..."""
    out: list[ir.Decl] = []
    stack = list(spec.decls)
    while stack:
        d = stack.pop()
        out.append(d)
        if isinstance(d, ir.Enum_):
            out.extend(d.members)
        elif isinstance(d, ir.Module):
            stack.extend(d.decls)
        elif isinstance(d, ir.Interface):
            stack.extend((*d.decls, *d.operations))
    return out


def _is_x_header(name: str, folder: Path, include_dirs: Sequence[str]) -> bool:
    """Whether ``name`` is the header rpcgen makes of a ``.x`` file that idlgen reads."""
    return name.endswith(".h") and _find_x(name[:-2], folder / "_", include_dirs) is not None


FRONTEND = Frontend(
    XDR,
    _parse,
    (resolve_names, fold_constants, check_semantics, check_rpc_programs),
    "xdr-python",
)

_INCLUDE_HEADER = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)\.h[>"]')


def load_xdr(
    path: Path, include_dirs: Sequence[str], defines: Sequence[str], undefines: Sequence[str]
) -> tuple[ir.Spec, dict[str, str]]:
    """Preprocess and parse ``path``, with the ``.x`` files its ``%#include`` lines name.

    A ``%#include <rpcsvc/nis.h>`` line makes rpcgen's C see the header generated
    from ``nis.x``; nis_callback.x relies on it for ``nis_object``. idlgen reads
    the ``.x`` file beside such a header (in the including file's folder or an
    include directory) so its types and constants resolve here too.
    """
    sources: dict[str, str] = {}
    seen: set[Path] = set()

    def load(file: Path) -> ir.Spec:
        seen.add(file.resolve())
        pre = preprocess(file, include_dirs, ["RPC_HDR", *defines], undefines)
        sources.update(pre.sources)
        spec = with_docs(parse_xdr(pre, str(file)), pre.source_lines)
        spec = ir.Spec(
            spec.file,
            (*spec.decls, *passthrough_consts(spec, pre, XDR_BUILTIN_CONSTS)),
            loc=spec.loc,
        )
        imported: list[ir.Decl] = []
        for decl in spec.decls:
            m = _INCLUDE_HEADER.match(decl.text) if isinstance(decl, ir.Passthrough) else None
            other = m and _find_x(m.group(1), file, include_dirs)
            if other and other.resolve() not in seen:
                imported += [
                    d for d in load(other).decls if not isinstance(d, (ir.Module, ir.Passthrough))
                ]
        return ir.Spec(spec.file, (*imported, *spec.decls), loc=spec.loc)

    spec = load(path)
    return _with_prelude(spec, sources.values()), sources


def _with_prelude(spec: ir.Spec, texts: Iterable[str]) -> ir.Spec:
    """``spec`` with the ``<rpc/rpc.h>`` structs it uses but does not declare."""
    declared = {d.name for d in spec.decls}
    if not any(name in text for name in XDR_PRELUDE.keys() - declared for text in texts):
        return spec  # no name of the prelude is written anywhere: no need to walk the tree
    used = {str(n.name) for n in ir.walk(spec) if isinstance(n, ir.Named)}
    wanted = sorted((used - declared) & XDR_PRELUDE.keys())
    if not wanted:
        return spec
    text = "\n".join(XDR_PRELUDE[name] for name in wanted)
    prelude = parse_xdr(map_lines(text, "<rpc/rpc.h>"), "<rpc/rpc.h>")
    return ir.Spec(spec.file, (*prelude.decls, *spec.decls), loc=spec.loc)


def _find_x(stem: str, including: Path, include_dirs: Sequence[str]) -> Path | None:
    for base in (including.parent, *map(Path, include_dirs)):
        for candidate in (base / f"{stem}.x", base / f"{Path(stem).name}.x"):
            if candidate.is_file():
                return candidate
    return None
