"""The C bindings' names: C identifiers as attributes of the generated module.

A C name keeps its spelling; one that Python holds (keyword, soft keyword,
builtin) or that the module defines for itself (``ffi``, ``lib``) gets a
trailing underscore, as in every mapping. Parameters lose the leading
underscores system headers give them (``__filename`` → ``filename``). In
Cython's ``.pxd`` a C name that is a Cython word is renamed with its C name
kept in a string (``from_ "from"``).
"""

from __future__ import annotations

from collections.abc import Sequence

from idlgen.naming import KEYWORDS, SOFT_KEYWORDS, trailing_underscore

#: Names the generated module defines for itself.
RESERVED = frozenset({"ffi", "lib", "IntEnum", "Final", "Any", "annotations"})

#: Words Cython reserves in a ``.pxd``/``.pyx``, beyond Python's keywords (of
#: the soft keywords, those of ``match`` statements; ``type`` stays a C name).
CYTHON_WORDS = (
    KEYWORDS
    | (SOFT_KEYWORDS - {"type"})
    | frozenset(
        "cdef cpdef ctypedef cimport include extern nogil gil readonly public api inline object "
        "bint Py_ssize_t fused new del sizeof NULL struct union enum const volatile".split()
    )
)


def py_name(c_name: str, reserved: frozenset[str] = frozenset()) -> str:
    """The Python attribute for a C name (the one mangling rule, plus ffi/lib)."""
    return trailing_underscore(c_name, RESERVED | reserved)


def param_names(c_names: Sequence[str | None], reserved: frozenset[str] = frozenset()) -> list[str]:
    """Python names of a C function's parameters, as keyword arguments and in hints.

    System headers spell parameters ``__filename`` to stay out of the user's
    namespace; the leading underscores go (``filename``). Unnamed ones are
    ``arg0``, ``arg1``…; a name already taken gets its position appended; then
    the one mangling rule.
    """
    names: list[str] = []
    for i, c_name in enumerate(c_names):
        name = trailing_underscore((c_name or "").lstrip("_") or f"arg{i}", RESERVED | reserved)
        names.append(name if name not in names else f"{name}_{i}")
    return names


def cython_ident(c_name: str) -> str:
    """A C name usable in Cython: a Cython word becomes ``word_ "word"``."""
    return f'{c_name}_ "{c_name}"' if c_name in CYTHON_WORDS else c_name


def module_name(source_stem: str) -> str:
    """The default package of a header's bindings: ``zlib.h`` → ``zlib_c``."""
    from idlgen.naming.xdr import package_name

    return package_name(source_stem) + "_c"
