"""The C-header front-end: real headers through a real preprocessor and pycparser.

    preprocess (gcc -E -dD, GNU syntax defined away) → pycparser → select
    (the named headers' own declarations + the types they use) → IR

Parse errors point into the original header (pycparser follows the
linemarkers); constructs that cannot be bound are skipped with a warning that
names them.
"""

from __future__ import annotations

import re
from pathlib import Path

from pycparser import c_parser
from pycparser.c_parser import ParseError

from idlgen import ir
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.frontends.cheader.build import HeaderBuilder
from idlgen.frontends.cheader.preprocess import preprocess_header
from idlgen.passes.context import Context

_PARSE_ERROR = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?:(?P<col>\d+):)?\s*(?P<msg>.*)$")


def own_files(headers: list[Path], seen: set[str]) -> set[str]:
    """The files whose declarations are bound: the headers and their own sub-folder.

    lzma.h keeps its API in /usr/include/lzma/*.h; zlib.h's zconf.h is not its
    own (its types still come along where zlib.h uses them).
    """
    own = set()
    for h in headers:
        path = h.resolve()
        own.add(str(path))
        folder = path.parent / path.stem
        own.update(f for f in seen if Path(f).parent == folder)
    return own


def load_header(path: Path, options: object, ctx: Context) -> tuple[ir.Spec, dict[str, str]]:
    """Parse ``path`` (with the CLI's -I/-D/-U, --symbols, --exclude) into a Spec."""
    include_dirs = list(getattr(options, "include_dirs", []))
    defines = list(getattr(options, "defines", []))
    undefines = list(getattr(options, "undefines", []))
    pre = preprocess_header([path], include_dirs, defines, undefines)
    try:
        ast = c_parser.CParser().parse(pre.text, str(path.resolve()))
    except ParseError as exc:
        raise CompileError([_parse_diagnostic(str(exc), path)]) from None
    builder = HeaderBuilder(
        ast,
        own_files([path], pre.files),
        getattr(options, "symbols", None),
        getattr(options, "exclude", None),
        ctx.reporter,
    )
    selection = builder.select(pre.macros)
    unit = ir.CUnit((str(path.resolve()),), "\n".join(selection.cdef), loc=ir.Loc(str(path), 1, 1))
    module = ir.Module(path.stem, tuple(selection.decls), annotations=(unit,), loc=unit.loc)
    return ir.Spec(str(path), (module,), loc=unit.loc), {}


def _parse_diagnostic(message: str, header: Path) -> Diagnostic:
    """Pycparser's ``file:line:col: message`` (or a bare message) as a diagnostic."""
    m = _PARSE_ERROR.match(message)
    if not (m and m.group("file")):
        return Diagnostic(ir.Loc(str(header), 0, 0), message, "syntax")
    loc = ir.Loc(m.group("file"), int(m.group("line")), int(m.group("col") or 1))
    text = m.group("msg")
    before = re.match(r"before: (.*)$", text)
    if before:
        text = f"syntax error before '{before.group(1)}'"
        # pycparser cannot tell an unknown type name from a syntax error: say which it likely is.
        try:
            line = Path(loc.file).read_text(errors="replace").splitlines()[loc.line - 1]
        except (OSError, IndexError):
            line = ""
        # An identifier right after "(", "," or the start, then a name: a type it does not know.
        unknown = re.search(
            r"(?:^|[(,;{])\s*(?:const\s+)?([A-Za-z_]\w*)\s*\**\s*$", line[: loc.col - 1]
        )
        if unknown and unknown.group(1) not in _C_WORDS and re.match(r"[A-Za-z_]", before.group(1)):
            text += f" (is '{unknown.group(1)}' a type that is not declared?)"
    return Diagnostic(loc, text, "syntax")


_C_WORDS = frozenset(
    "auto break case char const continue default do double else enum extern float for goto if "
    "inline int long register restrict return short signed sizeof static struct switch typedef "
    "union unsigned void volatile while _Bool _Complex".split()
)
