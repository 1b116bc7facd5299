"""The pipeline, in the one place that shows its order.

    preprocess → parse (front-end) → passes (named, in order) → back-end → format → write

Each front-end names its preprocessing, its parser, and its list of passes; each
back-end turns the checked IR into files (relative path → text). The CLI only
collects options and prints diagnostics; it never reaches into a stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from idlgen import ir
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.passes.check_semantics import check_semantics
from idlgen.passes.context import Context
from idlgen.passes.fold_constants import fold_constants
from idlgen.passes.resolve_names import resolve_names

Pass = Callable[[ir.Spec, Context], ir.Spec]


@dataclass
class Options:
    """Everything the command line can say about one compilation."""

    include_dirs: list[str] = field(default_factory=list)
    defines: list[str] = field(default_factory=list)
    undefines: list[str] = field(default_factory=list)
    backend: str | None = None
    #: The generated package/module name (default: from the input file's name).
    name: str | None = None
    # C headers: libraries, their directories, which symbols to bind, build in place.
    libraries: list[str] = field(default_factory=list)
    library_dirs: list[str] = field(default_factory=list)
    symbols: str | None = None
    exclude: str | None = None
    build: bool = False
    #: Headers read before the bound one, as gcc's ``-include`` (jpeglib.h
    #: needs <stdio.h>); their declarations are not bound, their types come along.
    pre_includes: list[str] = field(default_factory=list)
    #: Where the files go (the CLI's -o): relative -I/-L folders in a C binding's
    #: build script are rebased onto it, as the script runs from there.
    output_dir: Path | None = None


@dataclass
class Result:
    """What a compilation produced: files to write and the diagnostics to show."""

    files: dict[str, str]
    sources: dict[str, str]
    warnings: list[Diagnostic]
    #: Runs after the files are written (``--build``): returns extra diagnostics.
    after_write: Callable[[Path], None] | None = None


@dataclass(frozen=True)
class Frontend:
    """One input language: how to read it and which passes make it well-formed."""

    name: str
    parse: Callable[[Path, Options, Context], tuple[ir.Spec, dict[str, str]]]
    passes: tuple[Pass, ...]
    default_backend: str


Backend = Callable[[ir.Spec, Context, Options, Path], Result]


# --- XDR --------------------------------------------------------------------------


def _parse_xdr(path: Path, options: Options, ctx: Context) -> tuple[ir.Spec, dict[str, str]]:
    from idlgen.frontends.xdr import XDR_BUILTIN_CONSTS, XDR_BUILTIN_TYPES, load_xdr

    ctx.builtin_types.update(XDR_BUILTIN_TYPES)
    ctx.builtin_consts.update(XDR_BUILTIN_CONSTS)
    return load_xdr(path, options.include_dirs, options.defines, options.undefines)


XDR_PASSES: tuple[Pass, ...] = (resolve_names, fold_constants, check_semantics)


def _xdr_python(spec: ir.Spec, ctx: Context, options: Options, source: Path) -> Result:
    from idlgen.backends.xdr_python import generate

    return generate(spec, ctx, options, source)


# --- C headers --------------------------------------------------------------------


def _parse_header(path: Path, options: Options, ctx: Context) -> tuple[ir.Spec, dict[str, str]]:
    from idlgen.frontends.cheader import load_header

    return load_header(path, options, ctx)


def _c_backend(name: str) -> Backend:
    def generate(spec: ir.Spec, ctx: Context, options: Options, source: Path) -> Result:
        from idlgen.backends import cbind

        backend: Backend = getattr(cbind, f"generate_{name}")
        return backend(spec, ctx, options, source)

    return generate


FRONTENDS: dict[str, Frontend] = {
    ".x": Frontend("xdr", _parse_xdr, XDR_PASSES, "xdr-python"),
    ".h": Frontend("cheader", _parse_header, (), "cffi"),
}

BACKENDS: dict[str, Backend] = {
    "xdr-python": _xdr_python,
    "cffi": _c_backend("cffi"),
    "cffi-abi": _c_backend("cffi_abi"),
    "cython": _c_backend("cython"),
}


def frontend_for(path: Path) -> Frontend:
    """The front-end of an input file, by its extension."""
    try:
        return FRONTENDS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FRONTENDS))
        raise CompileError(
            [
                Diagnostic(
                    ir.Loc(str(path), 0, 0),
                    f"unknown input kind '{path.suffix}' (known: {known})",
                    "usage",
                )
            ]
        ) from None


def check(path: Path, options: Options) -> tuple[ir.Spec, Context, dict[str, str]]:
    """Parse and run every pass: the checked IR, or CompileError."""
    frontend = frontend_for(path)
    ctx = Context()
    spec, sources = frontend.parse(path, options, ctx)
    for run_pass in frontend.passes:
        spec = run_pass(spec, ctx)
        ctx.reindex(spec)
    return spec, ctx, sources


def compile_file(path: Path, options: Options) -> Result:
    """The whole pipeline for one input file, without writing anything."""
    spec, ctx, sources = check(path, options)
    backend_name = options.backend or frontend_for(path).default_backend
    backend = BACKENDS.get(backend_name)
    if backend is None:
        raise CompileError(
            [Diagnostic(ir.Loc(str(path), 0, 0), f"unknown back-end '{backend_name}'", "usage")]
        )
    result = backend(spec, ctx, options, path)
    result.sources.update(sources)
    result.warnings[:0] = [d for d in ctx.reporter.diagnostics if d.severity.value != "error"]
    return result


def backend_names() -> Sequence[str]:
    """The back-ends the CLI offers."""
    return sorted(BACKENDS)
