"""Interoperable Object References (CORBA 3.x 7.6, 9.7.2): parse, emit, stringify.

An ``IOR`` keeps every profile and every component it was given, known or not,
so a reference passed through this ORB reaches the next one unchanged. The
IIOP profile (1.0-1.2) and TAG_CODE_SETS are decoded on demand.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass, field

from idlgen_runtime.giop.cdr import CS_ISO8859_1, CS_UTF8, CS_UTF16, CdrInput, CdrOutput
from idlgen_runtime.giop.exceptions import BAD_PARAM, INV_OBJREF, SystemException, marshal

TAG_INTERNET_IOP = 0
TAG_MULTIPLE_COMPONENTS = 1
TAG_ORB_TYPE = 0
TAG_CODE_SETS = 1
TAG_ALTERNATE_IIOP_ADDRESS = 3
TAG_OMNIORB_PERSISTENT_ID = 0x41545403
#: Longest stringified IOR accepted (hex digits).
MAX_IOR_STRING = 1 << 20


@dataclass
class CodeSets:
    """TAG_CODE_SETS: native and conversion code sets for char and wchar."""

    char_native: int = CS_ISO8859_1
    char_conv: tuple[int, ...] = (CS_UTF8,)
    wchar_native: int = CS_UTF16
    wchar_conv: tuple[int, ...] = ()

    def encode(self, little: bool = False) -> bytes:
        """The encapsulated form (byte-order octet first)."""
        out = CdrOutput(little)
        out.octet(1 if little else 0)
        for native, conv in (
            (self.char_native, self.char_conv),
            (self.wchar_native, self.wchar_conv),
        ):
            out.ulong(native)
            out.ulong(len(conv))
            for c in conv:
                out.ulong(c)
        return bytes(out.buf)

    @classmethod
    def decode(cls, data: bytes) -> CodeSets:
        """Parse the encapsulated form."""
        inp = _encap(data)
        parts = []
        for _ in range(2):
            native = inp.ulong()
            parts.append((native, tuple(inp.ulong() for _ in range(inp.length(4)))))
        return cls(parts[0][0], parts[0][1], parts[1][0], parts[1][1])


@dataclass
class IiopProfile:
    """TAG_INTERNET_IOP's ProfileBody: where the object lives and its key."""

    host: str
    port: int
    key: bytes
    version: tuple[int, int] = (1, 2)
    components: list[tuple[int, bytes]] = field(default_factory=list)

    def encode(self, little: bool = False) -> bytes:
        """The encapsulated form (byte-order octet first)."""
        out = CdrOutput(little)
        out.octet(1 if little else 0)
        out.octet(self.version[0])
        out.octet(self.version[1])
        out.string(self.host)
        out.ushort(self.port)
        out.octets(self.key)
        if self.version >= (1, 1):
            out.ulong(len(self.components))
            for tag, data in self.components:
                out.ulong(tag)
                out.octets(data)
        return bytes(out.buf)

    @classmethod
    def decode(cls, data: bytes) -> IiopProfile:
        """Parse the encapsulated form."""
        inp = _encap(data)
        major, minor = inp.octet(), inp.octet()
        if major != 1:
            raise marshal(f"IIOP profile version {major}.{minor}")
        host = inp.string()
        port = inp.ushort()
        key = inp.octets()
        comps: list[tuple[int, bytes]] = []
        if minor >= 1:
            for _ in range(inp.length(8)):
                comps.append((inp.ulong(), inp.octets()))
        return cls(host, port, key, (major, minor), comps)

    def code_sets(self) -> CodeSets | None:
        """The TAG_CODE_SETS component, if the profile has one."""
        for tag, data in self.components:
            if tag == TAG_CODE_SETS:
                try:
                    return CodeSets.decode(data)
                except SystemException:
                    return None
        return None


@dataclass
class IOR:
    """An object reference: a type id and its tagged profiles (raw bytes kept)."""

    type_id: str
    profiles: list[tuple[int, bytes]] = field(default_factory=list)
    _iiop: IiopProfile | None = field(default=None, repr=False, compare=False)

    @property
    def is_nil(self) -> bool:
        """True for the nil reference."""
        return not self.profiles and not self.type_id

    def iiop(self) -> IiopProfile:
        """The first IIOP profile (INV_OBJREF when there is none)."""
        if self._iiop is None:
            for tag, data in self.profiles:
                if tag == TAG_INTERNET_IOP:
                    try:
                        self._iiop = IiopProfile.decode(data)
                    except SystemException as exc:
                        raise INV_OBJREF(0, text=f"bad IIOP profile: {exc}") from None
                    break
            else:
                raise INV_OBJREF(0, text="the reference has no IIOP profile")
        return self._iiop

    def iiop_profiles(self) -> list[IiopProfile]:
        """Every IIOP profile that decodes (a client tries them in turn)."""
        out = []
        for tag, data in self.profiles:
            if tag == TAG_INTERNET_IOP:
                try:
                    out.append(IiopProfile.decode(data))
                except SystemException:
                    continue
        return out

    @classmethod
    def for_iiop_many(cls, type_id: str, profiles: list[IiopProfile]) -> IOR:
        """An IOR with several IIOP profiles (``corbaloc`` with several addresses)."""
        return cls(type_id, [(TAG_INTERNET_IOP, p.encode()) for p in profiles], profiles[0])

    @classmethod
    def for_iiop(cls, type_id: str, profile: IiopProfile) -> IOR:
        """An IOR with one IIOP profile."""
        return cls(type_id, [(TAG_INTERNET_IOP, profile.encode())], profile)

    def to_string(self) -> str:
        """NameComponents as a stringified name."""
        out = CdrOutput(False)
        out.octet(0)
        write_ior(out, self)
        return "IOR:" + bytes(out.buf).hex()

    @classmethod
    def from_string(cls, s: str) -> IOR:
        """Parse a stringified ``IOR:`` (BAD_PARAM when malformed)."""
        text = s.strip()
        if text[:4].upper() != "IOR:":
            raise BAD_PARAM(0, text="not an IOR: string")
        hexpart = text[4:]
        if len(hexpart) > MAX_IOR_STRING or len(hexpart) % 2:
            raise BAD_PARAM(0, text="IOR string of odd or excessive length")
        try:
            data = binascii.unhexlify(hexpart)
        except (binascii.Error, ValueError):
            raise BAD_PARAM(0, text="IOR string is not hexadecimal") from None
        if not data or data[0] > 1:
            raise BAD_PARAM(0, text="IOR string: bad byte-order octet")
        try:
            return read_ior(CdrInput(data, bool(data[0]), 1))
        except SystemException as exc:
            raise BAD_PARAM(0, text=f"malformed IOR: {exc}") from None


NIL = IOR("", [])


def read_ior(inp: CdrInput) -> IOR:
    """An IOR at the current position."""
    type_id = inp.string()
    profiles = []
    for _ in range(inp.length(8)):
        profiles.append((inp.ulong(), inp.octets()))
    return IOR(type_id, profiles)


def write_ior(out: CdrOutput, ior: IOR) -> None:
    """An IOR."""
    out.string(ior.type_id)
    out.ulong(len(ior.profiles))
    for tag, data in ior.profiles:
        out.ulong(tag)
        out.octets(data)


def _encap(data: bytes) -> CdrInput:
    if not data or data[0] > 1:
        raise marshal("encapsulation with a bad byte-order octet")
    return CdrInput(data, bool(data[0]), 1)
