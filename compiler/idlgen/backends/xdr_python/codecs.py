"""Codec plans for XDR types, written out as the Python statements of generated codecs.

This is the layout step of the pipeline for the XDR back-end: it decides how
each type crosses the wire as fast as plain Python allows —

* consecutive fixed-size fields (ints, hypers, floats, doubles, enums, bools)
  share one precompiled ``struct.Struct`` plan, packed and unpacked in one call;
* arrays of fixed-size numbers are one ``struct`` call for the whole array;
* strings, opaques and bounded counts go through ``idlgen_runtime.xdr``, which
  checks every length against its bound and the remaining bytes first;
* a struct that ends a chain through optional data of its own type (linked
  lists such as NFS directory entries) is encoded and decoded in a loop, so a
  list of a million entries needs no recursion.

Templates only place the statements this module returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from idlgen import ir
from idlgen.naming.xdr import CODEC_LOCALS, decoder_name, encoder_name, member_name, type_name
from idlgen.passes.context import Context

#: struct format characters of the primitives that pack as they are.
_FORMATS = {
    ir.Prim.INT32: "i", ir.Prim.UINT32: "I", ir.Prim.INT64: "q", ir.Prim.UINT64: "Q",
    ir.Prim.FLOAT32: "f", ir.Prim.FLOAT64: "d", ir.Prim.BOOL: "I",
}  # fmt: skip
_SIZES = {"i": 4, "I": 4, "q": 8, "Q": 8, "f": 4, "d": 8}
_SINGLE = {"i": "INT", "I": "UINT", "q": "HYPER", "Q": "UHYPER", "f": "FLOAT", "d": "DOUBLE"}
_SMALL = (ir.Prim.INT8, ir.Prim.UINT8, ir.Prim.INT16, ir.Prim.UINT16, ir.Prim.CHAR)
_UNBOUNDED = _MAX = 0xFFFFFFFF


def fmt_name(fmt: str) -> str:
    """The module-level name of a struct plan: ``>iiQ`` → ``_S_2iQ``."""
    runs: list[str] = []
    for ch in fmt.lstrip(">"):
        if runs and runs[-1][-1] == ch:
            count = int(runs[-1][:-1] or 1) + 1
            runs[-1] = f"{count}{ch}"
        else:
            runs.append(ch)
    return "_S_" + "".join(runs)


@dataclass
class Plans:
    """The struct plans a module needs, collected while writing its codecs."""

    formats: set[str] = field(default_factory=set)

    def use(self, fmt: str) -> str:
        """Record that a module needs the plan of ``fmt``; returns its name."""
        self.formats.add(fmt)
        return fmt_name(fmt)

    def sorted(self) -> list[tuple[str, str]]:
        """The (name, format) of every plan used, in a stable order."""
        return [(fmt_name(f), f) for f in sorted(self.formats, key=fmt_name)]


class CodecWriter:
    """Writes encoder/decoder statements for the types of one checked Spec."""

    def __init__(self, ctx: Context, type_names: set[str], local_names: set[str]) -> None:
        self.ctx = ctx
        self.plans = Plans()
        self._counter = 0
        #: Module-level names a local variable must not shadow.
        self._taken = CODEC_LOCALS | type_names
        #: What a temporary must not be: those, and every member's or argument's
        #: local (``int n3;`` after a string would otherwise share ``n3`` with
        #: the string's length).
        self._avoid = self._taken | {self.local_name(n) for n in local_names}

    def start_function(self) -> None:
        """Number temporaries from 1 again: a function's locals do not depend on the others."""
        self._counter = 0

    def py(self, t: ir.Named) -> str:
        """The Python name of the type ``t`` names (the naming policy's, never the raw name)."""
        return type_name(t.name.local)

    def local_name(self, name: str) -> str:
        """A decoder's local for member ``name``, clear of codec locals and type names."""
        py = member_name(name)
        return py + "_" if py in self._taken else py

    # -- classification -------------------------------------------------------

    def resolve(self, t: ir.Type) -> ir.Type:
        """``t`` with typedefs followed."""
        return self.ctx.resolve(t)

    def packable(self, t: ir.Type) -> str | None:
        """The struct format of a fixed-size value that packs as it is, else None."""
        r = self.resolve(t)
        if isinstance(r, ir.Primitive):
            return _FORMATS.get(r.kind)
        if isinstance(r, ir.Named) and isinstance(self.ctx.symbols.lookup(r), ir.Enum_):
            return "i"
        return None

    def post_decode(self, t: ir.Type, var: str) -> list[str]:
        """Checks and conversions after a packed value was unpacked into ``var``."""
        r = self.resolve(t)
        if isinstance(r, ir.Primitive) and r.kind is ir.Prim.BOOL:
            return [f"if {var} > 1:", f"    raise _xdr.bad_bool({var})", f"{var} = {var} == 1"]
        if isinstance(r, ir.Named):
            return [f"{var} = {self.py(r)}({var})"]  # an IntEnum: ValueError for unknown values
        return []

    def min_size(self, t: ir.Type, depth: int = 0) -> int:
        """The fewest bytes one value of ``t`` takes on the wire (bounds hostile counts)."""
        r = self.resolve(t)
        if depth > 32:
            return 4
        if isinstance(r, ir.Primitive):
            return {
                ir.Prim.VOID: 0,
                ir.Prim.INT64: 8,
                ir.Prim.UINT64: 8,
                ir.Prim.FLOAT64: 8,
                ir.Prim.FLOAT128: 16,
            }.get(r.kind, 4)
        if isinstance(r, ir.Opaque) and r.fixed:
            return (_int(r.bound) + 3) & ~3
        if isinstance(r, ir.Array):
            return _int(r.dims[0]) * self.min_size(r.elem, depth + 1)
        if isinstance(r, ir.Named):
            decl = self.ctx.symbols.lookup(r)
            if isinstance(decl, ir.Struct):
                return sum(self.min_size(f.type, depth + 1) for f in decl.fields)
        return 4

    def tmp(self, stem: str) -> str:
        """A fresh local name for nested codecs, clear of members' locals and types."""
        self._counter += 1
        while f"{stem}{self._counter}" in self._avoid:
            self._counter += 1
        return f"{stem}{self._counter}"

    # -- decoding ---------------------------------------------------------------

    def decode(self, t: ir.Type, var: str) -> list[str]:
        """Statements that decode one ``t`` at ``buf[pos:]`` into ``var`` and advance ``pos``."""
        fmt = self.packable(t)
        if fmt is not None:
            single = _SINGLE[fmt]
            return [
                f"({var},) = _xdr.{single}.unpack_from(buf, pos)",
                f"pos += {_SIZES[fmt]}",
                *self.post_decode(t, var),
            ]
        r = self.resolve(t)
        if isinstance(r, ir.Primitive):
            if r.kind in _SMALL:
                low, high = ir.INTEGER_RANGES[r.kind]
                return [f"{var}, pos = _xdr.dec_small(buf, pos, {low}, {high})"]
            if r.kind is ir.Prim.FLOAT128:
                return [f"{var}, pos = _xdr.dec_quadruple(buf, pos)"]
            raise AssertionError(f"no XDR form for {r.kind}")
        if isinstance(r, ir.String):
            return [f"{var}, pos = _xdr.dec_string(buf, pos{_bound_arg(r.bound)})"]
        if isinstance(r, ir.Opaque):
            if r.fixed:
                return [f"{var}, pos = _xdr.dec_fixed_opaque(buf, pos, {_int(r.bound)})"]
            return [f"{var}, pos = _xdr.dec_opaque(buf, pos{_bound_arg(r.bound)})"]
        if isinstance(r, ir.Optional):
            body = self.decode(r.elem, var)
            return [
                "if _xdr.dec_flag(buf, pos):",
                "    pos += 4",
                *_indent(body),
                "else:",
                "    pos += 4",
                f"    {var} = None",
            ]
        if isinstance(r, (ir.Sequence, ir.Array)):
            return self._decode_list(r, var)
        assert isinstance(r, ir.Named)
        return [f"{var}, pos = {decoder_name(self.py(r))}(buf, pos)"]

    def _decode_list(self, t: ir.Sequence | ir.Array, var: str) -> list[str]:
        lines: list[str] = []
        if isinstance(t, ir.Sequence):
            n = self.tmp("n")
            bound = _int(t.bound) if t.bound is not None else _UNBOUNDED
            lines += [
                f"({n},) = _xdr.UINT.unpack_from(buf, pos)",
                "pos += 4",
                f"_xdr.check_count({n}, {bound}, {self.min_size(t.elem)}, buf, pos)",
            ]
            count = n
        else:
            count = str(_int(t.dims[0]))
        fmt = self.packable(t.elem)
        if fmt is not None and not self.post_decode(t.elem, "x"):
            size = _SIZES[fmt]
            lines += [
                (
                    f'{var} = list(_struct.unpack_from(f">{{{count}}}{fmt}", buf, pos))'
                    if count.startswith("n")
                    else f'{var} = list(_struct.unpack_from(">{count}{fmt}", buf, pos))'
                ),
                (
                    f"pos += {size} * {count}"
                    if count.startswith("n")
                    else f"pos += {size * int(count)}"
                ),
            ]
            return lines
        item = self.tmp("item")
        lines += [
            f"{var} = []",
            f"for _ in range({count}):",
            *_indent(self.decode(t.elem, item)),
            f"    {var}.append({item})",
        ]
        return lines

    # -- encoding ---------------------------------------------------------------

    def encode(self, t: ir.Type, expr: str) -> list[str]:
        """Statements that append the XDR form of ``expr`` (of type ``t``) to ``out``."""
        fmt = self.packable(t)
        if fmt is not None:
            return [f"out += _xdr.{_SINGLE[fmt]}.pack({expr})"]
        r = self.resolve(t)
        if isinstance(r, ir.Primitive):
            if r.kind in _SMALL:
                low, high = ir.INTEGER_RANGES[r.kind]
                return [f"_xdr.enc_small(out, {expr}, {low}, {high})"]
            if r.kind is ir.Prim.FLOAT128:
                return [f"_xdr.enc_quadruple(out, {expr})"]
            raise AssertionError(f"no XDR form for {r.kind}")
        if isinstance(r, ir.String):
            return [f"_xdr.enc_string(out, {expr}{_bound_arg(r.bound)})"]
        if isinstance(r, ir.Opaque):
            if r.fixed:
                return [f"_xdr.enc_fixed_opaque(out, {expr}, {_int(r.bound)})"]
            return [f"_xdr.enc_opaque(out, {expr}{_bound_arg(r.bound)})"]
        if isinstance(r, ir.Optional):
            item = self.tmp("present")
            return [
                f"{item} = {expr}",
                f"if {item} is None:",
                "    out += _xdr.FALSE",
                "else:",
                "    out += _xdr.TRUE",
                *_indent(self.encode(r.elem, item)),
            ]
        if isinstance(r, (ir.Sequence, ir.Array)):
            return self._encode_list(r, expr)
        assert isinstance(r, ir.Named)
        return [f"{encoder_name(self.py(r))}(out, {expr})"]

    def _encode_list(self, t: ir.Sequence | ir.Array, expr: str) -> list[str]:
        items = self.tmp("items")
        lines = [f"{items} = {expr}"]
        fmt = self.packable(t.elem)
        if isinstance(t, ir.Sequence):
            if t.bound is not None:
                lines.append(f'_xdr.check_bound("array", len({items}), {_int(t.bound)})')
            if fmt is not None:
                lines.append(
                    f'out += _struct.pack(f">I{{len({items})}}{fmt}", len({items}), *{items})'
                )
                return lines
            lines.append(f"out += _xdr.UINT.pack(len({items}))")
        else:
            lines.append(f"_xdr.check_length({items}, {_int(t.dims[0])})")
            if fmt is not None:
                lines.append(f'out += _struct.pack(">{_int(t.dims[0])}{fmt}", *{items})')
                return lines
        item = self.tmp("item")
        lines += [f"for {item} in {items}:", *_indent(self.encode(t.elem, item))]
        return lines

    # -- struct bodies: runs of packable fields share one plan -----------------------

    def struct_decode(
        self, fields: tuple[ir.Field, ...], flag: str | None = None, size: str = "len(buf)"
    ) -> list[str]:
        """Decode ``fields`` in order into locals named by :meth:`local_name`.

        A run of fixed-size fields is one ``unpack_from``; the length of a
        string or opaque that follows a run joins that run, and so does the
        presence flag ``flag`` after the last field (the next node of a list).
        ``size`` is how the lines get the buffer's length: a linked list's
        loop reads it once into a local before it starts.
        """
        lines: list[str] = []
        run: list[tuple[str, str, ir.Type | None]] = []  # (local, format char, type to check)

        def flush() -> None:
            if not run:
                return
            if len(run) == 1 and run[0][2] is not None:
                lines.extend(self.decode(run[0][2], run[0][0]))
            else:
                fmt = "".join(c for _, c, _ in run)
                if len(run) == 1:
                    target, plan = f"({run[0][0]},)", f"_xdr.{_SINGLE[fmt]}"
                else:
                    target, plan = ", ".join(n for n, _, _ in run), self.plans.use(">" + fmt)
                lines.append(f"{target} = {plan}.unpack_from(buf, pos)")
                lines.append(f"pos += {sum(_SIZES[c] for c in fmt)}")
                for name, _, t in run:
                    if t is not None:
                        lines.extend(self.post_decode(t, name))
            run.clear()

        for f in fields:
            local = self.local_name(f.name)
            fmt = self.packable(f.type)
            body = self._var_body(f.type)
            if fmt is not None:
                run.append((local, fmt, f.type))
            elif body is not None and run:
                n, end = self.tmp("n"), self.tmp("end")
                run.append((n, "I", None))
                flush()
                bound = _bound_of(f.type, self)
                kind, make = body
                limit = f"{n} > {_int(bound)} or " if bound is not None else ""
                lines += [
                    f"{end} = pos + {n}",
                    f"if {limit}{end} > {size}:",
                    f'    raise _xdr.bad_length("{kind}", {n}, {_int(bound) if bound else _MAX})',
                    f"{local} = {make.format(f'buf[pos:{end}]')}",
                    f"pos = {end} + (-{n} & 3)",
                ]
            else:
                flush()
                lines.extend(self.decode(f.type, local))
        if flag is not None:
            run.append((flag, "I", None))
            flush()
            lines += [f"if {flag} > 1:", f"    raise _xdr.bad_bool({flag})"]
        flush()
        return lines

    def _var_body(self, t: ir.Type) -> tuple[str, str] | None:
        """How to make a string/opaque from its bytes, when its length is read in a run."""
        r = self.resolve(t)
        if isinstance(r, ir.String):
            return "string", 'str({}, "utf-8", "surrogateescape")'
        if isinstance(r, ir.Opaque) and not r.fixed:
            return "opaque", "bytes({})"
        return None

    def struct_encode(
        self, fields: tuple[ir.Field, ...], obj: str, flag: str | None = None
    ) -> list[str]:
        """Encode the members ``fields`` of ``obj``.

        A run of fixed-size members is one ``pack``; the length of a string or
        variable opaque joins the plan of the run before it, its bytes follow
        inline (the mirror of :meth:`struct_decode`). ``flag``, a linked list's
        presence flag of the next entry, joins the last run when there is one
        (see :meth:`joins_flag`).
        """
        lines: list[str] = []
        pending: list[ir.Field] = []  # a fixed-size run not written yet
        for run in self._runs(fields):
            if self.packable(run[0].type) is not None:
                lines += self._pack(pending, obj)
                pending = run
                continue
            field = run[0]
            r = self.resolve(field.type)
            if isinstance(r, (ir.String, ir.Opaque)) and not (isinstance(r, ir.Opaque) and r.fixed):
                lines += self._bytes_after(pending, field, r, obj)
            else:
                lines += self._pack(pending, obj)
                lines += self.encode(field.type, f"{obj}.{member_name(field.name)}")
            pending = []
        return lines + self._pack(pending, obj, (flag or "") if pending else "")

    def joins_flag(self, fields: tuple[ir.Field, ...]) -> bool:
        """Whether :meth:`struct_encode` packs a flag with the last of ``fields``."""
        return bool(fields) and self.packable(fields[-1].type) is not None

    def _pack(self, run: list[ir.Field], obj: str, extra: str = "") -> list[str]:
        """``out += plan.pack(...)`` of a run of fixed-size members (and ``extra``, a length)."""
        if not run and not extra:
            return []
        if len(run) == 1 and not extra:
            return self.encode(run[0].type, f"{obj}.{member_name(run[0].name)}")
        fmt = "".join(self.packable(f.type) or "" for f in run) + ("I" if extra else "")
        args = [f"{obj}.{member_name(f.name)}" for f in run] + ([extra] if extra else [])
        plan = f"_xdr.{_SINGLE[fmt]}" if len(fmt) == 1 else self.plans.use(">" + fmt)
        return [f"out += {plan}.pack({', '.join(args)})"]

    def _bytes_after(
        self, run: list[ir.Field], field: ir.Field, r: ir.String | ir.Opaque, obj: str
    ) -> list[str]:
        """A string or variable opaque whose length is packed with ``run`` before it."""
        data, n = self.tmp("data"), self.tmp("n")
        value = f"{obj}.{member_name(field.name)}"
        bound = _int(r.bound) if r.bound is not None else 0xFFFFFFFF
        kind = "string" if isinstance(r, ir.String) else "opaque"
        return [
            (
                f'{data} = {value}.encode("utf-8", "surrogateescape")'
                if kind == "string"
                else f"{data} = {value}"
            ),
            f"{n} = len({data})",
            f"if {n} > {bound}:",
            f'    raise _xdr.too_long("{kind}", {n}, {bound})',
            *self._pack(run, obj, n),
            f"out += {data}",
            f"out += _xdr.PADDING[{n} & 3]",
        ]

    def _runs(self, fields: tuple[ir.Field, ...]) -> list[list[ir.Field]]:
        runs: list[list[ir.Field]] = []
        for f in fields:
            if self.packable(f.type) and runs and self.packable(runs[-1][-1].type):
                runs[-1].append(f)
            else:
                runs.append([f])
        return runs

    def chain_field(self, decl: ir.Struct) -> int | None:
        """The index of the member that continues a linked list of ``decl``, if any."""
        for i, f in enumerate(decl.fields):
            r = self.resolve(f.type)
            if isinstance(r, ir.Optional):
                elem = self.resolve(r.elem)
                if isinstance(elem, ir.Named) and elem.name.local == decl.name:
                    return i
        return None


def _int(e: ir.Expr | None) -> int:
    assert isinstance(e, ir.Literal) and isinstance(e.value, int), e
    return e.value


def _bound_of(t: ir.Type, w: CodecWriter) -> ir.Expr | None:
    r = w.resolve(t)
    assert isinstance(r, (ir.String, ir.Opaque))
    return r.bound


def _bound_arg(bound: ir.Expr | None) -> str:
    return "" if bound is None else f", {_int(bound)}"


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]
