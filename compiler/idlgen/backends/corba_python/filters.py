"""Text decisions the CORBA templates need: docstrings, comments, laid-out calls.

Everything here returns Python source that black leaves as it is, so that
:func:`idlgen.render.format_python` rarely has to call black.
"""

from __future__ import annotations

import textwrap

from idlgen.render import LINE_LENGTH, split_call


def docstring(text: str | None, indent: int, blank_after: bool = False) -> str:
    """``text`` as a docstring at ``indent`` columns ("" when there is none).

    ``blank_after``: a class's docstring, which black follows with a blank line.

    Backslashes and quotes are escaped so that no comment in an IDL file can
    end the string early or inject code.
    """
    if not text or not text.strip():
        return ""
    lines = textwrap.dedent(text.expandtabs(4)).strip("\n").split("\n")
    lines = [line.rstrip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    lines[0] = lines[0].lstrip()
    if lines[-1].endswith('"'):
        lines[-1] = lines[-1][:-1] + '\\"'
    pad = " " * indent
    after = "\n" if blank_after else ""
    if len(lines) == 1:
        return f'{pad}"""{lines[0]}"""\n{after}'
    body = "\n".join(f"{pad}{line}" if line else "" for line in lines[1:])
    return f'{pad}"""{lines[0]}\n{body}\n{pad}"""\n{after}'


def comment(text: str | None, indent: int) -> str:
    """``text`` as ``#:`` comment lines (for constants and aliases), or ""."""
    if not text or not text.strip():
        return ""
    pad = " " * indent
    lines = textwrap.dedent(text.expandtabs(4)).strip("\n").split("\n")
    return "".join(f"{pad}#: {line.rstrip()}".rstrip() + "\n" for line in lines)


def call(indent: int, head: str, items: list[str], tail: str = ")") -> str:
    """``head`` + items + ``tail`` laid out as black would (see :func:`split_call`).

    A ``def`` of one parameter split over lines gets the trailing comma black adds.
    """
    laid = split_call(indent, head, ", ".join(items), tail)
    if len(items) == 1 and "\n" in laid and head.lstrip().startswith(("def ", "async def ")):
        first, _, rest = laid.partition("\n")
        body, _, last = rest.rpartition("\n")
        if not body.endswith(","):
            laid = f"{first}\n{body},\n{last}"
    return laid


def inline(head: str, items: list[str], tail: str = ")") -> str:
    """``head`` + items + ``tail`` on one line (for an item of a larger layout)."""
    return f"{head}{', '.join(items)}{tail}"


def exploded(indent: int, head: str, items: list[str], tail: str = ")") -> str:
    """One item per line with a trailing comma (black keeps that layout), or one line if none.

    A tuple of one item is written ``(x,)`` when it fits: that comma is not
    one black keeps.
    """
    if not items:
        return f"{head}{tail}"
    if head == "(" and len(items) == 1:
        one = f"({items[0]},)"
        if indent + len(one) <= LINE_LENGTH:
            return one
    inner = " " * (indent + 4)
    return head + "\n" + "".join(f"{inner}{item},\n" for item in items) + " " * indent + tail


def tuple_of(indent: int | None, items: list[str]) -> str:
    """A tuple literal: ``()``, ``(x,)`` or a call-like layout of several.

    ``indent`` None: on one line, for an item of a larger layout.
    """
    if not items:
        return "()"
    if indent is None:
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if len(items) == 1:
        one = f"({items[0]},)"
        if indent + len(one) <= LINE_LENGTH:
            return one
        return exploded(indent, "(", items)
    one = f"({', '.join(items)})"
    return one if indent + len(one) <= LINE_LENGTH else exploded(indent, "(", items)


def fits(indent: int, line: str) -> bool:
    """Whether ``line`` fits black's width at ``indent``."""
    return indent + len(line) <= LINE_LENGTH


def assign_tuple(indent: int, target: str, items: list[str]) -> str:
    """``target = (items...)`` laid out as black would, one-item tuples included."""
    head = f"{target} = ("
    if len(items) == 1:
        one = f"{head}{items[0]},)"
        if indent + len(one) <= LINE_LENGTH:
            return one
        return exploded(indent, head, items)
    if not items:
        return f"{target} = ()"
    one = f"{head}{', '.join(items)})"
    return one if indent + len(one) <= LINE_LENGTH else exploded(indent, head, items)


def assign(indent: int, target: str, value: str) -> str:
    """``target = value`` as black lays out a too-long one.

    The value goes in parentheses on its own line when that fits, else the
    line stays long (black cannot shorten a string).
    """
    one = f"{target} = {value}"
    if indent + len(one) <= LINE_LENGTH or indent + 4 + len(value) > LINE_LENGTH:
        return one
    pad = " " * indent
    return f"{target} = (\n{pad}    {value}\n{pad})"


def dict_entry(indent: int, key: str, items: list[str]) -> str:
    """``key: (items)`` in a dict at ``indent`` (its comma follows), exploded when too long."""
    one = f"{key}: ({', '.join(items)})"
    if indent + len(one) + 1 <= LINE_LENGTH:
        return one
    return exploded(indent, f"{key}: (", items, ")")


def tuple_item(indent: int, prefix: str, items: list[str]) -> str:
    """``prefix(items)`` as an item at ``indent`` (``raises=(a, b)``), exploded when too long."""
    inline = prefix + tuple_of(None, items)
    if indent + len(inline) + 1 <= LINE_LENGTH or not items:
        return inline
    return exploded(indent, prefix + "(", items)


def nested_call(indent: int, head: str, inline: list[str], laid: list[str], tail: str = ")") -> str:
    """A call whose items may need layouts of their own (``laid``, written at ``indent + 4``).

    As black: on one line, or the items on one line between the brackets, or
    one item per line, each laid out in turn.
    """
    one = call(indent, head, inline, tail)
    if all(len(line) <= LINE_LENGTH for line in one.split("\n")):
        return one
    return exploded(indent, head, laid, tail)


def class_header(name: str, bases: str) -> str:
    """``class name(bases):`` as black splits a long one."""
    return split_call(0, f"class {name}(", bases, "):")
