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
from dataclasses import dataclass, field
from pathlib import Path

from idlgen import ir
from idlgen.backends.xdr_python.codecs import CodecWriter
from idlgen.backends.xdr_python.filters import Filters
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.driver import Options, Result
from idlgen.naming import (
    decoder_name,
    encoder_name,
    member_name,
    method_name,
    package_name,
    type_name,
)
from idlgen.passes.context import Context
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
    writer = CodecWriter(ctx, {type_name(d.name) for d in _type_decls(spec)})
    filters = Filters(ctx, source)
    types = [_type_view(d, writer, filters) for d in _type_decls(spec)]
    programs = [d for d in spec.decls if isinstance(d, ir.Module)]
    procs, proc_functions = _procedures(
        programs, writer, filters, [d.name for d in _type_decls(spec)]
    )
    # The procedure codecs are written before the type codecs are placed, so
    # every struct plan either of them uses is collected by now.
    _check_member_names(types)
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
        for module, template, is_async in _SERVICE_MODULES:
            context = {"programs": programs, "procs": procs, "module": module, "is_async": is_async}
            body[f"{module}.py"] = render("xdr", template, table, **context, **common)
    files = {
        f"{pkg}/{rel}": format_python(_trim_imports(text), f"{pkg}/{rel}")
        for rel, text in body.items()
    }
    return Result(files=files, sources={}, warnings=[])


_SERVICE_MODULES = (
    ("client", "client.py.j2", False),
    ("server", "server.py.j2", False),
    ("aioclient", "client.py.j2", True),
    ("aioserver", "server.py.j2", True),
)


def _type_decls(spec: ir.Spec) -> list[ir.Decl]:
    return [d for d in spec.decls if isinstance(d, (ir.Enum_, ir.Struct, ir.Union_, ir.Typedef))]


def _type_view(decl: ir.Decl, w: CodecWriter, filters: Filters) -> TypeView:
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
        ctor = ", ".join([*(w.local_name(f.name) for f in prefix), "None"])
        view.chain_decode = [
            *w.struct_decode(prefix, "more", size="size"),
            f"cur = {type_name(decl.name)}({ctor})",
        ]
        view.chain_size = any(re.search(r"\bsize\b", line) for line in view.chain_decode)
        return view
    view.encode = w.struct_encode(decl.fields, "value")
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
    view.decode = w.decode(disc.type, "disc")
    view.encode = [f"disc = value.{member_name(disc.name)}", *w.encode(disc.type, "disc")]
    first = True
    for case in decl.cases:
        labels = [filters.label(decl, v) for v in case.labels]
        cond = f"disc == {labels[0]}" if len(labels) == 1 else f"disc in ({', '.join(labels)})"
        keyword = "if" if first else "elif"
        first = False
        view.decode += [f"{keyword} {cond}:", *_indent(_arm_decode(case, name, w))]
        view.encode += [f"{keyword} {cond}:", *_indent(_arm_encode(case, decl, w) or ["pass"])]
    if decl.default is not None:
        arm_decode = _arm_decode(decl.default, name, w)
        arm_encode = _arm_encode(decl.default, decl, w) or ["pass"]
    else:
        arm_decode = [f"raise _xdr.bad_enum({filters.literal(decl.name)}, disc)"]
        arm_encode = [f"raise _xdr.no_arm({filters.literal(decl.name)}, disc)"]
    if first:  # only a default arm
        view.decode += arm_decode
        view.encode += arm_encode
    else:
        view.decode += arm_decode
        if arm_encode != ["pass"]:
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
        #: The named types' codec functions, which these must not collide with.
        self.taken = {f(n) for n in type_names for f in (encoder_name, decoder_name)}

    def name(self, wanted: str) -> str:
        """``wanted``, with underscores added until it differs from a type's codec."""
        while wanted in self.taken:
            wanted += "_"
        return wanted

    def value_codecs(self, t: ir.Type) -> tuple[str, str]:
        if isinstance(t, ir.Primitive) and t.kind is ir.Prim.VOID:
            return "_xdr.enc_void", "_xdr.dec_void"
        if isinstance(t, ir.Named):
            return encoder_name(t.name), decoder_name(t.name)
        slug = _slug(t)
        enc, dec = self.name(f"_enc_{slug}"), self.name(f"_dec_{slug}")
        hint = self.filters.py_type(t)
        if enc not in self.functions:
            self.functions[enc] = FunctionView(
                enc,
                f"out: bytearray, value: {hint}",
                "None",
                f"Encode one {_describe(t)}.",
                self.w.encode(t, "value"),
            )
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
        self.functions[enc] = FunctionView(
            enc,
            ", ".join(
                ["out: bytearray", *(f"{p.name}: {h}" for p, h in zip(params, hints, strict=True))]
            ),
            "None",
            f"Encode the arguments of {op.name} ({where}).",
            [line for p in params for line in self.w.encode(p.type, p.name)],
        )
        names = ", ".join(p.name for p in params)
        self.functions[dec] = FunctionView(
            dec,
            "buf: _xdr.Buffer, pos: int",
            f"tuple[tuple[{', '.join(hints)}], int]",
            f"Decode the arguments of {op.name} ({where}).",
            [
                *(line for p in params for line in self.w.decode(p.type, p.name)),
                f"return ({names}), pos",
            ],
        )
        return enc, dec


def _slug(t: ir.Type) -> str:
    """A name for an anonymous type's codec: ``string<255>`` → ``string255``."""
    if isinstance(t, ir.Primitive):
        return t.kind.value
    if isinstance(t, ir.Named):
        return t.name
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
                number = ir.annotation(op, ir.RpcNumber)
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
        ann = ir.annotation(d, ir.RpcNumber)
        assert ann is not None
        return ann.value

    sections: list[tuple[str | None, list[ConstView]]] = []
    consts = [
        c for d in ir.walk(spec) if isinstance(d, ir.Const) for c in fresh(d.name, d.value, d)
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


def _check_member_names(types: list[TypeView]) -> None:
    """Two members that mangle to one Python name would silently share a field."""
    problems = []
    for view in types:
        seen: dict[str, str] = {}
        names = [f.name for f in view.members]
        if isinstance(view.decl, ir.Union_) and view.decl.discriminator is not None:
            names.insert(0, view.decl.discriminator.name)
        for name in names:
            py = member_name(name)
            if py in seen and seen[py] != name:
                problems.append(
                    Diagnostic(
                        view.decl.loc,
                        f"members '{seen[py]}' and '{name}' both become '{py}' in Python",
                        "name-clash",
                    )
                )
            seen.setdefault(py, name)
    if problems:
        raise CompileError(problems)


def _trim_imports(text: str) -> str:
    """Drop the template's optional imports that this module does not use."""
    lines = text.split("\n")
    keep = []
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
            names = [n.strip().split(" as ")[-1] for n in line.split(" import ", 1)[1].split(",")]
            used = [n for n in names if _used(n, text, line)]
            if not used:
                continue
        keep.append(line)
    return "\n".join(keep)


def _used(name: str, text: str, line: str) -> bool:
    import re

    return len(re.findall(rf"\b{re.escape(name)}\b", text)) > len(
        re.findall(rf"\b{re.escape(name)}\b", line)
    )


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
