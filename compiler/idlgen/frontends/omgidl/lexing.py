"""Lexical details of OMG IDL that the grammar does not carry.

* IDL 4 annotations (``@key``, ``@range(min=0, max=9)``, ``@annotation`` type
  definitions) are blanked out of the preprocessed text before parsing (which
  keeps every other token's line and column); the front-end puts each
  application on the declaration that follows it, with a warning: idlgen
  gives them no meaning yet.
* Literals: IDL's escapes in character and string literals (§7.2.6.2).
* Identifiers: a leading ``_`` escapes a keyword (§7.2.3.1) and is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"@\s*(::\s*)?[A-Za-z_]\w*(\s*::\s*[A-Za-z_]\w*)*")


@dataclass(frozen=True)
class Annotation:
    """One annotation found in the text: its name and 1-based line and column."""

    name: str
    line: int
    col: int
    #: The text between the parentheses, as written ("" without them).
    params: str = ""


def blank_annotations(text: str) -> tuple[str, list[Annotation]]:
    """``text`` with IDL 4 annotation applications and definitions blanked out."""
    chars = list(text)
    found: list[Annotation] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            i = _skip_literal(text, i)
            continue
        if c != "@":
            i += 1
            continue
        m = _NAME.match(text, i)
        if m is None:
            i += 1  # a stray '@': the parser reports it
            continue
        name = re.sub(r"\s+", "", m.group(0)[1:])
        end = m.end()
        params = ""
        if name == "annotation":  # `@annotation Name { ... };`: a definition, skipped whole
            end = _skip_annotation_definition(text, end)
        else:
            j = end
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] == "(":
                end = _skip_balanced(text, j, "(", ")")
                params = " ".join(text[j + 1 : end - 1].split())
        line = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        found.append(Annotation(name, line, col, params))
        for k in range(i, end):
            if chars[k] != "\n":
                chars[k] = " "
        i = end
    return "".join(chars), found


def _skip_literal(text: str, i: int) -> int:
    quote = text[i]
    j = i + 1
    while j < len(text) and text[j] not in (quote, "\n"):
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _skip_balanced(text: str, i: int, open_: str, close: str) -> int:
    depth = 0
    j = i
    while j < len(text):
        c = text[j]
        if c in "\"'":
            j = _skip_literal(text, j)
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return j


def _skip_annotation_definition(text: str, i: int) -> int:
    brace = text.find("{", i)
    if brace < 0:
        return i
    end = _skip_balanced(text, brace, "{", "}")
    while end < len(text) and text[end] in " \t\r\n":
        end += 1
    return end + 1 if end < len(text) and text[end] == ";" else end


_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "v": "\v", "b": "\b", "r": "\r", "f": "\f", "a": "\a",
    "\\": "\\", "?": "?", "'": "'", '"': '"',
}  # fmt: skip
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|[0-7]{1,3}|.)")


def unescape(body: str) -> str:
    """The text of a character or string literal's body, escapes decoded.

    Raises ValueError for an escape IDL does not have.
    """

    def one(m: re.Match[str]) -> str:
        e = m.group(1)
        if e[0] == "x" and len(e) > 1:
            return chr(int(e[1:], 16))
        if e[0] == "u" and len(e) > 1:
            return chr(int(e[1:], 16))
        if e[0] in "01234567":
            return chr(int(e, 8))
        if e in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[e]
        raise ValueError(f"unknown escape sequence '\\{e}'")

    return _ESCAPE.sub(one, body)


def identifier(text: str) -> str:
    """An IDL identifier as declared: ``_interface`` is the identifier ``interface``."""
    return text[1:] if text.startswith("_") and len(text) > 1 else text


def int_literal(text: str) -> int:
    """Decimal, octal (leading 0) or hexadecimal (``0x``) integer literal."""
    if text[:2] in ("0x", "0X"):
        return int(text, 16)
    if len(text) > 1 and text[0] == "0":
        return int(text, 8)
    return int(text)
