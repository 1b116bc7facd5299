"""Run the real C preprocessor over a header, keeping what pycparser needs.

``gcc -E -dD`` keeps linemarkers (so every declaration knows its file) and the
``#define`` lines in place (so every macro knows its file too). GNU syntax that
pycparser does not know is defined away (the set FIELD-NOTES measured on
glibc, zlib, sqlite3 and openssl). The ``#define``/``#undef`` lines are lifted
out into :class:`Macro` records and blanked, which keeps line numbers intact.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.ir import Loc
from idlgen.preprocess import _cpp_diagnostics

#: GNU C that pycparser cannot parse, defined away (FIELD-NOTES, "C headers").
GNU_DEFINES = (
    "__attribute__(x)=",
    "__extension__=",
    "__asm__(x)=",
    "__asm(x)=",
    "__restrict=",
    "__restrict__=",
    "__inline=",
    "__inline__=",
    "__builtin_va_list=void*",
    "__signed__=signed",
    "__const=const",
    "__typeof__(x)=int",
    "_Noreturn=",
    "_Float128=double",
    "_Float64x=double",
    "_Float64=double",
    "_Float32x=double",
    "_Float32=float",
)
_LINEMARKER = re.compile(r'^#\s*(\d+)\s+"((?:[^"\\]|\\.)*)"')
_DEFINE = re.compile(r"^#define\s+([A-Za-z_]\w*)(\([^)]*\))?\s*(.*?)\s*$")


@dataclass(frozen=True)
class Macro:
    """One ``#define`` of the library's own headers."""

    name: str
    params: str | None  # "(a, b)" for function-like macros
    body: str
    loc: Loc


@dataclass
class Preprocessed:
    """The text for pycparser and the macros that were lifted out of it."""

    text: str
    macros: list[Macro]
    files: set[str]


def preprocess_header(
    headers: Sequence[Path],
    include_dirs: Sequence[str],
    defines: Sequence[str],
    undefines: Sequence[str],
) -> Preprocessed:
    """Preprocess ``headers`` (one translation unit that includes each of them)."""
    compiler = shutil.which("gcc") or shutil.which("cc") or shutil.which("clang")
    if compiler is None:
        raise CompileError(
            [
                Diagnostic(
                    Loc(str(headers[0]), 0, 0),
                    "no C compiler found for preprocessing (install gcc)",
                    "no-cpp",
                )
            ]
        )
    source = "".join(f'#include "{h.resolve()}"\n' for h in headers)
    args = [compiler, "-E", "-dD", "-std=gnu11", *(f"-D{d}" for d in GNU_DEFINES)]
    args += (
        [f"-I{d}" for d in include_dirs]
        + [f"-D{d}" for d in defines]
        + [f"-U{u}" for u in undefines]
    )
    proc = subprocess.run(
        [*args, "-x", "c", "-"], input=source, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise CompileError(_cpp_diagnostics(proc.stderr, str(headers[0])))
    return lift_macros(proc.stdout)


def lift_macros(output: str) -> Preprocessed:
    """Blank the ``#define``/``#undef`` lines of cpp's output, keeping each define's place."""
    lines = output.split("\n")
    macros: list[Macro] = []
    files: set[str] = set()
    file, line = "<stdin>", 1
    for i, text in enumerate(lines):
        if text.startswith("#"):
            marker = _LINEMARKER.match(text)
            if marker:
                file, line = marker.group(2), int(marker.group(1))
                files.add(file)
                continue
            if text.startswith(("#define", "#undef")):
                m = _DEFINE.match(text)
                if m:
                    macros.append(Macro(m.group(1), m.group(2), m.group(3), Loc(file, line, 9)))
                lines[i] = ""
        line += 1
    return Preprocessed("\n".join(lines), macros, files)
