"""Talking to the portmapper / rpcbind (RFC 1833) on a host.

Built on ``idlgen_runtime.oncrpc.rpcb``, the package idlgen generates from
``rpcb_prot.x``. Version 2 (the portmapper: GETPORT, SET, UNSET, DUMP) is what
every rpcbind speaks and what clients use to find a port; versions 3 and 4
(GETADDR, SET/UNSET with a netid, DUMP) are here for completeness.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Protocol

from idlgen_runtime.oncrpc.errors import ProgramNotRegistered, RpcTransportError
from idlgen_runtime.oncrpc.rpcb import client, const, types

log = logging.getLogger("idlgen_runtime.oncrpc.server")

PORT = const.PMAP_PORT
_PROTOCOLS = {"tcp": const.IPPROTO_TCP, "udp": const.IPPROTO_UDP}
_NAMES = {number: name for name, number in _PROTOCOLS.items()}


def _protocol(transport: str) -> int:
    try:
        return _PROTOCOLS[transport]
    except KeyError:
        raise ValueError(f"transport must be 'tcp' or 'udp', not {transport!r}") from None


def _pmap(host: str, timeout: float) -> client.PMAP_PROG.PMAP_VERS:
    return client.PMAP_PROG.PMAP_VERS.connect(host, port=PORT, timeout=timeout)


def getport(
    host: str, prog: int, vers: int, transport: str = "tcp", *, timeout: float = 10.0
) -> int:
    """The port of a program version on ``host``; ProgramNotRegistered if it has none."""
    with _pmap(host, timeout) as pmap:
        port = pmap.PMAPPROC_GETPORT(types.mapping(prog, vers, _protocol(transport), 0))
    if port == 0:
        raise ProgramNotRegistered(
            f"program {prog} version {vers} ({transport}) is not registered on {host}"
        )
    return port


def set(  # noqa: A001 - the protocol's own name for the procedure
    prog: int,
    vers: int,
    transport: str,
    port: int,
    *,
    host: str = "127.0.0.1",
    timeout: float = 10.0,
) -> bool:
    """Register a program version's port (rpcbind accepts this only from its own host)."""
    with _pmap(host, timeout) as pmap:
        return pmap.PMAPPROC_SET(types.mapping(prog, vers, _protocol(transport), port))


def unset(prog: int, vers: int, *, host: str = "127.0.0.1", timeout: float = 10.0) -> bool:
    """Remove every registration of a program version (all transports)."""
    with _pmap(host, timeout) as pmap:
        return pmap.PMAPPROC_UNSET(types.mapping(prog, vers, 0, 0))


def dump(host: str = "127.0.0.1", *, timeout: float = 10.0) -> list[tuple[int, int, str, int]]:
    """Every registration as (program, version, transport, port), as ``rpcinfo -p`` shows."""
    with _pmap(host, timeout) as pmap:
        node = pmap.PMAPPROC_DUMP()
    found = []
    while node is not None:
        m = node.map_
        found.append((m.prog, m.vers, _NAMES.get(m.prot, str(m.prot)), m.port))
        node = node.next_
    return found


def getaddr(
    host: str, prog: int, vers: int, netid: str = "tcp", *, timeout: float = 10.0
) -> tuple[str, int]:
    """Ask rpcbind version 4 for a program's universal address; returns (host, port)."""
    with client.RPCBPROG.RPCBVERS4.connect(host, port=PORT, timeout=timeout) as rpcb:
        uaddr = rpcb.RPCBPROC_GETADDR(types.rpcb(prog, vers, netid, "", ""))
    if not uaddr:
        raise ProgramNotRegistered(
            f"program {prog} version {vers} ({netid}) is not registered on {host}"
        )
    return parse_universal_address(uaddr)


def parse_universal_address(uaddr: str) -> tuple[str, int]:
    """``"127.0.0.1.8.1"`` → ``("127.0.0.1", 2049)`` (RFC 5665 §5.2.3.3; IPv6 too)."""
    head, _, p2 = uaddr.rpartition(".")
    addr, _, p1 = head.rpartition(".")
    try:
        port = int(p1) * 256 + int(p2)
    except ValueError:
        raise ValueError(f"not a universal address: {uaddr!r}") from None
    return addr, port


class _Numbered(Protocol):
    """A program version a server exports (an RpcProgram)."""

    @property
    def program(self) -> int: ...  # noqa: D102

    @property
    def version(self) -> int: ...  # noqa: D102


def register_all(
    programs: Iterable[_Numbered], port: int, transports: Sequence[str]
) -> list[tuple[int, int]]:
    """Register each program version on ``port`` for every transport (what servers do).

    A stale entry from an earlier run is removed first; if rpcbind refuses one,
    what was registered is undone and RpcTransportError raised.
    """
    done: list[tuple[int, int]] = []
    try:
        for impl in programs:
            unset(impl.program, impl.version)
            done.append((impl.program, impl.version))
            for transport in transports:
                if not set(impl.program, impl.version, transport, port):
                    raise RpcTransportError(
                        f"rpcbind refused to register program {impl.program} version {impl.version}"
                    )
    except BaseException:
        unregister_all(done)
        raise
    return done


def unregister_all(registered: Iterable[tuple[int, int]]) -> None:
    """Remove registrations on the way out: failures are logged, never raised."""
    for prog, vers in registered:
        try:
            unset(prog, vers)
        except Exception as exc:  # shutting down: report, never raise
            log.warning("could not unregister program %d version %d: %s", prog, vers, exc)
