"""Run the real C preprocessor over a header, keeping what pycparser needs.

``gcc -E -dD`` keeps linemarkers (so every declaration knows its file) and the
``#define`` lines in place (so every macro knows its file too). GNU syntax that
pycparser does not know is defined away (the set FIELD-NOTES measured on
glibc, zlib, sqlite3 and openssl). The ``#define``/``#undef`` lines are lifted
out into :class:`Macro` records and blanked, which keeps line numbers intact.

Where no C compiler is installed, pcpp (a preprocessor in Python, optional:
``pip install pcpp``) does the same with ``--passthru-defines``, on the
system's include folders and the target's predefined macros.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.util import find_spec
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
_DEFINE = re.compile(r"^#\s*define\s+([A-Za-z_]\w*)(\([^)]*\))?\s*(.*?)\s*$")
_DIRECTIVE = re.compile(r"^#\s*(?:define|undef)\b")
#: What pcpp passes through unexpanded (gcc's own limits.h): nothing to declare.
_INCLUDE_NEXT = re.compile(r"^#\s*include_next\b")


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
    prelude: Sequence[str] = (),
) -> Preprocessed:
    """Preprocess ``headers`` (one translation unit that includes each of them).

    ``prelude`` headers come first: a file that exists by its path, else a name
    looked up on the include path (``stdio.h`` is ``#include <stdio.h>``).
    """
    compiler = shutil.which("gcc") or shutil.which("cc") or shutil.which("clang")
    first = [
        f'#include "{Path(h).resolve()}"' if Path(h).is_file() else f"#include <{h}>"
        for h in prelude
    ]
    source = "".join(f"{line}\n" for line in first)
    source += "".join(f'#include "{h.resolve()}"\n' for h in headers)
    user = (
        [f"-I{d}" for d in include_dirs]
        + [f"-D{d}" for d in defines]
        + [f"-U{u}" for u in undefines]
    )
    if compiler is None:
        proc = _pcpp(source, user)
    else:
        args = [compiler, "-E", "-dD", "-std=gnu11", *(f"-D{d}" for d in GNU_DEFINES), *user]
        proc = subprocess.run(
            [*args, "-x", "c", "-"], input=source, capture_output=True, text=True, check=False
        )
    if proc.returncode != 0:
        raise CompileError(_cpp_diagnostics(proc.stderr, str(headers[0])))
    return lift_macros(proc.stdout)


def expand_macros(
    headers: Sequence[Path],
    include_dirs: Sequence[str],
    defines: Sequence[str],
    undefines: Sequence[str],
    prelude: Sequence[str],
    names: Sequence[str],
) -> dict[str, str]:
    """What the C preprocessor makes of each macro in ``names``, after the headers.

    For bodies that call function-like macros (pcre2's ``#define pcre2_compile
    PCRE2_SUFFIX(pcre2_compile_)``, pasting with ``##``): one more run of the
    real preprocessor (or pcpp), only when a header has such macros.
    """
    compiler = shutil.which("gcc") or shutil.which("cc") or shutil.which("clang")
    if not names:
        return {}
    first = [
        f'#include "{Path(h).resolve()}"' if Path(h).is_file() else f"#include <{h}>"
        for h in prelude
    ]
    source = "".join(f"{line}\n" for line in first)
    source += "".join(f'#include "{h.resolve()}"\n' for h in headers)
    # the name in quotes stays as it is; after it, what the name expands to
    source += "".join(f'@idlgen@ "{name}" {name}\n' for name in names)
    user = [f"-I{d}" for d in include_dirs] + [f"-D{d}" for d in defines]
    user += [f"-U{u}" for u in undefines]
    if compiler is None:
        proc = _pcpp(source, user)
    else:
        args = [compiler, "-E", "-P", "-std=gnu11", *(f"-D{d}" for d in GNU_DEFINES), *user]
        proc = subprocess.run(
            [*args, "-x", "c", "-"], input=source, capture_output=True, text=True, check=False
        )
    found: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        m = re.match(r'@idlgen@ "(\w+)" (.*)$', line)
        if m:
            found[m.group(1)] = m.group(2).strip()
    return found


def _pcpp(source: str, user: list[str]) -> subprocess.CompletedProcess[str]:
    """Run pcpp in place of ``gcc -E -dD`` (no compiler here); an error if pcpp is missing too."""
    if find_spec("pcpp") is None:
        raise CompileError(
            [
                Diagnostic(
                    Loc("idlgen", 0, 0),
                    "no C preprocessor found: install gcc (or pcpp: pip install pcpp)",
                    "no-cpp",
                )
            ]
        )
    machine = platform.machine()
    folders = ["/usr/local/include", f"/usr/include/{machine}-linux-gnu", "/usr/include"]
    folders += sorted(str(p) for p in Path("/usr/lib/gcc").glob("*/*/include"))
    # glibc wants a GNU C compiler (else it typedefs the _FloatN names GNU_DEFINES map).
    predefined = ["__STDC__=1", "__STDC_VERSION__=201112L", "__GNUC__=12", "__GNUC_MINOR__=0"]
    predefined += ["__linux__=1", "__CHAR_BIT__=8"]
    # gcc's own <limits.h> (reached by #include_next, which pcpp does not follow) gives these.
    predefined += ["SCHAR_MAX=127", "SCHAR_MIN=(-128)", "UCHAR_MAX=255", "CHAR_MAX=127"]
    predefined += ["CHAR_MIN=(-128)", "SHRT_MAX=32767", "SHRT_MIN=(-32768)", "USHRT_MAX=65535"]
    predefined += ["INT_MAX=2147483647", "INT_MIN=(-INT_MAX-1)", "UINT_MAX=4294967295U"]
    predefined += ["LLONG_MAX=9223372036854775807LL", "LLONG_MIN=(-LLONG_MAX-1LL)"]
    predefined += ["ULLONG_MAX=18446744073709551615ULL"]
    if sys.maxsize > 2**32:
        predefined += ["__LP64__=1", "_LP64=1", "LONG_MAX=9223372036854775807L"]
        predefined += ["ULONG_MAX=18446744073709551615UL"]
    else:
        predefined += ["LONG_MAX=2147483647L", "ULONG_MAX=4294967295UL"]
    predefined.append("LONG_MIN=(-LONG_MAX-1L)")
    if machine in ("x86_64", "amd64"):
        predefined.append("__x86_64__=1")
    elif machine in ("aarch64", "arm64"):
        predefined.append("__aarch64__=1")
    args = ["--passthru-defines", "--line-directive", "#"]
    args += [f"-D{d}" for d in (*predefined, *GNU_DEFINES)]
    args += user + [f"-I{d}" for d in folders if Path(d).is_dir()]
    script = "import sys; from pcpp.pcmd import main; sys.argv[0] = 'pcpp'; main()"
    return subprocess.run(
        [sys.executable, "-c", script, *args, "-"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
        cwd="/",  # pcpp names files relative to its folder: relative to / they stay absolute
    )


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
                if not file.startswith(("/", "<")):  # pcpp's, relative to /: made absolute
                    file = os.path.normpath(os.path.join("/", file))
                    lines[i] = f'# {line} "{file}"{text[marker.end():]}'
                files.add(file)
                continue
            if _DIRECTIVE.match(text):
                m = _DEFINE.match(text)
                if m:
                    macros.append(Macro(m.group(1), m.group(2), m.group(3), Loc(file, line, 9)))
                lines[i] = ""
            elif _INCLUDE_NEXT.match(text):
                lines[i] = ""
        line += 1
    return Preprocessed("\n".join(lines), macros, files)
