"""serve(..., workers=N): N processes on one port (SO_REUSEPORT), one parent that
restarts them and stops them all. The workers run in a subprocess of the test,
stopped by its pid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from idlgen_runtime.oncrpc import RpcTransportError
from oncrpc_echo import EchoClient

HERE = Path(__file__).resolve().parent
WORKERS = """
import os, sys
sys.path.insert(0, sys.argv[1])
from oncrpc_echo import Echo

class PidEcho(Echo):
    def ECHO(self, data):
        return str(os.getpid()).encode()

PidEcho().serve("127.0.0.1", 0, workers=int(sys.argv[2]), use_asyncio=sys.argv[3] == "1",
                on_ready=lambda port: print(port, flush=True))
print("stopped", flush=True)
"""


@contextmanager
def workers(n: int, use_asyncio: bool = False) -> Iterator[tuple[subprocess.Popen[str], int]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKERS, str(HERE), str(n), "1" if use_asyncio else "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip().isdigit(), f"no port from the workers' parent: {line!r}"
        yield proc, int(line)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def pids_seen(port: int, transport: str, calls: int = 40, tolerate: bool = False) -> set[int]:
    seen = set()
    for _ in range(calls):  # a new connection (a new source port) each time
        try:
            with EchoClient.connect("127.0.0.1", port=port, transport=transport, timeout=10) as c:
                seen.add(int(c.ECHO(b"")))
        except RpcTransportError:
            # A connection queued on a worker as it was killed is reset.
            if not tolerate:
                raise
    return seen


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("use_asyncio", [False, True], ids=["blocking", "asyncio"])
def test_two_workers_share_one_port_and_stop_together(use_asyncio):
    with workers(2, use_asyncio) as (proc, port):
        tcp, udp = pids_seen(port, "tcp"), pids_seen(port, "udp")
        assert len(tcp) == 2 and tcp == udp  # 40 clients: each worker gets some
        assert proc.pid not in tcp  # the parent serves nothing itself
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        assert proc.stdout is not None and proc.stdout.read().strip() == "stopped"
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in tcp) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in tcp)


def test_a_worker_that_dies_is_replaced():
    with workers(2) as (_, port):
        first = pids_seen(port, "tcp")
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 15
        now = set()
        while time.monotonic() < deadline:
            now = pids_seen(port, "tcp", 20, tolerate=True)
            if len(now) == 2 and victim not in now:
                break
            time.sleep(0.2)
        assert victim not in now and len(now) == 2


@pytest.mark.parametrize("use_asyncio", [False, True], ids=["blocking", "asyncio"])
def test_workers_stop_when_their_parent_is_killed(use_asyncio):
    with workers(2, use_asyncio) as (proc, port):
        pids = pids_seen(port, "tcp")
        proc.kill()  # SIGKILL: no handler runs, nothing is forwarded
        proc.wait(10)
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in pids)
