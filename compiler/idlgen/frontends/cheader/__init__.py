"""The C-header front-end: real headers through a real preprocessor and pycparser.

    preprocess (gcc -E -dD, GNU syntax defined away) → pycparser → select
    (the named headers' own declarations + the types they use) → IR →
    passes (:data:`FRONTEND`)

Parse errors point into the original header (pycparser follows the
linemarkers); constructs that cannot be bound are skipped with a warning that
names them. What the IR of a header holds: :mod:`.build`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pycparser import c_parser
from pycparser.c_parser import ParseError

from idlgen import ir
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.frontends.cheader.build import build_header
from idlgen.frontends.cheader.c_nodes import pass_as_first_member
from idlgen.frontends.cheader.preprocess import expand_macros, preprocess_header
from idlgen.frontends.cheader.prune import prune_functions
from idlgen.frontends.cheader.selection import Request
from idlgen.passes.c_by_value import c_by_value
from idlgen.passes.check_c_names import check_c_names
from idlgen.passes.context import Context, Language
from idlgen.passes.fold_constants import fold_constants
from idlgen.passes.resolve_names import resolve_names
from idlgen.pipeline import Frontend, Options
from idlgen.symbols import Scoping

_PARSE_ERROR = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?:(?P<col>\d+):)?\s*(?P<msg>.*)$")


#: Folders of a C library's private parts: glibc's ``bits/`` (where fcntl.h's
#: O_CREAT and signal.h's SIGTERM are), the kernel's ``asm/`` (errno.h's ENOENT).
_PRIVATE = frozenset({"bits", "asm", "asm-generic"})


def private_parts(own: set[str], parents: dict[str, str]) -> set[str]:
    """The private headers that make up the ``own`` ones (see :data:`_PRIVATE`).

    A header in a private folder that an own header includes is part of it,
    and so is the kernel's header such a part includes (glibc's bits/errno.h
    includes linux/errno.h, which includes asm/errno.h). A public header that
    one includes (stdlib.h's sys/types.h, bits/'s features.h) stays a dependency.
    """
    parts: set[str] = set()
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if child in own or child in parts:
                continue
            inside = parent in own or parent in parts
            kernel = _is_private(parent) and "linux" in Path(child).parts[:-1]
            if inside and (_is_private(child) or kernel):
                parts.add(child)
                changed = True
    return parts


def _is_private(path: str) -> bool:
    return bool(_PRIVATE & set(Path(path).parts[:-1]))


def own_files(headers: list[Path], seen: set[str]) -> set[str]:
    """The files whose declarations are bound.

    The headers, their own sub-folder (lzma.h keeps its API in
    /usr/include/lzma/*.h), and the headers of their folder they include
    with quotes when that folder is their library's own rather than a system
    include folder: curl/curl.h is an umbrella over ``#include "easy.h"`` and
    ``"multi.h"``. zlib.h, in /usr/include, binds only itself (zconf.h's types
    still come along where zlib.h uses them); headers included with angle
    brackets (libxml2's ``<libxml/xmlstring.h>``) are dependencies, not parts.
    """
    roots = _system_roots()
    own = set()
    for h in headers:
        path = h.resolve()
        own.add(str(path))
        folder = path.parent / path.stem
        own.update(f for f in seen if Path(f).parent == folder)
        if str(path.parent) not in roots:
            text = path.read_text(errors="replace")
            for name in re.findall(r'^\s*#\s*include\s*"([^"/]+)"', text, re.MULTILINE):
                part = (path.parent / name).resolve()
                if str(part) in seen or str(path.parent / name) in seen:
                    own.add(
                        str(path.parent / name) if str(path.parent / name) in seen else str(part)
                    )
    return own


def _system_roots() -> set[str]:
    """The folders the C compiler searches by itself (headers there are not a library's)."""
    folders = [Path("/usr/include"), Path("/usr/local/include")]
    folders += Path("/usr/include").glob("*-linux-*")
    folders += Path("/usr/lib/gcc").glob("*/*/include")
    return {str(f.resolve()) for f in folders}


def load_header(path: Path, options: Options, ctx: Context) -> tuple[ir.Spec, dict[str, str]]:
    """Parse ``path`` (with the CLI's -I/-D/-U, --symbols, --exclude) into a Spec."""
    include_dirs = list(options.preprocess.include_dirs)
    defines = list(options.preprocess.defines)
    undefines = list(options.preprocess.undefines)
    prelude = list(options.c.pre_includes)
    pre = preprocess_header([path], include_dirs, defines, undefines, prelude, features=True)
    own = own_files([path], pre.files)
    parts = private_parts(own, pre.parents)
    parser = c_parser.CParser()
    try:
        ast = parser.parse(prune_functions(pre.text, own | parts), str(path.resolve()))
    except ParseError as exc:
        raise CompileError([_parse_diagnostic(str(exc), path, _next_token(parser))]) from None
    pass_as_first_member(ast, pre.transparent)
    loc = ir.Loc(str(path), 1, 1)
    request = Request.of(own | parts, options.c.symbols, options.c.exclude, parts)

    def expand(names: list[str]) -> dict[str, str]:
        return expand_macros(
            [path], include_dirs, defines, undefines, prelude, names, features=True
        )

    decls = build_header(ast, request, pre.macros, ctx.reporter, path.stem, loc, expand)
    ctx.reporter.check()
    annotations = (ir.c.Header((path.name,)),)
    module = ir.Module(path.stem, tuple(decls), annotations=annotations, loc=loc)
    return ir.Spec(str(path), (module,), loc=loc), {}


def _next_token(parser: c_parser.CParser) -> Any:
    """The token pycparser stopped at, for errors it reports without a line."""
    try:
        return parser._peek()  # noqa: SLF001 - pycparser keeps it in its token stream
    except Exception:  # a private API: without it, the error has no line
        return None


def _parse_diagnostic(message: str, header: Path, token: Any = None) -> Diagnostic:
    """Pycparser's error as a diagnostic at its place in the original header.

    Pycparser says ``file:line:col: message``, or for some errors only the
    file: then the token it stopped at gives the place. It cannot tell a type
    name it has never seen from a syntax error, so when the line starts with
    a name used as a type, the message says so (jpeglib.h uses ``size_t``
    without including <stdio.h>: ``--include stdio.h`` is the cure).
    """
    m = _PARSE_ERROR.match(message)
    if m and m.group("file"):
        loc = ir.Loc(m.group("file"), int(m.group("line")), int(m.group("col") or 1))
        text = m.group("msg")
    elif token is not None and getattr(token, "lineno", None):
        loc = ir.Loc(str(token.filename or header), token.lineno, token.column or 1)
        text = message.split(": ", 1)[-1]
    else:
        return Diagnostic(ir.Loc(str(header), 0, 0), message.split(": ", 1)[-1], "syntax")
    try:
        line = Path(loc.file).read_text(errors="replace").splitlines()[loc.line - 1]
    except (OSError, IndexError):
        line = ""
    before = re.match(r"before: (.*)$", text)
    if before:
        text = f"syntax error before '{before.group(1)}'"
        # An identifier right after "(", "," or the start, then a name: a type it does not know.
        unknown = re.search(
            r"(?:^|[(,;{])\s*(?:const\s+)?([A-Za-z_]\w*)\s*\**\s*$", line[: loc.col - 1]
        )
        if unknown and unknown.group(1) not in _C_WORDS and re.match(r"[A-Za-z_]", before.group(1)):
            text += f" (is '{unknown.group(1)}' a type that is not declared?)"
        return Diagnostic(loc, text, "syntax")
    leading = re.match(r"\s*(?:(?:const|extern|static)\s+)*([A-Za-z_]\w*)[\s*]+[A-Za-z_]", line)
    if leading and leading.group(1) not in _C_WORDS:
        name = leading.group(1)
        loc = ir.Loc(loc.file, loc.line, leading.start(1) + 1)
        text = (
            f"'{name}' is not a type here: it is not declared before this line "
            f"(does the header need another one first? --include it)"
        )
    return Diagnostic(loc, text, "syntax")


_C_WORDS = frozenset(
    "auto break case char const continue default do double else enum extern float for goto if "
    "inline int long register restrict return short signed sizeof static struct switch typedef "
    "union unsigned void volatile while _Bool _Complex".split()
)


#: Type names C compilers (and cffi) know without a declaration in the header.
BUILTIN_TYPES = (
    "__int128", "signed __int128", "unsigned __int128", "__int128_t", "__uint128_t",
    "float _Complex", "double _Complex", "long double _Complex", "_Complex float",
    "_Complex double", "_Complex long double", "_Complex", "__builtin_va_list",
    "size_t", "ssize_t", "ptrdiff_t", "wchar_t", "va_list", "bool",
    "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t",
    "intptr_t", "uintptr_t", "intmax_t", "uintmax_t",
)  # fmt: skip

#: C's rules: one flat scope for ordinary names, struct/union/enum tags apart;
#: a header's Module and its function set claim no name.
C = Language(
    "c",
    scoping=Scoping(unnamed=(ir.Module, ir.Interface)),
    words={ir.Operation: "function", ir.Attribute: "variable", ir.Const: "macro"},
    enum_range=None,
    builtin_types={n: ir.Named(ir.name(n)) for n in BUILTIN_TYPES},
)

#: The passes, in order: names resolved, constants folded (the shared passes),
#: then C's own: functions passing a union or bitfield struct by value marked,
#: Python names checked for clashes.
FRONTEND = Frontend(
    C, load_header, (resolve_names, fold_constants, c_by_value, check_c_names), "cffi"
)
