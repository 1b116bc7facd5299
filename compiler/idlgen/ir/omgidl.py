"""OMG IDL annotations: what only CORBA knows about a declaration.

The front-end records the lexical facts (:class:`Prefix`, :class:`ExplicitId`,
:class:`Version`, :class:`TypePrefix`); ``AssignRepositoryIds`` turns them into
one :class:`RepositoryId` on every declaration that has one.
"""

from __future__ import annotations

from dataclasses import dataclass

from idlgen.ir.core import Node


@dataclass(frozen=True, slots=True)
class RepositoryId(Node):
    """The repository ID of a type (``IDL:M/I:1.0``).

    ``#pragma prefix``, ``#pragma ID``, ``#pragma version`` and ``typeprefix``
    are already applied.
    """

    id: str


@dataclass(frozen=True, slots=True)
class Prefix(Node):
    """``#pragma prefix "..."`` in force where the declaration is.

    ``scope`` is the scope the pragma was written in: the declaration's
    repository ID names it relative to that scope (OMG IDL 3.5 §10.7.5.2:
    a prefix given inside ``M3`` makes ``M2::M3::T3`` into ``IDL:P2/T3:1.0``).
    """

    prefix: str
    scope: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExplicitId(Node):
    """``#pragma ID name "id"`` or ``typeid name "id"`` naming this declaration."""

    id: str


@dataclass(frozen=True, slots=True)
class Version(Node):
    """``#pragma version name major.minor`` naming this declaration."""

    version: str


@dataclass(frozen=True, slots=True)
class TypePrefix(Node):
    """``typeprefix name "prefix"`` naming this module, interface or valuetype.

    The prefix applies to it and to everything declared inside it.
    """

    prefix: str


@dataclass(frozen=True, slots=True)
class Annotation(Node):
    """An IDL 4 annotation applied to this declaration (``@key``, ``@range(min = 0)``).

    ``params`` is the text between the parentheses, as written. Kept for the
    record: idlgen gives annotations no meaning yet.
    """

    name: str
    params: str = ""
