"""Templates to files: Jinja rendering, black formatting, verification, writing.

Every generated Python file is rendered from ``templates/<backend>/``, formatted
with black, and compiled before anything is written, so a mistake in a
template is caught as idlgen's own bug rather than shipped. Files are written
in sorted order with no timestamps: the same input gives the same bytes.
"""

from __future__ import annotations

import ast
import functools
import os
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from idlgen import __version__


class InternalError(Exception):
    """A bug in idlgen (a template produced invalid Python), not in the user's input."""


@functools.cache
def environment(backend: str) -> jinja2.Environment:
    """The Jinja environment of one back-end's template folder."""
    root = Path(str(resources.files("idlgen.templates"))) / backend
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals["idlgen_version"] = __version__
    env.globals["split_call"] = split_call
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (Jinja compiles ~0.1 s of them per run).

    The cache is keyed by each template's source, so it never changes output.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "idlgen", f"jinja-{__version__}")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(directory)


def render(
    backend: str, template: str, filters: Mapping[str, Callable[..., Any]], **context: Any
) -> str:
    """Render one template with the back-end's filters."""
    env = environment(backend)
    env.filters.update(filters)
    return env.get_template(template).render(**context)


#: black's default line length, which generated code is formatted to.
LINE_LENGTH = 88


def format_python(source: str, filename: str) -> str:
    """black-format and verify generated code; failure is idlgen's bug.

    The module is parsed (``ast.parse``: invalid Python stops here). Templates
    already write black's layout, so black sees only what still has a line too
    long: each such one-line statement (or compound statement's header) alone,
    dedented and formatted to the width left at its indentation, which is what
    black does with it in place; anything else, its whole top-level statement.
    Formatting a whole large module with black costs seconds, this costs
    milliseconds. The tests check that every generated module is exactly what
    black makes of it.

    A module with no line too long (the usual case: templates lay their lines
    out) is only compiled, which checks the same syntax without building
    Python objects for its tree: a tenth of the cost of ``ast.parse`` on the
    50,000-line modules a large ``.x`` file gives.
    """
    if all(len(line) <= LINE_LENGTH for line in source.split("\n")):
        try:
            compile(source, filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            raise InternalError(f"idlgen generated invalid Python for {filename}: {exc}") from exc
        return source
    try:
        tree = ast.parse(source)
        lines = source.splitlines(keepends=True)
        statements = _long_statements(tree, lines)
        if statements is not None:
            return _format_statements(lines, statements)
        blocks, nodes = _top_level_blocks(source)
        long_ones = [
            i for i, (b, n) in enumerate(zip(blocks, nodes, strict=True)) if _too_long(b, n)
        ]
        if long_ones:
            # One black call for all of them (black's own start-up costs a call).
            formatted_blocks, _ = _top_level_blocks(_black("".join(blocks[i] for i in long_ones)))
            if len(formatted_blocks) != len(long_ones):
                raise InternalError(f"black changed the statements of {filename}")
            for i, block in zip(long_ones, formatted_blocks, strict=True):
                blocks[i] = block.rstrip("\n") + blocks[i][len(blocks[i].rstrip("\n")) :]
        formatted = "".join(blocks)
    except InternalError:
        raise
    except Exception as exc:  # black.InvalidInput, SyntaxError
        raise InternalError(f"idlgen generated invalid Python for {filename}: {exc}") from exc
    return formatted


#: Between statements given to black together; a comment black leaves alone.
_SEPARATOR = "# idlgen: next statement"
#: Compound statements whose one-line header can be formatted on its own.
_HEADERS = (ast.If, ast.While, ast.For, ast.With, ast.FunctionDef, ast.AsyncFunctionDef)


def _long_statements(tree: ast.Module, lines: list[str]) -> list[tuple[int, bool]] | None:
    """The 0-based lines too long for black, each a one-line statement or header.

    ``(line, is_header)`` pairs; None when some long line is anything else (a
    statement over several lines, an ``elif``, a decorated def): then the
    caller formats whole top-level statements instead.
    """
    long_lines = {i for i, line in enumerate(lines) if len(line.rstrip("\n")) > LINE_LENGTH}
    if not long_lines:
        return []
    for node in ast.walk(tree):  # black never touches the inner lines of a string
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.end_lineno:
            long_lines -= set(range(node.lineno, node.end_lineno - 1))
    found: dict[int, bool] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or node.lineno - 1 not in long_lines:
            continue
        first = node.lineno - 1
        if isinstance(node, _HEADERS):
            one_line = node.body[0].lineno == node.lineno + 1
            if not one_line or getattr(node, "decorator_list", None):
                return None
            if lines[first].lstrip().startswith("elif"):
                return None
            found[first] = True
        elif node.end_lineno == node.lineno:
            found.setdefault(first, False)
    return sorted(found.items()) if set(found) == long_lines else None


def _format_statements(lines: list[str], statements: list[tuple[int, bool]]) -> str:
    """``lines`` with each listed statement laid out by black (one call per indentation)."""
    by_indent: dict[int, list[tuple[int, bool]]] = {}
    for i, header in statements:
        indent = len(lines[i]) - len(lines[i].lstrip(" "))
        by_indent.setdefault(indent, []).append((i, header))
    replaced: dict[int, str] = {}
    for indent, group in by_indent.items():
        snippets = [lines[i].strip() + ("\n    pass" if header else "") for i, header in group]
        out = _black(f"\n{_SEPARATOR}\n".join(snippets) + "\n", LINE_LENGTH - indent)
        pieces = out.split(f"{_SEPARATOR}\n")
        if len(pieces) != len(group):
            raise InternalError("black changed the statements it was given")
        pad = " " * indent
        for (i, header), piece in zip(group, pieces, strict=True):
            rows = piece.strip("\n").split("\n")
            if header:
                rows = rows[:-1]  # the `pass` body
            replaced[i] = "".join(f"{pad}{row}\n" if row else "\n" for row in rows)
    return "".join(replaced.get(i, line) for i, line in enumerate(lines))


def _too_long(block: str, node: ast.stmt) -> bool:
    """Whether black would rewrap ``block``: a long line outside any string's inner lines."""
    if all(len(line) <= LINE_LENGTH for line in block.split("\n")):
        return False
    inside: set[int] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.end_lineno:
            inside.update(range(n.lineno + 1, n.end_lineno))  # black never touches these
    first = node.lineno - _leading(node)
    return any(
        len(line) > LINE_LENGTH and first + i not in inside
        for i, line in enumerate(block.split("\n"))
    )


def _leading(node: ast.stmt) -> int:
    """How many decorator lines come before a statement's own first line."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return node.lineno - min([node.lineno, *(d.lineno for d in decorators)])


def _black(block: str, line_length: int = LINE_LENGTH) -> str:
    import black  # only when needed: importing black alone takes ~0.1 s
    from black.mode import TargetVersion

    stripped = block.rstrip("\n")
    trailing = block[len(stripped) :]
    mode = black.Mode(target_versions={TargetVersion.PY310}, line_length=line_length)
    return black.format_str(stripped + "\n", mode=mode).rstrip("\n") + trailing


def _top_level_blocks(source: str) -> tuple[list[str], list[ast.stmt]]:
    """A module's top-level statements, as text and as nodes.

    The text of each keeps its decorators and the blank lines after it.
    """
    nodes = ast.parse(source).body
    starts = [n.lineno - _leading(n) for n in nodes]
    lines = source.splitlines(keepends=True)
    bounds = [0, *(n - 1 for n in starts[1:]), len(lines)]
    return ["".join(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)], nodes


def write_files(files: Mapping[str, str], out_dir: Path) -> list[Path]:
    """Write ``files`` (relative path → text) under ``out_dir`` in sorted order."""
    written = []
    for rel in sorted(files):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = files[rel].encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written


def split_call(indent: int, head: str, body: str, tail: str) -> str:
    """Lay out ``head + body + tail`` (a call or a def) the way black does.

    On one line if it fits; else the body alone on an indented line between
    the brackets; else one item per line with a trailing comma. Templates use
    it for the long lines they write most (signatures, codec tables) so that
    :func:`format_python` rarely needs black itself.
    """
    pad = " " * indent
    one = f"{head}{body}{tail}"
    if indent + len(one) <= LINE_LENGTH:
        return one
    inner = " " * (indent + 4)
    if indent + 4 + len(body) <= LINE_LENGTH and indent + len(head) <= LINE_LENGTH:
        return f"{head}\n{inner}{body}\n{pad}{tail}"
    items = _split_top_level(body)
    if len(items) == 1:  # nothing to split at: black leaves the long item alone, no comma
        return f"{head}\n{inner}{body}\n{pad}{tail}"
    return head + "\n" + "".join(f"{inner}{item},\n" for item in items) + pad + tail


def commented(code: str, comment: str) -> str:
    """``code  # comment`` on one line, or the comment alone above the code.

    The second when the first would be too long: black would wrap the code in
    parentheses to make room for the comment.
    """
    line = f"{code}  # {comment}"
    return line if len(line) <= LINE_LENGTH else f"# {comment}\n{code}"


def layout(line: str, indent: int) -> str:
    """One generated statement, laid out so that black leaves it as it is.

    ``line`` is one line of code at ``indent`` columns (plus its own leading
    spaces); continuation lines carry their full indentation. The shapes the
    codec writer produces are split as black splits them: a call
    (``out += _S.pack(...)``, ``x = f(...)``) by :func:`split_call`; a tuple
    of names unpacked from a call, and ``return T(...), pos``, exploded in
    parentheses with magic trailing commas, which black keeps. Anything else
    is returned as it is, and :func:`format_python` gives it to black.
    """
    own = len(line) - len(line.lstrip(" "))
    if indent + len(line) <= LINE_LENGTH:
        return line
    at, code = indent + own, line.strip()
    node = ast.parse(code).body[0]
    encoded = code.encode("utf-8")  # one line: its offsets are UTF-8 byte columns

    def text(n: ast.AST) -> str:
        start, end = getattr(n, "col_offset", None), getattr(n, "end_col_offset", None)
        assert start is not None and end is not None and n.end_lineno == 1  # type: ignore[attr-defined]
        return encoded[start:end].decode("utf-8")

    def call(indent: int, before: str, n: ast.expr | None, after: str = "") -> str | None:
        if not isinstance(n, ast.Call) or n.keywords:
            return None
        args = ", ".join(text(a) for a in n.args)
        return split_call(indent, f"{before}{text(n.func)}(", args, f"){after}")

    pad, inner = " " * at, " " * (at + 4)
    value = getattr(node, "value", None)
    laid: str | None = None
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
        rest = call(at, ") = ", value)
        names = "".join(f"{inner}{text(e)},\n" for e in node.targets[0].elts)
        laid = rest and f"(\n{names}{pad}{rest}"
    elif isinstance(node, ast.Return) and isinstance(value, ast.Tuple):
        parts = [call(at + 4, "", e, ",") or f"{text(e)}," for e in value.elts]
        laid = "return (\n" + "".join(f"{inner}{part}\n" for part in parts) + f"{pad})"
    elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr)) and value is not None:
        laid = call(at, code[: value.col_offset], value)
    return line if laid is None else " " * own + laid


def _split_top_level(body: str) -> list[str]:
    """Split ``body`` on the commas outside brackets and strings."""
    items, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(body):
        if quote:
            quote = "" if ch == quote and body[i - 1] != "\\" else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
    if body[start:].strip():
        items.append(body[start:].strip())
    return items


def string_literal(text: str) -> str:
    """A str literal as black writes it: double quotes unless that needs more escapes.

    Built on ``repr``, so no input text can break out of the literal.
    """
    if '"' in text and "'" not in text:
        return repr(text)  # repr picks single quotes here, as black does
    body = repr(text)[1:-1]
    if repr(text)[0] == "'":
        body = body.replace("\\'", "'").replace('"', '\\"')
    return f'"{body}"'
