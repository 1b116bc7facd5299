"""The shapes every stage agrees on: options in, a Result out, and what a stage is.

The driver (which runs the stages in order) and the front-ends and back-ends
(which are the stages) all import this module; none imports the driver.
Options are grouped: what every language shares, then one group per language
that has options of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from idlgen import ir
from idlgen.diagnostics import Diagnostic
from idlgen.passes.context import Context, Language


@dataclass
class PreprocessOptions:
    """The C preprocessor's options, for every language that is preprocessed."""

    include_dirs: list[str] = field(default_factory=list)
    defines: list[str] = field(default_factory=list)
    undefines: list[str] = field(default_factory=list)


@dataclass
class COptions:
    """C headers: libraries, which symbols to bind, building in place."""

    libraries: list[str] = field(default_factory=list)
    library_dirs: list[str] = field(default_factory=list)
    #: Bind only declarations whose name matches this regular expression.
    symbols: str | None = None
    #: Skip declarations whose name matches this regular expression.
    exclude: str | None = None
    #: Compile the bindings in place after writing them (``--build``).
    build: bool = False
    #: Headers read before the bound one, as gcc's ``-include`` (jpeglib.h
    #: needs <stdio.h>); their declarations are not bound, their types come along.
    pre_includes: list[str] = field(default_factory=list)


@dataclass
class WsdlOptions:
    """WSDL and XML Schema: where imports by URL are found (never on the network)."""

    #: Files of ``URL PATH`` lines (``--catalog``); relative paths are from the file.
    catalogs: list[Path] = field(default_factory=list)


@dataclass
class Options:
    """Everything the command line can say about one compilation."""

    backend: str | None = None
    #: The generated package/module name (default: from the input file's name).
    name: str | None = None
    #: Where the files go (the CLI's -o): relative -I/-L folders in a C binding's
    #: build script are rebased onto it, as the script runs from there.
    output_dir: Path | None = None
    preprocess: PreprocessOptions = field(default_factory=PreprocessOptions)
    c: COptions = field(default_factory=COptions)
    wsdl: WsdlOptions = field(default_factory=WsdlOptions)


@dataclass
class Result:
    """What a compilation produced: files to write and the diagnostics to show."""

    files: dict[str, str]
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    #: Runs after the files are written (``--build``); returns the files it added.
    after_write: Callable[[Path], list[Path]] | None = None


#: A pass: IR in, IR out, with the compilation's context.
Pass = Callable[[ir.Spec, Context], ir.Spec]


@dataclass(frozen=True)
class Frontend:
    """One input language: its rules, how to read it, which passes make it well-formed."""

    language: Language
    #: Reads a file into IR; returns the Spec and the source texts it read.
    parse: Callable[[Path, Options, Context], tuple[ir.Spec, dict[str, str]]]
    passes: tuple[Pass, ...]
    default_backend: str


#: A back-end's entry point: the checked IR to files.
Generate = Callable[[ir.Spec, Context, Options, Path], Result]


@dataclass(frozen=True)
class Backend:
    """One kind of output: which languages it takes and where its code is.

    ``entry`` is ``"module:function"``, imported only when the back-end runs,
    so that listing back-ends or rejecting a wrong one costs nothing.
    """

    name: str
    #: The languages (:attr:`Language.name`) whose IR it can render.
    takes: frozenset[str]
    entry: str
    summary: str = ""
    #: Passes of the back-end's own (``"module:function"``), run after the
    #: front-end's, also by ``--check``: its naming policy's clash check.
    passes: tuple[str, ...] = ()
