"""GIOP 1.0, 1.1 and 1.2 message headers and bodies (CORBA 3.x 15.4).

A message is built in one ``CdrOutput`` whose offset 0 is the ``GIOP`` magic,
so alignment is relative to the message start as the spec says; ``finish``
patches the size. Parsers take the whole message as ``bytes`` (after
reassembling fragments) and stop with MARSHAL at the first thing that does not
fit.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from idlgen_runtime.giop.cdr import CdrInput, CdrOutput
from idlgen_runtime.giop.exceptions import marshal
from idlgen_runtime.giop.ior import IOR, IiopProfile, read_ior

MAGIC = b"GIOP"
HEADER = 12
REQUEST, REPLY, CANCEL_REQUEST, LOCATE_REQUEST, LOCATE_REPLY = 0, 1, 2, 3, 4
CLOSE_CONNECTION, MESSAGE_ERROR, FRAGMENT = 5, 6, 7
NO_EXCEPTION, USER_EXCEPTION, SYSTEM_EXCEPTION = 0, 1, 2
LOCATION_FORWARD, LOCATION_FORWARD_PERM, NEEDS_ADDRESSING_MODE = 3, 4, 5
UNKNOWN_OBJECT, OBJECT_HERE, OBJECT_FORWARD = 0, 1, 2
OBJECT_FORWARD_PERM, LOC_SYSTEM_EXCEPTION, LOC_NEEDS_ADDRESSING_MODE = 3, 4, 5
#: Service context ids.
SC_CODE_SETS = 1
KEY_ADDR, PROFILE_ADDR, REFERENCE_ADDR = 0, 1, 2

ServiceContexts = list[tuple[int, bytes]]
_SIZE = {False: struct.Struct(">I"), True: struct.Struct("<I")}


@dataclass
class Header:
    """The 12-byte GIOP header."""

    version: tuple[int, int]
    little: bool
    more: bool
    msg_type: int
    size: int


def parse_header(b: bytes) -> Header:
    """Parse a message header (MARSHAL for bad magic or version)."""
    if len(b) < HEADER or b[:4] != MAGIC:
        raise marshal(f"bad GIOP magic {bytes(b[:4])!r}")
    major, minor, flags, mtype = b[4], b[5], b[6], b[7]
    if major != 1 or minor > 2:
        raise marshal(f"unsupported GIOP version {major}.{minor}")
    little = bool(flags & 1)
    more = bool(flags & 2) and minor >= 1
    if mtype > FRAGMENT:
        raise marshal(f"unknown GIOP message type {mtype}")
    return Header((major, minor), little, more, mtype, _SIZE[little].unpack_from(b, 8)[0])


def start(version: tuple[int, int], msg_type: int, little: bool = False, **kw: object) -> CdrOutput:
    """A message buffer with its header written (size patched by ``finish``)."""
    out = CdrOutput(little, **kw)  # type: ignore[arg-type]
    out.wide12 = version >= (1, 2)
    out.buf += MAGIC + bytes((version[0], version[1], 1 if little else 0, msg_type)) + b"\0\0\0\0"
    return out


def finish(out: CdrOutput) -> bytes:
    """The reply to send once the upcall returned or raised."""
    if out.body_pad is not None and out.body_pad[1] == len(out.buf):
        del out.buf[out.body_pad[0] :]
    _SIZE[out.little].pack_into(out.buf, 8, len(out.buf) - HEADER)
    return bytes(out.buf)


def simple(version: tuple[int, int], msg_type: int) -> bytes:
    """CloseConnection / MessageError: a header and nothing else."""
    return MAGIC + bytes((version[0], version[1], 0, msg_type)) + b"\0\0\0\0"


def write_contexts(out: CdrOutput, ctxs: ServiceContexts) -> None:
    """A service context list."""
    out.ulong(len(ctxs))
    for cid, data in ctxs:
        out.ulong(cid)
        out.octets(data)


def read_contexts(inp: CdrInput) -> ServiceContexts:
    """A service context list."""
    return [(inp.ulong(), inp.octets()) for _ in range(inp.length(8))]


def code_sets_context(char_cs: int, wchar_cs: int) -> tuple[int, bytes]:
    """The CodeSets service context."""
    out = CdrOutput(False)
    out.octet(0)
    out.ulong(char_cs)
    out.ulong(wchar_cs)
    return (SC_CODE_SETS, bytes(out.buf))


def parse_code_sets(data: bytes) -> tuple[int, int]:
    """(char, wchar) code sets of a CodeSets context."""
    if not data or data[0] > 1:
        raise marshal("CodeSets context: bad byte order")
    inp = CdrInput(data, bool(data[0]), 1)
    return inp.ulong(), inp.ulong()


# -- Request -----------------------------------------------------------------------------
@dataclass
class RequestHeader:
    """What a Request says before its arguments."""

    request_id: int
    response_expected: bool
    key: bytes
    operation: str
    contexts: ServiceContexts = field(default_factory=list)
    flags: int = 3


def write_request(out: CdrOutput, version: tuple[int, int], h: RequestHeader) -> None:
    """The request header; the arguments follow in ``out`` (aligned for 1.2)."""
    if version >= (1, 2):
        out.ulong(h.request_id)
        out.octet(3 if h.response_expected else 0)
        out.buf += b"\0\0\0"
        out.short(KEY_ADDR)
        out.octets(h.key)
        out.string(h.operation)
        write_contexts(out, h.contexts)
        out.align_body()
    else:
        write_contexts(out, h.contexts)
        out.ulong(h.request_id)
        out.boolean(h.response_expected)
        if version == (1, 1):
            out.buf += b"\0\0\0"
        out.octets(h.key)
        out.string(h.operation)
        out.octets(b"")  # requesting_principal


def _target_key(inp: CdrInput) -> bytes:
    disc = inp.short()
    if disc == KEY_ADDR:
        return inp.octets()
    if disc == PROFILE_ADDR:
        tag, data = inp.ulong(), inp.octets()
        if tag != 0:
            raise marshal(f"TargetAddress profile tag {tag}")
        return IiopProfile.decode(data).key
    if disc == REFERENCE_ADDR:
        index = inp.ulong()
        ior = read_ior(inp)
        if index >= len(ior.profiles) or ior.profiles[index][0] != 0:
            raise marshal("TargetAddress reference: no IIOP profile at the index")
        return IiopProfile.decode(ior.profiles[index][1]).key
    raise marshal(f"TargetAddress discriminator {disc}")


def read_request(inp: CdrInput, version: tuple[int, int]) -> RequestHeader:
    """Parse a request header; ``inp.pos`` is then at the first argument."""
    if version >= (1, 2):
        rid = inp.ulong()
        flags = inp.octet()
        inp.raw(3)
        key = _target_key(inp)
        op = inp.string()
        ctxs = read_contexts(inp)
        if inp.remaining():
            inp.align(8)
        return RequestHeader(rid, bool(flags & 3), key, op, ctxs, flags)
    ctxs = read_contexts(inp)
    rid = inp.ulong()
    expected = inp.octet() != 0
    if version == (1, 1):
        inp.raw(3)
    key = inp.octets()
    op = inp.string()
    inp.octets()
    return RequestHeader(rid, expected, key, op, ctxs, 3 if expected else 0)


# -- Reply -------------------------------------------------------------------------------
def write_reply(
    out: CdrOutput, version: tuple[int, int], request_id: int, status: int, ctxs: ServiceContexts
) -> None:
    """A Reply header (body follows)."""
    if version >= (1, 2):
        out.ulong(request_id)
        out.ulong(status)
        write_contexts(out, ctxs)
        out.align_body()
    else:
        write_contexts(out, ctxs)
        out.ulong(request_id)
        out.ulong(status)


def read_reply(inp: CdrInput, version: tuple[int, int]) -> tuple[int, int, ServiceContexts]:
    """(request id, reply status, contexts); ``inp.pos`` is then at the body."""
    if version >= (1, 2):
        rid, status = inp.ulong(), inp.ulong()
        ctxs = read_contexts(inp)
        if inp.remaining():
            inp.align(8)
        return rid, status, ctxs
    ctxs = read_contexts(inp)
    return inp.ulong(), inp.ulong(), ctxs


def peek_request_id(data: bytes, h: Header) -> int | None:
    """The request id of a Reply/LocateReply/Fragment without parsing the rest."""
    if (h.version >= (1, 2) or h.msg_type == LOCATE_REPLY) and len(data) >= 16:
        return int(_SIZE[h.little].unpack_from(data, 12)[0])
    inp = CdrInput(data, h.little, HEADER)
    try:
        if h.version >= (1, 2) or h.msg_type == LOCATE_REPLY:
            return inp.ulong()
        read_contexts(inp)
        return inp.ulong()
    except Exception:
        return None


# -- LocateRequest / LocateReply / CancelRequest ----------------------------------------
def write_locate_request(out: CdrOutput, version: tuple[int, int], rid: int, key: bytes) -> None:
    """A LocateRequest body."""
    out.ulong(rid)
    if version >= (1, 2):
        out.short(KEY_ADDR)
    out.octets(key)


def read_locate_request(inp: CdrInput, version: tuple[int, int]) -> tuple[int, bytes]:
    """(request id, object key)."""
    rid = inp.ulong()
    return rid, (_target_key(inp) if version >= (1, 2) else inp.octets())


def write_locate_reply(out: CdrOutput, version: tuple[int, int], rid: int, status: int) -> None:
    """A LocateReply body."""
    out.ulong(rid)
    out.ulong(status)


def read_locate_reply(inp: CdrInput, version: tuple[int, int]) -> tuple[int, int, IOR | None]:
    """(request id, status, forward IOR or None)."""
    rid, status = inp.ulong(), inp.ulong()
    fwd = None
    if status in (OBJECT_FORWARD, OBJECT_FORWARD_PERM):
        if version >= (1, 2) and inp.remaining():
            inp.align(8)
        fwd = read_ior(inp)
    return rid, status, fwd


def cancel_request(version: tuple[int, int], rid: int) -> bytes:
    """A CancelRequest message for ``rid``."""
    out = start(version, CANCEL_REQUEST)
    out.ulong(rid)
    return finish(out)
