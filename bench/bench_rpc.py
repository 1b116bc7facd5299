"""Calls per second over loopback: the generated client and server against C rpcgen.

Rows, TCP and UDP, each the best of 3 runs of N ADD calls:
  C client → C server                  the reference
  generated Python client → C server   goal ≥ 0.75× the C client
  C client → generated Python server   goal ≥ 0.5× its rate against the C server
Then, over TCP:
  generated asyncio client, 64 calls in flight on one connection → C server,
                                       goal ≥ 2× the (synchronous) C client
  C clients → generated Python server with 1 and 2 worker processes
                                       (serve(workers=N)); one C client and
                                       four in parallel (their rates summed):
                                       one client's connection reaches one
                                       worker, so only parallel clients can
                                       use the second.
The C client is bench/rpc/add_rate.c, the C server examples/simp/simp_server.c
(both built by bench/rpc/Makefile), the Python server examples/simp/py_server.py
(with workers, the same class served by PY_WORKERS below).
Unpinned rates swing on a 2-core machine (FIELD-NOTES); the pinned rows run
both processes on core 0 (`taskset -c 0`), which is steadier. The worker rows
are unpinned only: pinning would put both workers on one core.

    .venv/bin/python bench/bench_rpc.py          (needs root for rpcbind, or rpcbind running)

If rpcbind does not answer, it is started in the foreground (`rpcbind -f -w`)
and stopped by its pid at the end; a running rpcbind is left alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIMP = ROOT / "examples" / "simp"
N = int(os.environ.get("BENCH_RPC_CALLS", "20000"))
PROG, VERS = 555555555, 1

PY_CLIENT = """
import sys, time
import simp
with simp.client.SIMP_PROG.SIMP_VERSION.connect(
    "127.0.0.1", transport=sys.argv[1], port=int(sys.argv[3])
) as c:
    ops = simp.types.operands(0, 4)
    n = int(sys.argv[2])
    start = time.perf_counter()
    for i in range(n):
        ops.x = i
        if c.ADD(ops) != i + 4:
            raise SystemExit("wrong result")
    print(round(n / (time.perf_counter() - start)))
"""


PY_ASYNC_CLIENT = """
import asyncio, sys, time
import simp
async def main():
    n, depth = int(sys.argv[1]), int(sys.argv[2])
    c = await simp.aioclient.SIMP_PROG.SIMP_VERSION.connect("127.0.0.1", port=int(sys.argv[3]))
    operands = simp.types.operands
    async def caller(k):
        for i in range(k, n, depth):
            if await c.ADD(operands(i, 4)) != i + 4:
                raise SystemExit("wrong result")
    start = time.perf_counter()
    await asyncio.gather(*(caller(k) for k in range(depth)))
    print(round(n / (time.perf_counter() - start)))
    await c.close()
asyncio.run(main())
"""

PY_WORKERS = """
import sys
import simp
class Simp(simp.server.SIMP_PROG.SIMP_VERSION):
    def ADD(self, arg):
        return arg.x + arg.y
    def SUB(self, arg):
        return arg.x - arg.y
Simp().serve("127.0.0.1", 0, register=True, workers=int(sys.argv[1]))
"""
DEPTH = 64
PARALLEL = 4


def run(cmd: list[str], env: dict[str, str] | None = None) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout


def rpcbind_answers() -> bool:
    return subprocess.run(["rpcinfo", "-p", "127.0.0.1"], capture_output=True).returncode == 0


def ports() -> dict[str, str]:
    """The ports rpcbind lists for the program, by transport."""
    out = subprocess.run(["rpcinfo", "-p", "127.0.0.1"], capture_output=True, text=True).stdout
    return {
        f[2]: f[3]
        for f in (line.split() for line in out.splitlines())
        if len(f) >= 4 and f[:2] == [str(PROG), str(VERS)]
    }


def registered() -> bool:
    return {"tcp", "udp"} <= ports().keys()


def wait_for(condition, what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        if proc.poll() is not None:
            raise SystemExit(f"rpc bench: {what}: the process exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise SystemExit(f"rpc bench: {what}: timed out")
        time.sleep(0.05)


def pinned(cmd: list[str], pin: bool | str) -> list[str]:
    """``cmd`` on core 0 (``pin=True``), on the core named (``pin="1"``), or anywhere."""
    core = "0" if pin is True else pin
    return (["taskset", "-c", core] if core else []) + cmd


def start(
    cmd: list[str], pin: bool | str, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """Start a server; it and its ports as rpcbind lists them once registered.

    The clients are given the port: rpcbind is shared by everything on the
    machine, and another checkout's tests may remove the registration meanwhile.
    """
    subprocess.run(["rpcinfo", "-d", str(PROG), str(VERS)], capture_output=True, check=False)
    proc = subprocess.Popen(
        pinned(cmd, pin), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(registered, f"{cmd[-1]} registering with rpcbind", proc)
    return proc, ports()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a process we started, by its pid."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server and take its registration away (rpcgen's servers never do, FIELD-NOTES)."""
    stop(proc)
    subprocess.run(["rpcinfo", "-d", str(PROG), str(VERS)], capture_output=True, check=False)


def rate(cmd: list[str], pin: bool | str, env: dict[str, str]) -> float:
    """The best of 3 runs; NaN (and the reason) when every run failed.

    rpcbind is shared: another program on the machine (another checkout's
    interop tests) may unregister the program between runs.
    """
    rates = []
    for _ in range(3):
        try:
            rates.append(float(run(pinned(cmd, pin), env).strip()))
        except subprocess.CalledProcessError as exc:
            last = (exc.stderr or exc.stdout or "").strip().splitlines()[-1:]
            print(f"  (a run failed: {last[0] if last else exc.returncode})")
    return max(rates, default=float("nan"))


def table(work: Path, env: dict[str, str]) -> None:
    c_server = [str(work / "simp_server")]
    py_server = [sys.executable, str(SIMP / "py_server.py")]
    c_client = [str(work / "add_rate"), "127.0.0.1"]
    py_client = [sys.executable, "-c", PY_CLIENT]
    pins = [False] + ([True] if shutil.which("taskset") else [])
    print(f"RPC calls per second over loopback, {N} ADD calls, best of 3")
    print(f"{'mode':<10}{'':<6}{'C→C':>10}{'Py→C':>10}{'ratio':>8}{'C→Py':>10}{'ratio':>8}")
    for pin in pins:
        for transport in ("tcp", "udp"):
            server, port = start(c_server, pin, env)
            try:
                cc_rate = rate([*c_client, transport, str(N), port[transport]], pin, env)
                pc_rate = rate([*py_client, transport, str(N), port[transport]], pin, env)
            finally:
                stop_server(server)
            server, port = start(py_server, pin, env)
            try:
                cp_rate = rate([*c_client, transport, str(N), port[transport]], pin, env)
            finally:
                stop_server(server)
            mode = "pinned" if pin else "unpinned"
            print(
                f"{mode:<10}{transport:<6}{cc_rate:>10.0f}"
                f"{pc_rate:>10.0f}{pc_rate / cc_rate:>7.2f}×"
                f"{cp_rate:>10.0f}{cp_rate / cc_rate:>7.2f}×"
            )
    print("goals: Py→C ≥ 0.75× C→C; C→Py ≥ 0.5× C→C")
    print()
    print(f"asyncio client, {DEPTH} calls in flight on one TCP connection → C server")
    print(f"{'mode':<10}{'C client':>10}{'asyncio':>10}{'ratio':>8}")
    py_async = [sys.executable, "-c", PY_ASYNC_CLIENT]
    # split: the server on core 1, the client on core 0 (where a pipelining client runs)
    modes = [("unpinned", False, False)]
    if shutil.which("taskset"):
        modes += [("pinned", True, True)] + ([("split", "1", True)] if os.cpu_count() != 1 else [])
    for mode, server_pin, client_pin in modes:
        server, port = start(c_server, server_pin, env)
        try:
            cc_rate = rate([*c_client, "tcp", str(N), port["tcp"]], client_pin, env)
            async_rate = rate([*py_async, str(N * 4), str(DEPTH), port["tcp"]], client_pin, env)
        finally:
            stop_server(server)
        print(f"{mode:<10}{cc_rate:>10.0f}{async_rate:>10.0f}{async_rate / cc_rate:>7.2f}×")
    print("goal: asyncio ≥ 2× the C client")
    print()
    workers_table(c_client, env)


def parallel_rate(cmd: list[str], count: int, env: dict[str, str]) -> float:
    """The summed rates of ``count`` copies of ``cmd`` run at once (best of 3)."""
    best = 0.0
    for _ in range(3):
        procs = [
            subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env) for _ in range(count)
        ]
        outs = [p.communicate()[0] for p in procs]
        if any(p.returncode for p in procs):
            print(f"  (a run of {PARALLEL} clients failed)")
            continue
        best = max(best, sum(float(out.strip()) for out in outs))
    return best or float("nan")


def workers_table(c_client: list[str], env: dict[str, str]) -> None:
    print("C clients → Python server with N worker processes (unpinned, TCP)")
    print(f"{'workers':<10}{'1 client':>10}{f'{PARALLEL} clients':>12}")
    base = 0.0
    for workers in (1, 2):
        server, port = start([sys.executable, "-c", PY_WORKERS, str(workers)], False, env)
        try:
            one = rate([*c_client, "tcp", str(N), port["tcp"]], False, env)
            many = parallel_rate([*c_client, "tcp", str(N), port["tcp"]], PARALLEL, env)
        finally:
            stop_server(server)
        base = base or many
        print(f"{workers:<10}{one:>10.0f}{many:>12.0f}   ({many / base:.2f}× one worker)")


def main() -> None:
    needed = ("rpcgen", "gcc", "rpcinfo", "make")
    if not all(shutil.which(t) for t in needed):
        print(f"rpc bench: needs {', '.join(needed)} (make deps)")
        return
    rpcbind: subprocess.Popen[bytes] | None = None
    if not rpcbind_answers():
        if os.geteuid() != 0 or shutil.which("rpcbind") is None:
            print("rpc bench: rpcbind is not running; starting it needs root (make deps)")
            return
        rpcbind = subprocess.Popen(["rpcbind", "-f", "-w"])
        wait_for(rpcbind_answers, "rpcbind answering", rpcbind)
    work = Path(tempfile.mkdtemp(prefix="idlgen-rpcbench-"))
    try:
        run([sys.executable, "-m", "idlgen", "-q", str(SIMP / "simp.x"), "-o", str(work / "gen")])
        run(["make", "-s", "-C", str(ROOT / "bench" / "rpc"), f"OUT={work}"])
        table(work, {**os.environ, "PYTHONPATH": str(work / "gen")})
    finally:
        if rpcbind is not None:
            stop(rpcbind)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
