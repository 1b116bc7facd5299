"""Typed errors of ONC RPC (RFC 5531 §9): one class per reply status.

The client raises them for the replies it gets; a server procedure may raise
the accept-status ones (``GarbageArgs``, ``SystemErr``, ``ProcUnavail``...) to
send that status instead of a result.

A status alone says little ("PROC_UNAVAIL" of what?), so every error has a
message saying what went wrong and what was expected, and the client attaches
the :class:`CallSite` — program, version, procedure (with its Python name),
server and transport — to every error a call raises, so ``str(exc)`` reads
e.g. ``SIMP_PROG.SIMP_VERSION.ADD (program 555555555 version 1 procedure 1) on
127.0.0.1:2049 over tcp: the server has no procedure 1 in this program
version``. Raised by a server procedure (no call site), the message alone is
what a log shows.
"""

from __future__ import annotations

from dataclasses import dataclass
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


#: What each auth_stat means for the caller: what the server expected instead.
_AUTH_MEANING = {
    AuthStat.AUTH_OK: "no error (a server should not deny a call with AUTH_OK)",
    AuthStat.AUTH_BADCRED: "the server could not decode the credential "
    "(malformed, or longer than 400 bytes)",
    AuthStat.AUTH_REJECTEDCRED: "the server does not accept this credential flavor "
    "or these credentials; it expected another flavor or a new session",
    AuthStat.AUTH_BADVERF: "the server could not decode the verifier "
    "(malformed, or longer than 400 bytes)",
    AuthStat.AUTH_REJECTEDVERF: "the server rejected the verifier (expired or replayed)",
    AuthStat.AUTH_TOOWEAK: "the procedure requires a stronger credential flavor "
    "(e.g. AUTH_SYS rather than AUTH_NONE)",
    AuthStat.AUTH_INVALIDRESP: "the server rejected the response verifier",
    AuthStat.AUTH_FAILED: "authentication failed for a reason the server does not say",
}


@dataclass(frozen=True)
class CallSite:
    """The call an error belongs to, as the client knows it."""

    program: int
    version: int
    procedure: int
    #: The Python name of the client class and method, e.g. ``SIMP_PROG.SIMP_VERSION.ADD``.
    name: str = ""
    #: ``host:port``, or the path of a Unix socket.
    server: str = ""
    transport: str = ""

    def __str__(self) -> str:
        numbers = f"program {self.program} version {self.version} procedure {self.procedure}"
        text = f"{self.name} ({numbers})" if self.name else numbers
        if self.server:
            text += f" on {self.server}"
        if self.transport:
            text += f" over {self.transport}"
        return text


class RpcError(IdlgenRuntimeError):
    """Base of every ONC RPC error; ``call`` is the :class:`CallSite` when a client raised it."""

    #: The message when none is given (each status class says what it means).
    default_detail = "RPC error"

    def __init__(self, detail: str = "", *, call: CallSite | None = None) -> None:
        if detail:
            super().__init__(detail)
        else:
            super().__init__()
        self.detail = detail
        self.call = call

    def describe(self) -> str:
        """The message without the call site."""
        return self.detail or self.default_detail

    def __str__(self) -> str:
        text = self.describe()
        return f"{self.call}: {text}" if self.call is not None else text


class RpcTimeout(RpcError, TimeoutError):
    """No reply came within the call's timeout."""

    default_detail = "no reply within the call's timeout"


class RpcTransportError(RpcError, ConnectionError):
    """The connection failed or carried something that is not an RPC record."""

    default_detail = "the connection failed"


class RpcProtocolError(RpcError):
    """A message that is not a well-formed RPC message."""

    default_detail = "not a well-formed RPC message"


class ProgramNotRegistered(RpcError):
    """rpcbind on the host knows no port for the program, version and transport."""

    default_detail = "rpcbind knows no port for this program, version and transport"


class AcceptedError(RpcError):
    """The server accepted the call but did not run it (``accept_stat`` ≠ SUCCESS)."""

    accept_stat = -1


class ProgUnavail(AcceptedError):
    """The server does not export the program."""

    accept_stat = 1
    default_detail = "the server does not serve this program (PROG_UNAVAIL)"


class ProgMismatch(AcceptedError):
    """The server exports the program, but only versions ``low``..``high``."""

    accept_stat = 2

    def __init__(self, low: int, high: int, *, call: CallSite | None = None) -> None:
        super().__init__(call=call)
        self.args = (low, high)
        self.low = low
        self.high = high

    def describe(self) -> str:  # noqa: D102 - RpcError.describe says it
        asked = f"version {self.call.version}" if self.call else "the version asked for"
        return (
            f"the server serves versions {self.low}..{self.high} of this program, "
            f"not {asked} (PROG_MISMATCH)"
        )


class ProcUnavail(AcceptedError):
    """The program version has no such procedure."""

    accept_stat = 3

    def describe(self) -> str:  # noqa: D102
        if self.detail:
            return self.detail
        which = f"procedure {self.call.procedure}" if self.call else "this procedure"
        return (
            f"the server has no {which} in this program version, or does not implement it "
            "(PROC_UNAVAIL)"
        )


class GarbageArgs(AcceptedError):
    """The server could not decode the arguments."""

    accept_stat = 4
    default_detail = (
        "the server could not decode the arguments as the procedure's argument type "
        "(GARBAGE_ARGS): client and server disagree on the interface"
    )


class SystemErr(AcceptedError):
    """The server failed while running the procedure."""

    accept_stat = 5
    default_detail = (
        "the server failed while running the procedure, or its reply did not fit "
        "a datagram (SYSTEM_ERR)"
    )


class DeniedError(RpcError):
    """The server refused the call (``MSG_DENIED``)."""

    default_detail = "the server refused the call (MSG_DENIED)"


class RpcMismatch(DeniedError):
    """The server speaks RPC versions ``low``..``high``, not 2."""

    def __init__(self, low: int, high: int, *, call: CallSite | None = None) -> None:
        super().__init__(call=call)
        self.args = (low, high)
        self.low = low
        self.high = high

    def describe(self) -> str:  # noqa: D102
        return f"the server speaks RPC versions {self.low}..{self.high}, not 2 (RPC_MISMATCH)"


class AuthError(DeniedError):
    """The server rejected the credentials or verifier; ``stat`` says why."""

    def __init__(self, stat: int, *, call: CallSite | None = None) -> None:
        super().__init__(call=call)
        self.args = (stat,)
        try:
            self.stat: AuthStat | int = AuthStat(stat)
        except ValueError:
            self.stat = stat

    def describe(self) -> str:  # noqa: D102
        if isinstance(self.stat, AuthStat):
            return f"authentication error {self.stat.name}: {_AUTH_MEANING[self.stat]}"
        return f"authentication error {self.stat} (an auth_stat RFC 5531 does not define)"


ACCEPTED_ERRORS: dict[int, type[AcceptedError]] = {
    cls.accept_stat: cls for cls in (ProgUnavail, ProcUnavail, GarbageArgs, SystemErr)
}
