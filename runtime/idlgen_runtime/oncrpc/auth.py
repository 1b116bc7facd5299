"""Authentication flavors AUTH_NONE and AUTH_SYS (RFC 5531 §8.2, appendix A).

A client passes an ``Auth`` to ``connect``; its encoded credential and
verifier are computed once and sent with every call. A server decodes the
credential of each call into :class:`Credentials` for the procedure to see.
"""

from __future__ import annotations

import os
import socket
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from idlgen_runtime import xdr
from idlgen_runtime.errors import XdrDecodeError, XdrEncodeError
from idlgen_runtime.oncrpc.errors import AuthStat

AUTH_NONE = 0
AUTH_SYS = 1
MAX_AUTH_BYTES = 400
MAX_MACHINE_NAME = 255
MAX_GIDS = 16
_NONE_VERF = struct.pack(">II", AUTH_NONE, 0)


class Auth:
    """Base of client authentication flavors."""

    flavor = AUTH_NONE

    def credential(self) -> bytes:
        """The credential body (without flavor and length)."""
        return b""

    def encoded(self) -> bytes:
        """Credential and verifier, as they follow the call header on the wire."""
        body = self.credential()
        if len(body) > MAX_AUTH_BYTES:
            raise ValueError(
                f"credentials of {len(body)} bytes exceed the {MAX_AUTH_BYTES} allowed"
            )
        return (
            struct.pack(">II", self.flavor, len(body)) + body + xdr.padding(len(body)) + _NONE_VERF
        )


class AuthNone(Auth):
    """No credentials (AUTH_NONE)."""


@dataclass
class AuthSys(Auth):
    """Unix credentials (AUTH_SYS), fields in ``authsys_parms`` order.

    Every field has a default taken from this process (host name, uid, gid,
    the current time as the stamp), so ``AuthSys()`` says who we are and
    ``AuthSys(uid=0, gid=0)`` overrides only what a test or a proxy needs.
    """

    stamp: int = field(default_factory=lambda: int(time.time()) & 0xFFFFFFFF)
    machinename: str = field(default_factory=socket.gethostname)
    uid: int = field(default_factory=os.getuid)
    gid: int = field(default_factory=os.getgid)
    gids: Sequence[int] = field(default_factory=list)

    flavor = AUTH_SYS

    def credential(self) -> bytes:
        """``authsys_parms``: stamp, machinename<255>, uid, gid, gids<16>."""
        if len(self.gids) > MAX_GIDS:
            raise ValueError(f"AUTH_SYS carries at most {MAX_GIDS} gids, not {len(self.gids)}")
        out = bytearray()
        try:
            out += xdr.UINT.pack(self.stamp)
            xdr.enc_string(out, self.machinename, MAX_MACHINE_NAME)
            out += struct.pack(
                f">III{len(self.gids)}I", self.uid, self.gid, len(self.gids), *self.gids
            )
        except (struct.error, XdrEncodeError) as exc:
            raise ValueError(f"invalid AUTH_SYS credentials: {exc}") from None
        return bytes(out)


@dataclass(frozen=True)
class AuthSysParams:
    """AUTH_SYS credentials as a server received them (``authsys_parms``).

    Frozen, with the gids as a tuple: a procedure reads who called, it cannot
    change what the next procedure sees. Nothing here is verified — AUTH_SYS
    is the caller's claim, as trustworthy as the network it came over.
    """

    stamp: int
    machinename: str
    uid: int
    gid: int
    gids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Credentials:
    """What a server procedure learns about its caller (see ``call_context()``)."""

    flavor: int
    #: The AUTH_SYS parameters, when the flavor is AUTH_SYS.
    sys: AuthSysParams | None = None


class BadCredentials(Exception):
    """A credential the server cannot accept; carries the ``auth_stat`` to reply."""

    def __init__(self, stat: AuthStat) -> None:
        super().__init__(stat.name)
        self.stat = stat


def decode_credentials(flavor: int, body: bytes) -> Credentials:
    """Decode a call's credential; raises BadCredentials with the status to send."""
    if flavor == AUTH_NONE:
        return Credentials(AUTH_NONE)
    if flavor != AUTH_SYS:
        raise BadCredentials(AuthStat.AUTH_REJECTEDCRED)
    try:
        (stamp,) = xdr.UINT.unpack_from(body, 0)
        name, pos = xdr.dec_string(body, 4, MAX_MACHINE_NAME)
        uid, gid, n = struct.unpack_from(">III", body, pos)
        if n > MAX_GIDS:
            raise BadCredentials(AuthStat.AUTH_BADCRED)
        gids = struct.unpack_from(f">{n}I", body, pos + 12)
        if pos + 12 + 4 * n != len(body):
            raise BadCredentials(AuthStat.AUTH_BADCRED)
    except (struct.error, XdrDecodeError):
        raise BadCredentials(AuthStat.AUTH_BADCRED) from None
    return Credentials(AUTH_SYS, AuthSysParams(stamp, name, uid, gid, gids))
