"""Every naming rule of the generated Python, in one place.

The one mangling rule (documented in docs/xdr.md, "Naming"): a name from the input
that is a Python keyword, a soft keyword, a builtin, or a name the generated
module itself uses gets one trailing underscore (``type`` → ``type_``,
``from`` → ``from_``). Names are otherwise kept exactly as written, so
``SIMP_PROG`` stays ``SIMP_PROG`` and users find what the interface file says.
Back-ends and templates call these functions; nothing else invents names.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Sequence

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))

#: Names the generated modules import or define for themselves.
GENERATED_NAMES = frozenset(
    {"annotations", "dataclass", "field", "IntEnum", "TypeAlias", "ClassVar"}
)

#: The parameters and locals of generated codecs. A declared type of one of
#: these names is mangled, so a codec never shadows the class it builds.
CODEC_LOCALS = frozenset(
    {
        "out",
        "buf",
        "pos",
        "value",
        "disc",
        "raw",
        "cur",
        "head",
        "last",
        "more",
        "len",
        "str",
        "bytes",
        "size",
    }
)

#: Attributes that generated classes define; a member of the same name is mangled.
STRUCT_MEMBERS = frozenset({"to_xdr", "from_xdr"})
CLIENT_MEMBERS = frozenset(
    {"connect", "close", "null", "program", "version", "procedures", "serve", "call_context"}
)

#: Prefixes of generated helpers; input names are never private (see ``py_name``).
ENCODER_PREFIX = "_enc_"
DECODER_PREFIX = "_dec_"


def type_name(name: str) -> str:
    """A declared type, enum, const or program: also kept clear of the codec locals."""
    return py_name(name, CODEC_LOCALS)


def py_name(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """The Python spelling of an input name (see the module docstring)."""
    if not _IDENT.match(name):
        raise ValueError(f"not an identifier: {name!r}")  # the front-ends never produce one
    if name in KEYWORDS or name in BUILTINS or name in GENERATED_NAMES or name in reserved:
        return name + "_"
    return name


def member_name(name: str) -> str:
    """A struct or union member: also kept clear of the generated methods."""
    return py_name(name, STRUCT_MEMBERS)


def method_name(name: str) -> str:
    """A procedure/operation as a client or server method."""
    return py_name(name, CLIENT_MEMBERS)


def param_names(c_names: Sequence[str | None], reserved: frozenset[str] = frozenset()) -> list[str]:
    """Python names of a C function's parameters, as keyword arguments and in hints.

    System headers spell parameters ``__filename`` to stay out of the user's
    namespace; the leading underscores go (``filename``). Unnamed ones are
    ``arg0``, ``arg1``…; a name already taken gets its position appended; then
    the one mangling rule.
    """
    names: list[str] = []
    for i, c_name in enumerate(c_names):
        name = py_name((c_name or "").lstrip("_") or f"arg{i}", reserved)
        names.append(name if name not in names else f"{name}_{i}")
    return names


def package_name(source_stem: str) -> str:
    """The generated package for ``simp.x`` is ``simp``; odd characters become ``_``."""
    name = re.sub(r"\W", "_", source_stem)
    if not name or name[0].isdigit():
        name = "_" + name
    return py_name(name.lower() if name.isupper() else name)


def encoder_name(type_name: str) -> str:
    """The private encoder function of a named type."""
    return ENCODER_PREFIX + type_name


def decoder_name(type_name: str) -> str:
    """The private decoder function of a named type."""
    return DECODER_PREFIX + type_name
