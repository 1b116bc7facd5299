"""The OMG IDL-to-Python mapping's names (OMG formal/02-11-05, as omniORBpy has them).

An IDL identifier that is a Python keyword gets a leading underscore
(``_class``, ``_def``, ``_None``), as the mapping says and omniORBpy users
expect; other identifiers are kept, builtins and soft keywords included
(``type``, ``id``, ``match`` are valid Python names). The keyword list is
:data:`idlgen.naming.KEYWORDS`, fixed: the output never depends on the Python
that runs the compiler (omniidl asks its own interpreter's ``keyword`` module).

A module ``M`` maps to the package ``M``, its skeletons to ``M__POA``, its
asyncio stubs to ``M__aio``; the global scope's declarations to the package
``_GlobalIDL``. Every definition of an IDL file lives in one Python module
named after it (``monservice.idl`` → ``monservice_idl``), where each gets a
*flat* name unique in that module (:class:`FlatNames`): its own name when no
other declaration of the file shares it, else its scoped path joined by
``_``. Helper names there start with an underscore and a word no IDL name can
give (``_tc_``, ``_d_``, ``_POA_``, ``_aio_``): IDL identifiers never start
with ``_``, and a mangled keyword is ``_`` plus a keyword.
"""

from __future__ import annotations

import re

from idlgen.naming import KEYWORDS, is_identifier

#: The words that get a leading ``_``: Python's hard keywords, a fixed list.
MAPPING_WORDS = KEYWORDS

#: The package of declarations at file scope (omniORBpy's name for it).
GLOBAL_PACKAGE = "_GlobalIDL"

#: Names a generated ``x_idl`` module binds itself (imports, and the builtins
#: its type hints use): a declaration of one of these names gets its scoped flat name.
RESERVED = frozenset(
    {"dataclasses", "decimal", "enum", "typing", "TypeAlias", "CORBA", "PortableServer"}
    | {"tc", "mapping", "annotations", "int", "str", "float", "bool", "bytes", "list"}
    | {"tuple", "object", "None", "super", "len", "self"}
)


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


def package_path(module_path: tuple[str, ...], suffix: str = "") -> tuple[str, ...]:
    """The package of an IDL module path: ``("M", "N")`` → ``("M", "N")``; file scope → _GlobalIDL.

    ``suffix`` ``"__POA"`` or ``"__aio"`` names the skeleton or asyncio twin
    (only the top-level package carries it: ``M__POA/N``, as omniORBpy has it).
    """
    if not module_path:
        return (GLOBAL_PACKAGE + suffix,)
    parts = tuple(py_name(p) for p in module_path)
    return (parts[0] + suffix, *parts[1:])


def poa_module(module: str) -> str:
    """The skeleton package of a module: ``M`` → ``M__POA``."""
    return f"{py_name(module)}__POA"


def file_module(idl_file_stem: str) -> str:
    """The module of an IDL file's own declarations: ``monservice`` → ``monservice_idl``."""
    name = re.sub(r"\W", "_", idl_file_stem) + "_idl"
    return "_" + name if name[0].isdigit() else name


def tc_name(flat: str) -> str:
    """The TypeCode of a type: ``Point`` → ``_tc_Point`` (omniORBpy's name)."""
    return f"_tc_{flat}"


def descriptor_name(flat: str, op: str) -> str:
    """An operation's descriptor: ``_d_Service_doubler_str``."""
    return f"_d_{flat}_{op}"


def skeleton_name(flat: str) -> str:
    """The skeleton class of an interface in its file's module."""
    return f"_POA_{flat}"


def aio_name(flat: str) -> str:
    """The asyncio stub class of an interface in its file's module."""
    return f"_aio_{flat}"


def getter(attribute: str) -> str:
    """An attribute's get operation, as on the wire: ``_get_x``."""
    return f"_get_{attribute}"


def setter(attribute: str) -> str:
    """An attribute's set operation, as on the wire: ``_set_x``."""
    return f"_set_{attribute}"


class FlatNames:
    """Names in one generated ``x_idl`` module, handed out once each.

    :meth:`plan` takes every scoped path that needs a name; a local name that
    two paths share (or that the module binds itself) becomes the path joined
    by ``_``; what still clashes gets a number. The same paths in the same
    order always give the same names.
    """

    def __init__(self, reserved: frozenset[str] = RESERVED) -> None:
        self.taken: set[str] = set(reserved)
        self.by_path: dict[tuple[str, ...], str] = {}

    def plan(self, paths: list[tuple[str, ...]]) -> None:
        """Name every path (in order); paths already named keep their names."""
        paths = [p for p in dict.fromkeys(paths) if p not in self.by_path]
        counts: dict[str, int] = {}
        for path in paths:
            local = py_name(path[-1])
            counts[local] = counts.get(local, 0) + 1
        for path in paths:
            local = py_name(path[-1])
            wanted = local
            if counts[local] > 1 or local in self.taken:
                wanted = "_".join(py_name(p) for p in path)
            self.by_path[path] = self.claim(wanted)

    def claim(self, wanted: str) -> str:
        """``wanted``, or ``wanted_2``, ``wanted_3``... whichever is free first."""
        name, n = wanted, 1
        while name in self.taken:
            n += 1
            name = f"{wanted}_{n}"
        self.taken.add(name)
        return name

    def __getitem__(self, path: tuple[str, ...]) -> str:
        return self.by_path[path]
