"""CDR streams (CORBA 3.x section 9.3): both byte orders, alignment, encapsulations.

``CdrOutput`` appends to a ``bytearray`` whose offset 0 is the alignment
origin (a GIOP message's first byte, or an encapsulation's byte-order octet);
``CdrInput`` reads ``bytes`` the same way. Both also carry what the codecs need
to know about the conversation: the negotiated char code set, whether wide
characters use the GIOP 1.2 form, the ORB (to turn IORs into stubs) and a depth
budget against nesting bombs. Values go through the compiled plans of
``plans``; this module does the fixed header fields by hand.

Every length read from the wire is checked against the bytes that remain
before anything is allocated; every failure is ``CORBA.MARSHAL``.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

from idlgen_runtime.giop.exceptions import marshal

if TYPE_CHECKING:
    from idlgen_runtime.giop.typecode import TypeCode

LATIN1 = "latin-1"
UTF8 = "utf-8"
#: Code set ids (OSF registry) the ORB knows.
CS_ISO8859_1 = 0x00010001
CS_UTF8 = 0x05010001
CS_UTF16 = 0x00010109
CS_UCS2 = 0x00010100
CHAR_CODECS = {CS_ISO8859_1: LATIN1, CS_UTF8: UTF8}

#: Deepest nesting of any/TypeCode/recursive values a decoder follows.
MAX_DEPTH = 64

_BE = {c: struct.Struct(">" + c) for c in "bB?hHiIqQfd"}
_LE = {c: struct.Struct("<" + c) for c in "bB?hHiIqQfd"}
PAD = [b"\0" * n for n in range(8)]
#: What a codec may raise on bad data, turned into MARSHAL/BAD_PARAM at the edge.
_DECODE_ERRORS = (struct.error, ValueError, IndexError, TypeError, OverflowError, RecursionError)
_ENCODE_ERRORS = (
    struct.error,
    ValueError,
    TypeError,
    AttributeError,
    OverflowError,
    RecursionError,
    UnicodeError,
)


class Settings:
    """What a codec needs to know about the conversation (shared by in and out)."""

    __slots__ = ("char", "wide12", "orb", "depth", "max_depth", "values", "little", "x87")

    def __init__(
        self, little: bool = False, char: str = LATIN1, wide12: bool = True, orb: Any = None
    ) -> None:
        self.little = little
        self.char = char
        self.wide12 = wide12
        self.orb = orb
        self.depth = 0
        self.max_depth = MAX_DEPTH
        self.values: dict[int, Any] | None = None
        #: long double as x87 80-bit extended in 16 bytes (what omniORB on x86-64
        #: sends) instead of IEEE quad; set from the ORB's -ORBidlgenLongDouble.
        self.x87 = bool(getattr(orb, "long_double_x87", False))


class CdrOutput(Settings):
    """An output CDR stream: ``buf`` grows; offset 0 is the alignment origin."""

    __slots__ = ("buf", "body_pad")

    def __init__(
        self,
        little: bool = False,
        char: str = LATIN1,
        wide12: bool = True,
        orb: Any = None,
        buf: bytearray | None = None,
    ) -> None:
        super().__init__(little, char, wide12, orb)
        self.buf = bytearray() if buf is None else buf
        #: (before, after) a GIOP 1.2 body's alignment padding: dropped when no body follows.
        self.body_pad: tuple[int, int] | None = None

    def align_body(self) -> None:
        """Pad to 8 for a GIOP 1.2 body (``messages.finish`` drops it if the body is empty)."""
        before = len(self.buf)
        self.align(8)
        self.body_pad = (before, len(self.buf))

    def _s(self, c: str) -> struct.Struct:
        return (_LE if self.little else _BE)[c]

    def align(self, n: int) -> None:
        """Skip (or write) padding to the next multiple of ``n``."""
        self.buf += PAD[-len(self.buf) & (n - 1)]

    def octet(self, v: int) -> None:
        """One octet."""
        self.buf.append(v)

    def boolean(self, v: bool) -> None:
        """A boolean (one octet)."""
        self.buf.append(1 if v else 0)

    def _put(self, c: str, n: int, v: Any) -> None:
        buf = self.buf
        buf += PAD[-len(buf) & (n - 1)]
        try:
            buf += self._s(c).pack(v)
        except struct.error as exc:
            from idlgen_runtime.giop.exceptions import BAD_PARAM

            raise BAD_PARAM(0, text=str(exc)) from None

    def short(self, v: int) -> None:
        """A short (2 bytes, 2-aligned)."""
        self._put("h", 2, v)

    def ushort(self, v: int) -> None:
        """An unsigned short (2 bytes, 2-aligned)."""
        self._put("H", 2, v)

    def long(self, v: int) -> None:
        """A long (4 bytes, 4-aligned)."""
        self._put("i", 4, v)

    def ulong(self, v: int) -> None:
        """An unsigned long (4 bytes, 4-aligned)."""
        self._put("I", 4, v)

    def ulonglong(self, v: int) -> None:
        """An unsigned long long (8 bytes, 8-aligned)."""
        self._put("Q", 8, v)

    def string(self, s: str) -> None:
        """A string (length with its NUL, the bytes, the NUL)."""
        b = s.encode(self.char)
        self.ulong(len(b) + 1)
        self.buf += b
        self.buf.append(0)

    def octets(self, b: bytes) -> None:
        """A ``sequence<octet>``: length then the bytes."""
        self.ulong(len(b))
        self.buf += b

    def write(self, tc: TypeCode, v: Any) -> None:
        """Encode ``v`` as a value of TypeCode ``tc``."""
        from idlgen_runtime.giop.exceptions import BAD_PARAM
        from idlgen_runtime.giop.plans import encoder

        try:
            encoder(tc, self.little)(self.buf, v, self)
        except _ENCODE_ERRORS as exc:
            raise BAD_PARAM(0, text=f"cannot marshal {v!r:.80} as {tc!r}: {exc}") from None

    def encapsulation(self) -> CdrOutput:
        """A fresh stream for an encapsulation (byte-order octet already written)."""
        out = CdrOutput(self.little, self.char, self.wide12, self.orb)
        out.x87 = self.x87
        out.buf.append(1 if self.little else 0)
        return out


class CdrInput(Settings):
    """An input CDR stream over ``data``; offset 0 is the alignment origin.

    ``base`` is where ``data`` starts in the outermost stream, so TypeCode
    indirections (offsets in the outer stream) can be followed into
    encapsulations.
    """

    __slots__ = ("data", "pos", "base")

    def __init__(
        self,
        data: bytes,
        little: bool = False,
        pos: int = 0,
        char: str = LATIN1,
        wide12: bool = True,
        orb: Any = None,
        base: int = 0,
    ) -> None:
        super().__init__(little, char, wide12, orb)
        self.data = data
        self.pos = pos
        self.base = base

    def remaining(self) -> int:
        """Bytes left to read."""
        return len(self.data) - self.pos

    def align(self, n: int) -> None:
        """Skip (or write) padding to the next multiple of ``n``."""
        self.pos += -self.pos & (n - 1)
        if self.pos > len(self.data):
            raise marshal("truncated (alignment past the end)")

    def _get(self, c: str, n: int) -> Any:
        pos = self.pos + (-self.pos & (n - 1))
        if pos + n > len(self.data):
            raise marshal(f"truncated: {n} bytes wanted at offset {pos} of {len(self.data)}")
        self.pos = pos + n
        return (_LE if self.little else _BE)[c].unpack_from(self.data, pos)[0]

    def octet(self) -> int:
        """One octet."""
        return int(self._get("B", 1))

    def boolean(self) -> bool:
        """A boolean (one octet)."""
        v = self._get("B", 1)
        if v > 1:
            raise marshal(f"boolean octet {v}")
        return bool(v)

    def short(self) -> int:
        """A short (2 bytes, 2-aligned)."""
        return int(self._get("h", 2))

    def ushort(self) -> int:
        """An unsigned short (2 bytes, 2-aligned)."""
        return int(self._get("H", 2))

    def long(self) -> int:
        """A long (4 bytes, 4-aligned)."""
        return int(self._get("i", 4))

    def ulong(self) -> int:
        """An unsigned long (4 bytes, 4-aligned)."""
        return int(self._get("I", 4))

    def ulonglong(self) -> int:
        """An unsigned long long (8 bytes, 8-aligned)."""
        return int(self._get("Q", 8))

    def length(self, unit: int = 1) -> int:
        """A sequence length, refused when ``n * unit`` bytes cannot follow."""
        n = self.ulong()
        if n * unit > len(self.data) - self.pos:
            raise marshal(f"length {n} exceeds the {len(self.data) - self.pos} bytes left")
        return n

    def raw(self, n: int) -> bytes:
        """``n`` bytes as they are."""
        if n < 0 or self.pos + n > len(self.data):
            raise marshal(f"truncated: {n} bytes wanted, {len(self.data) - self.pos} left")
        b = self.data[self.pos : self.pos + n]
        self.pos += n
        return bytes(b)

    def octets(self) -> bytes:
        """A ``sequence<octet>``."""
        return self.raw(self.length())

    def string(self) -> str:
        """A string (length with its NUL, the bytes, the NUL)."""
        n = self.length()
        if n == 0:
            raise marshal("string of length 0 (no terminating NUL)")
        b = self.raw(n)
        if b[-1] != 0:
            raise marshal("string not terminated by NUL")
        try:
            return b[:-1].decode(self.char)
        except UnicodeDecodeError as exc:
            raise marshal(f"string not in {self.char}: {exc}") from None

    def read(self, tc: TypeCode) -> Any:
        """Decode a value of TypeCode ``tc``."""
        from idlgen_runtime.giop.plans import decoder

        try:
            v, self.pos = decoder(tc, self.little)(self.data, self.pos, self)
        except _DECODE_ERRORS as exc:
            raise marshal(f"malformed {tc!r}: {type(exc).__name__}: {exc}") from None
        return v

    def encapsulation(self) -> CdrInput:
        """The stream inside an encapsulation (``sequence<octet>``, byte order first)."""
        n = self.length()
        if n < 1:
            raise marshal("empty encapsulation")
        start = self.pos
        body = self.raw(n)
        if body[0] > 1:
            raise marshal(f"encapsulation byte-order octet {body[0]}")
        inner = CdrInput(
            body, bool(body[0]), 1, self.char, self.wide12, self.orb, self.base + start
        )
        inner.depth, inner.max_depth, inner.values = self.depth, self.max_depth, None
        inner.x87 = self.x87
        return inner
