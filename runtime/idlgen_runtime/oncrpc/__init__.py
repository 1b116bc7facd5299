"""ONC RPC v2 (RFC 5531) for generated clients and servers.

``RpcClient``/``AsyncRpcClient`` are the bases of generated ``client`` classes;
``RpcProgram`` the base of generated ``server`` classes, served by
``RpcServer`` (blocking) or ``AsyncRpcServer`` (asyncio), both bounded by
``ServerLimits`` and able to run as several processes on one port
(``workers.serve_workers``, ``serve(workers=N)``). ``rpcbind`` talks to the
portmapper; the errors, each naming its ``CallSite``, are in ``errors``.
docs/runtime-oncrpc.md has it all.
"""

from idlgen_runtime.oncrpc.auth import AuthNone, AuthSys, AuthSysParams, Credentials
from idlgen_runtime.oncrpc.client import RpcClient
from idlgen_runtime.oncrpc.dispatch import CallContext, Procedure, RpcProgram, call_context
from idlgen_runtime.oncrpc.errors import (
    AuthError,
    AuthStat,
    CallSite,
    GarbageArgs,
    ProcUnavail,
    ProgMismatch,
    ProgramNotRegistered,
    ProgUnavail,
    RpcError,
    RpcMismatch,
    RpcProtocolError,
    RpcTimeout,
    RpcTransportError,
    SystemErr,
)
from idlgen_runtime.oncrpc.limits import ServerLimits
from idlgen_runtime.oncrpc.server import RpcServer

__all__ = [
    "AuthError",
    "AuthNone",
    "AuthStat",
    "AuthSys",
    "AuthSysParams",
    "CallContext",
    "CallSite",
    "Credentials",
    "GarbageArgs",
    "ProcUnavail",
    "ProgMismatch",
    "ProgUnavail",
    "ProgramNotRegistered",
    "Procedure",
    "RpcClient",
    "RpcError",
    "RpcMismatch",
    "RpcProtocolError",
    "RpcProgram",
    "RpcServer",
    "RpcTimeout",
    "RpcTransportError",
    "ServerLimits",
    "SystemErr",
    "call_context",
]
