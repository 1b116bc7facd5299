"""Calls per second over loopback: the generated client and server against C rpcgen.

Rows, TCP and UDP, each the best of 3 runs of N ADD calls:
  C client → C server              the reference
  generated Python client → C server   goal ≥ 0.75× the C client
  C client → generated Python server   goal ≥ 0.5× its rate against the C server
Unpinned rates swing on a 2-core machine (FIELD-NOTES); the pinned rows run
both processes on core 0 (`taskset -c 0`), which is steadier.

    .venv/bin/python bench/bench_rpc.py          (needs root for rpcbind, or rpcbind running)
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
PROG = 555555555

PY_CLIENT = """
import sys, time
sys.path.insert(0, sys.argv[1])
import simp
with simp.client.SIMP_PROG.SIMP_VERSION.connect("127.0.0.1", transport=sys.argv[2]) as c:
    ops = simp.types.operands(0, 4)
    n = int(sys.argv[3])
    start = time.perf_counter()
    for i in range(n):
        ops.x = i
        if c.ADD(ops) != i + 4:
            raise SystemExit("wrong result")
    print(round(n / (time.perf_counter() - start)))
"""

PY_SERVER = """
import sys
sys.path.insert(0, sys.argv[1])
import simp
class Simp(simp.server.SIMP_PROG.SIMP_VERSION):
    def ADD(self, arg):
        return arg.x + arg.y
    def SUB(self, arg):
        return arg.x - arg.y
Simp().serve(register=True)
"""


def run(cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout


def registered() -> bool:
    return (
        str(PROG)
        in subprocess.run(["rpcinfo", "-p", "127.0.0.1"], capture_output=True, text=True).stdout
    )


def start(cmd, pin):
    proc = subprocess.Popen(
        (["taskset", "-c", "0"] if pin else []) + cmd, stderr=subprocess.DEVNULL
    )
    for _ in range(200):
        if registered():
            return proc
        time.sleep(0.05)
    raise SystemExit(f"server never registered: {cmd}")


def stop(proc):
    proc.terminate()
    proc.wait(10)
    subprocess.run(["rpcinfo", "-d", str(PROG), "1"], capture_output=True, check=False)


def rate(cmd, pin) -> float:
    best = 0.0
    for _ in range(3):
        out = run((["taskset", "-c", "0"] if pin else []) + cmd)
        best = max(best, float(out.strip()))
    return best


def main() -> None:
    needed = ("rpcgen", "gcc", "rpcinfo")
    if not all(shutil.which(t) for t in needed):
        print("rpc bench: needs rpcgen, gcc, rpcinfo (make deps)")
        return
    work = Path(tempfile.mkdtemp(prefix="idlgen-rpcbench-"))
    started = False
    if subprocess.run(["rpcinfo", "-p", "127.0.0.1"], capture_output=True).returncode != 0:
        subprocess.run(["rpcbind", "-w"], check=False)
        time.sleep(0.5)
        started = True
    try:
        run([sys.executable, "-m", "idlgen", "-q", str(SIMP / "simp.x"), "-o", str(work / "gen")])
        shutil.copy(SIMP / "simp.x", work)
        for flag, out in (
            ("-h", "simp.h"),
            ("-c", "simp_xdr.c"),
            ("-m", "simp_svc.c"),
            ("-l", "simp_clnt.c"),
        ):
            run(["rpcgen", "-N", flag, "-o", out, "simp.x"], cwd=work)
        cc = ["gcc", "-O2", "-I/usr/include/tirpc", "-I."]
        run(
            [
                *cc,
                "-o",
                "server",
                "simp_svc.c",
                "simp_xdr.c",
                str(SIMP / "simp_server.c"),
                "-ltirpc",
            ],
            cwd=work,
        )
        run(
            [
                *cc,
                "-o",
                "client",
                "simp_clnt.c",
                "simp_xdr.c",
                str(SIMP / "simp_client.c"),
                "-ltirpc",
            ],
            cwd=work,
        )
        c_client = [str(work / "client"), "127.0.0.1"]
        py_client = [sys.executable, "-c", PY_CLIENT, str(work / "gen")]
        pins = [False] + ([True] if shutil.which("taskset") else [])
        print(f"RPC calls per second over loopback, {N} ADD calls, best of 3")
        print(f"{'mode':<10}{'':<6}{'C→C':>10}{'Py→C':>10}{'ratio':>8}{'C→Py':>10}{'ratio':>8}")
        for pin in pins:
            for transport in ("tcp", "udp"):
                server = start([str(work / "server")], pin)
                try:
                    cc_rate = rate([*c_client, transport, str(N)], pin)
                    pc_rate = rate([*py_client, transport, str(N)], pin)
                finally:
                    stop(server)
                server = start([sys.executable, "-c", PY_SERVER, str(work / "gen")], pin)
                try:
                    cp_rate = rate([*c_client, transport, str(N)], pin)
                finally:
                    stop(server)
                mode = "pinned" if pin else "unpinned"
                print(
                    f"{mode:<10}{transport:<6}{cc_rate:>10.0f}"
                    f"{pc_rate:>10.0f}{pc_rate / cc_rate:>7.2f}×"
                    f"{cp_rate:>10.0f}{cp_rate / cc_rate:>7.2f}×"
                )
        print("goals: Py→C ≥ 0.75× C→C; C→Py ≥ 0.5× C→C")
    finally:
        if started:
            subprocess.run(["pkill", "-x", "rpcbind"], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
