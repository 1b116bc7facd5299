"""TypeCodes on the wire (CORBA 3.x 9.3.5): kinds, encapsulations, indirections.

The reader follows indirections only back to TypeCodes it has already started
in the same top-level TypeCode (the recursive case), refuses kinds it does not
know, bounds member counts by the bytes left and nesting by ``MAX_DEPTH``: a
TypeCode bomb costs a MARSHAL, not the server's memory or stack.
The writer emits an indirection wherever a recursive type refers to an
enclosing one, computing offsets in the outermost stream as the spec asks.
"""

from __future__ import annotations

from idlgen_runtime.giop.cdr import MAX_DEPTH, CdrInput, CdrOutput
from idlgen_runtime.giop.exceptions import BAD_TYPECODE, marshal
from idlgen_runtime.giop.typecode import (
    RECURSIVE,
    SIMPLE,
    TCKind,
    TypeCode,
    deref,
    fixed,
    unalias,
)

K = TCKind
INDIRECTION = 0xFFFFFFFF
_NAMED = frozenset(
    {K.tk_objref, K.tk_native, K.tk_abstract_interface, K.tk_local_interface}
    | {K.tk_component, K.tk_home}
)
_DISC_KINDS = frozenset(
    {K.tk_short, K.tk_long, K.tk_ushort, K.tk_ulong, K.tk_longlong, K.tk_ulonglong}
    | {K.tk_boolean, K.tk_char, K.tk_wchar, K.tk_enum}
)


def write_typecode(out: CdrOutput, tc: TypeCode) -> None:
    """Append ``tc`` to ``out`` (whose offset 0 is the outermost stream's)."""
    _write(out, 0, tc, {})


def _write(out: CdrOutput, base: int, tc: TypeCode, stack: dict[int, int]) -> None:
    t = deref(tc)
    if t._k == RECURSIVE:
        raise BAD_TYPECODE(0, text=f"recursive TypeCode {t._id!r} was never resolved")
    out.align(4)
    if id(t) in stack:
        out.ulong(INDIRECTION)
        here = base + len(out.buf)
        out.long(stack[id(t)] - here)
        return
    kind_pos = base + len(out.buf)
    k = t._k
    out.ulong(k)
    if k in (K.tk_string, K.tk_wstring):
        out.ulong(t._len)
        return
    if k == K.tk_fixed:
        out.ushort(t._digits)
        out.short(t._scale)
        return
    if k in SIMPLE:
        return
    out.align(4)
    inner_base = base + len(out.buf) + 4
    enc = out.encapsulation()
    stack[id(t)] = kind_pos
    try:
        _params(enc, inner_base, t, stack)
    finally:
        del stack[id(t)]
    out.octets(bytes(enc.buf))


def _params(enc: CdrOutput, base: int, t: TypeCode, stack: dict[int, int]) -> None:
    k = t._k
    if k in (K.tk_sequence, K.tk_array):
        assert t._content is not None
        _write(enc, base, t._content, stack)
        enc.ulong(t._len)
        return
    enc.string(t._id)
    enc.string(t._name)
    if k in _NAMED:
        return
    if k in (K.tk_alias, K.tk_value_box):
        assert t._content is not None
        _write(enc, base, t._content, stack)
    elif k == K.tk_enum:
        enc.ulong(len(t._mnames))
        for n in t._mnames:
            enc.string(n)
    elif k in (K.tk_struct, K.tk_except):
        enc.ulong(len(t._mnames))
        for n, m in zip(t._mnames, t._mtypes, strict=False):
            enc.string(n)
            _write(enc, base, m, stack)
    elif k == K.tk_union:
        assert t._disc is not None
        _write(enc, base, t._disc, stack)
        enc.long(t._defidx)
        enc.ulong(len(t._mnames))
        for i, (lab, n, m) in enumerate(zip(t._labels, t._mnames, t._mtypes, strict=False)):
            if i == t._defidx:
                enc.octet(0)
            else:
                enc.write(t._disc, lab)
            enc.string(n)
            _write(enc, base, m, stack)
    elif k in (K.tk_value, K.tk_event):
        enc.short(t._mod)
        if t._base is None:
            enc.ulong(K.tk_null)
        else:
            _write(enc, base, t._base, stack)
        enc.ulong(len(t._mnames))
        for n, m, vis in zip(t._mnames, t._mtypes, t._vis, strict=False):
            enc.string(n)
            _write(enc, base, m, stack)
            enc.short(vis)
    else:
        raise BAD_TYPECODE(0, text=f"cannot marshal a TypeCode of kind {k}")


def read_typecode(inp: CdrInput) -> TypeCode:
    """Read one TypeCode at ``inp.pos`` (indirections within it followed)."""
    return _read(inp, {}, inp.depth)


def _read(inp: CdrInput, seen: dict[int, TypeCode], depth: int) -> TypeCode:
    if depth > min(inp.max_depth, MAX_DEPTH):
        raise marshal(f"TypeCode nested deeper than {inp.max_depth}")
    inp.align(4)
    start = inp.base + inp.pos
    k = inp.ulong()
    if k == INDIRECTION:
        off = inp.long()
        target = inp.base + inp.pos - 4 + off
        found = seen.get(target)
        if found is None:
            raise marshal(f"TypeCode indirection to offset {off}: no TypeCode starts there")
        return found
    if k in (K.tk_string, K.tk_wstring):
        t = TypeCode(k)
        t._len = inp.ulong()
        return t if t._len else _plain(k)
    if k == K.tk_fixed:
        digits, scale = inp.ushort(), inp.short()
        try:
            return fixed(digits, scale)
        except Exception:
            raise marshal(f"fixed<{digits},{scale}>") from None
    if k in SIMPLE:
        return SIMPLE[k]
    if k not in _ENCAPSULATED:
        raise marshal(f"unknown TypeCode kind {k}")
    enc = inp.encapsulation()
    holder = TypeCode(RECURSIVE)
    seen[start] = holder
    t = _read_params(enc, TCKind(k), seen, depth + 1)
    holder._target = t
    holder._id = t._id
    seen[start] = t
    return t


def _plain(k: int) -> TypeCode:
    from idlgen_runtime.giop import typecode

    return typecode.string if k == K.tk_string else typecode.wstring


_ENCAPSULATED = frozenset(
    _NAMED
    | {K.tk_struct, K.tk_except, K.tk_union, K.tk_enum, K.tk_sequence, K.tk_array, K.tk_alias}
    | {K.tk_value, K.tk_value_box, K.tk_event}
)


def _read_params(enc: CdrInput, k: TCKind, seen: dict[int, TypeCode], depth: int) -> TypeCode:
    if k in (K.tk_sequence, K.tk_array):
        content = _read(enc, seen, depth)
        t = TypeCode(k)
        t._content, t._len = content, enc.ulong()
        if k == K.tk_array and t._len == 0:
            raise marshal("array of length 0")
        return t
    t = TypeCode(k, enc.string(), enc.string())
    if k in _NAMED:
        return t
    if k in (K.tk_alias, K.tk_value_box):
        t._content = _read(enc, seen, depth)
    elif k == K.tk_enum:
        t._mnames = tuple(enc.string() for _ in range(enc.length(5)))
    elif k in (K.tk_struct, K.tk_except):
        names, types = [], []
        for _ in range(enc.length(9)):
            names.append(enc.string())
            types.append(_read(enc, seen, depth))
        t._mnames, t._mtypes = tuple(names), tuple(types)
    elif k == K.tk_union:
        disc = _read(enc, seen, depth)
        if unalias(disc)._k not in _DISC_KINDS:
            raise marshal(f"union discriminator of kind {unalias(disc)._k}")
        t._disc = disc
        t._defidx = enc.long()
        n = enc.length(9)
        if t._defidx < -1 or t._defidx >= max(n, 1) and t._defidx != -1:
            raise marshal(f"union default index {t._defidx} of {n} members")
        labels, names, types = [], [], []
        for i in range(n):
            labels.append(enc.octet() if i == t._defidx else enc.read(disc))
            names.append(enc.string())
            types.append(_read(enc, seen, depth))
        t._labels, t._mnames, t._mtypes = tuple(labels), tuple(names), tuple(types)
    elif k in (K.tk_value, K.tk_event):
        t._mod = enc.short()
        base = _read(enc, seen, depth)
        t._base = None if base._k == K.tk_null else base
        names, types, vis = [], [], []
        for _ in range(enc.length(11)):
            names.append(enc.string())
            types.append(_read(enc, seen, depth))
            vis.append(enc.short())
        t._mnames, t._mtypes, t._vis = tuple(names), tuple(types), tuple(vis)
    return t
