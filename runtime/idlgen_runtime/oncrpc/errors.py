"""Typed errors of ONC RPC (RFC 5531 §9): one class per reply status.

The client raises them for the replies it gets; a server procedure may raise
the accept-status ones (``GarbageArgs``, ``SystemErr``, ``ProcUnavail``...) to
send that status instead of a result.
"""

from __future__ import annotations

from enum import IntEnum

from idlgen_runtime.errors import IdlgenRuntimeError


class AuthStat(IntEnum):
    """Why a server rejected a call's credentials (RFC 5531 §9, ``auth_stat``)."""

    AUTH_OK = 0
    AUTH_BADCRED = 1
    AUTH_REJECTEDCRED = 2
    AUTH_BADVERF = 3
    AUTH_REJECTEDVERF = 4
    AUTH_TOOWEAK = 5
    AUTH_INVALIDRESP = 6
    AUTH_FAILED = 7


class RpcError(IdlgenRuntimeError):
    """Base of every ONC RPC error."""


class RpcTimeout(RpcError, TimeoutError):
    """No reply came within the call's timeout."""


class RpcTransportError(RpcError, ConnectionError):
    """The connection failed or carried something that is not an RPC record."""


class RpcProtocolError(RpcError):
    """A reply that is not a well-formed RPC reply message."""


class ProgramNotRegistered(RpcError):
    """rpcbind on the host knows no port for the program, version and transport."""


class AcceptedError(RpcError):
    """The server accepted the call but did not run it (``accept_stat`` ≠ SUCCESS)."""

    accept_stat = -1


class ProgUnavail(AcceptedError):
    """The server does not export the program."""

    accept_stat = 1


class ProgMismatch(AcceptedError):
    """The server exports the program, but only versions ``low``..``high``."""

    accept_stat = 2

    def __init__(self, low: int, high: int) -> None:
        super().__init__(f"program version not supported; the server has versions {low}..{high}")
        self.low = low
        self.high = high


class ProcUnavail(AcceptedError):
    """The program version has no such procedure."""

    accept_stat = 3


class GarbageArgs(AcceptedError):
    """The server could not decode the arguments."""

    accept_stat = 4


class SystemErr(AcceptedError):
    """The server failed while running the procedure."""

    accept_stat = 5


class DeniedError(RpcError):
    """The server refused the call (``MSG_DENIED``)."""


class RpcMismatch(DeniedError):
    """The server speaks RPC versions ``low``..``high``, not 2."""

    def __init__(self, low: int, high: int) -> None:
        super().__init__(f"RPC version mismatch; the server speaks {low}..{high}")
        self.low = low
        self.high = high


class AuthError(DeniedError):
    """The server rejected the credentials or verifier."""

    def __init__(self, stat: int) -> None:
        try:
            self.stat: AuthStat | int = AuthStat(stat)
        except ValueError:
            self.stat = stat
        name = self.stat.name if isinstance(self.stat, AuthStat) else str(stat)
        super().__init__(f"authentication error: {name}")


ACCEPTED_ERRORS: dict[int, type[AcceptedError]] = {
    cls.accept_stat: cls for cls in (ProgUnavail, ProcUnavail, GarbageArgs, SystemErr)
}
