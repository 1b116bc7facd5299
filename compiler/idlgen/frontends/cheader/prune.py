"""Functions of the headers a header only depends on, taken out before pycparser reads it.

A binding takes only types from the headers it includes (``uLong`` from
zconf.h, ``off_t`` from glibc), never their functions: zlib.h includes
unistd.h, whose hundreds of prototypes pycparser would read for nothing (a
third of its time on zlib.h). Each top-level declaration of such a header
that declares or defines a function is blanked, keeping its newlines and
linemarkers so that every line keeps its place; types, variables and enums
stay, as pycparser needs them to read the rest.
"""

from __future__ import annotations

import re
from collections.abc import Container

#: What delimits top-level declarations, and the linemarkers that say whose they are.
_STRUCTURE = re.compile(r"[;{}]|^#[^\n]*", re.MULTILINE)
_LINEMARKER = re.compile(r'^#\s*\d+\s+"((?:[^"\\]|\\.)*)"')


def prune_functions(text: str, keep: Container[str]) -> str:
    """``text`` without the function declarations of files not in ``keep``."""
    pieces: list[str] = []
    copied = 0  # text[:copied] is in pieces
    depth = 0
    start = 0  # where the current top-level declaration starts
    file = start_file = "<stdin>"
    for m in _STRUCTURE.finditer(text):
        token = m.group(0)
        if token[0] == "#":
            marker = _LINEMARKER.match(token)
            if marker:
                file = marker.group(1)
                if depth == 0 and not text[start : m.start()].strip():
                    start, start_file = m.end(), file
            continue
        if token == "{":
            depth += 1
            continue
        body = False
        if token == "}":
            depth -= 1
            if depth:
                continue
            if not text[start : m.start()].split("{", 1)[0].rstrip().endswith(")"):
                continue  # a struct, union or enum body: its `;` ends the declaration
            body = True  # a function's body
        elif depth:
            continue
        if start_file not in keep and _is_function(text[start : m.end()], body):
            pieces.append(text[copied:start])
            pieces.append(_blank(text[start : m.end()]))
            copied = m.end()
        start, start_file = m.end(), file
    pieces.append(text[copied:])
    return "".join(pieces)


def _is_function(declaration: str, body: bool) -> bool:
    """A prototype or a function definition (not a typedef, a type or a variable)."""
    code = "".join(line for line in declaration.splitlines(True) if not line.startswith("#"))
    words = code.split(None, 1)
    if not words or words[0] == "typedef" or "(" not in code:
        return False
    return body or "{" not in code


def _blank(declaration: str) -> str:
    """Only the linemarkers and line ends of ``declaration``."""
    return "".join(
        line if line.startswith("#") else "\n" * line.endswith("\n")
        for line in declaration.splitlines(True)
    )
