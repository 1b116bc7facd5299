"""Calls laid out the way black lays them out, without running black.

The SOAP back-end writes thousands of descriptor calls for a large WSDL;
black on all of them would cost more than the rest of the compilation. The
calls are built as small trees (:class:`Call`) and laid out here by black's
rules for them: on one line if it fits; else the arguments alone on one
indented line; else one argument per line with a trailing comma (each laid
out again at its depth). The golden tests check the result against black.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from idlgen.render import LINE_LENGTH


@dataclass
class Call:
    """``func(args...)``; ``func`` empty: a tuple ``(args...)``."""

    func: str
    args: list[Expr] = field(default_factory=list)
    #: The one-line text, once computed (``lay`` asks for it at every depth).
    line: str | None = field(default=None, compare=False, repr=False)


@dataclass
class Kw:
    """A keyword argument ``name=value``."""

    name: str
    value: Expr


Expr = str | Call | Kw


def text(e: Expr) -> str:
    """The expression on one line."""
    if isinstance(e, str):
        return e
    if isinstance(e, Kw):
        return f"{e.name}={text(e.value)}"
    if e.line is None:
        inner = ", ".join(text(a) for a in e.args)
        if not e.func and len(e.args) == 1:
            inner += ","
        e.line = f"{e.func}({inner})"
    return e.line


def lay(e: Expr, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
    """The lines of ``prefix + e + suffix`` at ``indent`` spaces, as black writes them."""
    pad = " " * indent
    one = prefix + text(e) + suffix
    if isinstance(e, Kw):
        return lay(e.value, indent, f"{prefix}{e.name}=", suffix)
    if indent + len(one) <= LINE_LENGTH or isinstance(e, str) or not e.args:
        return [pad + one]
    head = f"{pad}{prefix}{e.func}("
    tail = f"{pad}){suffix}"
    tuple_of_one = not e.func and len(e.args) == 1
    body = ", ".join(text(a) for a in e.args) + ("," if tuple_of_one else "")
    if indent + 4 + len(body) <= LINE_LENGTH:
        return [head, " " * (indent + 4) + body, tail]
    if len(e.args) == 1 and not tuple_of_one:
        return [head, *lay(e.args[0], indent + 4), tail]
    lines = [head]
    for a in e.args:
        lines += lay(a, indent + 4, "", ",")
    return [*lines, tail]


def statement(e: Expr, indent: int = 0, prefix: str = "") -> str:
    """One statement (``prefix`` such as ``"x = "``) laid out, without a newline at the end."""
    return "\n".join(lay(e, indent, prefix))
