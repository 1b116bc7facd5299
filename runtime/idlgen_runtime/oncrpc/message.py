"""RPC call and reply messages (RFC 5531 §9), with precomputed ``struct`` plans.

The client's hot path packs one header per call (``CALL_HEAD`` + the encoded
auth it computed once) and reads the common reply — accepted, AUTH_NONE
verifier, SUCCESS — with one ``unpack_from``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from idlgen_runtime.oncrpc.auth import MAX_AUTH_BYTES
from idlgen_runtime.oncrpc.errors import (
    ACCEPTED_ERRORS,
    AuthError,
    AuthStat,
    ProgMismatch,
    RpcMismatch,
    RpcProtocolError,
)
from idlgen_runtime.xdr import Buffer

RPC_VERSION = 2
CALL, REPLY = 0, 1
MSG_ACCEPTED, MSG_DENIED = 0, 1
SUCCESS, PROG_UNAVAIL, PROG_MISMATCH, PROC_UNAVAIL, GARBAGE_ARGS, SYSTEM_ERR = range(6)
RPC_MISMATCH, AUTH_ERROR = 0, 1

#: xid, CALL, rpcvers, prog, vers, proc — the credential and verifier follow.
CALL_HEAD = struct.Struct(">IIIIII")
#: xid, REPLY, MSG_ACCEPTED, verifier flavor, verifier length (0), accept_stat.
_REPLY_FAST = struct.Struct(">IIIIII")
_U32 = struct.Struct(">I")
_TWO = struct.Struct(">II")
_ACCEPTED_HEAD = struct.Struct(">IIIII")  # xid, REPLY, MSG_ACCEPTED, verf flavor, verf len


#: Bytes 4..24 of the common reply (REPLY, MSG_ACCEPTED, AUTH_NONE verifier of
#: length 0, SUCCESS): a client comparing them skips :func:`parse_reply`.
SUCCESS_TAIL = _REPLY_FAST.pack(0, REPLY, MSG_ACCEPTED, 0, 0, SUCCESS)[4:]


def parse_reply(data: Buffer) -> tuple[int, int]:
    """The xid and offset of the results of a successful reply; raises the typed errors.

    Only the xid is checked by the caller; everything else about the reply is
    checked here.
    """
    if len(data) >= 24:
        xid, mtype, stat, flavor, vlen, accept = _REPLY_FAST.unpack_from(data, 0)
        if mtype == REPLY and stat == MSG_ACCEPTED and vlen == 0 and accept == SUCCESS:
            return xid, 24
    try:
        xid, mtype, stat = struct.unpack_from(">III", data, 0)
        if mtype != REPLY:
            raise RpcProtocolError(f"expected a reply, got message type {mtype}")
        if stat == MSG_ACCEPTED:
            _, _, _, flavor, vlen = _ACCEPTED_HEAD.unpack_from(data, 0)
            if vlen > MAX_AUTH_BYTES:
                raise RpcProtocolError(f"verifier of {vlen} bytes")
            pos = 20 + ((vlen + 3) & ~3)
            (accept,) = _U32.unpack_from(data, pos)
            pos += 4
            if accept == SUCCESS:
                return xid, pos
            if accept == PROG_MISMATCH:
                raise ProgMismatch(*_TWO.unpack_from(data, pos))
            if accept in ACCEPTED_ERRORS:
                raise ACCEPTED_ERRORS[accept]()
            raise RpcProtocolError(f"unknown accept_stat {accept}")
        if stat == MSG_DENIED:
            (reject,) = _U32.unpack_from(data, 12)
            if reject == RPC_MISMATCH:
                raise RpcMismatch(*_TWO.unpack_from(data, 16))
            if reject == AUTH_ERROR:
                raise AuthError(_U32.unpack_from(data, 16)[0])
            raise RpcProtocolError(f"unknown reject_stat {reject}")
        raise RpcProtocolError(f"unknown reply_stat {stat}")
    except struct.error:
        raise RpcProtocolError("truncated reply message") from None


def reply_xid(data: Buffer) -> int | None:
    """The xid of a message, or None if it is too short to have one."""
    return _U32.unpack_from(data, 0)[0] if len(data) >= 4 else None


@dataclass(frozen=True)
class Call:
    """A decoded call header; ``body`` starts at ``args`` (the procedure's arguments)."""

    xid: int
    rpcvers: int
    prog: int
    vers: int
    proc: int
    cred_flavor: int
    cred: bytes
    args: int


class OversizedAuth(RpcProtocolError):
    """A call whose credential or verifier is longer than the 400 bytes RFC 5531 allows.

    It is still a call, with an xid to answer: the server denies it with
    ``stat`` (AUTH_BADCRED or AUTH_BADVERF) rather than leaving the client to
    time out.
    """

    def __init__(self, xid: int, rpcvers: int, stat: AuthStat, what: str, length: int) -> None:
        super().__init__(f"{what} of {length} bytes exceeds the {MAX_AUTH_BYTES} allowed")
        self.xid, self.rpcvers, self.stat = xid, rpcvers, stat


def parse_call(data: Buffer) -> Call:
    """Decode a call header; raises RpcProtocolError for what is not a call at all.

    OversizedAuth, a subclass, is raised for a call that can still be answered.
    """
    try:
        xid, mtype, rpcvers, prog, vers, proc = CALL_HEAD.unpack_from(data, 0)
        if mtype != CALL:
            raise RpcProtocolError(f"expected a call, got message type {mtype}")
        cflavor, clen = _TWO.unpack_from(data, 24)
        if clen > MAX_AUTH_BYTES:
            raise OversizedAuth(xid, rpcvers, AuthStat.AUTH_BADCRED, "credential", clen)
        pos = 32 + ((clen + 3) & ~3)
        cred = bytes(data[32 : 32 + clen])
        _, vlen = _TWO.unpack_from(data, pos)
        if vlen > MAX_AUTH_BYTES:
            raise OversizedAuth(xid, rpcvers, AuthStat.AUTH_BADVERF, "verifier", vlen)
        pos += 8 + ((vlen + 3) & ~3)
        if pos > len(data) or len(cred) != clen:
            raise RpcProtocolError("truncated call message")
    except struct.error:
        raise RpcProtocolError("truncated call message") from None
    return Call(xid, rpcvers, prog, vers, proc, cflavor, cred, pos)


def accepted(xid: int, stat: int, body: bytes = b"") -> bytes:
    """An accepted reply with an AUTH_NONE verifier."""
    return _REPLY_FAST.pack(xid, REPLY, MSG_ACCEPTED, 0, 0, stat) + body


def fit_datagram(reply: bytes, limit: int) -> bytes:
    """``reply``, or SYSTEM_ERR for its xid when it is larger than a datagram can be.

    Over UDP a reply that cannot be sent would leave the client retransmitting
    until its timeout; SYSTEM_ERR tells it at once that the call failed.
    """
    if len(reply) <= limit:
        return reply
    return _REPLY_FAST.pack(_U32.unpack_from(reply)[0], REPLY, MSG_ACCEPTED, 0, 0, SYSTEM_ERR)


def denied(xid: int, reject: int, *values: int) -> bytes:
    """A denied reply: RPC_MISMATCH with (low, high) or AUTH_ERROR with its stat."""
    return struct.pack(f">IIII{len(values)}I", xid, REPLY, MSG_DENIED, reject, *values)
