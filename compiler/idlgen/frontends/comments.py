"""Doc comments: the comment written right above a declaration, as plain text.

The preprocessor drops comments, so they are read back from the original file
by the line a declaration starts on. Only a comment that ends on the line just
above and starts a line of its own counts; a blank line in between, code
before the ``/*`` (a trailing comment of the previous line), or nothing but
comments above it (the file's header) means the comment is about something else. A
one-line declaration (const, typedef, procedure) may have its comment after
it on the same line; that one wins, as the comment above a run of them is
often the heading of the run. Decoration goes (``/*``, ``*/``, leading `` * ``,
rules of dashes or stars); what is left is dedented, tabs expanded.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import replace

from idlgen import ir

#: The declarations that carry a doc comment into the generated code.
DOCUMENTED = (
    ir.Const, ir.Typedef, ir.Struct, ir.Union_, ir.Enum_, ir.Module, ir.Interface, ir.Operation,
    ir.Field, ir.EnumMember,
)  # fmt: skip

#: Declarations written on one line, whose comment may follow them on that line.
_MEMBERS = (ir.Field, ir.EnumMember)
_ONE_LINERS = (ir.Const, ir.Typedef, ir.Operation, ir.Field, ir.EnumMember)
#: A comment after the last ``;`` (or an enumerator's ``,``) of a line.
_TRAILING = re.compile(r"[;,]\s*(?:/\*(?P<block>(?:(?!\*/).)*)\*/|//(?P<line>.*))\s*$")
#: Lines that are decoration only: rules and boxes of punctuation.
_DECORATION = re.compile(r"^[\s\-=*#/+_~.]*$")
#: Rules around a heading: ``----- Calls. -----``.
_RULE = re.compile(r"^(\s*)[-=*#~]{3,}\s*|\s*[-=*#~]{3,}\s*$")


def with_docs(spec: ir.Spec, source_lines: Callable[[str], Sequence[str]]) -> ir.Spec:
    """``spec`` with each documented declaration's comment in its ``doc``."""

    def document(node: ir.Node) -> ir.Node:
        if isinstance(node, DOCUMENTED) and node.doc is None and node.loc.line > 0:
            lines = source_lines(node.loc.file)
            if isinstance(node, _MEMBERS) and _shares_its_line(lines, node.loc):
                return node  # `enum color { RED, GREEN };`: a comment there is the enum's
            doc = None
            if isinstance(node, _ONE_LINERS):  # its own comment before a group's heading
                doc = comment_after(lines, node.loc.line)
            if doc is None:
                doc = comment_above(lines, node.loc.line)
            if doc is not None:
                return replace(node, doc=doc)
        return node

    return ir.map_tree(spec, document)


def _shares_its_line(lines: Sequence[str], loc: ir.Loc) -> bool:
    """Whether a member stands on its line after its declaration's ``{`` or another member."""
    before = lines[loc.line - 1][: loc.col - 1] if 0 < loc.line <= len(lines) else ""
    return any(mark in before for mark in "{;,")


def comment_after(lines: Sequence[str], line: int) -> str | None:
    """The comment that ends 1-based ``line`` after its ``;``: ``const A = 1; /* why */``."""
    if not 0 < line <= len(lines):
        return None
    m = _TRAILING.search(lines[line - 1])
    return _clean([m["block"] if m["block"] is not None else m["line"]]) if m else None


def comment_above(lines: Sequence[str], line: int) -> str | None:
    """The doc comment ending just above 1-based ``line`` of a file, or None."""
    end = line - 2
    if end < 0 or end >= len(lines):
        return None
    above = lines[end].rstrip()
    if above.endswith("*/"):
        start = end
        while "/*" not in lines[start]:
            start -= 1
            if start < 0:
                return None
        first = lines[start]
        if first[: first.index("/*")].strip():
            return None  # code before it: the previous line's trailing comment
        if _only_comments(lines[:start]):
            return None  # the file's own header (its licence, often), not a declaration's
        block = "\n".join(lines[start : end + 1])
        body = block[block.index("/*") + 2 : block.rindex("*/")]
        text = [re.sub(r"^\s*\*+ ?", "", row) for row in body.split("\n")]
        text[0] = text[0].lstrip("*")
    elif above.lstrip().startswith("//"):
        start = end
        while start > 0 and lines[start - 1].lstrip().startswith("//"):
            start -= 1
        text = [row.lstrip()[2:] for row in lines[start : end + 1]]
    else:
        return None
    return _clean(text)


def _only_comments(lines: Sequence[str]) -> bool:
    """Whether ``lines`` hold no declaration: comments, blanks, ``#`` and ``%`` lines."""
    text = re.sub(r"/\*.*?\*/", "", "\n".join(lines), flags=re.DOTALL)
    return all(
        not row.strip() or row.lstrip().startswith(("//", "#", "%")) for row in text.split("\n")
    )


def _clean(rows: list[str]) -> str | None:
    """The text without decoration, blank edges or trailing spaces.

    As ``inspect.cleandoc``: the first line loses its leading spaces, the
    others their common indentation.
    """
    rows = [_RULE.sub("", row.expandtabs(8)).rstrip() for row in rows]
    rows = ["" if _DECORATION.match(row) else row for row in rows]
    first, rest = rows[0].strip(), textwrap.dedent("\n".join(rows[1:]))
    text = f"{first}\n{rest}".strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text or None
