"""The ``idlgen`` command: options in, diagnostics and files out.

Exit status: 0 success, 1 errors in the input (printed as
``file:line:col: error: ...`` with the source line and a caret), 2 usage
errors. A Python traceback means a bug in idlgen, and says so.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from idlgen import __version__
from idlgen.diagnostics import CompileError, Diagnostic, render, summary
from idlgen.pipeline import COptions, Options, PreprocessOptions, Result, WsdlOptions


class _SourceCache(dict[str, str]):
    """Source texts for diagnostics, read from disk on first use."""

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        if key not in self:
            try:
                self[key] = Path(key).read_text(encoding="utf-8", errors="surrogateescape")
            except OSError:
                return default
        return self[key]


def _parser() -> argparse.ArgumentParser:
    from idlgen.driver import BACKENDS, DEFAULT_BACKENDS, LANGUAGES

    kinds = {lang: ext for ext, lang in LANGUAGES.items()}
    lines = [
        f"  {b.name:<12} {b.summary} ({', '.join(kinds[t] for t in sorted(b.takes))} files"
        + (", the default)" if b.name in DEFAULT_BACKENDS.values() else ")")
        for b in BACKENDS.values()
    ]
    p = argparse.ArgumentParser(
        prog="idlgen",
        description="Compile interface files (.x, .h, .idl, .wsdl) into Python that talks to "
        "real peers. `idlgen build` builds the inputs of a project's [tool.idlgen] "
        "(idlgen build --help).",
        epilog="back-ends (-b):\n" + "\n".join(lines),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="interface files (.x, .h, .idl; .wsdl, .xsd with --check or --dump-ir for now)",
    )
    p.add_argument(
        "-o", "--output", type=Path, default=Path("."), help="output directory (default: .)"
    )
    p.add_argument("-b", "--backend", help="back-end (default: by input kind; listed below)")
    p.add_argument(
        "-I",
        dest="include_dirs",
        action="append",
        default=[],
        metavar="DIR",
        help="add an include directory",
    )
    p.add_argument(
        "-D",
        dest="defines",
        action="append",
        default=[],
        metavar="NAME[=VALUE]",
        help="define a macro",
    )
    p.add_argument(
        "-U", dest="undefines", action="append", default=[], metavar="NAME", help="undefine a macro"
    )
    p.add_argument("--name", help="name of the generated package or module")
    p.add_argument("--check", action="store_true", help="check the input only; write nothing")
    p.add_argument(
        "--dump-ir",
        action="store_true",
        help="print the checked IR as JSON (schema idlgen-ir/1, docs/ir.md); write nothing",
    )
    p.add_argument(
        "-l",
        "--library",
        dest="libraries",
        action="append",
        default=[],
        metavar="LIB",
        help="C library to link (C headers)",
    )
    p.add_argument(
        "-L",
        dest="library_dirs",
        action="append",
        default=[],
        metavar="DIR",
        help="C library directory (C headers)",
    )
    p.add_argument(
        "--symbols", metavar="REGEX", help="bind only declarations whose name matches (C headers)"
    )
    p.add_argument(
        "--exclude", metavar="REGEX", help="skip declarations whose name matches (C headers)"
    )
    p.add_argument(
        "--include",
        dest="pre_includes",
        action="append",
        default=[],
        metavar="HEADER",
        help="read HEADER first, as gcc's -include: for headers that need another one (C headers)",
    )
    p.add_argument("--build", action="store_true", help="compile the bindings in place (C headers)")
    p.add_argument(
        "--catalog",
        dest="catalogs",
        action="append",
        default=[],
        metavar="FILE",
        help="map schema URLs to local files: lines 'URL PATH' (WSDL; never fetched)",
    )
    p.add_argument(
        "--depfile", type=Path, metavar="FILE", help="write the files read as a Make rule to FILE"
    )
    p.add_argument(
        "--dist",
        metavar="NAME[==VERSION]",
        help="make -o a project that builds a wheel NAME of the output (pyproject.toml, README)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list each declaration left out (C headers), not one summary line",
    )
    p.add_argument("--version", action="version", version=f"idlgen {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status.

    The cyclic garbage collector is off while it runs: a compilation makes
    millions of short-lived objects and frees them by reference counting, and
    the collector's passes over the ones alive cost a third of the time on a
    large input (docs/performance.md), for no memory back.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if enabled:
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    from idlgen import driver

    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["build"]:  # `idlgen build`: the project's [tool.idlgen]
        from idlgen.project.commands import build_main

        return build_main(argv[1:])
    args = _parser().parse_args(argv)
    compiled: list[tuple[Path, Options, Result]] = []
    sources = _SourceCache()
    status = 0
    options = [_options(path, args) for path in args.inputs]
    # Everything the command line alone can get wrong is found before parsing.
    problem = next(
        (p for p in (_unreadable(path) for path in args.inputs) if p), None
    ) or _unwritable(args)
    if problem is None:
        try:
            for path, opts in zip(args.inputs, options, strict=True):
                choose = (
                    driver.backend_for_check if args.check or args.dump_ir else driver.backend_for
                )
                choose(path, opts)
        except CompileError as exc:
            problem = exc.diagnostics[0].message
    if problem is not None:
        print(f"idlgen: error: {problem}", file=sys.stderr)
        return 2
    for path, opts in zip(args.inputs, options, strict=True):
        try:
            if args.check or args.dump_ir:
                spec, ctx, texts = driver.check(path, opts)
                sources.update(texts)
                _print(ctx.reporter.diagnostics, sources, args, path)
                if args.dump_ir:
                    from idlgen.ir.serialize import to_json

                    sys.stdout.write(to_json(spec, path))
                continue
            result = driver.compile_file(path, opts)
            sources.update(result.sources)
            _print(result.warnings, sources, args, path)
            written = _write(result, args.output)
            compiled.append((path, opts, result))
            if not args.quiet:
                print(f"idlgen: {path}: wrote {written} files under {args.output}", file=sys.stderr)
        except CompileError as exc:
            _print(list(exc.diagnostics), sources, args, path)
            status = 1
        except OSError as exc:  # the output folder went away, the disk filled up
            print(
                f"idlgen: error: cannot write under '{args.output}': {_why(exc)}", file=sys.stderr
            )
            status = 1
    if status == 0 and (args.depfile or args.dist) and compiled:
        from idlgen.project.commands import after_compile

        status = after_compile(compiled, args.output, args.depfile, args.dist)
    return status


def _options(path: Path, args: argparse.Namespace) -> Options:
    return Options(
        backend=args.backend,
        name=args.name,
        output_dir=args.output,
        preprocess=PreprocessOptions(args.include_dirs, args.defines, args.undefines),
        c=COptions(
            libraries=args.libraries,
            library_dirs=args.library_dirs,
            symbols=args.symbols,
            exclude=args.exclude,
            build=args.build,
            pre_includes=args.pre_includes,
        ),
        wsdl=WsdlOptions(catalogs=[Path(c) for c in args.catalogs]),
    )


def _unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be read as an input, or None."""
    try:
        with path.open("rb"):
            return None
    except OSError as exc:
        return f"cannot read '{path}': {_why(exc)}"


def _unwritable(args: argparse.Namespace) -> str | None:
    """Why the output folder cannot take files, or None (nothing is written for --check)."""
    if args.check or args.dump_ir:
        return None
    out: Path = args.output
    if out.exists() and not out.is_dir():
        return f"cannot write under '{out}': it is not a folder"
    existing, first_missing = out, None
    while not existing.exists():
        existing, first_missing = existing.parent, existing
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot write under '{out}': '{existing}' is not a writable folder"
    if first_missing is not None:
        # os.access says yes to root everywhere, and /proc takes no folder: try one.
        try:
            first_missing.mkdir()
            first_missing.rmdir()
        except OSError as exc:
            return f"cannot write under '{out}': cannot make '{first_missing}': {_why(exc)}"
    return None


def _why(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


def _write(result: Result, out: Path) -> int:
    from idlgen.render import write_files

    written = write_files(result.files, out)
    added = result.after_write(out) if result.after_write is not None else []
    return len(written) + len(added)


def _print(
    diagnostics: Sequence[Diagnostic], sources: _SourceCache, args: argparse.Namespace, path: Path
) -> None:
    """Errors and warnings, each with its source line; what was left out in one line.

    A whole system header leaves out dozens of declarations nobody can act on
    (``va_list`` functions, function-like macros): without ``-v`` they are
    counted by kind in one line, with ``-v`` each is listed with its place.
    """
    for d in diagnostics:
        if args.quiet and d.severity.value != "error":
            continue
        if d.group and not args.verbose:
            continue
        print(render(d, sources), file=sys.stderr)
    line = None if args.quiet or args.verbose else summary(diagnostics)
    if line is not None:
        print(f"idlgen: {path}: {line} (-v lists them)", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
