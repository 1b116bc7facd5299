"""The Sun RPC / XDR mapping's names (docs/xdr.md, "Naming").

The one mangling rule: a name from the ``.x`` file that is a Python keyword, a
soft keyword, a builtin, or a name the generated module itself uses gets one
trailing underscore (``type`` → ``type_``, ``from`` → ``from_``). Names are
otherwise kept exactly as written, so ``SIMP_PROG`` stays ``SIMP_PROG`` and
users find what the interface file says. Two names that become one Python
name are an error (:func:`check_names`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from idlgen import ir
from idlgen.diagnostics import Diagnostic
from idlgen.naming import GENERATED_NAMES, Names, trailing_underscore
from idlgen.passes.context import Context

#: The parameters and locals of generated codecs, and the modules they import.
#: A declared type of one of these names is mangled, so a codec never shadows
#: the class it builds or a builtin it calls.
CODEC_LOCALS = frozenset(
    {
        "out", "buf", "pos", "value", "disc", "raw", "cur", "head", "last", "more", "len",
        "str", "bytes", "size", "_xdr", "_struct", "_t",
    }
)  # fmt: skip

#: What the generated modules import from the runtime (and the package's own
#: imports): a program, type or constant of one of these names is mangled.
RUNTIME_NAMES = frozenset(
    {"Codec", "RpcClient", "AsyncRpcClient", "RpcProgram", "Procedure", "importlib", "ModuleType"}
)

#: Attributes that generated classes define; a member of the same name is mangled.
STRUCT_MEMBERS = frozenset({"to_xdr", "from_xdr"})
CLIENT_MEMBERS = frozenset(
    {"connect", "close", "null", "program", "version", "procedures", "serve", "call_context"}
)
#: The client and server methods' own names (``out``, the encoded arguments).
METHOD_LOCALS = frozenset({"self", "out"})

#: Prefixes of generated helpers; input names never start with ``_`` in XDR.
ENCODER_PREFIX = "_enc_"
DECODER_PREFIX = "_dec_"


def py_name(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """The Python spelling of an input name (see the module docstring)."""
    return trailing_underscore(name, GENERATED_NAMES | reserved)


def type_name(name: str) -> str:
    """A declared type, enum, const or program: also kept clear of the codec locals."""
    return py_name(name, CODEC_LOCALS | RUNTIME_NAMES)


def member_name(name: str) -> str:
    """A struct or union member: also kept clear of the generated methods."""
    return py_name(name, STRUCT_MEMBERS)


def enumerator_name(name: str) -> str:
    """An enum member inside its ``IntEnum`` class."""
    return py_name(name)


def method_name(name: str) -> str:
    """A procedure as a client or server method."""
    return py_name(name, CLIENT_MEMBERS)


def param_name(name: str) -> str:
    """A procedure argument in a method's parameter list."""
    return py_name(name, METHOD_LOCALS | CODEC_LOCALS)


def package_name(source_stem: str) -> str:
    """The generated package for ``simp.x`` is ``simp``; odd characters become ``_``."""
    name = re.sub(r"\W", "_", source_stem)
    if not name or name[0].isdigit():
        name = "_" + name
    return py_name(name.lower() if name.isupper() else name)


def encoder_name(type_name_: str) -> str:
    """The private encoder function of a named type (by its Python name)."""
    return ENCODER_PREFIX + type_name_


def decoder_name(type_name_: str) -> str:
    """The private decoder function of a named type (by its Python name)."""
    return DECODER_PREFIX + type_name_


def check_names(spec: ir.Spec, ctx: Context) -> ir.Spec:
    """Two declarations that become one Python name are an error at the second one.

    Checked per Python namespace: ``types.py`` (every type's class and codec
    functions), ``const.py``
    (constants and program, version and procedure numbers), each class's
    members, each enum's values, each client's methods and each method's
    parameters.
    """
    problems: list[Diagnostic] = []

    def check(what: str, items: Iterable[tuple[str, str, ir.Loc]]) -> None:
        names = Names(what)
        for source, python, loc in items:
            names.claim(source, python, loc)
        problems.extend(names.clashes)

    types = [d for d in spec.decls if isinstance(d, (ir.Enum_, ir.Struct, ir.Union_, ir.Typedef))]
    # each type's class and its two codec functions share types.py
    check(
        "types.py",
        (
            (d.name, python, d.loc)
            for d in types
            for python in (
                type_name(d.name),
                encoder_name(type_name(d.name)),
                decoder_name(type_name(d.name)),
            )
        ),
    )
    consts: list[ir.Decl] = [d for d in ir.walk(spec) if isinstance(d, ir.Const)]
    for prog in (d for d in spec.decls if isinstance(d, ir.Module)):
        consts.append(prog)
        for version in prog.decls:
            if isinstance(version, ir.Interface):
                consts += [version, *version.operations]
                check(
                    f"the client of version '{version.name}'",
                    ((op.name, method_name(op.name), op.loc) for op in version.operations),
                )
                for op in version.operations:
                    check(
                        f"the parameters of '{op.name}'",
                        ((p.name, param_name(p.name), p.loc) for p in op.params),
                    )
    check("const.py", ((d.name, type_name(d.name), d.loc) for d in consts))
    for decl in types:
        if isinstance(decl, ir.Enum_):
            check(
                f"enum '{decl.name}'",
                ((m.name, enumerator_name(m.name), m.loc) for m in decl.members),
            )
        elif isinstance(decl, ir.Struct):
            check(
                f"struct '{decl.name}'",
                ((f.name, member_name(f.name), f.loc) for f in decl.fields),
            )
        elif isinstance(decl, ir.Union_):
            arms = [c.field for c in (*decl.cases, decl.default) if c is not None and c.field]
            members = [*([decl.discriminator] if decl.discriminator else []), *arms]
            check(
                f"union '{decl.name}'",
                ((f.name, member_name(f.name), f.loc) for f in members),
            )
    ctx.reporter.diagnostics.extend(problems)
    return spec
