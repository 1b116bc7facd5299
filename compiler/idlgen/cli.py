"""The ``idlgen`` command: options in, diagnostics and files out.

Exit status: 0 success, 1 errors in the input (printed as
``file:line:col: error: ...`` with the source line and a caret), 2 usage
errors. A Python traceback means a bug in idlgen, and says so.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from idlgen import __version__
from idlgen.diagnostics import CompileError, Diagnostic, render


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
    p = argparse.ArgumentParser(
        prog="idlgen",
        description="Compile interface files (.x, .h) into Python that talks to real peers.",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="FILE", help="interface files (.x, .h)")
    p.add_argument(
        "-o", "--output", type=Path, default=Path("."), help="output directory (default: .)"
    )
    p.add_argument("-b", "--backend", help="back-end (default: by input kind)")
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
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("--version", action="version", version=f"idlgen {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    from idlgen import driver
    from idlgen.pipeline import COptions, Options, PreprocessOptions

    args = _parser().parse_args(argv)
    sources = _SourceCache()
    status = 0
    for path in args.inputs:
        if not path.is_file():
            print(f"idlgen: error: cannot read '{path}'", file=sys.stderr)
            return 2
        options = Options(
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
        )
        try:
            if args.check:
                _, ctx, texts = driver.check(path, options)
                sources.update(texts)
                _print(ctx.reporter.diagnostics, sources, args.quiet)
                continue
            result = driver.compile_file(path, options)
            sources.update(result.sources)
            _print(result.warnings, sources, args.quiet)
            from idlgen.render import write_files

            written = write_files(result.files, args.output)
            if result.after_write is not None:
                result.after_write(args.output)
            if not args.quiet:
                print(
                    f"idlgen: {path}: wrote {len(written)} files under {args.output}",
                    file=sys.stderr,
                )
        except CompileError as exc:
            _print(list(exc.diagnostics), sources, args.quiet)
            status = 1
    return status


def _print(diagnostics: Sequence[Diagnostic], sources: _SourceCache, quiet: bool) -> None:
    for d in diagnostics:
        if quiet and d.severity.value != "error":
            continue
        print(render(d, sources), file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
