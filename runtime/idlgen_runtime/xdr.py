"""XDR (RFC 4506) building blocks shared by every generated codec.

Generated code inlines fixed-size runs of fields as precompiled
``struct.Struct`` plans; what cannot be inlined — variable-length strings and
opaques, bounded counts, enum checks — lives here so that each check is written
once. Decoders take ``(buf, pos)`` and return ``(value, new_pos)``; encoders
append to a ``bytearray``. Every length is checked against its bound *and*
against the bytes that remain before anything is allocated.
"""

from __future__ import annotations

import dataclasses
import struct
from collections.abc import Callable, Iterator, Sized
from typing import Any, Generic, TypeVar

from idlgen_runtime.errors import XdrDecodeError, XdrEncodeError

T = TypeVar("T")
Buffer = bytes | bytearray | memoryview
Decoder = Callable[[Buffer, int], tuple[T, int]]
Encoder = Callable[[bytearray, T], None]

#: Errors that the inlined ``struct`` plans raise on short or ill-typed data;
#: :func:`decode_exact` and :func:`encode` translate them into runtime errors.
_DECODE_FAULTS = (struct.error, IndexError, TypeError, ValueError, OverflowError, RecursionError)
_ENCODE_FAULTS = (
    struct.error,
    TypeError,
    ValueError,
    AttributeError,
    OverflowError,
    KeyError,
    IndexError,
    RecursionError,
)

UINT = struct.Struct(">I")
INT = struct.Struct(">i")
UHYPER = struct.Struct(">Q")
HYPER = struct.Struct(">q")
FLOAT = struct.Struct(">f")
DOUBLE = struct.Struct(">d")
_PADDING = (b"", b"\0\0\0", b"\0\0", b"\0")
#: The zero bytes after ``n`` bytes of data: ``PADDING[n & 3]`` (generated encoders).
PADDING = _PADDING
_MAX_UINT = 0xFFFFFFFF


def padding(n: int) -> bytes:
    """The zero bytes that round ``n`` up to a multiple of four."""
    return _PADDING[n & 3]


def decode_exact(decode: Decoder[T], data: Buffer, pos: int = 0) -> T:
    """Decode one value that must fill ``data[pos:]`` exactly (no trailing bytes)."""
    try:
        value, end = decode(data, pos)
    except XdrDecodeError:
        raise
    except RecursionError:
        raise XdrDecodeError("XDR data nested too deeply") from None
    except MemoryError:
        raise XdrDecodeError("XDR data declares more than can be allocated") from None
    except _DECODE_FAULTS as exc:
        raise XdrDecodeError(f"malformed XDR data: {exc}") from None
    if end != len(data):
        raise XdrDecodeError(f"{len(data) - end} trailing bytes after the XDR value")
    return value


def encode(encoder: Encoder[T], value: T) -> bytes:
    """Encode ``value`` with a generated encoder, translating faults to XdrEncodeError."""
    out = bytearray()
    encode_into(encoder, out, value)
    return bytes(out)


def encode_into(encoder: Encoder[T], out: bytearray, value: T) -> None:
    """Append ``value`` to ``out``; on failure ``out`` may hold a partial value.

    A number that does not fit its XDR type is named by its path in the value
    and its type's range: ``operands.x = 2147483648 does not fit in an int
    (-2147483648..2147483647)``. The fast path pays nothing for that: the
    field is found only after the encoder failed (:func:`explain`).
    """
    try:
        encoder(out, value)
    except XdrEncodeError:
        raise
    except _ENCODE_FAULTS as exc:
        raise explain(
            exc, lambda vs: encoder(bytearray(), vs[0]), (value,), (_root(value),)
        ) from None


def encode_args(
    encoder: Callable[..., None], out: bytearray, names: tuple[str, ...], *args: Any
) -> None:
    """Append a procedure's arguments to ``out`` (as :func:`encode_into`, several values).

    ``names`` are the parameters', for messages about a number that does not fit.
    """
    try:
        encoder(out, *args)
    except XdrEncodeError:
        raise
    except _ENCODE_FAULTS as exc:
        roots = tuple(_root(a, n) for a, n in zip(args, names, strict=False))
        raise explain(exc, lambda vs: encoder(bytearray(), *vs), args, roots) from None


#: The XDR integer types, each with a value it cannot hold but the next can.
_INTEGERS = (
    ("an int", -(2**31), 2**31 - 1),
    ("an unsigned int", 0, 2**32 - 1),
    ("a hyper", -(2**63), 2**63 - 1),
    ("an unsigned hyper", 0, 2**64 - 1),
)
_FLOAT_MAX = struct.unpack(">f", b"\x7f\x7f\xff\xff")[0]
#: Suspects probed one by one at most (a list of a million bad numbers is reported
#: without a path rather than re-encoded a million times).
_MAX_PROBES = 64


def explain(
    exc: BaseException,
    attempt: Callable[[tuple[Any, ...]], None],
    values: tuple[Any, ...],
    roots: tuple[str, ...],
) -> XdrEncodeError:
    """The error for a failed encoding of ``values``, naming the field to blame.

    Called only after the encoder failed. Every number in the values that
    some XDR integer or float type cannot hold is a suspect; each in turn is
    kept while every other suspect is set to zero, and the values are encoded
    again (``attempt``): the first that still fails is the culprit, and probes
    with a few numbers tell its type. A failure no number explains (a string
    where bytes belong, a missing arm) keeps the encoder's own words.
    """
    where = " and ".join(roots) if roots else "value"
    suspects = [(path, leaf) for path, leaf in _leaves(values, roots) if _suspect(leaf)][
        :_MAX_PROBES
    ]
    zeroed = {path: 0.0 if isinstance(leaf, float) else 0 for path, leaf in suspects}

    def fails(path: tuple[object, ...], number: object) -> bool:
        trial = _replaced(values, {**zeroed, path: number})
        try:
            attempt(trial)
        except (struct.error, OverflowError):
            return True
        except Exception:  # noqa: BLE001 - another failure: not this number's
            return False
        return False

    for path, leaf in suspects:
        if not fails(path, leaf):
            continue
        shown = _path(path, roots)
        if isinstance(leaf, float):
            return XdrEncodeError(
                f"cannot encode {where}: {shown} = {leaf!r} does not fit in a float "
                f"(-{_FLOAT_MAX!r}..{_FLOAT_MAX!r})"
            )
        signed = not fails(path, -1)
        kind, low, high = next(
            (t for t in _INTEGERS if (t[1] < 0) == signed and fails(path, t[2] + 1)),
            _INTEGERS[2 if signed else 3],
        )
        return XdrEncodeError(
            f"cannot encode {where}: {shown} = {leaf!r} does not fit in {kind} ({low}..{high})"
        )
    wanted = {"integer": "int", "float": "float"}.get(str(exc).rsplit(" ", 1)[-1])
    if wanted is not None:  # 'required argument is not an integer': a field's annotation says
        for path, leaf in _typed_leaves(values, wanted):
            what = "an integer" if wanted == "int" else "a number"
            return XdrEncodeError(
                f"cannot encode {where}: {_path(path, roots)} = {leaf!r} is not {what}"
            )
    return XdrEncodeError(f"cannot encode {where}: {exc}")


def _typed_leaves(
    values: tuple[Any, ...], wanted: str
) -> Iterator[tuple[tuple[object, ...], object]]:
    """Fields annotated ``wanted`` (``int``, ``list[int]``...) whose value is not of that type."""
    ok = (int,) if wanted == "int" else (int, float)
    stack: list[tuple[tuple[object, ...], object]] = [((i,), v) for i, v in enumerate(values)]
    stack.reverse()
    while stack:
        path, value = stack.pop()
        if not (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            continue
        below = []
        for f in dataclasses.fields(value):
            item, hint = getattr(value, f.name), str(f.type)
            if hint == wanted and not isinstance(item, ok):
                yield (*path, f.name), item
            elif hint == f"list[{wanted}]" and isinstance(item, list):
                for i, x in enumerate(item):
                    if not isinstance(x, ok):
                        yield (*path, f.name, i), x
            below.append(((*path, f.name), item))
        stack.extend(reversed(below))


def _root(value: object, name: str = "value") -> str:
    """How a path into ``value`` starts: its XDR type's name, else the parameter's."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__
    return name


def _suspect(leaf: object) -> bool:
    """A number that some XDR number type cannot hold (0..2**31-1 fits them all)."""
    if isinstance(leaf, bool):
        return False
    if isinstance(leaf, int):
        return not 0 <= leaf < 2**31
    return isinstance(leaf, float) and not -_FLOAT_MAX <= leaf <= _FLOAT_MAX


def _leaves(
    values: tuple[Any, ...], roots: tuple[str, ...]
) -> list[tuple[tuple[object, ...], object]]:
    """Every leaf of the values, with its path: (argument index, field or index, ...).

    Iterative, in field order: a linked list of a million entries has no depth limit.
    """
    found: list[tuple[tuple[object, ...], object]] = []
    stack: list[tuple[tuple[object, ...], object]] = [((i,), v) for i, v in enumerate(values)]
    stack.reverse()
    while stack:
        path, value = stack.pop()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            below = [((*path, f.name), getattr(value, f.name)) for f in dataclasses.fields(value)]
        elif isinstance(value, (list, tuple)):
            below = [((*path, i), item) for i, item in enumerate(value)]
        else:
            found.append((path, value))
            continue
        stack.extend(reversed(below))
    return found


def _replaced(
    values: tuple[Any, ...], changes: dict[tuple[object, ...], object]
) -> tuple[Any, ...]:
    """``values`` with the leaves at the given paths replaced (copies along the paths)."""

    def rebuild(value: Any, path: tuple[object, ...]) -> Any:
        mine = {p: v for p, v in changes.items() if p[: len(path)] == path}
        if not mine:
            return value
        if path in mine:
            return mine[path]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            updates = {
                f.name: rebuild(getattr(value, f.name), (*path, f.name))
                for f in dataclasses.fields(value)
                if any(p[len(path)] == f.name for p in mine)
            }
            return dataclasses.replace(value, **updates)
        if isinstance(value, (list, tuple)):
            items = [rebuild(item, (*path, i)) for i, item in enumerate(value)]
            return items if isinstance(value, list) else tuple(items)
        return value

    return tuple(rebuild(v, (i,)) for i, v in enumerate(values))


def _path(path: tuple[object, ...], roots: tuple[str, ...]) -> str:
    """``operands.x``, ``entries[3].name``: a leaf's path as Python would spell it."""
    index = path[0]
    text = roots[index] if isinstance(index, int) and index < len(roots) else "value"
    for step in path[1:]:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text


class Codec(Generic[T]):
    """The encoder and decoder of one named XDR type, as ``package.codecs.NAME``."""

    __slots__ = ("name", "encoder", "decoder")

    def __init__(self, name: str, encoder: Encoder[T], decoder: Decoder[T]) -> None:
        self.name = name
        self.encoder = encoder
        self.decoder = decoder

    def encode(self, value: T) -> bytes:
        """The XDR bytes of ``value``."""
        out = bytearray()
        encode_args(self.encoder, out, (self.name,), value)
        return bytes(out)

    def decode(self, data: Buffer) -> T:
        """The value whose XDR bytes are exactly ``data``."""
        return decode_exact(self.decoder, data)

    def __repr__(self) -> str:
        return f"<XDR codec {self.name}>"


# --- lengths and counts -----------------------------------------------------


def check_count(count: int, bound: int, min_size: int, buf: Buffer, pos: int) -> None:
    """Reject a declared element count beyond its bound or the bytes that remain.

    ``min_size`` is the smallest wire size of one element, so a hostile count
    is refused before a list of that many elements is ever built.
    """
    if count > bound:
        raise XdrDecodeError(f"declared count {count} exceeds the bound {bound}")
    if count * min_size > len(buf) - pos:
        raise XdrDecodeError(
            f"declared count {count} needs more than the {len(buf) - pos} bytes that remain"
        )


def too_long(kind: str, length: int, bound: int) -> XdrEncodeError:
    """The error for a value longer than its declared bound."""
    return XdrEncodeError(f"{kind} of length {length} exceeds the bound {bound}")


def bad_enum(type_name: str, value: object) -> XdrDecodeError:
    """The error for a discriminant or enum value that the type does not define."""
    return XdrDecodeError(f"{value!r} is not a value of {type_name}")


def bad_bool(value: int) -> XdrDecodeError:
    """The error for a bool that is neither 0 nor 1."""
    return XdrDecodeError(f"{value} is not an XDR bool (0 or 1)")


# --- opaque and string -------------------------------------------------------


def dec_opaque(buf: Buffer, pos: int, bound: int = _MAX_UINT) -> tuple[bytes, int]:
    """Variable-length opaque: a length, the bytes, zero padding to four."""
    (n,) = UINT.unpack_from(buf, pos)
    pos += 4
    end = pos + n
    if n > bound:
        raise XdrDecodeError(f"opaque length {n} exceeds the bound {bound}")
    if end > len(buf):
        raise XdrDecodeError(f"opaque length {n} runs past the end of the data")
    return bytes(buf[pos:end]), end + (-n & 3)


def dec_fixed_opaque(buf: Buffer, pos: int, n: int) -> tuple[bytes, int]:
    """Fixed-length opaque of ``n`` bytes, padded to four."""
    end = pos + n
    if end > len(buf):
        raise XdrDecodeError(f"fixed opaque of {n} bytes runs past the end of the data")
    return bytes(buf[pos:end]), end + (-n & 3)


def dec_string(buf: Buffer, pos: int, bound: int = _MAX_UINT) -> tuple[str, int]:
    """A string: decoded as UTF-8, with undecodable bytes kept by ``surrogateescape``.

    ``surrogateescape`` makes every byte string round-trip exactly, so a peer
    that sends Latin-1 file names loses nothing.
    """
    (n,) = UINT.unpack_from(buf, pos)
    pos += 4
    end = pos + n
    if n > bound:
        raise XdrDecodeError(f"string length {n} exceeds the bound {bound}")
    if end > len(buf):
        raise XdrDecodeError(f"string length {n} runs past the end of the data")
    return str(buf[pos:end], "utf-8", "surrogateescape"), end + (-n & 3)


def enc_opaque(out: bytearray, value: bytes, bound: int = _MAX_UINT) -> None:
    """Append a variable-length opaque."""
    n = len(value)
    if n > bound:
        raise too_long("opaque", n, bound)
    out += UINT.pack(n)
    out += value
    out += _PADDING[n & 3]


def enc_fixed_opaque(out: bytearray, value: bytes, n: int) -> None:
    """Append a fixed-length opaque, which must be exactly ``n`` bytes."""
    if len(value) != n:
        raise XdrEncodeError(f"fixed opaque needs exactly {n} bytes, got {len(value)}")
    out += value
    out += _PADDING[n & 3]


def enc_string(out: bytearray, value: str, bound: int = _MAX_UINT) -> None:
    """Append a string (UTF-8, ``surrogateescape`` for bytes that came undecodable)."""
    data = value.encode("utf-8", "surrogateescape")
    n = len(data)
    if n > bound:
        raise too_long("string", n, bound)
    out += UINT.pack(n)
    out += data
    out += _PADDING[n & 3]


# --- quadruple ----------------------------------------------------------------


def dec_quadruple(buf: Buffer, pos: int) -> tuple[float, int]:
    """IEEE 754 binary128, rounded to the nearest Python float as C's ``(double)`` does.

    Integer arithmetic keeps it exact: a true division of ints rounds once, to
    nearest even, down into the subnormals; past the largest double it is ±inf.
    """
    if pos + 16 > len(buf):
        raise XdrDecodeError("quadruple runs past the end of the data")
    bits = int.from_bytes(buf[pos : pos + 16], "big")
    sign = -1.0 if bits >> 127 else 1.0
    exponent = (bits >> 112) & 0x7FFF
    mantissa = bits & ((1 << 112) - 1)
    if exponent == 0x7FFF:
        return (float("nan") if mantissa else sign * float("inf")), pos + 16
    significand = mantissa if exponent == 0 else (1 << 112) | mantissa
    scale = max(exponent, 1) - 16383 - 112
    try:
        if scale < 0:
            magnitude = significand / (1 << -scale)
        else:
            magnitude = float(significand << scale)
    except OverflowError:
        magnitude = float("inf")
    return sign * magnitude, pos + 16


def enc_quadruple(out: bytearray, value: float) -> None:
    """Append a Python float as IEEE 754 binary128 (exact: binary128 holds every double)."""
    (bits,) = UHYPER.unpack(DOUBLE.pack(float(value)))
    sign = bits >> 63
    exponent = (bits >> 52) & 0x7FF
    mantissa = bits & ((1 << 52) - 1)
    if exponent == 0x7FF:
        q_exp, q_man = 0x7FFF, (mantissa << 60) | (1 << 111 if mantissa else 0)
    elif exponent == 0 and mantissa == 0:
        q_exp, q_man = 0, 0
    elif exponent == 0:
        # A subnormal double is a normal binary128: shift the leading one out.
        shift = 53 - mantissa.bit_length()
        q_exp = 1 - 1023 - shift + 16383
        q_man = ((mantissa << shift) & ((1 << 52) - 1)) << 60
    else:
        q_exp, q_man = exponent - 1023 + 16383, mantissa << 60
    out += ((sign << 127) | (q_exp << 112) | q_man).to_bytes(16, "big")


def dec_bool(buf: Buffer, pos: int) -> tuple[bool, int]:
    """An XDR bool: exactly 0 or 1."""
    (v,) = UINT.unpack_from(buf, pos)
    if v > 1:
        raise bad_bool(v)
    return v == 1, pos + 4


# --- single values, for optional data and arrays of them --------------------------

TRUE = UINT.pack(1)
FALSE = UINT.pack(0)


def dec_small(buf: Buffer, pos: int, low: int, high: int) -> tuple[int, int]:
    """char/short (and their unsigned forms): four bytes on the wire, checked range."""
    (v,) = INT.unpack_from(buf, pos) if low < 0 else UINT.unpack_from(buf, pos)
    if not low <= v <= high:
        raise XdrDecodeError(f"{v} is out of range {low}..{high}")
    return v, pos + 4


def enc_small(out: bytearray, value: int, low: int, high: int) -> None:
    """Append a char/short after checking its range (the wire has room for more)."""
    if not low <= value <= high:
        raise XdrEncodeError(f"{value} is out of range {low}..{high}")
    out += INT.pack(value) if low < 0 else UINT.pack(value)


def check_length(value: Sized, n: int) -> None:
    """A fixed-length array must have exactly its declared number of elements."""
    if len(value) != n:
        raise XdrEncodeError(f"fixed array needs exactly {n} elements, got {len(value)}")


def check_bound(kind: str, n: int, bound: int) -> None:
    """A variable-length array may not exceed its declared bound."""
    if n > bound:
        raise too_long(kind, n, bound)


def dec_flag(buf: Buffer, pos: int) -> bool:
    """The presence flag of optional data (an XDR bool)."""
    v: int = UINT.unpack_from(buf, pos)[0]
    if v > 1:
        raise bad_bool(v)
    return v == 1


def no_arm(type_name: str, value: object) -> XdrEncodeError:
    """The error for a union value whose discriminant selects no arm."""
    return XdrEncodeError(f"{type_name}: no arm for discriminant {value!r}")


def dec_void(buf: Buffer, pos: int) -> tuple[None, int]:
    """The decoder of ``void`` (procedure results with no value)."""
    return None, pos


def enc_void(out: bytearray, value: None) -> None:
    """The encoder of ``void``; anything but None is a mistake in the caller."""
    if value is not None:
        raise XdrEncodeError(f"a void result must be None, not {type(value).__name__}")


def arm(value: T | None, where: str) -> T:
    """The value of the union arm the discriminant selects, which must be set."""
    if value is None:
        raise XdrEncodeError(f"{where} must be set for this discriminant")
    return value


def dec_no_args(buf: Buffer, pos: int) -> tuple[tuple[()], int]:
    """The argument decoder of a procedure that takes none (``void``)."""
    return (), pos


def bad_length(kind: str, n: int, bound: int) -> XdrDecodeError:
    """The error for a declared length beyond its bound or the data that remain."""
    if n > bound:
        return XdrDecodeError(f"{kind} length {n} exceeds the bound {bound}")
    return XdrDecodeError(f"{kind} length {n} runs past the end of the data")


# --- linked lists ----------------------------------------------------------------


def chain_eq(a: object, b: object, link: str) -> bool:
    """Equality of two linked lists through field ``link``, compared in a loop.

    Each node's other fields compare as the dataclass would compare them; the
    dataclass's own ``__eq__`` would recurse once an entry.
    """
    kind = type(a)
    fields = dataclasses.fields(a)  # type: ignore[arg-type]
    names = [f.name for f in fields if f.compare and f.name != link]
    while a is not None:
        if not isinstance(b, kind):
            return False
        if any(getattr(a, n) != getattr(b, n) for n in names):
            return False
        a, b = getattr(a, link), getattr(b, link)
    return b is None


def chain_repr(head: object, link: str) -> str:
    """The dataclass repr of a linked list through field ``link``, built in a loop.

    The dataclass's own repr recurses once an entry, so printing a long list
    (a READDIR reply) would raise RecursionError.
    """
    opened: list[str] = []
    closers: list[str] = []
    node: object = head
    while node is not None:
        before: list[str] = []
        after: list[str] = []
        side = before
        for f in dataclasses.fields(node):  # type: ignore[arg-type]
            if f.name == link:
                side = after
            elif f.repr:
                side.append(f"{f.name}={getattr(node, f.name)!r}")
        opened.append(f"{type(node).__qualname__}({''.join(p + ', ' for p in before)}{link}=")
        closers.append("".join(", " + p for p in after) + ")")
        node = getattr(node, link)
    return "".join(opened) + "None" + "".join(reversed(closers))
