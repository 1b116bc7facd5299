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
from typing import NamedTuple

from idlgen import ir
from idlgen.diagnostics import Diagnostic
from idlgen.naming import KEYWORDS, SOFT_KEYWORDS, Names, trailing_underscore

#: Names the generated module defines for itself.
RESERVED = frozenset({"ffi", "lib", "IntEnum", "Final", "Any", "annotations"})
#: The helpers every C binding's module defines (docs/c-headers.md): a C function
#: of one of these names is bound with a ``_`` after it.
HELPERS = frozenset(
    {"new", "cast", "string", "buffer", "new_handle", "from_handle", "build_info", "callback"}
    # and the generated modules' own (cffi layer, Cython .pyx): a C function
    # named like one of them would hide it
    | {"_text", "_pointer", "_handle", "_string", "_callback", "_calling", "_done"}
    | {"_vararg", "_ptr", "_at", "_str", "_scalar", "_element", "_normal", "_pending"}
    | {"_raise_pending", "_vcall", "_variadic", "_vtext", "_vpointer", "_callbacks", "_NAMED"}
    | {"_ctypes", "_calloc", "_free", "_c", "_variable", "_find_library"}
)

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


def cython_name(c_name: str) -> str:
    """The name Cython code uses for a C name: a Cython word gets a ``_``."""
    return c_name + "_" if c_name in CYTHON_WORDS else c_name


def cython_ident(c_name: str) -> str:
    """A C name where the ``.pxd`` declares it: a Cython word becomes ``word_ "word"``."""
    return f'{c_name}_ "{c_name}"' if c_name in CYTHON_WORDS else c_name


def module_name(source_stem: str) -> str:
    """The default package of a header's bindings: ``zlib.h`` → ``zlib_c``."""
    from idlgen.naming.xdr import package_name

    return package_name(source_stem) + "_c"


def bound(decl: ir.Decl) -> bool:
    """Whether a declaration is bound (not only brought along for a bound one's types)."""
    ann = ir.annotation(decl, ir.c.Bound)
    return ann is None or ann.bound


class EnumClass(NamedTuple):
    """A bound enum as an ``IntEnum``: the C name it goes by and where that is written."""

    name: str
    decl: ir.Enum_
    loc: ir.Loc


def enum_classes(module: ir.Module) -> list[EnumClass]:
    """The enums by the C name users know them by: a typedef's, else the tag.

    Enums brought along for a bound declaration's types are classes too
    (libxml2's functions return xmlErrorLevel from xmlerror.h). An enum
    without a name (``enum { A, B };``) has no class of its own.
    """
    typedefs = {d.name: d for d in module.decls if isinstance(d, ir.Typedef)}
    found = []
    for d in module.decls:
        if not isinstance(d, ir.Enum_):
            continue
        hoisted = ir.annotation(d, ir.Hoisted)
        if hoisted is not None and hoisted.owner in typedefs:
            found.append(EnumClass(hoisted.owner, d, typedefs[hoisted.owner].loc))
        elif ":" not in d.name and d.name:  # the front-end names an unnamed body owner:n
            found.append(EnumClass(d.name, d, d.loc))
    return found


def module_enumerators(classes: list[EnumClass], taken: set[str]) -> list[tuple[str, str]]:
    """(enumerator, its class) for each enumerator also bound as a module attribute.

    C puts enumerators in the ordinary scope, so a C programmer writes
    ``CURLOPT_URL``, not ``CURLoption.CURLOPT_URL``: both work. An enumerator
    whose name the package already uses (a function, a constant, a helper)
    stays in its class only.
    """
    seen = set(taken) | HELPERS | {c.name for c in classes}
    found = []
    for cls in classes:
        for member in cls.decl.members:
            if member.name not in seen:
                seen.add(member.name)
                found.append((member.name, cls.name))
    return found


def check_names(module: ir.Module) -> list[Diagnostic]:
    """Two C names that become one Python name: an error at the second one.

    Checked per Python namespace: the package (functions, variables, enum
    classes, ``#define`` constants and aliases, enumerators a ``#define``
    makes constants) and each enum class's members. Parameters cannot clash:
    :func:`param_names` numbers a repeated name.
    """
    package = Names("the package")
    members: list[ir.Decl] = []
    enums = enum_classes(module)
    for d in module.decls:
        if isinstance(d, ir.Interface):
            members += [x for x in (*d.operations, *d.attributes) if bound(x)]
    for c_name, _, loc in enums:
        package.claim(c_name, py_name(c_name), loc)
    members += [d for d in module.decls if isinstance(d, ir.Const) and bound(d)]
    members += [
        m for _, e, _ in enums for m in e.members if ir.annotation(m, ir.c.Defined) is not None
    ]
    for d in sorted(members, key=lambda d: (d.loc.file, d.loc.line, d.loc.col)):  # in order
        package.claim(d.name, py_name(d.name), d.loc)
    problems = list(package.clashes)
    for c_name, enum, _ in enums:
        names = Names(f"enum '{c_name}'")
        for m in enum.members:
            names.claim(m.name, py_name(m.name), m.loc)
        problems += names.clashes
    return problems
