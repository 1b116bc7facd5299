"""Turning a call record into a reply, shared by the blocking and asyncio servers.

Every failure has its RPC answer: a call for another RPC version gets
RPC_MISMATCH, bad credentials AUTH_ERROR (AUTH_TOOWEAK for a flavor the
program does not accept), an unknown program PROG_UNAVAIL, an unknown version
PROG_MISMATCH with the range served, an unknown procedure PROC_UNAVAIL,
undecodable arguments GARBAGE_ARGS, and a procedure that raises SYSTEM_ERR (or
the status it raised; an ``AuthError`` denies the call). A credential or
verifier over 400 bytes is denied with AUTH_BADCRED / AUTH_BADVERF. Only a
record that is not an RPC call at all gets no answer: the transport drops
that client.
"""

from __future__ import annotations

import logging
import signal
import struct
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from idlgen_runtime.errors import XdrDecodeError, XdrEncodeError
from idlgen_runtime.oncrpc import message
from idlgen_runtime.oncrpc.auth import BadCredentials, Credentials, decode_credentials
from idlgen_runtime.oncrpc.errors import (
    AcceptedError,
    AuthError,
    AuthStat,
    ProgMismatch,
    RpcProtocolError,
)
from idlgen_runtime.xdr import Buffer, decode_exact, encode_into

if TYPE_CHECKING:
    from idlgen_runtime.oncrpc.limits import ServerLimits

log = logging.getLogger("idlgen_runtime.oncrpc.server")


class Procedure(NamedTuple):
    """One entry of a generated server's dispatch table."""

    name: str
    decode_args: Callable[[Buffer, int], tuple[tuple[Any, ...], int]]
    encode_result: Callable[[bytearray, Any], None]


class RpcProgram:
    """Base of generated server classes: one program version's procedures."""

    program: ClassVar[int]
    version: ClassVar[int]
    procedures: ClassVar[Mapping[int, Procedure]] = {}
    #: Credential flavors this version accepts (``auth.AUTH_SYS``...); None accepts
    #: every flavor the runtime decodes. Calls with another flavor are denied with
    #: AUTH_TOOWEAK, except procedure 0, which any client may use as a ping.
    auth_flavors: ClassVar[frozenset[int] | None] = None

    def serve(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        transports: Sequence[str] = ("tcp", "udp"),
        register: bool = False,
        workers: int = 1,
        limits: ServerLimits | None = None,
        use_asyncio: bool = False,
        on_ready: Callable[[int], object] | None = None,
    ) -> None:
        """Serve this program until SIGINT/SIGTERM (a one-program :class:`RpcServer`).

        Registrations made with ``register=True`` are removed on the way out.
        ``workers=N`` serves from N processes on the one port, behind one
        rpcbind registration (``workers.serve_workers``): N cores instead of
        one; ``use_asyncio`` makes them asyncio servers. ``on_ready(port)`` is
        called once serving (with workers, once all of them serve).
        """
        from idlgen_runtime.oncrpc.server import RpcServer

        if workers > 1 or use_asyncio:
            from idlgen_runtime.oncrpc.workers import serve_workers

            serve_workers(
                [self],
                host,
                port,
                workers=workers,
                transports=transports,
                register=register,
                limits=limits,
                use_asyncio=use_asyncio,
                on_ready=on_ready,
            )
            return
        with RpcServer(
            [self], host, port, transports=transports, register=register, limits=limits
        ) as server:
            if threading.current_thread() is threading.main_thread():
                for sig in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(sig, lambda *_: server.request_stop())
            if on_ready is not None:
                on_ready(server.port)
            server.serve_forever()


@dataclass(frozen=True)
class CallContext:
    """The call a procedure is answering: who sent it, how, with which credentials."""

    peer: Any
    transport: str
    xid: int
    program: int
    version: int
    procedure: int
    credentials: Credentials


_CONTEXT: ContextVar[CallContext] = ContextVar("idlgen_rpc_call")


def call_context() -> CallContext:
    """The current call, inside a server procedure (LookupError elsewhere)."""
    return _CONTEXT.get()


@dataclass
class PendingCall:
    """A decoded call ready to run: the handler, its arguments, how to answer."""

    handler: Callable[..., Any]
    args: tuple[Any, ...]
    encode_result: Callable[[bytearray, Any], None]
    context: CallContext

    @contextmanager
    def active(self) -> Iterator[None]:
        """Make ``call_context()`` return this call while the handler runs."""
        token = _CONTEXT.set(self.context)
        try:
            yield
        finally:
            _CONTEXT.reset(token)


def _describe(call: PendingCall) -> str:
    ctx = call.context
    return (
        f"{call.handler.__qualname__} (program {ctx.program} version {ctx.version} "
        f"procedure {ctx.procedure}, called by {ctx.peer} over {ctx.transport})"
    )


class Dispatcher:
    """Routes calls to the programs a server exports."""

    def __init__(self, programs: Sequence[RpcProgram]) -> None:
        self.versions: dict[int, dict[int, RpcProgram]] = {}
        for impl in programs:
            by_version = self.versions.setdefault(impl.program, {})
            if impl.version in by_version:
                raise ValueError(f"program {impl.program} version {impl.version} given twice")
            by_version[impl.version] = impl

    def prepare(self, data: Buffer, peer: Any, transport: str) -> bytes | PendingCall | None:
        """The immediate reply, the call to run, or None for a record that is no call."""
        try:
            call = message.parse_call(data)
        except message.OversizedAuth as exc:
            log.info("denying a call from %s %s: %s", transport, peer, exc)
            if exc.rpcvers != message.RPC_VERSION:
                return message.denied(exc.xid, message.RPC_MISMATCH, 2, 2)
            return message.denied(exc.xid, message.AUTH_ERROR, exc.stat)
        except RpcProtocolError as exc:
            log.info("dropping %s client %s: %s", transport, peer, exc)
            return None
        xid = call.xid
        if call.rpcvers != message.RPC_VERSION:
            return message.denied(xid, message.RPC_MISMATCH, 2, 2)
        try:
            credentials = decode_credentials(call.cred_flavor, call.cred)
        except BadCredentials as exc:
            return message.denied(xid, message.AUTH_ERROR, exc.stat)
        versions = self.versions.get(call.prog)
        if versions is None:
            return message.accepted(xid, message.PROG_UNAVAIL)
        impl = versions.get(call.vers)
        if impl is None:
            body = struct.pack(">II", min(versions), max(versions))
            return message.accepted(xid, message.PROG_MISMATCH, body)
        flavors = impl.auth_flavors
        if flavors is not None and call.proc != 0 and credentials.flavor not in flavors:
            return message.denied(xid, message.AUTH_ERROR, AuthStat.AUTH_TOOWEAK)
        proc = impl.procedures.get(call.proc)
        if proc is None:
            if call.proc == 0:
                return message.accepted(xid, message.SUCCESS)
            return message.accepted(xid, message.PROC_UNAVAIL)
        try:
            args = decode_exact(proc.decode_args, data, call.args)
        except XdrDecodeError as exc:
            log.info(
                "GARBAGE_ARGS to %s for %s of program %d version %d: %s",
                peer,
                proc.name,
                call.prog,
                call.vers,
                exc,
            )
            return message.accepted(xid, message.GARBAGE_ARGS)
        context = CallContext(peer, transport, xid, call.prog, call.vers, call.proc, credentials)
        return PendingCall(getattr(impl, proc.name), args, proc.encode_result, context)

    @staticmethod
    def finish(call: PendingCall, result: Any = None, error: BaseException | None = None) -> bytes:
        """The reply to a call whose handler returned ``result`` or raised ``error``."""
        xid = call.context.xid
        if error is not None:
            return Dispatcher._error_reply(call, error)
        out = bytearray(message.accepted(xid, message.SUCCESS))
        try:
            encode_into(call.encode_result, out, result)
        except XdrEncodeError as exc:
            log.error(
                "SYSTEM_ERR: %s returned a value that cannot be encoded as its result type: %s",
                _describe(call),
                exc,
            )
            return message.accepted(xid, message.SYSTEM_ERR)
        return bytes(out)

    @staticmethod
    def _error_reply(call: PendingCall, error: BaseException) -> bytes:
        xid = call.context.xid
        if isinstance(error, NotImplementedError):
            return message.accepted(xid, message.PROC_UNAVAIL)
        if isinstance(error, ProgMismatch):
            body = struct.pack(">II", error.low, error.high)
            return message.accepted(xid, message.PROG_MISMATCH, body)
        if isinstance(error, AcceptedError):
            return message.accepted(xid, error.accept_stat)
        if isinstance(error, AuthError):  # e.g. AUTH_TOOWEAK for this caller
            return message.denied(xid, message.AUTH_ERROR, int(error.stat))
        log.error("SYSTEM_ERR: %s failed", _describe(call), exc_info=error)
        return message.accepted(xid, message.SYSTEM_ERR)

    def run(self, data: Buffer, peer: Any, transport: str) -> bytes | None:
        """Answer one call synchronously (the blocking server's whole job)."""
        prepared = self.prepare(data, peer, transport)
        if not isinstance(prepared, PendingCall):
            return prepared
        return self.execute(prepared)

    def execute(self, prepared: PendingCall) -> bytes:
        """Run a prepared call's procedure in this thread; its reply."""
        try:
            with prepared.active():
                result = prepared.handler(*prepared.args)
        except Exception as exc:  # every failure of a procedure has an RPC answer
            return self.finish(prepared, error=exc)
        return self.finish(prepared, result)
