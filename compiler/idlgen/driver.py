"""The pipeline, in the one place that shows its order.

    preprocess → parse (front-end) → passes (named, in order) → back-end → format → write

Each front-end names its language, its parser and its list of passes; each
back-end names the languages it takes and turns the checked IR into files
(relative path → text). Stages share the shapes of :mod:`idlgen.pipeline`;
the CLI only collects options and prints diagnostics.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from idlgen import ir
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.passes.context import Context
from idlgen.pipeline import Backend, Frontend, Generate, Options, Pass, Result

#: Input kinds by file extension: the module that defines the front-end's ``FRONTEND``.
FRONTENDS: dict[str, str] = {
    ".x": "idlgen.frontends.xdr",
    ".h": "idlgen.frontends.cheader",
    ".wsdl": "idlgen.frontends.wsdl",
    ".xsd": "idlgen.frontends.wsdl",
    ".idl": "idlgen.frontends.omgidl",
}
#: The language of each input kind (known without importing its front-end).
LANGUAGES: dict[str, str] = {
    ".x": "xdr",
    ".h": "c",
    ".wsdl": "wsdl",
    ".xsd": "wsdl",
    ".idl": "omgidl",
}

BACKENDS: dict[str, Backend] = {
    b.name: b
    for b in (
        Backend(
            "xdr-python",
            frozenset({"xdr"}),
            "idlgen.backends.xdr_python:generate",
            "Sun RPC: types, codecs, clients and servers",
            passes=("idlgen.naming.xdr:check_names",),
        ),
        Backend(
            "corba-python",
            frozenset({"omgidl"}),
            "idlgen.backends.corba_python:generate",
            "OMG IDL: CORBA stubs and skeletons (the omniORBpy mapping)",
        ),
        Backend(
            "soap-python",
            frozenset({"wsdl"}),
            "idlgen.backends.soap_python:generate",
            "WSDL/XSD: dataclasses, typed SOAP clients and servers",
        ),
        Backend(
            "cffi",
            frozenset({"c"}),
            "idlgen.backends.cbind:generate_cffi",
            "C: cffi API mode (compiled)",
        ),
        Backend(
            "cffi-abi",
            frozenset({"c"}),
            "idlgen.backends.cbind:generate_cffi_abi",
            "C: cffi ABI mode (no compiler)",
        ),
        Backend(
            "cython",
            frozenset({"c"}),
            "idlgen.backends.cbind:generate_cython",
            "C: Cython .pxd/.pyx",
        ),
    )
}
DEFAULT_BACKENDS: dict[str, str] = {
    "xdr": "xdr-python",
    "c": "cffi",
    "omgidl": "corba-python",
    "wsdl": "soap-python",
}


def _usage(path: Path, message: str) -> CompileError:
    return CompileError([Diagnostic(ir.Loc(str(path), 0, 0), message, "usage")])


def frontend_for(path: Path) -> Frontend:
    """The front-end of an input file, by its extension."""
    module = FRONTENDS.get(path.suffix.lower())
    if module is None:
        known = ", ".join(sorted(FRONTENDS))
        raise _usage(path, f"unknown input kind '{path.suffix}' (known: {known})")
    frontend: Frontend = importlib.import_module(module).FRONTEND
    return frontend


def backend_for_check(path: Path, options: Options) -> Backend | None:
    """The back-end whose passes ``--check``/``--dump-ir`` run, if any.

    None for a language no back-end renders yet (OMG IDL, WSDL): its front-end
    alone checks it.
    """
    language = LANGUAGES.get(path.suffix.lower())
    if options.backend is None and language is not None and language not in DEFAULT_BACKENDS:
        return None
    return backend_for(path, options)


def backend_for(path: Path, options: Options) -> Backend:
    """The back-end that will render ``path``: the one asked for, or the language's own.

    Known before anything is parsed, so a wrong choice costs the user nothing.
    """
    language = LANGUAGES.get(path.suffix.lower())
    if language is None:
        frontend_for(path)  # the unknown-kind error
        raise AssertionError("unreachable")
    if options.backend is None and language not in DEFAULT_BACKENDS:
        raise _usage(
            path,
            f"no back-end takes {path.suffix} files yet: only --check and --dump-ir take them",
        )
    name = options.backend or DEFAULT_BACKENDS[language]
    backend = BACKENDS.get(name)
    if backend is None:
        raise _usage(path, f"unknown back-end '{name}' (known: {', '.join(backend_names())})")
    if language not in backend.takes:
        fitting = ", ".join(b.name for b in BACKENDS.values() if language in b.takes)
        these = (
            f"these do: {fitting}" if fitting else "only --check and --dump-ir take them, for now"
        )
        raise _usage(path, f"back-end '{name}' does not take {path.suffix} files ({these})")
    return backend


def _load(entry: str) -> Any:
    """``"module:function"`` imported."""
    module, _, function = entry.partition(":")
    return getattr(importlib.import_module(module), function)


def check(path: Path, options: Options) -> tuple[ir.Spec, Context, dict[str, str]]:
    """Parse and run every pass, the back-end's last: the checked IR, or CompileError."""
    backend = backend_for_check(path, options)
    frontend = frontend_for(path)
    ctx = Context(frontend.language)
    spec, sources = frontend.parse(path, options, ctx)
    own = backend.passes if backend is not None else ()
    passes: list[Pass] = [*frontend.passes, *(_load(entry) for entry in own)]
    for run_pass in passes:
        spec = run_pass(spec, ctx)
        ctx.reindex(spec)
    ctx.reporter.check()  # checks report; the errors of all of them stop here
    return spec, ctx, sources


def compile_file(path: Path, options: Options) -> Result:
    """The whole pipeline for one input file, without writing anything."""
    backend = backend_for(path, options)
    spec, ctx, sources = check(path, options)
    generate: Generate = _load(backend.entry)
    result = generate(spec, ctx, options, path)
    result.sources.update(sources)
    result.warnings[:0] = [d for d in ctx.reporter.diagnostics if d.severity.value != "error"]
    return result


def backend_names() -> Sequence[str]:
    """The back-ends the CLI offers."""
    return sorted(BACKENDS)
