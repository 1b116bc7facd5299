"""The XDR back-end: a checked ``.x`` Spec to a Python package.

    simp/__init__.py   the package; imports the modules below
    simp/const.py      constants, enum values, program/version/procedure numbers
    simp/types.py      enums, dataclasses, typedef aliases and their XDR codecs
    simp/codecs.py     one ``Codec`` per named type (typedefs included)
    simp/client.py     blocking clients: ``client.PROG.VERS.connect(host)``
    simp/server.py     server bases to subclass: ``server.PROG.VERS``
    simp/aioclient.py  asyncio clients, the same shape
    simp/aioserver.py  asyncio server bases (``async def`` procedures)

Decisions live in :mod:`.filters` and :mod:`.codecs`; the templates in
``templates/xdr/`` only place what they are given.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from idlgen import ir
from idlgen.backends.xdr_python.codecs import CodecWriter
from idlgen.backends.xdr_python.filters import Filters
from idlgen.naming.xdr import (
    decoder_name,
    encoder_name,
    member_name,
    method_name,
    package_name,
    param_name,
    type_name,
)
from idlgen.passes.context import Context
from idlgen.pipeline import Options, Result
from idlgen.render import format_python, render


@dataclass
class TypeView:
    """One named type as the templates place it."""

    decl: ir.Decl
    kind: str  # "enum" | "struct" | "union" | "typedef"
    encode: list[str] = field(default_factory=list)
    decode: list[str] = field(default_factory=list)
    alias: str = ""  # typedef: the aliased type hint
    chain: ir.Field | None = None  # struct: the member that continues a linked list
    chain_prefix: list[str] = field(default_factory=list)
    #: Whether the list's decoding loop reads ``size = len(buf)`` before it starts.
    chain_size: bool = False
    #: Whether the encoder packs the next entry's presence flag with the last run.
    chain_flag_joined: bool = False
    chain_decode: list[str] = field(default_factory=list)
    members: list[ir.Field] = field(default_factory=list)  # struct members / union arms


@dataclass
class ProcView:
    """One procedure: its numbers and the codec functions of its arguments and result."""

    op: ir.Operation
    number: int
    args_encoder: str | None  # None: the procedure takes no arguments
    args_decoder: str
    result_encoder: str
    result_decoder: str


def generate(spec: ir.Spec, ctx: Context, options: Options, source: Path) -> Result:
    """Render the package for ``spec`` (see the module docstring)."""
    pkg = options.name or package_name(source.stem)
    members = {n.name for n in ir.walk(spec) if isinstance(n, (ir.Field, ir.Param))}
    writer = CodecWriter(
        ctx,
        {type_name(d.name) for d in _type_decls(spec)},
        members | {param_name(n) for n in members},
    )
    filters = Filters(ctx, source)
    types = [_type_view(d, writer, filters) for d in _type_decls(spec)]
    programs = [d for d in spec.decls if isinstance(d, ir.Module)]
    procs, proc_functions = _procedures(
        programs, writer, filters, [d.name for d in _type_decls(spec)]
    )
    # The procedure codecs are written before the type codecs are placed, so
    # every struct plan either of them uses is collected by now.
    common = {"pkg": pkg, "source": filters.where(spec).rsplit(":", 1)[0], "spec": spec}
    table = filters.table()
    body = {
        "__init__.py": render("xdr", "package.py.j2", table, programs=programs, **common),
        "const.py": render(
            "xdr", "const.py.j2", table, sections=_const_sections(spec, programs), **common
        ),
        "types.py": render(
            "xdr",
            "types.py.j2",
            table,
            types=types,
            functions=proc_functions,
            plans=writer.plans.sorted(),
            **common,
        ),
        "codecs.py": render("xdr", "codecs.py.j2", table, types=types, **common),
    }
    if programs:
        for module in _SERVICE_MODULES:
            context = {"programs": programs, "procs": procs, "module": module}
            body[f"{module}.py"] = render("xdr", f"{module}.py.j2", table, **context, **common)
    files = {
        f"{pkg}/{rel}": format_python(_trim_imports(text), f"{pkg}/{rel}")
        for rel, text in body.items()
    }
    return Result(files=files)


#: The service modules, each rendered from the template of its name (the
#: asyncio ones extend the blocking ones' base).
_SERVICE_MODULES = ("client", "server", "aioclient", "aioserver")


def _type_decls(spec: ir.Spec) -> list[ir.Decl]:
    return [d for d in spec.decls if isinstance(d, (ir.Enum_, ir.Struct, ir.Union_, ir.Typedef))]


def _type_view(decl: ir.Decl, w: CodecWriter, filters: Filters) -> TypeView:
    w.start_function()
    if isinstance(decl, ir.Enum_):
        view = TypeView(decl, "enum")
        view.encode = ["out += _xdr.INT.pack(value)"]
        view.decode = [
            "(raw,) = _xdr.INT.unpack_from(buf, pos)",
            f"return {type_name(decl.name)}(raw), pos + 4",
        ]
        return view
    if isinstance(decl, ir.Typedef):
        view = TypeView(decl, "typedef", alias=filters.py_type(decl.type))
        view.encode = w.encode(decl.type, "value")
        w.start_function()
        view.decode = _returning(w.decode(decl.type, "value"), "value")
        return view
    if isinstance(decl, ir.Struct):
        return _struct_view(decl, w)
    assert isinstance(decl, ir.Union_)
    return _union_view(decl, w, filters)


def _struct_view(decl: ir.Struct, w: CodecWriter) -> TypeView:
    view = TypeView(decl, "struct", members=list(decl.fields))
    args = ", ".join(w.local_name(f.name) for f in decl.fields)
    chain = w.chain_field(decl)
    if chain is not None and chain == len(decl.fields) - 1:
        # A linked list through optional data: loop instead of recursing.
        view.chain = decl.fields[chain]
        prefix = decl.fields[:chain]
        link = member_name(view.chain.name)
        view.chain_flag_joined = w.joins_flag(prefix)
        view.chain_prefix = w.struct_encode(prefix, "cur", f"cur.{link} is not None")
        w.start_function()
        ctor = ", ".join([*(w.local_name(f.name) for f in prefix), "None"])
        view.chain_decode = [
            *w.struct_decode(prefix, "more", size="size"),
            f"cur = {type_name(decl.name)}({ctor})",
        ]
        view.chain_size = any(re.search(r"\bsize\b", line) for line in view.chain_decode)
        return view
    view.encode = w.struct_encode(decl.fields, "value")
    w.start_function()
    view.decode = [*w.struct_decode(decl.fields), f"return {type_name(decl.name)}({args}), pos"]
    return view


def _union_view(decl: ir.Union_, w: CodecWriter, filters: Filters) -> TypeView:
    assert decl.discriminator is not None
    arms = [c for c in (*decl.cases, decl.default) if c is not None]
    members: list[ir.Field] = []
    for c in arms:
        if c.field is not None and all(c.field.name != m.name for m in members):
            members.append(c.field)
    view = TypeView(decl, "union", members=members)
    name = type_name(decl.name)
    disc = decl.discriminator
    conditions = []
    for i, case in enumerate(decl.cases):
        labels = [filters.label(decl, v) for v in case.labels]
        cond = f"disc == {labels[0]}" if len(labels) == 1 else f"disc in ({', '.join(labels)})"
        conditions.append(f"{'elif' if i else 'if'} {cond}:")
    # the decoder and the encoder are two functions: each numbers its temporaries
    view.decode = w.decode(disc.type, "disc")
    for cond, case in zip(conditions, decl.cases, strict=True):
        view.decode += [cond, *_indent(_arm_decode(case, name, w))]
    if decl.default is not None:
        view.decode += _arm_decode(decl.default, name, w)
    else:
        view.decode += [f"raise _xdr.bad_enum({filters.literal(decl.name)}, disc)"]
    w.start_function()
    view.encode = [f"disc = value.{member_name(disc.name)}", *w.encode(disc.type, "disc")]
    for cond, case in zip(conditions, decl.cases, strict=True):
        view.encode += [cond, *_indent(_arm_encode(case, decl, w) or ["pass"])]
    if decl.default is not None:
        arm_encode = _arm_encode(decl.default, decl, w) or ["pass"]
    else:
        arm_encode = [f"raise _xdr.no_arm({filters.literal(decl.name)}, disc)"]
    if not decl.cases:  # only a default arm
        view.encode += arm_encode
    elif arm_encode != ["pass"]:
        view.encode += ["else:", *_indent(arm_encode)]
    return view


def _arm_decode(case: ir.Case, cls: str, w: CodecWriter) -> list[str]:
    if case.field is None:
        return [f"return {cls}(disc), pos"]
    var = w.local_name(case.field.name)
    return [
        *w.decode(case.field.type, var),
        f"return {cls}(disc, {member_name(case.field.name)}={var}), pos",
    ]


def _arm_encode(case: ir.Case, union: ir.Union_, w: CodecWriter) -> list[str]:
    if case.field is None:
        return []
    member = member_name(case.field.name)
    return w.encode(case.field.type, f'_xdr.arm(value.{member}, "{union.name}.{member}")')


@dataclass
class FunctionView:
    """A codec function for procedure arguments or results (see ``proc_codec.py.j2``)."""

    name: str
    params: str
    returns: str
    doc: str
    body: list[str]


class _ProcCodecs:
    """The codecs procedures need beyond the named types', each written once.

    A single argument or a result of a declared type uses that type's codec; of
    an anonymous type (``int``, ``string<>``) a codec shared by every procedure
    that uses the same type; several arguments get one function per procedure.
    """

    def __init__(self, w: CodecWriter, filters: Filters, type_names: list[str]) -> None:
        self.w = w
        self.filters = filters
        self.functions: dict[str, FunctionView] = {}
        #: The named types' classes and codec functions, which these must not collide with.
        self.taken = {
            f(type_name(n)) for n in type_names for f in (encoder_name, decoder_name, str)
        }

    def name(self, wanted: str) -> str:
        """``wanted``, with underscores added until it differs from a type's codec."""
        while wanted in self.taken:
            wanted += "_"
        return wanted

    def value_codecs(self, t: ir.Type) -> tuple[str, str]:
        if isinstance(t, ir.Primitive) and t.kind is ir.Prim.VOID:
            return "_xdr.enc_void", "_xdr.dec_void"
        if isinstance(t, ir.Named):
            return encoder_name(self.w.py(t)), decoder_name(self.w.py(t))
        slug = _slug(t)
        enc, dec = self.name(f"_enc_{slug}"), self.name(f"_dec_{slug}")
        hint = self.filters.py_type(t)
        if enc not in self.functions:
            self.w.start_function()
            self.functions[enc] = FunctionView(
                enc,
                f"out: bytearray, value: {hint}",
                "None",
                f"Encode one {_describe(t)}.",
                self.w.encode(t, "value"),
            )
            self.w.start_function()
            body = _returning(self.w.decode(t, "value"), "value")
            self.functions[dec] = FunctionView(
                dec,
                "buf: _xdr.Buffer, pos: int",
                f"tuple[{hint}, int]",
                f"Decode one {_describe(t)}.",
                body,
            )
        return enc, dec

    def args_codecs(self, key: str, op: ir.Operation) -> tuple[str | None, str]:
        """The client's argument encoder (None: no arguments) and the server's decoder."""
        params = op.params
        if not params:
            return None, "_xdr.dec_no_args"
        if len(params) == 1:
            enc, dec = self.value_codecs(params[0].type)
            args_dec = self.name(f"_dec_args_{dec.removeprefix('_dec_')}")
            hint = self.filters.py_type(params[0].type)
            if args_dec not in self.functions:
                self.functions[args_dec] = FunctionView(
                    args_dec,
                    "buf: _xdr.Buffer, pos: int",
                    f"tuple[tuple[{hint}], int]",
                    f"Decode the one argument ({_describe(params[0].type)}) of a procedure.",
                    [f"value, pos = {dec}(buf, pos)", "return (value,), pos"],
                )
            return enc, args_dec
        where = self.filters.where(op)
        enc, dec = self.name(f"_enc_args_{key}"), self.name(f"_dec_args_{key}")
        hints = [self.filters.py_type(p.type) for p in params]
        names = [param_name(p.name) for p in params]
        self.w.start_function()
        self.functions[enc] = FunctionView(
            enc,
            ", ".join(
                ["out: bytearray", *(f"{n}: {h}" for n, h in zip(names, hints, strict=True))]
            ),
            "None",
            f"Encode the arguments of {op.name} ({where}).",
            [line for p, n in zip(params, names, strict=True) for line in self.w.encode(p.type, n)],
        )
        self.w.start_function()
        self.functions[dec] = FunctionView(
            dec,
            "buf: _xdr.Buffer, pos: int",
            f"tuple[tuple[{', '.join(hints)}], int]",
            f"Decode the arguments of {op.name} ({where}).",
            [
                *(
                    line
                    for p, n in zip(params, names, strict=True)
                    for line in self.w.decode(p.type, n)
                ),
                f"return ({', '.join(names)}), pos",
            ],
        )
        return enc, dec


def _slug(t: ir.Type) -> str:
    """A name for an anonymous type's codec: ``string<255>`` → ``string255``."""
    if isinstance(t, ir.Primitive):
        return t.kind.value
    if isinstance(t, ir.Named):
        return type_name(t.name.local)
    bound = "" if getattr(t, "bound", None) is None else str(t.bound.value)  # type: ignore[union-attr]
    if isinstance(t, ir.String):
        return f"string{bound}"
    if isinstance(t, ir.Opaque):
        return f"{'fixed_' if t.fixed else ''}opaque{bound}"
    if isinstance(t, ir.Sequence):
        return f"{_slug(t.elem)}_list{bound}"
    if isinstance(t, ir.Array):
        return f"{_slug(t.elem)}_array{t.dims[0].value}"  # type: ignore[union-attr]
    assert isinstance(t, ir.Optional)
    return f"optional_{_slug(t.elem)}"


def _describe(t: ir.Type) -> str:
    """``string<255>`` and such, for docstrings."""
    return _slug(t).replace("_", " ")


def _procedures(
    programs: list[ir.Module], w: CodecWriter, filters: Filters, type_names: list[str]
) -> tuple[dict[str, ProcView], list[FunctionView]]:
    """Codecs of every procedure's arguments and result (shared by client and server)."""
    codecs = _ProcCodecs(w, filters, type_names)
    views: dict[str, ProcView] = {}
    for prog in programs:
        for version in prog.decls:
            assert isinstance(version, ir.Interface)
            for op in version.operations:
                key = f"{version.name}_{op.name}"
                number = ir.annotation(op, ir.xdr.RpcNumber)
                assert number is not None and isinstance(number.value, ir.Literal)
                enc_args, dec_args = codecs.args_codecs(key, op)
                enc_res, dec_res = codecs.value_codecs(op.result)
                views[key] = ProcView(
                    op, int(number.value.value), enc_args, dec_args, enc_res, dec_res
                )
    return views, list(codecs.functions.values())


@dataclass
class ConstView:
    """One line of const.py: a name, its value, where it was defined."""

    name: str
    value: ir.Expr
    where: ir.Node


def _const_sections(
    spec: ir.Spec, programs: list[ir.Module]
) -> list[tuple[str | None, list[ConstView]]]:
    """The consts, then each program's numbers.

    A procedure name that several versions share (with one number, as rpcgen
    requires of its #defines) appears once.
    """
    seen: set[str] = set()

    def fresh(name: str, value: ir.Expr, node: ir.Node) -> list[ConstView]:
        if name in seen:
            return []
        seen.add(name)
        return [ConstView(name, value, node)]

    def number(d: ir.Decl) -> ir.Expr:
        ann = ir.annotation(d, ir.xdr.RpcNumber)
        assert ann is not None
        return ann.value

    sections: list[tuple[str | None, list[ConstView]]] = []
    consts = [
        c for d in _nested(spec.decls) if isinstance(d, ir.Const) for c in fresh(d.name, d.value, d)
    ]
    if consts:
        sections.append((None, consts))
    for prog in programs:
        entries = fresh(prog.name, number(prog), prog)
        for version in prog.decls:
            assert isinstance(version, ir.Interface)
            entries += fresh(version.name, number(version), version)
            for op in version.operations:
                entries += fresh(op.name, number(op), op)
        sections.append((f"program {prog.name}", entries))
    return sections


def _nested(decls: tuple[ir.Decl, ...]) -> Iterator[ir.Decl]:
    """Declarations and those inside programs and versions, in source order (not types' insides)."""
    for d in decls:
        yield d
        if isinstance(d, (ir.Module, ir.Interface)):
            yield from _nested(d.decls)


def _trim_imports(text: str) -> str:
    """Drop the template's optional imports that this module does not use."""
    lines = text.split("\n")
    keep = []
    words: Counter[str] | None = None  # how often each word occurs, counted once
    for line in lines:
        if line.startswith("import ") and " as " in line:
            alias = line.rsplit(" as ", 1)[1].strip()
            if f"{alias}." not in text:
                continue
        elif (
            line.startswith("from ")
            and " import " in line
            and "(" not in line
            and "__future__" not in line
        ):
            if words is None:
                words = Counter(_WORD.findall(text))
            names = [n.strip().split(" as ")[-1] for n in line.split(" import ", 1)[1].split(",")]
            # used: named somewhere else than on its own import line
            used = [n for n in names if words[n] > _WORD.findall(line).count(n)]
            if not used:
                continue
        keep.append(line)
    return "\n".join(keep)


_WORD = re.compile(r"\w+")


def _returning(lines: list[str], var: str) -> list[str]:
    """Decoder statements that end by returning ``(var, pos)``.

    ``x, pos = f(buf, pos)`` alone becomes ``return f(buf, pos)``.
    """
    prefix = f"{var}, pos = "
    if len(lines) == 1 and lines[0].startswith(prefix):
        return ["return " + lines[0][len(prefix) :]]
    return [*lines, f"return {var}, pos"]


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


__all__ = ["generate", "method_name"]
