"""Plans for the kinds not worth generating code for.

Union, any, TypeCode, objref, valuetypes, wide characters, fixed, long double.

Each is a closure with the plan signatures of ``plans``; those that need the
stream's helpers work through ``ctx`` (the ``CdrInput``/``CdrOutput`` whose
``data``/``buf`` the generated code is reading or writing).
"""

from __future__ import annotations

import decimal
import math
import struct
from typing import Any as _Any

from idlgen_runtime.giop.exceptions import BAD_PARAM, MARSHAL, NO_IMPLEMENT, marshal
from idlgen_runtime.giop.mapping import class_for, py_name
from idlgen_runtime.giop.typecode import REGISTRY, TCKind, TypeCode, deref, unalias

K = TCKind


class Any:
    """CORBA.Any: a value with its TypeCode."""

    __slots__ = ("_t", "_v")

    def __init__(self, typecode: TypeCode, value: _Any) -> None:
        self._t = typecode
        self._v = value

    def typecode(self) -> TypeCode:
        """The TypeCode of the value."""
        return self._t

    def value(self) -> _Any:
        """The value (Any) / the TypeCode of a valuetype (tc.value)."""
        return self._v

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Any) and self._t.equivalent(other._t) and self._v == other._v

    def __hash__(self) -> int:
        return hash(self._t)

    def __repr__(self) -> str:
        return f"CORBA.Any({self._t!r}, {self._v!r})"


def plan(t: TypeCode, little: bool, decode: bool) -> _Any:
    """The closure for ``t``'s kind (see the module docstring)."""
    k = t._k
    if k in (K.tk_null, K.tk_void):
        return _dnothing if decode else _enothing
    pair = _PAIRS.get(k)
    if pair is None:
        name = TCKind(k).name
        msg = f"values of {name} cannot be marshalled"

        def never(*_: _Any) -> _Any:
            raise (marshal(msg) if decode else BAD_PARAM(0, text=msg))

        return never
    dec, enc = pair
    if decode:

        def d(data: bytes, pos: int, ctx: _Any) -> tuple[_Any, int]:
            ctx.pos = pos
            v = dec(t, ctx)
            return v, ctx.pos

        return d

    def e(buf: bytearray, v: _Any, ctx: _Any) -> None:
        enc(t, ctx, v)

    return e


def _dnothing(data: bytes, pos: int, ctx: _Any) -> tuple[_Any, int]:
    return None, pos


def _enothing(buf: bytearray, v: _Any, ctx: _Any) -> None:
    return None


# -- long double (IEEE 754 binary128) ---------------------------------------------------
def quad_to_float(b: bytes, little: bool) -> float:
    """Sixteen bytes of IEEE quad precision, rounded to the nearest double."""
    x = int.from_bytes(b, "little" if little else "big")
    sign = -1.0 if x >> 127 else 1.0
    exp = (x >> 112) & 0x7FFF
    mant = x & ((1 << 112) - 1)
    if exp == 0x7FFF:
        return math.copysign(math.nan, sign) if mant else sign * math.inf
    if exp == 0:
        return sign * math.ldexp(mant, -16494)
    try:
        return sign * math.ldexp(float(mant | 1 << 112), exp - 16383 - 112)
    except OverflowError:
        return sign * math.inf


def float_to_quad(f: float, little: bool) -> bytes:
    """A double as IEEE quad precision (exact: quad holds every double)."""
    sign = 1 if math.copysign(1.0, f) < 0 else 0
    if math.isnan(f):
        x = (sign << 127) | (0x7FFF << 112) | (1 << 111)
    elif math.isinf(f):
        x = (sign << 127) | (0x7FFF << 112)
    elif f == 0:
        x = sign << 127
    else:
        m, e = math.frexp(abs(f))
        frac = int((2 * m - 1) * (1 << 112))
        x = (sign << 127) | ((e - 1 + 16383) << 112) | frac
    return x.to_bytes(16, "little" if little else "big")


def x87_to_float(b: bytes, little: bool) -> float:
    """x87 80-bit extended precision (in a 16-byte field), rounded to a double."""
    x = int.from_bytes(b, "little" if little else "big")
    mant = x & ((1 << 64) - 1)
    se = (x >> 64) & 0xFFFF
    sign = -1.0 if se >> 15 else 1.0
    exp = se & 0x7FFF
    if exp == 0x7FFF:
        return math.copysign(math.nan, sign) if mant << 1 & ((1 << 64) - 1) else sign * math.inf
    try:
        return sign * math.ldexp(float(mant), (exp or 1) - 16383 - 63)
    except OverflowError:
        return sign * math.inf


def float_to_x87(f: float, little: bool) -> bytes:
    """A double as x87 80-bit extended precision, zero-padded to 16 bytes (exact)."""
    sign = 1 if math.copysign(1.0, f) < 0 else 0
    if math.isnan(f):
        x = ((sign << 15 | 0x7FFF) << 64) | (3 << 62)
    elif math.isinf(f):
        x = ((sign << 15 | 0x7FFF) << 64) | (1 << 63)
    elif f == 0:
        x = (sign << 15) << 64
    else:
        m, e = math.frexp(abs(f))
        x = ((sign << 15 | (e - 1 + 16383)) << 64) | int(m * (1 << 64))
    return x.to_bytes(16, "little" if little else "big")


def _d_longdouble(t: TypeCode, ctx: _Any) -> float:
    ctx.align(8)
    raw = ctx.raw(16)
    return x87_to_float(raw, ctx.little) if ctx.x87 else quad_to_float(raw, ctx.little)


def _e_longdouble(t: TypeCode, ctx: _Any, v: _Any) -> None:
    ctx.align(8)
    to = float_to_x87 if ctx.x87 else float_to_quad
    ctx.buf += to(float(v), ctx.little)


# -- fixed ----------------------------------------------------------------------------
def _d_fixed(t: TypeCode, ctx: _Any) -> decimal.Decimal:
    raw = ctx.raw(t._digits // 2 + 1)
    nibbles = [n for b in raw for n in (b >> 4, b & 15)]
    sign = nibbles.pop()
    if any(n > 9 for n in nibbles) or sign not in (0xA, 0xC, 0xD, 0xE, 0xF, 0xB):
        raise marshal("fixed: a nibble is not a decimal digit or sign")
    return decimal.Decimal((1 if sign in (0xB, 0xD) else 0, tuple(nibbles), -t._scale))


def _e_fixed(t: TypeCode, ctx: _Any, v: _Any) -> None:
    d = decimal.Decimal(v)
    q = d.quantize(decimal.Decimal(1).scaleb(-t._scale), rounding=decimal.ROUND_HALF_EVEN)
    sign, digits, _ = q.as_tuple()
    ds = list(digits)
    if len(ds) > t._digits:
        ds = ds[-t._digits :] if all(x == 0 for x in ds[: -t._digits]) else ds
    if len(ds) > t._digits:
        raise BAD_PARAM(0, text=f"{v} does not fit fixed<{t._digits},{t._scale}>")
    ds = [0] * (t._digits - len(ds)) + ds
    nib = ds + [0xD if sign else 0xC]
    if len(nib) % 2:
        nib.insert(0, 0)
    ctx.buf += bytes((nib[i] << 4) | nib[i + 1] for i in range(0, len(nib), 2))


# -- wide characters --------------------------------------------------------------------
def _utf16(b: bytes, little: bool) -> str:
    if b[:2] == b"\xfe\xff":
        return b[2:].decode("utf-16-be")
    if b[:2] == b"\xff\xfe":
        return b[2:].decode("utf-16-le")
    return b.decode("utf-16-be")


def _d_wchar(t: TypeCode, ctx: _Any) -> str:
    try:
        if ctx.wide12:
            s = _utf16(ctx.raw(ctx.octet()), ctx.little)
        else:
            s = chr(ctx.ushort())
    except UnicodeDecodeError as exc:
        raise marshal(f"wchar: {exc}") from None
    if len(s) != 1:
        raise marshal(f"wchar holds {len(s)} characters")
    return s


def _e_wchar(t: TypeCode, ctx: _Any, v: _Any) -> None:
    if not isinstance(v, str) or len(v) != 1:
        raise BAD_PARAM(0, text=f"wchar must be one character, not {v!r}")
    if ctx.wide12:
        b = v.encode("utf-16-be")
        ctx.octet(len(b))
        ctx.buf += b
    else:
        ctx.ushort(ord(v))


def _d_wstring(t: TypeCode, ctx: _Any) -> str:
    try:
        if ctx.wide12:
            n = ctx.length()
            if n % 2:
                raise marshal(f"wstring of {n} octets (odd)")
            s = _utf16(ctx.raw(n), ctx.little)
        else:
            n = ctx.length(2)
            if n == 0:
                raise marshal("wstring of length 0 (no terminating NUL)")
            ctx.align(2)
            s = ctx.raw(2 * n).decode("utf-16-le" if ctx.little else "utf-16-be")
            if s[-1] != "\0":
                raise marshal("wstring not terminated by NUL")
            s = s[:-1]
    except UnicodeDecodeError as exc:
        raise marshal(f"wstring: {exc}") from None
    if t._len and len(s) > t._len:
        raise marshal(f"wstring of {len(s)} characters, bound {t._len}")
    return s


def _e_wstring(t: TypeCode, ctx: _Any, v: _Any) -> None:
    if t._len and len(v) > t._len:
        raise BAD_PARAM(0, text=f"wstring of {len(v)} characters, bound {t._len}")
    if ctx.wide12:
        b = v.encode("utf-16-be")
        ctx.octets(b)
    else:
        b = (v + "\0").encode("utf-16-le" if ctx.little else "utf-16-be")
        ctx.ulong(len(b) // 2)
        ctx.align(2)
        ctx.buf += b


# -- union ----------------------------------------------------------------------------
def _d_union(t: TypeCode, ctx: _Any) -> _Any:
    assert t._disc is not None
    d = ctx.read(t._disc)
    i = t.label_index(d)
    v = ctx.read(t._mtypes[i]) if i >= 0 else None
    return class_for(t)(d, v)


def _e_union(t: TypeCode, ctx: _Any, u: _Any) -> None:
    assert t._disc is not None
    d = u._d
    ctx.write(t._disc, d)
    i = t.label_index(d)
    if i >= 0:
        ctx.write(t._mtypes[i], u._v)


# -- any, TypeCode ----------------------------------------------------------------------
def _d_any(t: TypeCode, ctx: _Any) -> Any:
    from idlgen_runtime.giop import tcwire

    ctx.depth += 1
    try:
        if ctx.depth > ctx.max_depth:
            raise marshal(f"any nested deeper than {ctx.max_depth}")
        tc = tcwire.read_typecode(ctx)
        return Any(tc, ctx.read(tc))
    finally:
        ctx.depth -= 1


def _e_any(t: TypeCode, ctx: _Any, v: _Any) -> None:
    from idlgen_runtime.giop import tcwire

    if not isinstance(v, Any):
        raise BAD_PARAM(0, text=f"an any must be a CORBA.Any, not {type(v).__name__}")
    ctx.depth += 1
    try:
        if ctx.depth > ctx.max_depth:
            raise BAD_PARAM(0, text=f"any nested deeper than {ctx.max_depth}")
        tcwire.write_typecode(ctx, v._t)
        ctx.write(v._t, v._v)
    finally:
        ctx.depth -= 1


def _d_typecode(t: TypeCode, ctx: _Any) -> TypeCode:
    from idlgen_runtime.giop import tcwire

    return tcwire.read_typecode(ctx)


def _e_typecode(t: TypeCode, ctx: _Any, v: _Any) -> None:
    from idlgen_runtime.giop import tcwire

    if not isinstance(v, TypeCode):
        raise BAD_PARAM(0, text=f"a TypeCode is wanted, not {type(v).__name__}")
    tcwire.write_typecode(ctx, v)


def _d_principal(t: TypeCode, ctx: _Any) -> bytes:
    return bytes(ctx.octets())


def _e_principal(t: TypeCode, ctx: _Any, v: _Any) -> None:
    ctx.octets(bytes(v))


# -- object references --------------------------------------------------------------------
def _d_objref(t: TypeCode, ctx: _Any) -> _Any:
    from idlgen_runtime.giop import ior, objref

    return objref.from_ior(ior.read_ior(ctx), ctx.orb, t._id)


def _e_objref(t: TypeCode, ctx: _Any, v: _Any) -> None:
    from idlgen_runtime.giop import ior, objref

    ior.write_ior(ctx, objref.to_ior(v))


def _d_abstract(t: TypeCode, ctx: _Any) -> _Any:
    if ctx.boolean():
        return _d_objref(t, ctx)
    return _d_value(REGISTRY.get("IDL:omg.org/CORBA/ValueBase:1.0") or t, ctx)


def _e_abstract(t: TypeCode, ctx: _Any, v: _Any) -> None:
    from idlgen_runtime.giop import objref

    if v is None or isinstance(v, objref.Object):
        ctx.boolean(True)
        _e_objref(t, ctx, v)
    else:
        ctx.boolean(False)
        _e_value(t, ctx, v)


# -- valuetypes (CORBA 3.x 9.3.4) ----------------------------------------------------------
VALUE_TAG_MIN, VALUE_TAG_MAX = 0x7FFFFF00, 0x7FFFFFFF
INDIRECTION = 0xFFFFFFFF


def _repo_id(ctx: _Any) -> str:
    here = ctx.pos
    n = ctx.ulong()
    if n == INDIRECTION:
        off = struct.unpack_from("<i" if ctx.little else ">i", ctx.raw(4))[0]
        target = here + 4 + off
        if not 0 <= target < here:
            raise marshal("repository id indirection out of range")
        save, ctx.pos = ctx.pos, target
        s = ctx.string()
        ctx.pos = save
        return str(s)
    ctx.pos = here
    return str(ctx.string())


def _value_chain(t: TypeCode) -> list[TypeCode]:
    chain: list[TypeCode] = []
    cur: TypeCode | None = t
    while cur is not None and len(chain) < 64:
        cur = deref(cur)
        chain.append(cur)
        cur = cur._base
    return chain[::-1]


def _d_value(t: TypeCode, ctx: _Any) -> _Any:
    start = ctx.pos + (-ctx.pos & 3)
    tag = ctx.ulong()
    if tag == 0:
        return None
    if ctx.values is None:
        ctx.values = {}
    if tag == INDIRECTION:
        off = ctx.long()
        target = ctx.pos - 4 + off
        if target not in ctx.values:
            raise marshal("value indirection to no value")
        return ctx.values[target]
    if not VALUE_TAG_MIN <= tag <= VALUE_TAG_MAX:
        raise marshal(f"value tag 0x{tag:x}")
    if tag & 8:
        raise NO_IMPLEMENT(0, text="chunked valuetype encoding is not supported")
    if tag & 1:
        _repo_id(ctx)  # codebase URL, unused
    ids: list[str] = []
    if tag & 6 == 2:
        ids = [_repo_id(ctx)]
    elif tag & 6 == 6:
        ids = [_repo_id(ctx) for _ in range(ctx.length(4))]
    vt = t
    if ids and ids[0] != t._id:
        known = REGISTRY.get(ids[0])
        if known is None:
            raise MARSHAL(0, text=f"no local type for value {ids[0]!r}")
        vt = known
    if vt._k == K.tk_value_box:
        assert vt._content is not None
        ctx.depth += 1
        try:
            if ctx.depth > ctx.max_depth:
                raise marshal("values nested too deeply")
            v = ctx.read(vt._content)
        finally:
            ctx.depth -= 1
        ctx.values[start] = v
        return v
    obj = class_for(vt).__new__(class_for(vt))
    ctx.values[start] = obj
    ctx.depth += 1
    try:
        if ctx.depth > ctx.max_depth:
            raise marshal("values nested too deeply")
        for part in _value_chain(vt):
            for name, mt in zip(part._mnames, part._mtypes, strict=False):
                setattr(obj, py_name(name), ctx.read(mt))
    finally:
        ctx.depth -= 1
    return obj


def _e_value(t: TypeCode, ctx: _Any, v: _Any) -> None:
    if v is None:
        ctx.ulong(0)
        return
    if ctx.values is None:
        ctx.values = {}
    seen = ctx.values.get(id(v))
    ctx.align(4)
    if seen is not None and seen[1] is v:
        ctx.ulong(INDIRECTION)
        ctx.long(seen[0] - len(ctx.buf))
        return
    ctx.values[id(v)] = (len(ctx.buf), v)
    t = unalias(t)
    if t._k == K.tk_value_box:
        ctx.ulong(VALUE_TAG_MIN | 2)
        ctx.string(t._id)
        assert t._content is not None
        ctx.write(t._content, v)
        return
    rid = getattr(v, "_NP_RepositoryId", "") or t._id
    vt = REGISTRY.get(rid, t) if rid != t._id else t
    ctx.ulong(VALUE_TAG_MIN | 2)
    ctx.string(rid)
    for part in _value_chain(vt):
        for name, mt in zip(part._mnames, part._mtypes, strict=False):
            ctx.write(mt, getattr(v, py_name(name)))


_PAIRS: dict[int, tuple[_Any, _Any]] = {
    K.tk_longdouble: (_d_longdouble, _e_longdouble),
    K.tk_fixed: (_d_fixed, _e_fixed),
    K.tk_wchar: (_d_wchar, _e_wchar),
    K.tk_wstring: (_d_wstring, _e_wstring),
    K.tk_union: (_d_union, _e_union),
    K.tk_any: (_d_any, _e_any),
    K.tk_TypeCode: (_d_typecode, _e_typecode),
    K.tk_Principal: (_d_principal, _e_principal),
    K.tk_objref: (_d_objref, _e_objref),
    K.tk_abstract_interface: (_d_abstract, _e_abstract),
    K.tk_value: (_d_value, _e_value),
    K.tk_event: (_d_value, _e_value),
    K.tk_value_box: (_d_value, _e_value),
}
