"""Several server processes on one port, behind one rpcbind registration.

A Python server runs its procedures on one core. ``serve_workers`` (what
``RpcProgram.serve(..., workers=N)`` calls) forks N worker processes, each a
full :class:`~.server.RpcServer` (or, with ``use_asyncio``, an
:class:`~.aioserver.AsyncRpcServer`), all bound to the same TCP and UDP port
with SO_REUSEPORT: the kernel spreads new connections and datagrams among
them by their addresses, so one client's connection — and one UDP client's
retransmissions, which the duplicate-request cache of its worker then
recognises — always reach the same worker.

The parent binds the port first (so ``port=0`` picks one free for TCP and UDP
alike) and hands those sockets to the first worker; the others bind their
own. It registers with rpcbind once every worker serves, restarts a worker
that dies (at most once a second), and on SIGINT/SIGTERM stops them all by
their pids, then unregisters. Workers are forked: state built before
``serve`` (the program instance, open files) is copied into each, and each
has its own — a counter in one worker is not seen by the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence

from idlgen_runtime.oncrpc.dispatch import RpcProgram
from idlgen_runtime.oncrpc.limits import ServerLimits
from idlgen_runtime.oncrpc.server import RpcServer, bind_pair

log = logging.getLogger("idlgen_runtime.oncrpc.server")
_Sockets = tuple[socket.socket | None, socket.socket | None]


def serve_workers(
    programs: Sequence[RpcProgram],
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    workers: int = 2,
    transports: Sequence[str] = ("tcp", "udp"),
    register: bool = False,
    limits: ServerLimits | None = None,
    use_asyncio: bool = False,
    on_ready: Callable[[int], object] | None = None,
) -> None:
    """Serve ``programs`` from ``workers`` processes until SIGINT/SIGTERM (module docstring).

    ``on_ready(port)`` is called once every worker serves and the registration
    is made — for a supervisor, or a test that asked for port 0. Outside the
    main thread no signal handler can be installed: SIGTERM then ends the
    parent at once. Workers whose parent has gone, however it went, stop by
    themselves within a second.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    first = bind_pair(host, port, transports, reuse_port=True)
    bound = (first[0] or first[1]).getsockname()  # type: ignore[union-attr]
    port = bound[1]
    stopping = False

    def start(sockets: _Sockets | None) -> int:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            os.close(r)
            code = 1
            try:
                _worker(programs, host, port, transports, limits, use_asyncio, sockets, w)
                code = 0
            except BaseException:  # noqa: BLE001 - a worker reports and exits, never returns
                log.exception("worker %d failed", os.getpid())
            finally:
                os._exit(code)
        os.close(w)
        with os.fdopen(r, "rb") as pipe:
            if pipe.read(1) != b"1":
                log.error("worker %d did not start", pid)
        return pid

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {}
    if threading.current_thread() is threading.main_thread():  # signal() works only there
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    pids: dict[int, float] = {}
    registered: list[tuple[int, int]] = []
    try:
        pids[start(first)] = time.monotonic()
        for s in first:
            if s is not None:
                s.close()  # the first worker has them now
        for _ in range(workers - 1):
            pids[start(None)] = time.monotonic()
        if register:
            from idlgen_runtime.oncrpc import rpcbind

            served = [t for t, s in zip(("tcp", "udp"), first, strict=True) if s is not None]
            registered = rpcbind.register_all(programs, port, served, address=bound[0])
        if on_ready is not None:
            on_ready(port)
        while not stopping:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if not pid:
                time.sleep(0.1)  # a signal sets `stopping`; waitpid would just be resumed
                continue
            started = pids.pop(pid, None)
            if started is None or stopping:
                continue
            log.warning("worker %d exited (status %d); starting another", pid, status)
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
            pids[start(None)] = time.monotonic()
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for pid in list(pids):
            while time.monotonic() < deadline:
                with contextlib.suppress(ChildProcessError):
                    if os.waitpid(pid, os.WNOHANG)[0]:
                        break
                    time.sleep(0.02)
                    continue
                break
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
        if registered:
            from idlgen_runtime.oncrpc import rpcbind

            rpcbind.unregister_all(registered)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _worker(
    programs: Sequence[RpcProgram],
    host: str,
    port: int,
    transports: Sequence[str],
    limits: ServerLimits | None,
    use_asyncio: bool,
    sockets: _Sockets | None,
    ready_fd: int,
) -> None:
    """One worker process: a server on the shared port until SIGINT/SIGTERM."""
    if sockets is None:
        sockets = bind_pair(host, port, transports, reuse_port=True)
    parent = os.getppid()
    if use_asyncio:
        asyncio.run(_async_worker(programs, sockets, limits, ready_fd, parent))
        return
    with RpcServer(programs, sockets=sockets, limits=limits) as server:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: server.request_stop())
        threading.Thread(target=_orphaned, args=(parent, server.request_stop), daemon=True).start()
        os.write(ready_fd, b"1")
        os.close(ready_fd)
        server.serve_forever()


def _orphaned(parent: int, stop: Callable[[], object]) -> None:
    """Call ``stop`` once the parent is gone (SIGKILLed, or ended by a default SIGTERM)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    log.warning("worker %d: the parent process %d is gone; stopping", os.getpid(), parent)
    stop()


async def _async_worker(
    programs: Sequence[RpcProgram],
    sockets: _Sockets,
    limits: ServerLimits | None,
    ready_fd: int,
    parent: int,
) -> None:
    from idlgen_runtime.oncrpc.aioserver import AsyncRpcServer

    server = AsyncRpcServer(programs, sockets=sockets, limits=limits)
    loop = asyncio.get_running_loop()
    async with server:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda: loop.create_task(server.close()))
        stop = lambda: loop.call_soon_threadsafe(loop.create_task, server.close())  # noqa: E731
        threading.Thread(target=_orphaned, args=(parent, stop), daemon=True).start()
        os.write(ready_fd, b"1")
        os.close(ready_fd)
        await server.serve_forever()
