"""The one code path that builds a project's inputs.

``idlgen build``, the hatchling hook, the setuptools command and an editable
install's regeneration all call :func:`stage`: every configured input is
compiled with the project root as the working folder (so generated headers
name inputs as the project writes them, the same on every machine), written
under one folder at its dotted name (``mypkg.nfs`` → ``mypkg/nfs/``), and
compiled there when its back-end makes an extension (cffi API mode, Cython).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from idlgen import driver
from idlgen.pipeline import COptions, Options, PreprocessOptions, Result
from idlgen.project.config import Config, Input, backend_name, dotted_name

#: Back-ends whose output is compiled into an extension module.
COMPILED = frozenset({"cffi", "cython"})
#: Back-ends whose generated code imports cffi at run time.
NEEDS_CFFI = frozenset({"cffi", "cffi-abi"})
#: Generated files a built package does not need at run time (they build it).
_BUILD_ONLY = ("_build.py",)


@dataclass
class Unit:
    """One input as it is built: its options and where its package goes."""

    entry: Input
    #: ``mypkg.nfs``
    name: str
    #: The folder the package's top level is written under.
    root: Path
    backend: str
    options: Options

    @property
    def parent(self) -> Path:
        """The package's parent folder, relative to where packages are written (``mypkg``)."""
        return Path(*self.name.split(".")[:-1])

    @property
    def compiled(self) -> bool:
        """Whether the back-end makes an extension module."""
        return self.backend in COMPILED


def place(config: Config, entry: Input, into: Path | None) -> Path:
    """The folder an input's package is written under: ``into``, or in place in the project.

    In place is the input's ``output`` (else the table's), from the project root.
    """
    if into is not None:
        return into.resolve()
    return (config.root / (entry.output or config.output)).resolve()


def units(config: Config, into: Path | None, build: bool = True) -> list[Unit]:
    """The project's inputs, each with the Options of its compilation into ``into``."""
    found = []
    for entry in config.inputs:
        name = dotted_name(entry)
        backend = backend_name(entry)
        out = place(config, entry, into) / Path(*name.split(".")[:-1])
        options = Options(
            backend=backend,
            name=name.rpartition(".")[2],
            output_dir=out,
            preprocess=PreprocessOptions(
                list(entry.include_dirs), list(entry.defines), list(entry.undefines)
            ),
            c=COptions(
                libraries=list(entry.libraries),
                library_dirs=list(entry.library_dirs),
                symbols=entry.symbols,
                exclude=entry.exclude,
                build=build and backend in COMPILED,
                pre_includes=list(entry.pre_includes),
            ),
        )
        found.append(Unit(entry, name, place(config, entry, into), backend, options))
    return found


@contextlib.contextmanager
def in_folder(folder: Path) -> Iterator[None]:
    """Run with ``folder`` as the working folder (inputs are relative to the project root)."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@dataclass
class Generated:
    """One unit compiled: its files at their paths from the packages' folder."""

    unit: Unit
    result: Result
    files: dict[str, str]
    #: Every file the compilation read, absolute (for depfiles and editable installs).
    read: list[Path] = field(default_factory=list)


def generate(config: Config, unit: Unit) -> Generated:
    """Compile one unit (nothing is written); raises CompileError."""
    from idlgen.project.depfile import files_read

    with in_folder(config.root):
        result = driver.compile_file(Path(unit.entry.file), unit.options)
        read = files_read(Path(unit.entry.file), unit.options, result)
    files = {(unit.parent / rel).as_posix(): text for rel, text in result.files.items()}
    return Generated(unit, result, files, [(config.root / p).resolve() for p in read])


@dataclass
class Staged:
    """What :func:`stage` wrote: files to ship (relative to its folder) and what was read."""

    shipped: list[str] = field(default_factory=list)
    generated: list[Generated] = field(default_factory=list)
    compiled: bool = False


def stage(
    config: Config,
    into: Path | None,
    build: bool = True,
    ship_only: bool = False,
    only: list[str] | None = None,
) -> Staged:
    """Generate every input under ``into`` (and compile extensions when ``build``).

    ``into`` None: in place, where ``idlgen build`` writes (:func:`place`).

    ``shipped`` lists the files a wheel carries: the generated modules and the
    built extensions, not the scripts that built them. Files whose content did
    not change are not rewritten. ``ship_only``: what built the extensions (the
    build script, C sources, objects) is removed from the packages' folders.
    ``only``: the dotted names of the packages to make (default: all).
    """
    from idlgen.render import write_files

    staged = Staged()
    for unit in units(config, into, build):
        if only is not None and unit.name not in only:
            continue
        gen = generate(config, unit)
        package = unit.root / unit.parent / unit.name.rpartition(".")[2]
        # an extension already built from the same files is not built again
        built = _extensions(package) and not _changed(gen.files, unit.root)
        with in_folder(config.root):
            write_files(gen.files, unit.root)
            if gen.result.after_write is not None and not built:
                gen.result.after_write(unit.root / unit.parent)
        if into is None:  # in place: what an earlier version of the input made goes
            for path in leftovers(unit, gen.files):
                path.unlink()
        staged.generated.append(gen)
        staged.shipped += [f for f in gen.files if Path(f).name not in _BUILD_ONLY]
        if unit.compiled and build:
            staged.compiled = True
            for ext in _extensions(package):
                staged.shipped.append(ext.relative_to(unit.root).as_posix())
            if ship_only:
                kept = {unit.root / rel for rel in staged.shipped}
                for path in sorted(package.rglob("*")):
                    if path.is_file() and path not in kept:
                        path.unlink()
    return staged


def _extensions(package: Path) -> list[Path]:
    """The extension modules built in a package's folder."""
    return sorted([*package.glob("*.so"), *package.glob("*.pyd")])


def _changed(files: dict[str, str], root: Path) -> bool:
    """Whether writing ``files`` under ``root`` would change any file."""
    for rel, text in files.items():
        try:
            if (root / rel).read_bytes() != text.encode("utf-8"):
                return True
        except OSError:
            return True
    return False


def leftovers(unit: Unit, files: dict[str, str]) -> list[Path]:
    """Files idlgen generated in the unit's package that it does not generate any more.

    (A program removed from a .x leaves its client.py.) Only files that say they
    were generated by idlgen are counted.
    """
    package = unit.root / unit.parent / unit.name.rpartition(".")[2]
    if not package.is_dir():
        return []
    made = {unit.root / rel for rel in files}
    found = []
    for path in sorted(package.rglob("*")):
        if path.suffix not in {".py", ".pyi", ".pyx", ".pxd"} or path in made:
            continue
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:1000]
        except OSError:
            continue
        if "Generated by idlgen" in head and path.name not in _BUILD_ONLY:
            found.append(path)
    return found


def out_of_date(config: Config) -> list[tuple[Path, str]]:
    """The generated files in the project that differ from what its inputs make now.

    Each with why: ``out of date``, ``missing``, or ``not generated any more``.
    """
    stale: list[tuple[Path, str]] = []
    for unit in units(config, None, build=False):
        gen = generate(config, unit)
        stale += [(path, "not generated any more") for path in leftovers(unit, gen.files)]
        for rel, text in sorted(gen.files.items()):
            path = unit.root / rel
            try:
                if path.read_bytes() != text.encode("utf-8"):
                    stale.append((path, "out of date"))
            except OSError:
                stale.append((path, "missing"))
    return sorted(stale)


def requirement_name(requirement: str) -> str:
    """The normalized project name a requirement string is about (PEP 503)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else requirement


def runtime_requirements(config: Config) -> list[str]:
    """What a wheel of the project needs at run time: idlgen-runtime, cffi for cffi bindings."""
    from idlgen_runtime.version import requirement

    needs = []
    backends = {backend_name(e) for e in config.inputs}
    if backends & {"xdr-python"}:
        needs.append(requirement())
    if backends & NEEDS_CFFI:
        needs.append("cffi>=1.17")
    return needs
