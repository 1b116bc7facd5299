"""Real peers for the tests, on 127.0.0.1 only.

* ``need``: a missing peer fails the test when ``CI=true`` and skips it elsewhere.
* ``registrations``/``wait_registered``/``wait_unregistered``: what rpcbind
  lists (``rpcinfo -p``), polled until it changes.
* ``c_server``: a C server started for a test, waited for until rpcbind lists
  every version on every transport, then stopped by its pid and unregistered
  (rpcgen's servers never unregister themselves, FIELD-NOTES).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI") == "true"
HOST = "127.0.0.1"

#: (program, version, transport) -> port, as ``rpcinfo -p`` lists them.
Registrations = dict[tuple[int, int, str], int]


def need(condition: bool, reason: str) -> None:
    """Fail (in CI) or skip (elsewhere) when a real peer cannot be had."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: a missing peer is a failure)", pytrace=False)
        pytest.skip(reason)


def rpcbind_answers() -> bool:
    """True when rpcbind answers ``rpcinfo -p`` on 127.0.0.1."""
    try:
        done = subprocess.run(["rpcinfo", "-p", HOST], capture_output=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def registrations() -> Registrations:
    """What rpcbind on 127.0.0.1 lists; empty when it does not answer."""
    try:
        out = subprocess.run(
            ["rpcinfo", "-p", HOST], capture_output=True, text=True, timeout=5
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return {}
    found: Registrations = {}
    for line in out.splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 4 and fields[0].isdigit():
            found[(int(fields[0]), int(fields[1]), fields[2])] = int(fields[3])
    return found


def _wanted(prog: int, versions: Iterable[int], transports: Iterable[str]) -> set[tuple]:
    return {(prog, v, t) for v in versions for t in transports}


def wait_registered(
    prog: int,
    versions: Iterable[int],
    transports: Iterable[str] = ("tcp", "udp"),
    timeout: float = 10.0,
    alive: subprocess.Popen[bytes] | None = None,
) -> Registrations:
    """Poll rpcbind until every (version, transport) of ``prog`` is listed."""
    wanted = _wanted(prog, versions, transports)
    deadline = time.monotonic() + timeout
    while True:
        found = registrations()
        if wanted <= found.keys():
            return {k: found[k] for k in wanted}
        if alive is not None and alive.poll() is not None:
            raise RuntimeError(f"the server exited with status {alive.returncode} unregistered")
        if time.monotonic() > deadline:
            missing = sorted(wanted - found.keys())
            raise TimeoutError(f"rpcbind never listed {missing}")
        time.sleep(0.05)


def wait_unregistered(prog: int, timeout: float = 5.0) -> bool:
    """Poll rpcbind until ``prog`` is gone from it; False if it is still there."""
    deadline = time.monotonic() + timeout
    while any(p == prog for p, _, _ in registrations()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def unregister(prog: int, versions: Iterable[int]) -> None:
    """``rpcinfo -d`` for each version (decimal: rpcinfo does not take hex)."""
    for vers in versions:
        subprocess.run(
            ["rpcinfo", "-d", str(prog), str(vers)], capture_output=True, check=False, timeout=5
        )


@dataclass
class CServer:
    """A running C server: its process and the ports rpcbind lists for it."""

    proc: subprocess.Popen[bytes]
    prog: int
    ports: Registrations
    log: Path

    def port(self, version: int, transport: str) -> int:
        return self.ports[(self.prog, version, transport)]

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def c_server(
    args: list[str],
    prog: int,
    versions: Iterable[int],
    transports: Iterable[str] = ("tcp", "udp"),
    timeout: float = 10.0,
) -> Iterator[CServer]:
    """Start a C server, wait until rpcbind lists it, yield; then stop it by its
    pid and unregister it, even when the test fails."""
    versions, transports = tuple(versions), tuple(transports)
    unregister(prog, versions)  # a stale entry from a killed run would fool the wait
    log = Path(tempfile.mkstemp(prefix="c-server-", suffix=".log")[1])
    with log.open("wb") as sink:
        proc = subprocess.Popen(args, stdout=sink, stderr=subprocess.STDOUT)
    try:
        try:
            ports = wait_registered(prog, versions, transports, timeout, alive=proc)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{args[0]}: {exc}; its output: {log.read_text()!r}") from exc
        yield CServer(proc, prog, ports, log)
    finally:
        stop(proc)
        unregister(prog, versions)
        log.unlink(missing_ok=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process we started (by its pid), SIGKILL if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
