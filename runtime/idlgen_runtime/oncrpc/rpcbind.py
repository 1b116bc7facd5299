"""Talking to the portmapper / rpcbind (RFC 1833) on a host.

Built on ``idlgen_runtime.oncrpc.rpcb``, the package idlgen generates from
``rpcb_prot.x``. Version 2 (the portmapper: GETPORT, SET, UNSET, DUMP) is what
every rpcbind speaks, what clients use to find a port and what servers
register with (it works without root over TCP); versions 3 and 4 (GETADDR,
SET/UNSET with a netid and a universal address, DUMP) are here for peers that
need them (``version=3``/``4``).
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Iterable, Sequence
from typing import Protocol

from idlgen_runtime.oncrpc.errors import ProgramNotRegistered, RpcTransportError
from idlgen_runtime.oncrpc.rpcb import client, const, types

log = logging.getLogger("idlgen_runtime.oncrpc.server")

PORT = const.PMAP_PORT
#: Where rpcbind listens for local clients (libtirpc's _PATH_RPCBINDSOCK).
LOCAL_SOCKET = "/run/rpcbind.sock"
_PROTOCOLS = {"tcp": const.IPPROTO_TCP, "udp": const.IPPROTO_UDP}
_NAMES = {number: name for name, number in _PROTOCOLS.items()}
_NETIDS = ("tcp", "udp", "tcp6", "udp6")


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
    version: int = 2,
    address: str = "0.0.0.0",
) -> bool:
    """Register a program version's port (rpcbind accepts this only from its own host).

    Version 2 (PMAPPROC_SET) takes ``transport`` "tcp" or "udp"; versions 3
    and 4 (RPCBPROC_SET) take it as a netid ("tcp", "udp", "tcp6", "udp6")
    and register the universal address of ``address`` and ``port``.
    False means rpcbind refused (typically: already registered).
    """
    if version == 2:
        with _pmap(host, timeout) as pmap:
            return pmap.PMAPPROC_SET(types.mapping(prog, vers, _protocol(transport), port))
    entry = types.rpcb(prog, vers, _netid(transport), universal_address(address, port), "")
    with _rpcb(host, timeout, version) as rpcb:
        return rpcb.RPCBPROC_SET(entry)


def unset(
    prog: int,
    vers: int,
    *,
    host: str = "127.0.0.1",
    timeout: float = 10.0,
    version: int = 2,
    transport: str | None = None,
) -> bool:
    """Remove the registrations of a program version.

    Version 2 always removes every transport (PMAPPROC_UNSET ignores it);
    versions 3 and 4 remove only ``transport``'s netid when it is given.
    """
    if version == 2:
        with _pmap(host, timeout) as pmap:
            return pmap.PMAPPROC_UNSET(types.mapping(prog, vers, 0, 0))
    netid = "" if transport is None else _netid(transport)
    with _rpcb(host, timeout, version) as rpcb:
        return rpcb.RPCBPROC_UNSET(types.rpcb(prog, vers, netid, "", ""))


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


def dump_rpcb(
    host: str = "127.0.0.1", *, timeout: float = 10.0, version: int = 4
) -> list[types.rpcb]:
    """Every registration with its netid, universal address and owner (``rpcinfo HOST``)."""
    with _rpcb(host, timeout, version) as rpcb:
        node = rpcb.RPCBPROC_DUMP()
    found = []
    while node is not None:
        found.append(node.rpcb_map)
        node = node.rpcb_next
    return found


def getaddr(
    host: str,
    prog: int,
    vers: int,
    netid: str = "tcp",
    *,
    timeout: float = 10.0,
    version: int = 4,
) -> tuple[str, int]:
    """Ask rpcbind (version 3 or 4) for a program's universal address; returns (host, port).

    RFC 1833 has rpcbind answer for the netid of the transport the question
    came over, not the one in the argument, so the question goes over UDP for
    "udp"/"udp6" and over TCP otherwise.
    """
    transport = "udp" if _netid(netid).startswith("udp") else "tcp"
    with _rpcb(host, timeout, version, transport) as rpcb:
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
        hi, lo = int(p1), int(p2)
    except ValueError:
        raise ValueError(f"not a universal address: {uaddr!r}") from None
    try:
        ipaddress.ip_address(addr)
    except ValueError:
        raise ValueError(f"not a universal address: {uaddr!r}") from None
    if not (0 <= hi < 256 and 0 <= lo < 256):
        raise ValueError(f"not a universal address: {uaddr!r}")
    return addr, hi * 256 + lo


def universal_address(addr: str, port: int) -> str:
    """``("127.0.0.1", 2049)`` → ``"127.0.0.1.8.1"``, the form rpcbind v3/v4 store."""
    if not 0 <= port < 65536:
        raise ValueError(f"port {port} out of range")
    return f"{addr}.{port >> 8}.{port & 0xFF}"


def _netid(netid: str) -> str:
    if netid not in _NETIDS:
        raise ValueError(f"netid must be one of {', '.join(_NETIDS)}, not {netid!r}")
    return netid


def _rpcb(
    host: str, timeout: float, version: int, transport: str = "tcp"
) -> client.RPCBPROG.RPCBVERS | client.RPCBPROG.RPCBVERS4:
    if version not in (3, 4):
        raise ValueError(f"rpcbind speaks versions 2, 3 and 4, not {version}")
    cls = client.RPCBPROG.RPCBVERS if version == 3 else client.RPCBPROG.RPCBVERS4
    return cls.connect(host, port=PORT, timeout=timeout, transport=transport)


class _Numbered(Protocol):
    """A program version a server exports (an RpcProgram)."""

    @property
    def program(self) -> int: ...  # noqa: D102

    @property
    def version(self) -> int: ...  # noqa: D102


def register_all(
    programs: Iterable[_Numbered],
    port: int,
    transports: Sequence[str],
    *,
    address: str = "0.0.0.0",
    timeout: float = 10.0,
) -> list[tuple[int, int]]:
    """Register each program version on ``port`` for every transport (what servers do).

    Like libtirpc's ``svc_reg``, this speaks rpcbind v4 over its Unix socket
    when there is one: rpcbind then knows our uid, so root can replace an
    entry left by any crashed server (rpcgen's never unregister) and anyone
    can remove their own. Without the socket (another portmapper), it falls
    back to PMAP v2 over TCP. Stale entries are removed first; if rpcbind
    refuses one, what was registered is undone and RpcTransportError raised.
    """
    done: list[tuple[int, int]] = []
    local = _local(timeout)
    try:
        for impl in programs:
            prog, vers = impl.program, impl.version
            unset(prog, vers, timeout=timeout)  # an entry an earlier server made over TCP
            if local is not None:
                local.RPCBPROC_UNSET(types.rpcb(prog, vers, "", "", ""))
            done.append((prog, vers))
            for transport in transports:
                if local is None:
                    ok = set(prog, vers, transport, port, timeout=timeout)
                else:
                    netid = transport + ("6" if ":" in address else "")
                    uaddr = universal_address(address, port)
                    ok = local.RPCBPROC_SET(types.rpcb(prog, vers, netid, uaddr, ""))
                if not ok:
                    raise RpcTransportError(
                        f"rpcbind refused to register program {prog} version {vers} ({transport})"
                    )
    except BaseException:
        unregister_all(done, timeout=timeout)
        raise
    finally:
        if local is not None:
            local.close()
    return done


def unregister_all(registered: Iterable[tuple[int, int]], *, timeout: float = 10.0) -> None:
    """Remove registrations on the way out: failures are logged, never raised."""
    registered = list(registered)
    if not registered:
        return
    local = _local(timeout)
    try:
        for prog, vers in registered:
            try:
                if local is not None:
                    local.RPCBPROC_UNSET(types.rpcb(prog, vers, "", "", ""))
                else:
                    unset(prog, vers, timeout=timeout)
            except Exception as exc:  # shutting down: report, never raise
                log.warning("could not unregister program %d version %d: %s", prog, vers, exc)
    finally:
        if local is not None:
            local.close()


def _local(timeout: float) -> client.RPCBPROG.RPCBVERS4 | None:
    """A client of rpcbind version 4 over its Unix socket, or None when it has none."""
    if not os.path.exists(LOCAL_SOCKET):
        return None
    try:
        return client.RPCBPROG.RPCBVERS4.connect(LOCAL_SOCKET, port=0, timeout=timeout)
    except RpcTransportError as exc:
        log.info("rpcbind's %s refused us (%s); using the portmapper over TCP", LOCAL_SOCKET, exc)
        return None
