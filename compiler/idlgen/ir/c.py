"""C annotations: what only a C header knows about a declaration."""

from __future__ import annotations

from dataclasses import dataclass

from idlgen.ir.core import Node


@dataclass(frozen=True, slots=True)
class Header(Node):
    """The Module of a binding: the headers it binds (the first is the one named).

    Each is written from the folder of the Spec's file (``zlib.h``), so the IR
    holds no path of the machine that compiled it.
    """

    headers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Bound(Node):
    """Whether the declaration is bound, or only comes along because a bound one uses it."""

    bound: bool = True


@dataclass(frozen=True, slots=True)
class Alias(Node):
    """``#define mpz_add __gmpz_add``: another name for a bound function."""

    target: str


@dataclass(frozen=True, slots=True)
class Cast(Node):
    """A ``#define`` whose value is a number cast to a pointer type (its C spelling)."""

    ctype: str


@dataclass(frozen=True, slots=True)
class ByValue(Node):
    """The function passes a union or a bitfield struct by value (``type``: as C spells it)."""

    type: str


@dataclass(frozen=True, slots=True)
class Defined(Node):
    """An enumerator that a ``#define`` of its own name makes a constant too.

    expat's ``#define XML_STATUS_OK XML_STATUS_OK``: the package has the constant.
    """
