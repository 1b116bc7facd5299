"""The figures behind docs/runtime-oncrpc.md "Under attack": hostile clients on
127.0.0.1 against the blocking and the asyncio server, each in its own process,
while a well-behaved client keeps calling.

For each attack it prints the well-behaved client's latency (median, 99th
percentile, worst), the server's resident memory before and at its highest,
and the CPU the server used during the attack. Every attack is bounded in
count and time (a few seconds each).

    .venv/bin/python bench/rpc/attacks.py [ATTACK ...]     (all when none is named)

The program served is the tests' ECHO_PROG (tests/unit/oncrpc/oncrpc_echo.py).
"""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "oncrpc"))

from idlgen_runtime.oncrpc import RpcTimeout, message, record  # noqa: E402
from oncrpc_echo import ECHO_PROG, EchoClient  # noqa: E402

SECONDS = float(os.environ.get("ATTACK_SECONDS", "4"))

SERVER = r"""
import asyncio, logging, os, resource, sys, threading, time
sys.path.insert(0, sys.argv[1])
from oncrpc_echo import Echo
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
kind, nofile = sys.argv[2], int(sys.argv[3])
if nofile:
    resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
RUNS = [0]

class Slow(Echo):
    def SLEEP(self, ms):
        RUNS[0] += 1
        time.sleep(ms / 1000)
        return ms
    def ECHO(self, data):
        return str(RUNS[0]).encode() if data == b"runs?" else data

class AsyncSlow(Slow):
    async def SLEEP(self, ms):
        RUNS[0] += 1
        await asyncio.sleep(ms / 1000)
        return ms

if kind == "blocking":
    from idlgen_runtime.oncrpc import RpcServer
    srv = RpcServer([Slow()])
    print(srv.port, flush=True)
    srv.serve_forever()
else:
    from idlgen_runtime.oncrpc.aio import AsyncRpcServer
    async def main():
        async with AsyncRpcServer([AsyncSlow()]) as srv:
            print(srv.port, flush=True)
            await srv.serve_forever()
    asyncio.run(main())
"""


def call_bytes(xid: int, proc: int, args: bytes) -> bytes:
    return struct.pack(">IIIIIIIIII", xid, 0, 2, ECHO_PROG, 2, proc, 0, 0, 0, 0) + args


@contextlib.contextmanager
def server(kind: str, nofile: int = 0) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    log = Path(f"/tmp/idlgen-attack-{os.getpid()}.log")
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(ROOT / "tests/unit/oncrpc"), kind, str(nofile)],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    try:
        assert proc.stdout is not None
        yield proc, int(proc.stdout.readline()), log
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(kind: str, attack: Callable[[int, threading.Event], None], nofile: int = 0) -> dict:
    """Run ``attack`` for SECONDS while a good client calls ECHO every 10 ms."""
    with server(kind, nofile) as (proc, port, log):
        good = EchoClient.connect("127.0.0.1", port=port, timeout=10)
        for _ in range(50):
            good.ECHO(b"warm")
        rss0, peak = rss_mb(proc.pid), 0.0
        stop = threading.Event()
        attacker = threading.Thread(target=attack, args=(port, stop), daemon=True)
        cpu0, t0 = cpu_s(proc.pid), time.monotonic()
        attacker.start()
        latencies, failures = [], 0
        while time.monotonic() - t0 < SECONDS:
            start = time.perf_counter()
            try:
                good.ECHO(b"x" * 100)
                latencies.append((time.perf_counter() - start) * 1000)
            except Exception:  # noqa: BLE001 - counted, the figure says how many
                failures += 1
            peak = max(peak, rss_mb(proc.pid))
            time.sleep(0.01)
        cpu = (cpu_s(proc.pid) - cpu0) / (time.monotonic() - t0)
        stop.set()
        attacker.join(30)
        good.close()
        latencies.sort()
        log_kb = log.stat().st_size / 1024
    return {
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
        "max": latencies[-1] if latencies else float("nan"),
        "calls": len(latencies),
        "failed": failures,
        "rss0": rss0,
        "rss": peak,
        "cpu": cpu * 100,
        "log_kb": log_kb,
    }


# --- attacks: each ends when `stop` is set, and is bounded in count ----------------------


def nothing(port: int, stop: threading.Event) -> None:
    stop.wait(SECONDS + 5)


def empty_fragments(port: int, stop: threading.Event) -> None:
    """One client streaming zero-length non-last fragments, reconnecting when dropped."""
    chunk = struct.pack(">I", 0) * 4096
    for _ in range(100_000):
        if stop.is_set():
            return
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)) as s:
            while not stop.is_set():
                s.sendall(chunk)


def big_fragments(port: int, stop: threading.Event) -> None:
    """50 connections each sending 4 MiB of a 4 MiB fragment, then holding it."""
    socks = []
    body = b"m" * (1 << 20)
    for _ in range(50):
        with contextlib.suppress(OSError):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            socks.append(s)
            s.sendall(struct.pack(">I", 0x80000000 | (4 << 20) - 4))
            for _ in range(4):
                s.sendall(body[: (4 << 20) - 4 - 3 * (1 << 20)] if _ == 3 else body)
        if stop.is_set():
            break
    stop.wait(SECONDS + 5)
    for s in socks:
        s.close()


def udp_flood(port: int, stop: threading.Event) -> None:
    """100,000 datagrams calling a procedure that takes 1 s (new xids: no cache hit)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for xid in range(100_000):
            if stop.is_set():
                return
            with contextlib.suppress(OSError):
                s.sendto(call_bytes(xid, 3, struct.pack(">I", 1000)), ("127.0.0.1", port))


def idle_connections(port: int, stop: threading.Event) -> None:
    """1,200 connections that send nothing (the default max_connections is 1,024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    socks = []
    for _ in range(1200):
        if stop.is_set():
            break
        with contextlib.suppress(OSError):
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    stop.wait(SECONDS + 5)
    for s in socks:
        s.close()


def out_of_descriptors(port: int, stop: threading.Event) -> None:
    """200 connections to a server limited to 64 descriptors (started with nofile=64)."""
    idle_connections_n(port, stop, 200)


def idle_connections_n(port: int, stop: threading.Event, n: int) -> None:
    socks = []
    for _ in range(n):
        with contextlib.suppress(OSError):
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    stop.wait(SECONDS + 5)
    for s in socks:
        s.close()


ATTACKS: dict[str, tuple[Callable[[int, threading.Event], None], int, tuple[str, ...]]] = {
    "none": (nothing, 0, ("blocking", "asyncio")),
    "empty-fragments": (empty_fragments, 0, ("blocking", "asyncio")),
    "4MiB-fragments-x50": (big_fragments, 0, ("blocking", "asyncio")),
    "udp-flood-100k": (udp_flood, 0, ("asyncio",)),
    "idle-connections-1200": (idle_connections, 0, ("blocking", "asyncio")),
    "out-of-descriptors": (out_of_descriptors, 64, ("blocking", "asyncio")),
}


# --- the ones that are not about the servers' load ------------------------------------------


def retransmitted_slow_call() -> int:
    """A 2.5 s call over UDP, retransmitted every second: how often the procedure runs."""
    with server("blocking") as (_, port, _log):
        with EchoClient.connect(
            "127.0.0.1", port=port, transport="udp", timeout=10, retransmit=1.0
        ) as c:
            c.SLEEP(2500)
            return int(c.ECHO(b"runs?"))


def hostile_reply(behaviour: str) -> float:
    """Seconds a timeout=2.0 call lasts against a server that stalls it."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn, contextlib.suppress(OSError):
            data = record.read_record(conn.makefile("rb"), 1 << 20)
            xid = struct.unpack_from(">I", data or b"\0\0\0\0")[0]
            reply = record.frame(message.accepted(xid, message.SUCCESS, b"\0\0\0\2hi\0\0"))
            for i in range(30):
                if behaviour == "wrong-xid":
                    conn.sendall(record.frame(message.accepted(xid + 1, message.SUCCESS)))
                else:
                    conn.sendall(reply[i : i + 1])
                time.sleep(1)

    threading.Thread(target=serve, daemon=True).start()
    with EchoClient.connect("127.0.0.1", port=listener.getsockname()[1], timeout=2.0) as c:
        start = time.monotonic()
        with contextlib.suppress(RpcTimeout):
            c.ECHO(b"hi")
        took = time.monotonic() - start
    listener.close()
    return took


def main(names: list[str]) -> None:
    names = names or [*ATTACKS, "retransmit", "client-deadline"]
    print(f"attack{'':<22}server    p50 ms  p99 ms  max ms  ok/failed  RSS MB      CPU %  log KB")
    for name in names:
        if name not in ATTACKS:
            continue
        attack, nofile, kinds = ATTACKS[name]
        for kind in kinds:
            r = measure(kind, attack, nofile)
            print(
                f"{name:<28}{kind:<9}{r['p50']:>7.2f}{r['p99']:>8.2f}{r['max']:>8.1f}"
                f"{r['calls']:>6}/{r['failed']:<4}{r['rss0']:>5.0f}→{r['rss']:<5.0f}"
                f"{r['cpu']:>7.0f}{r['log_kb']:>8.1f}",
                flush=True,
            )
    if "retransmit" in names:
        print(f"UDP 2.5 s call, retransmit 1 s: the procedure ran {retransmitted_slow_call()}×")
    if "client-deadline" in names:
        for behaviour in ("wrong-xid", "one-byte-a-second"):
            print(f"timeout=2.0 call, server sends {behaviour}: {hostile_reply(behaviour):.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
