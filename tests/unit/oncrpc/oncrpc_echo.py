"""A hand-written RPC program for the runtime's tests, independent of the compiler.

ECHO_PROG has two versions (2 and 3) so PROG_MISMATCH has a range to report.
Its codecs are written by hand with ``idlgen_runtime.xdr`` the way generated
code calls them: arguments decode to a tuple, results encode into a bytearray.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

from idlgen_runtime import xdr
from idlgen_runtime.oncrpc import (
    AuthError,
    AuthStat,
    CallContext,
    GarbageArgs,
    ProcUnavail,
    ProgMismatch,
    ProgUnavail,
    RpcClient,
    RpcServer,
    SystemErr,
    call_context,
)
from idlgen_runtime.oncrpc.aio import AsyncRpcClient
from idlgen_runtime.oncrpc.server import Procedure, RpcProgram

ECHO_PROG = 0x20000444

# What FAIL(code) raises, and what the client should see.
FAILURES = {
    0: (ValueError("a bug in the procedure"), SystemErr),
    1: (GarbageArgs(), GarbageArgs),
    2: (SystemErr(), SystemErr),
    3: (ProcUnavail(), ProcUnavail),
    4: (ProgUnavail(), ProgUnavail),
    5: (ProgMismatch(7, 8), ProgMismatch),
    6: (AuthError(AuthStat.AUTH_TOOWEAK), AuthError),
    7: (NotImplementedError(), ProcUnavail),
}


def dec_opaque(buf: xdr.Buffer, pos: int) -> tuple[tuple[bytes], int]:
    value, pos = xdr.dec_opaque(buf, pos)
    return (value,), pos


def dec_uint(buf: xdr.Buffer, pos: int) -> tuple[tuple[int], int]:
    return (xdr.UINT.unpack_from(buf, pos)[0],), pos + 4


def enc_opaque(out: bytearray, value: bytes) -> None:
    xdr.enc_opaque(out, value)


def dec_opaque_result(buf: xdr.Buffer, pos: int) -> tuple[bytes, int]:
    return xdr.dec_opaque(buf, pos)


def enc_uint(out: bytearray, value: int) -> None:
    out += xdr.UINT.pack(value)


def dec_uint_result(buf: xdr.Buffer, pos: int) -> tuple[int, int]:
    return xdr.UINT.unpack_from(buf, pos)[0], pos + 4


class Echo(RpcProgram):
    """The server side; ``contexts`` keeps every call context WHO saw."""

    program = ECHO_PROG
    version = 2
    procedures = {
        1: Procedure("ECHO", dec_opaque, enc_opaque),
        2: Procedure("WHO", xdr.dec_no_args, xdr.enc_void),
        3: Procedure("SLEEP", dec_uint, enc_uint),
        4: Procedure("FAIL", dec_uint, xdr.enc_void),
        5: Procedure("MISSING", xdr.dec_no_args, xdr.enc_void),
        6: Procedure("BLOB", dec_uint, enc_opaque),
        7: Procedure("BAD_RESULT", xdr.dec_no_args, enc_uint),
    }

    def __init__(self) -> None:
        self.contexts: list[CallContext] = []
        self.calls = 0

    def ECHO(self, data: bytes) -> bytes:
        self.calls += 1
        return data

    def WHO(self) -> None:
        self.contexts.append(call_context())

    def SLEEP(self, ms: int) -> int:
        time.sleep(ms / 1000)
        return ms

    def FAIL(self, code: int) -> None:
        raise FAILURES[code][0]

    def MISSING(self) -> None:
        raise NotImplementedError

    def BLOB(self, n: int) -> bytes:
        return b"b" * n

    def BAD_RESULT(self) -> int:
        return -1  # not an unsigned int: cannot be encoded


class EchoV3(Echo):
    version = 3


class EchoClient(RpcClient):
    """What a generated client of ECHO_PROG version 2 would look like."""

    program = ECHO_PROG
    version = 2

    def ECHO(self, data: bytes) -> bytes:
        out = bytearray()
        xdr.enc_opaque(out, data)
        return self._call(1, out, dec_opaque_result)

    def WHO(self) -> None:
        self._call(2, b"", xdr.dec_void)

    def SLEEP(self, ms: int) -> int:
        return self._call(3, xdr.UINT.pack(ms), dec_uint_result)

    def FAIL(self, code: int) -> None:
        self._call(4, xdr.UINT.pack(code), xdr.dec_void)

    def BLOB(self, n: int) -> bytes:
        return self._call(6, xdr.UINT.pack(n), dec_opaque_result)


class AsyncEchoClient(AsyncRpcClient):
    """The asyncio twin of EchoClient."""

    program = ECHO_PROG
    version = 2

    async def ECHO(self, data: bytes) -> bytes:
        out = bytearray()
        xdr.enc_opaque(out, data)
        return await self._call(1, out, dec_opaque_result)

    async def WHO(self) -> None:
        await self._call(2, b"", xdr.dec_void)

    async def SLEEP(self, ms: int) -> int:
        return await self._call(3, xdr.UINT.pack(ms), dec_uint_result)

    async def FAIL(self, code: int) -> None:
        await self._call(4, xdr.UINT.pack(code), xdr.dec_void)


@contextlib.contextmanager
def serving(server: RpcServer) -> Iterator[RpcServer]:
    """Run ``server`` in a thread for the block, then shut it down."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(5)
        assert not thread.is_alive()
