"""The OMG IDL-to-Python mapping's names (OMG formal/01-02-66, as omniORBpy has them).

An IDL identifier that is a Python keyword gets a leading underscore
(``_class``, ``_def``), as the mapping says and omniORBpy users expect; other
identifiers are kept. A module ``M`` maps to the package ``M``, its skeletons
to ``M__POA``; the global scope's declarations live in a module named after
the IDL file (``monservice.idl`` → ``monservice_idl``).
"""

from __future__ import annotations

import re

from idlgen.naming import KEYWORDS, SOFT_KEYWORDS, is_identifier

#: Names an IDL-mapped class or module defines itself (``_NP_RepositoryId``,
#: ``_narrow``, ``_this``): input names never start with ``_``, since IDL
#: escapes leading underscores away.
MAPPING_WORDS = KEYWORDS | frozenset({"None", "True", "False"}) | SOFT_KEYWORDS - {"_"}


def py_name(identifier: str) -> str:
    """An IDL identifier in Python: a leading ``_`` for keywords."""
    if identifier.startswith("_"):  # IDL's escaped identifiers: `_interface` is `interface`
        identifier = identifier[1:]
    if not is_identifier(identifier):
        raise ValueError(f"not an identifier: {identifier!r}")
    return "_" + identifier if identifier in MAPPING_WORDS else identifier


def dotted(scoped: tuple[str, ...]) -> str:
    """A scoped name as a Python path (``M::I::T`` → ``M.I.T``), each part mapped."""
    return ".".join(py_name(part) for part in scoped)


def poa_module(module: str) -> str:
    """The skeleton package of a module: ``M`` → ``M__POA``."""
    return f"{py_name(module)}__POA"


def file_module(idl_file_stem: str) -> str:
    """The module of an IDL file's own declarations: ``monservice`` → ``monservice_idl``."""
    return re.sub(r"\W", "_", idl_file_stem) + "_idl"
