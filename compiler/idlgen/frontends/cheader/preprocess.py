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

import functools
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass, field
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
_UNDEF = re.compile(r"^#\s*undef\s+([A-Za-z_]\w*)")
_DIRECTIVE = re.compile(r"^#\s*(?:define|undef)\b")
#: The feature-test macros a compiled extension sees first (Python.h's pyconfig.h),
#: for a machine without Python's headers: CPython's configure on Linux.
_PYTHON_FEATURES = (
    ("_GNU_SOURCE", "1"),
    ("_DARWIN_C_SOURCE", "1"),
    ("_FILE_OFFSET_BITS", "64"),
    ("_LARGEFILE_SOURCE", "1"),
    ("_NETBSD_SOURCE", "1"),
    ("_POSIX_C_SOURCE", "200809L"),
    ("_REENTRANT", "1"),
    ("_XOPEN_SOURCE", "700"),
    ("_XOPEN_SOURCE_EXTENDED", "1"),
    ("__BSD_VISIBLE", "1"),
)
_FEATURE = re.compile(
    r"^#\s*define\s+(_\w*_SOURCE\w*|_FILE_OFFSET_BITS|_LARGE_FILES|_REENTRANT|__BSD_VISIBLE)"
    r"(?:[ \t]+(\S.*?))?\s*$",
    re.MULTILINE,
)
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
    #: The file that first included each file (the one before its first linemarker).
    parents: dict[str, str] = field(default_factory=dict)
    #: Typedefs of unions marked ``__transparent_union__`` (glibc's
    #: ``__CONST_SOCKADDR_ARG`` under _GNU_SOURCE): passed as their first member.
    transparent: set[str] = field(default_factory=set)


@functools.cache
def python_features() -> str:
    """The feature-test macros of Python.h, as ``#define`` lines.

    A compiled extension (cffi's API mode, Cython) includes Python.h before
    the header, and its pyconfig.h turns on ``_GNU_SOURCE``, ``_XOPEN_SOURCE
    700``, ``_FILE_OFFSET_BITS 64``…, which change what glibc declares
    (``fd_set.fds_bits`` rather than ``__fds_bits``, ``fopen64`` behind
    ``fopen``). The cdef must be read with the same, or cffi's compile of it
    disagrees with the header: so every back-end preprocesses with them.
    """
    try:
        text = Path(sysconfig.get_config_h_filename()).read_text(errors="replace")
        found = [(m.group(1), m.group(2) or "") for m in _FEATURE.finditer(text)]
    except OSError:
        found = []
    return "".join(
        f"#ifndef {name}\n#define {name} {value}\n#endif\n"
        for name, value in (found or _PYTHON_FEATURES)
    )


def _source(headers: Sequence[Path], prelude: Sequence[str], features: bool) -> str:
    """The translation unit: Python.h's feature macros, the ``prelude``, the headers."""
    first = [
        f'#include "{Path(h).resolve()}"' if Path(h).is_file() else f"#include <{h}>"
        for h in prelude
    ]
    source = python_features() if features else ""
    source += "".join(f"{line}\n" for line in first)
    return source + "".join(f'#include "{h.resolve()}"\n' for h in headers)


def preprocess_header(
    headers: Sequence[Path],
    include_dirs: Sequence[str],
    defines: Sequence[str],
    undefines: Sequence[str],
    prelude: Sequence[str] = (),
    features: bool = False,
) -> Preprocessed:
    """Preprocess ``headers`` (one translation unit that includes each of them).

    ``prelude`` headers come first: a file that exists by its path, else a name
    looked up on the include path (``stdio.h`` is ``#include <stdio.h>``).
    ``features``: with the feature-test macros a compiled extension sees
    (:func:`python_features`), as the C bindings want.
    """
    compiler = shutil.which("gcc") or shutil.which("cc") or shutil.which("clang")
    source = _source(headers, prelude, features)
    user = (
        [f"-I{d}" for d in include_dirs]
        + [f"-D{d}" for d in defines]
        + [f"-U{u}" for u in undefines]
    )
    gnu = [_FOR_BINDINGS.get(d, d) if features else d for d in GNU_DEFINES]
    if compiler is None:
        proc = _pcpp(source, user, gnu)
    else:
        args = [compiler, "-E", "-dD", "-std=gnu11", *(f"-D{d}" for d in gnu), *user]
        proc = subprocess.run(
            [*args, "-x", "c", "-"], input=source, capture_output=True, text=True, check=False
        )
    if proc.returncode != 0:
        raise CompileError(_cpp_diagnostics(proc.stderr, str(headers[0])))
    text, transparent = _attributes(proc.stdout)
    pre = lift_macros(text)
    pre.transparent = transparent
    return pre


#: ``__attribute__((...))`` kept behind a marker, for :func:`_attributes`;
#: ``_Float128`` as ``volatile long double``, which no header writes and
#: pycparser reads (with ``_Complex`` too), so that the functions that use
#: it are left out (strtof128, cacosf128), not bound as doubles.
_FOR_BINDINGS = {
    "__attribute__(x)=": "__attribute__(x)=__idlgen_attribute__ x",
    "_Float128=double": "_Float128=volatile long double",
}
_MARK = "__idlgen_attribute__"
#: Up to the attribute's "(": gcc may put a linemarker between the two.
_OPENING = re.compile(r"(?:\s|#[^\n]*\n)*\(")


def _attributes(text: str) -> tuple[str, set[str]]:
    """The text without GNU attributes, and the typedefs marked transparent unions.

    One attribute changes how C passes a type: a ``__transparent_union__``
    is passed as its first member (glibc's ``bind`` takes a ``struct sockaddr
    *`` through one); the others only decorate, and go.
    """
    if _MARK not in text:
        return text, set()
    pieces: list[str] = []
    transparent: set[str] = set()
    pos = 0
    while (start := text.find(_MARK, pos)) >= 0:
        pieces.append(text[pos:start])
        opening = _OPENING.match(text, start + len(_MARK))
        if opening is None:  # the `#define __attribute__(x) ...` line of -dD itself
            pieces.append(_MARK)
            pos = start + len(_MARK)
            continue
        i = opening.end() - 1
        depth, end = 0, i
        while end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
            if depth == 0:
                break
        if "transparent_union" in text[i:end]:
            name = re.search(r"([A-Za-z_]\w*)\s*$", text[max(pos, start - 200) : start])
            if name:
                transparent.add(name.group(1))
        if "\n" in text[start:end]:  # its lines stay, the linemarkers among them too
            pieces += [
                line if line[:1] == "#" else "\n" * line.endswith("\n")
                for line in text[start:end].splitlines(True)
            ]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces), transparent


def expand_macros(
    headers: Sequence[Path],
    include_dirs: Sequence[str],
    defines: Sequence[str],
    undefines: Sequence[str],
    prelude: Sequence[str],
    names: Sequence[str],
    features: bool = False,
) -> dict[str, str]:
    """What the C preprocessor makes of each macro in ``names``, after the headers.

    For bodies that call function-like macros (pcre2's ``#define pcre2_compile
    PCRE2_SUFFIX(pcre2_compile_)``, pasting with ``##``): one more run of the
    real preprocessor (or pcpp), only when a header has such macros.
    """
    compiler = shutil.which("gcc") or shutil.which("cc") or shutil.which("clang")
    if not names:
        return {}
    source = _source(headers, prelude, features)
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


def _pcpp(
    source: str, user: list[str], gnu: Sequence[str] = GNU_DEFINES
) -> subprocess.CompletedProcess[str]:
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
    args += [f"-D{d}" for d in (*predefined, *gnu)]
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
    """Blank the ``#define``/``#undef`` lines of cpp's output, keeping each define's place.

    The macros are those in effect at the end of the translation unit, as the
    compiled extension sees them: the last definition of each, none for one
    ``#undef``'d after it.
    """
    lines = output.split("\n")
    macros: dict[str, Macro] = {}  # in effect at the end: the last #define, not #undef
    files: set[str] = set()
    parents: dict[str, str] = {}
    file, line = "<stdin>", 1
    for i, text in enumerate(lines):
        if text.startswith("#"):
            marker = _LINEMARKER.match(text)
            if marker:
                before = file
                file, line = marker.group(2), int(marker.group(1))
                if not file.startswith(("/", "<")):  # pcpp's, relative to /: made absolute
                    file = os.path.normpath(os.path.join("/", file))
                    lines[i] = f'# {line} "{file}"{text[marker.end():]}'
                if file not in files:  # entering it for the first time, from `before`
                    parents[file] = before
                files.add(file)
                continue
            if _DIRECTIVE.match(text):
                m = _DEFINE.match(text)
                if m:
                    macros.pop(m.group(1), None)
                    macros[m.group(1)] = Macro(
                        m.group(1), m.group(2), m.group(3), Loc(file, line, 9)
                    )
                else:
                    undone = _UNDEF.match(text)
                    if undone:  # math.h defines, #undefs and defines again
                        macros.pop(undone.group(1), None)
                lines[i] = ""
            elif _INCLUDE_NEXT.match(text):
                lines[i] = ""
        line += 1
    return Preprocessed("\n".join(lines), list(macros.values()), files, parents)
