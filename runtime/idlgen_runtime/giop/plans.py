"""Compiled marshal plans: one Python function per TypeCode and byte order.

Interpreting a TypeCode value by value is what makes naive ORBs slow. Here a
struct, exception, sequence or array TypeCode is turned once into the source of
a function (``exec``), in which consecutive fixed-size members -- nested
all-primitive structs included -- are read or written by one precompiled
``struct.Struct`` call (one per possible start alignment, since CDR pads to
the natural boundary), strings are inline, and sequences/arrays of numeric
primitives are one ``array`` call. Unions, any, TypeCodes, objrefs, values
and the rare kinds are plain closures in ``values``, called from the
generated code. No name from a TypeCode ever appears in the generated source:
attribute names appear only when they are plain identifiers (others go through
``getattr`` with a constant).

Decoders are ``(data, pos, ctx) -> (value, pos)`` over ``bytes`` whose offset 0
is the alignment origin; encoders are ``(buf, value, ctx) -> None`` appending
to a ``bytearray``. Lengths are checked against the bytes left before any
allocation; malformed data raises ``struct.error``/``ValueError``..., turned
into ``CORBA.MARSHAL`` by the caller (``CdrInput.read``).
"""

from __future__ import annotations

import array as _array
import dataclasses
import keyword
import struct
from collections.abc import Callable
from typing import Any

from idlgen_runtime.giop.exceptions import BAD_TYPECODE, marshal
from idlgen_runtime.giop.mapping import NumSeq, class_for
from idlgen_runtime.giop.typecode import RECURSIVE, TCKind, TypeCode, deref

Decoder = Callable[[bytes, int, Any], tuple[Any, int]]
Encoder = Callable[[bytearray, Any, Any], None]
K = TCKind

#: kind -> (struct format character, size): the fixed-size primitives.
PRIM: dict[int, tuple[str, int]] = {
    K.tk_short: ("h", 2),
    K.tk_ushort: ("H", 2),
    K.tk_long: ("i", 4),
    K.tk_ulong: ("I", 4),
    K.tk_longlong: ("q", 8),
    K.tk_ulonglong: ("Q", 8),
    K.tk_float: ("f", 4),
    K.tk_double: ("d", 8),
    K.tk_boolean: ("?", 1),
    K.tk_octet: ("B", 1),
    K.tk_char: ("B", 1),
    K.tk_enum: ("I", 4),
}
#: struct format character -> array typecode of the same size.
ARRAY_CODE = {
    c: next(a for a in codes if _array.array(a).itemsize == n)
    for c, codes, n in (
        ("h", "h", 2),
        ("H", "H", 2),
        ("i", "il", 4),
        ("I", "IL", 4),
        ("q", "qlL", 8),
        ("Q", "QL", 8),
        ("f", "f", 4),
        ("d", "d", 8),
    )
}
NUMERIC = frozenset(ARRAY_CODE)
#: How many levels of nested structs/sequences are inlined into one function.
INLINE_DEPTH = 4
PAD = [b"\0" * n for n in range(8)]


def decoder(tc: TypeCode, little: bool) -> Decoder:
    """The decoder of ``tc`` for one byte order (compiled once, then cached)."""
    key = ("d", little)
    fn = tc._plans.get(key)
    if fn is None:
        fn = tc._plans[key] = _compile(tc, little, decode=True)
    return fn  # type: ignore[no-any-return]


def encoder(tc: TypeCode, little: bool) -> Encoder:
    """The encoder of ``tc`` for one byte order (compiled once, then cached)."""
    key = ("e", little)
    fn = tc._plans.get(key)
    if fn is None:
        fn = tc._plans[key] = _compile(tc, little, decode=False)
    return fn  # type: ignore[no-any-return]


def min_size(tc: TypeCode, depth: int = 0) -> int:
    """The fewest bytes a value of ``tc`` takes (bounds sequence lengths)."""
    t = deref(tc)
    k = t._k
    if k in PRIM:
        return PRIM[k][1]
    if depth > 8 or k == RECURSIVE:
        return 1
    if k in (K.tk_struct, K.tk_except):
        return max(1, sum(min_size(m, depth + 1) for m in t._mtypes))
    if k == K.tk_alias:
        assert t._content is not None
        return min_size(t._content, depth + 1)
    if k == K.tk_array:
        assert t._content is not None
        return t._len * min_size(t._content, depth + 1)
    if k in (K.tk_string, K.tk_sequence, K.tk_wstring, K.tk_objref, K.tk_any, K.tk_TypeCode):
        return 4
    return 1


def _compile(tc: TypeCode, little: bool, decode: bool) -> Any:
    t = deref(tc)
    if t._k == RECURSIVE:
        raise BAD_TYPECODE(0, text=f"recursive TypeCode {t._id!r} was never resolved")
    if t is not tc:
        return decoder(t, little) if decode else encoder(t, little)
    if t._k not in _GENERATED and t._k not in PRIM and t._k != K.tk_alias:
        from idlgen_runtime.giop import values

        return values.plan(t, little, decode)
    gen = _Gen(little, t)
    return gen.decoder() if decode else gen.encoder()


_GENERATED = frozenset({K.tk_struct, K.tk_except, K.tk_sequence, K.tk_array, K.tk_string})


def _flat(tc: TypeCode, depth: int = 0) -> list[str] | None:
    """The format characters of ``tc`` when it is all fixed-size primitives."""
    t = deref(tc)
    k = t._k
    if k in PRIM:
        return [PRIM[k][0]]
    if k == K.tk_alias:
        assert t._content is not None
        return _flat(t._content, depth)
    if k == K.tk_struct and depth < INLINE_DEPTH and t._mtypes:
        out: list[str] = []
        for m in t._mtypes:
            f = _flat(m, depth + 1)
            if f is None:
                return None
            out += f
        return out
    return None


def _unalias(tc: TypeCode) -> TypeCode:
    t = deref(tc)
    while t._k == K.tk_alias:
        assert t._content is not None
        t = deref(t._content)
    return t


def member_names(t: TypeCode) -> tuple[str, ...]:
    """The attribute names of a struct/exception class, in IDL member order."""
    cls = class_for(t)
    if t._k == K.tk_except:
        names = tuple(getattr(cls, "_NP_members", ()))
    elif dataclasses.is_dataclass(cls):
        names = tuple(f.name for f in dataclasses.fields(cls))
    else:
        names = tuple(getattr(cls, "_NP_members", ()))
    if len(names) != len(t._mtypes):
        raise BAD_TYPECODE(
            0, text=f"{cls.__name__} has {len(names)} fields, its TypeCode {len(t._mtypes)}"
        )
    return names


class _Gen:
    """Writes the source of one decoder or encoder function."""

    def __init__(self, little: bool, root: TypeCode) -> None:
        self.e = "<" if little else ">"
        self.little = little
        self.root = root
        self.ns: dict[str, Any] = {
            "BADLEN": _badlen,
            "U4": struct.Struct(self.e + "I").unpack_from,
            "P4": struct.Struct(self.e + "I").pack,
            "PADLEN": [struct.Struct(self.e + "x" * (-k & 3) + "I").pack for k in range(4)],
            "PAD": PAD,
            "array": _array.array,
            "NumSeq": NumSeq,
            "memoryview": memoryview,
        }
        self.lines: list[str] = []
        self.n = 0

    def k(self, obj: Any) -> str:
        name = f"K{len(self.ns)}"
        self.ns[name] = obj
        return name

    def var(self) -> str:
        self.n += 1
        return f"v{self.n}"

    def emit(self, ind: int, line: str) -> None:
        self.lines.append("    " * ind + line)

    def _finish(self, head: str, tail: str) -> Any:
        src = head + "\n" + "\n".join(self.lines) + "\n" + tail + "\n"
        exec(compile(src, f"<idlgen plan {self.root!r}>", "exec"), self.ns)  # noqa: S102
        fn = self.ns["fn"]
        fn.__idlgen_source__ = src
        return fn

    def _runs(self, fmts: list[str], nul: bool = False) -> list[struct.Struct]:
        """One Struct per start offset modulo 8, padding included.

        ``nul``: a string's terminating NUL comes first, folded into the same call.
        """
        out = []
        for k in range(8):
            off, f = k + int(nul), self.e + ("x" if nul else "")
            for c in fmts:
                n = struct.calcsize(c)
                pad = -off & (n - 1)
                f += "x" * pad + c
                off += pad + n
            out.append(struct.Struct(f))
        return out

    def _call(self, tc: TypeCode) -> str:
        """A constant naming the plan of ``tc`` (late-bound when recursive)."""
        t = deref(tc)
        if tc._k == RECURSIVE or t is self.root:
            return self.k(_trampoline(t, self.little, self.decode))
        return self.k(decoder(t, self.little) if self.decode else encoder(t, self.little))

    # -- decoders --------------------------------------------------------------------
    def decoder(self) -> Any:
        self.decode = True
        self.ns["BADLEN"] = _badlen
        expr = self.dval(self.root, 1, 0, top=True)
        self.emit(1, f"return {expr}, pos")
        return self._finish("def fn(data, pos, ctx):\n    cs = ctx.char\n    end = len(data)", "")

    def dflat(self, tc: TypeCode, vs: list[str]) -> str:
        t = deref(tc)
        k = t._k
        if k in PRIM:
            v = vs.pop(0)
            if k == K.tk_char:
                return f"chr({v})"
            if k == K.tk_enum:
                return f"{self.k(class_for(t))}({v})"
            return v
        if k == K.tk_alias:
            assert t._content is not None
            return self.dflat(t._content, vs)
        parts = [self.dflat(m, vs) for m in t._mtypes]
        return f"{self.k(class_for(t))}({', '.join(parts)})"

    def dval(self, tc: TypeCode, ind: int, depth: int, top: bool = False) -> str:
        t = deref(tc)
        k = t._k
        if (not top and (tc._k == RECURSIVE or t is self.root)) or depth > INLINE_DEPTH:
            v = self.var()
            self.emit(ind, f"{v}, pos = {self._call(tc)}(data, pos, ctx)")
            return v
        flat = _flat(t)
        if flat is not None:
            vs = [self.var() for _ in flat]
            r = self.var()
            self.emit(ind, f"{r} = {self.k(self._runs(flat))}[pos & 7]")
            self.emit(ind, f"({', '.join(vs)},) = {r}.unpack_from(data, pos)")
            self.emit(ind, f"pos += {r}.size")
            return self.dflat(t, vs)
        if k == K.tk_alias:
            assert t._content is not None
            return self.dval(t._content, ind, depth)
        if k in (K.tk_struct, K.tk_except):
            return self.dstruct(t, ind, depth)
        if k == K.tk_string:
            return self.dstring(t, ind)
        if k in (K.tk_sequence, K.tk_array):
            return self.dseq(t, ind, depth)
        v = self.var()
        self.emit(ind, f"{v}, pos = {self._call(t)}(data, pos, ctx)")
        return v

    def dstruct(self, t: TypeCode, ind: int, depth: int) -> str:
        exprs: list[str] = []
        run: list[str] = []
        pending: list[tuple[TypeCode, int]] = []

        def flush() -> None:
            if not run:
                return
            vs = [self.var() for _ in run]
            r = self.var()
            self.emit(ind, f"{r} = {self.k(self._runs(run))}[pos & 7]")
            self.emit(ind, f"({', '.join(vs)},) = {r}.unpack_from(data, pos)")
            self.emit(ind, f"pos += {r}.size")
            for m, i in pending:
                exprs[i] = self.dflat(m, vs)
            run.clear()
            pending.clear()

        for m in t._mtypes:
            f = _flat(m, 1)
            if f is not None and not (m._k == RECURSIVE or deref(m) is self.root):
                run += f
                pending.append((m, len(exprs)))
                exprs.append("")
            else:
                flush()
                exprs.append(self.dval(m, ind, depth + 1))
        flush()
        return f"{self.k(class_for(t))}({', '.join(exprs)})"

    def dstring(self, t: TypeCode, ind: int) -> str:
        n, v = self.var(), self.var()
        self.emit(ind, "pos += -pos & 3")
        self.emit(ind, f"{n} = U4(data, pos)[0]")
        self.emit(ind, "pos += 4")
        cond = f"not 0 < {n} <= end - pos or data[pos + {n} - 1]"
        if t._len:
            cond += f" or {n} > {t._len + 1}"
        self.emit(ind, f"if {cond}:")
        self.emit(ind + 1, f"raise BADLEN({n}, 'string')")
        self.emit(ind, f"{v} = data[pos:pos + {n} - 1].decode(cs)")
        self.emit(ind, f"pos += {n}")
        return v

    def dseq(self, t: TypeCode, ind: int, depth: int) -> str:
        assert t._content is not None
        elem = _unalias(t._content)
        n, v = self.var(), self.var()
        if t._k == K.tk_sequence:
            self.emit(ind, "pos += -pos & 3")
            self.emit(ind, f"{n} = U4(data, pos)[0]")
            self.emit(ind, "pos += 4")
            limit = f"(end - pos) // {max(1, min_size(elem))}"
            cond = f"{n} > {limit}" + (f" or {n} > {t._len}" if t._len else "")
            self.emit(ind, f"if {cond}:")
            self.emit(ind + 1, f"raise BADLEN({n}, 'sequence')")
        else:
            self.emit(ind, f"{n} = {t._len}")
        ek = elem._k
        fmt = PRIM[ek][0] if ek in PRIM and ek != K.tk_enum else None
        if ek in (K.tk_octet, K.tk_char, K.tk_boolean):
            self.emit(ind, f"if {n} > end - pos:")
            self.emit(ind + 1, f"raise BADLEN({n}, 'sequence')")
            if ek == K.tk_boolean:
                self.emit(ind, f"{v} = list(map(bool, data[pos:pos + {n}]))")
            else:
                self.emit(ind, f"{v} = data[pos:pos + {n}]")
            self.emit(ind, f"pos += {n}")
            return v
        if fmt in NUMERIC or ek == K.tk_enum:
            code = ARRAY_CODE[fmt or "I"]
            size = struct.calcsize(fmt or "I")
            a, end = self.var(), self.var()
            self.emit(ind, f"{a} = {'array' if ek == K.tk_enum else 'NumSeq'}({code!r})")
            self.emit(ind, f"if {n}:")
            self.emit(ind + 1, f"pos += -pos & {size - 1}")
            self.emit(ind + 1, f"{end} = pos + {n} * {size}")
            self.emit(ind + 1, f"if {end} > len(data):")
            self.emit(ind + 2, f"raise BADLEN({n}, 'sequence')")
            self.emit(ind + 1, f"{a}.frombytes(memoryview(data)[pos:{end}])")
            if size > 1 and self.little != (struct.pack("=H", 1) == b"\1\0"):
                self.emit(ind + 1, f"{a}.byteswap()")
            self.emit(ind + 1, f"pos = {end}")
            if ek == K.tk_enum:
                self.emit(ind, f"{v} = list(map({self.k(class_for(elem))}, {a}))")
            else:
                self.emit(ind, f"{v} = {a}")
            return v
        ap = self.var()
        self.emit(ind, f"{v} = []")
        self.emit(ind, f"{ap} = {v}.append")
        self.emit(ind, f"for _ in range({n}):")
        e = self.dval(t._content, ind + 1, depth + 1)
        self.emit(ind + 1, f"{ap}({e})")
        return v

    # -- encoders --------------------------------------------------------------------
    def encoder(self) -> Any:
        self.decode = False
        self.ns["BADLEN"] = _badparam
        self.eval_(self.root, "v", 1, 0, top=True)
        self.emit(1, "return None")
        return self._finish("def fn(buf, v, ctx):\n    cs = ctx.char", "")

    def _flat_paths(self, tc: TypeCode, prefix: str) -> list[str]:
        t = deref(tc)
        if t._k in PRIM:
            return [prefix]
        if t._k == K.tk_alias:
            assert t._content is not None
            return self._flat_paths(t._content, prefix)
        out: list[str] = []
        for name, m in zip(member_names(t), t._mtypes, strict=False):
            out += self._flat_paths(m, f"{prefix}.{name}" if prefix else name)
        return out

    def _flat_args(self, tc: TypeCode, vs: list[str]) -> list[str]:
        """Arguments of the run's ``pack`` (chars become their code points)."""
        t = deref(tc)
        if t._k == K.tk_alias:
            assert t._content is not None
            return self._flat_args(t._content, vs)
        if t._k in PRIM:
            v = vs.pop(0)
            return [f"ord({v})" if t._k == K.tk_char else v]
        out: list[str] = []
        for m in t._mtypes:
            out += self._flat_args(m, vs)
        return out

    def eval_(self, tc: TypeCode, x: str, ind: int, depth: int, top: bool = False) -> None:
        t = deref(tc)
        k = t._k
        if (not top and (tc._k == RECURSIVE or t is self.root)) or depth > INLINE_DEPTH:
            self.emit(ind, f"{self._call(tc)}(buf, {x}, ctx)")
            return
        if k == K.tk_alias:
            assert t._content is not None
            self.eval_(t._content, x, ind, depth)
            return
        flat = _flat(t)
        if flat is not None and k != K.tk_struct:
            arg = f"ord({x})" if k == K.tk_char else x
            self.emit(ind, f"buf += {self.k(self._runs(flat))}[len(buf) & 7].pack({arg})")
            return
        if k in (K.tk_struct, K.tk_except):
            self.estruct(t, x, ind, depth)
        elif k == K.tk_string:
            self.estring(t, x, ind)
        elif k in (K.tk_sequence, K.tk_array):
            self.eseq(t, x, ind, depth)
        else:
            self.emit(ind, f"{self._call(t)}(buf, {x}, ctx)")

    def _get(self, x: str, path: str) -> str:
        """Source reading attribute ``path`` of ``x`` (plain names inline, others by getattr)."""
        expr = x
        for part in path.split("."):
            if part.isidentifier() and not keyword.iskeyword(part):
                expr = f"{expr}.{part}"
            else:
                expr = f"getattr({expr}, {self.k(part)})"
        return expr

    def estruct(self, t: TypeCode, x: str, ind: int, depth: int) -> None:
        names = member_names(t)
        paths: list[str] = []
        plan: list[tuple[TypeCode, int, int]] = []  # member, first path index, path count
        for name, m in zip(names, t._mtypes, strict=False):
            flat = _flat(m, 1) is not None and not (m._k == RECURSIVE or deref(m) is self.root)
            p = self._flat_paths(m, name) if flat else [name]
            plan.append((m, len(paths), len(p) if flat else -1))
            paths += p
        vs = [self.var() for _ in paths]
        for v, path in zip(vs, paths, strict=False):
            self.emit(ind, f"{v} = {self._get(x, path)}")
        run: list[str] = []
        args: list[str] = []
        nul = False
        for i, (m, first, count) in enumerate(plan):
            if count >= 0:
                run += _flat(m, 1) or []
                args += self._flat_args(m, vs[first : first + count])
                continue
            if run:
                runs = self.k(self._runs(run, nul))
                self.emit(ind, f"buf += {runs}[len(buf) & 7].pack({', '.join(args)})")
                run, args, nul = [], [], False
            elif nul:
                self.emit(ind, "buf.append(0)")
                nul = False
            um = _unalias(m)
            if um._k == K.tk_string and i + 1 < len(plan) and plan[i + 1][2] >= 0:
                self.estring(um, vs[first], ind, fold_nul=True)
                nul = True
            else:
                self.eval_(m, vs[first], ind, depth + 1)
        if run:
            runs = self.k(self._runs(run, nul))
            self.emit(ind, f"buf += {runs}[len(buf) & 7].pack({', '.join(args)})")
        elif nul:
            self.emit(ind, "buf.append(0)")

    def estring(self, t: TypeCode, x: str, ind: int, fold_nul: bool = False) -> None:
        b = self.var()
        self.emit(ind, f"{b} = {x}.encode(cs)")
        cond = f"b'\\0' in {b}" + (f" or len({b}) > {t._len}" if t._len else "")
        self.emit(ind, f"if {cond}:")
        self.emit(ind + 1, f"raise BADLEN(len({b}), 'string to send')")
        self.emit(ind, f"buf += PADLEN[len(buf) & 3](len({b}) + 1)")
        self.emit(ind, f"buf += {b}")
        if not fold_nul:
            self.emit(ind, "buf.append(0)")

    def eseq(self, t: TypeCode, x: str, ind: int, depth: int) -> None:
        assert t._content is not None
        elem = _unalias(t._content)
        ek = elem._k
        if ek in (K.tk_octet, K.tk_char):
            b = self.var()
            conv = self.k(_to_bytes)
            self.emit(ind, f"{b} = {conv}({x})")
            x = b
        n = f"len({x})"
        if t._k == K.tk_sequence:
            if t._len:
                self.emit(ind, f"if {n} > {t._len}:")
                self.emit(ind + 1, f"raise BADLEN({n}, 'sequence to send')")
            self.emit(ind, "buf += PAD[-len(buf) & 3]")
            self.emit(ind, f"buf += P4({n})")
        else:
            self.emit(ind, f"if {n} != {t._len}:")
            self.emit(ind + 1, f"raise BADLEN({n}, 'array to send')")
        if ek in (K.tk_octet, K.tk_char):
            self.emit(ind, f"buf += {x}")
            return
        if ek == K.tk_boolean:
            self.emit(ind, f"buf += bytes(map(bool, {x}))")
            return
        fmt = PRIM[ek][0] if ek in PRIM else None
        if fmt in NUMERIC or ek == K.tk_enum:
            code = ARRAY_CODE[fmt or "I"]
            size = struct.calcsize(fmt or "I")
            a = self.var()
            self.emit(ind, f"if {x}:")
            self.emit(ind + 1, f"buf += PAD[-len(buf) & {size - 1}]")
            self.emit(ind + 1, f"{a} = array({code!r}, {x})")
            if size > 1 and self.little != (struct.pack("=H", 1) == b"\1\0"):
                self.emit(ind + 1, f"{a}.byteswap()")
            self.emit(ind + 1, f"buf += {a}")
            return
        e = self.var()
        self.emit(ind, f"for {e} in {x}:")
        self.eval_(t._content, e, ind + 1, depth + 1)


def _to_bytes(x: Any) -> bytes:
    if isinstance(x, bytes):
        return x
    if isinstance(x, str):
        return x.encode("latin-1")
    return bytes(x)


def _badlen(n: int, what: str) -> Exception:
    return marshal(f"bad {what} length {n}")


def _badparam(n: int, what: str) -> Exception:
    from idlgen_runtime.giop.exceptions import BAD_PARAM

    return BAD_PARAM(0, text=f"bad {what} length {n}")


def _trampoline(t: TypeCode, little: bool, decode: bool) -> Any:
    """A late-bound call of ``t``'s plan, counting depth (recursive types)."""
    if decode:

        def dec(data: bytes, pos: int, ctx: Any) -> tuple[Any, int]:
            ctx.depth += 1
            try:
                if ctx.depth > ctx.max_depth:
                    raise marshal(f"values nested deeper than {ctx.max_depth}")
                return decoder(t, little)(data, pos, ctx)
            finally:
                ctx.depth -= 1

        return dec

    def enc(buf: bytearray, v: Any, ctx: Any) -> None:
        ctx.depth += 1
        try:
            if ctx.depth > ctx.max_depth:
                from idlgen_runtime.giop.exceptions import BAD_PARAM

                raise BAD_PARAM(0, text=f"values nested deeper than {ctx.max_depth}")
            encoder(t, little)(buf, v, ctx)
        finally:
            ctx.depth -= 1

    return enc
