"""The command line's project side: ``idlgen build``, ``--depfile``, ``--dist``.

``idlgen build`` generates every input of ``[tool.idlgen]`` of the project it
stands in, in place (and compiles C extensions there); ``idlgen build --check``
writes nothing and exits 1 naming the generated files that are out of date.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from idlgen.diagnostics import CompileError, render
from idlgen.pipeline import Options, Result
from idlgen.project.config import ConfigError, find_pyproject, load


class _Sources(dict[str, str]):
    """Source texts for diagnostics, read on first use (paths relative to the project)."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        if key not in self:
            try:
                path = Path(key) if Path(key).is_absolute() else self.root / key
                self[key] = path.read_text(encoding="utf-8", errors="surrogateescape")
            except OSError:
                return default
        return self[key]


def print_errors(exc: CompileError, root: Path, sources: Mapping[str, str] = {}) -> None:
    """Print a compilation's diagnostics as the CLI does (paths from the project root)."""
    cache = _Sources(root)
    cache.update(sources)
    for d in exc.diagnostics:
        print(render(d, cache), file=sys.stderr)


def build_main(argv: Sequence[str]) -> int:
    """``idlgen build``: exit 0 done, 1 errors (or out of date with --check), 2 usage."""
    p = argparse.ArgumentParser(
        prog="idlgen build",
        description=(
            "Generate every input of [tool.idlgen] in the project's pyproject.toml, in place "
            "(C extensions are compiled there too). See docs/build-integration.md."
        ),
    )
    p.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="the project (default: the one the current folder is in)",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming the generated files that are out of date",
    )
    p.add_argument(
        "--no-compile", action="store_true", help="do not compile C extensions (cffi, cython)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    args = p.parse_args(argv)
    start = args.project or Path.cwd()
    pyproject = find_pyproject(start)
    if pyproject is None:
        print(f"idlgen build: error: no pyproject.toml in '{start}' or above", file=sys.stderr)
        return 2
    try:
        config = load(pyproject)
    except ConfigError as exc:
        print(_relative(exc), file=sys.stderr)
        return 1
    from idlgen.project.compile import out_of_date, stage

    try:
        if args.check:
            stale = out_of_date(config)
            for path, why in stale:
                print(f"{_shown(path)}: {why}", file=sys.stderr)
            if stale:
                print(
                    f"idlgen build: {len(stale)} generated files are out of date; "
                    "run `idlgen build` and commit them",
                    file=sys.stderr,
                )
                return 1
            if not args.quiet:
                print("idlgen build: generated files are up to date", file=sys.stderr)
            return 0
        staged = stage(config, None, build=not args.no_compile)
    except CompileError as exc:
        print_errors(exc, config.root)
        return 1
    except OSError as exc:
        print(f"idlgen build: error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        for gen in staged.generated:
            where = _shown(gen.unit.root / gen.unit.parent / gen.unit.name.rpartition(".")[2])
            print(f"idlgen build: {gen.unit.entry.file} -> {where}", file=sys.stderr)
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _relative(exc: ConfigError) -> str:
    exc.file = Path(_shown(exc.file))
    return str(exc)


def after_compile(
    compiled: Sequence[tuple[Path, Options, Result]],
    output: Path,
    depfile: Path | None,
    dist: str | None,
) -> int:
    """``--depfile`` and ``--dist`` once every input is written; returns the exit status."""
    if depfile is not None:
        from idlgen.project import depfile as dep

        text_rules = []
        for path, options, result in compiled:
            targets = [output / rel for rel in sorted(result.files)]
            text_rules.append(
                dep.render(map(str, targets), map(str, dep.files_read(path, options, result)))
            )
        text = "".join(text_rules)
        try:
            old = depfile.read_text(encoding="utf-8") if depfile.exists() else None
            if old != text:
                depfile.parent.mkdir(parents=True, exist_ok=True)
                depfile.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"idlgen: error: cannot write '{depfile}': {exc.strerror}", file=sys.stderr)
            return 1
    if dist is not None:
        from idlgen.project.dist import write_project

        try:
            write_project(dist, output, compiled)
        except ValueError as exc:
            print(f"idlgen: error: --dist: {exc}", file=sys.stderr)
            return 2
    return 0
