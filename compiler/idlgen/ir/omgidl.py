"""OMG IDL annotations: what only CORBA knows about a declaration."""

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
    """``#pragma prefix "..."`` or ``typeprefix`` in force where the declaration is."""

    prefix: str
