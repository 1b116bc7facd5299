"""CORBA calls per second over loopback, and compile time of the omniORB IDL corpus.

Calls: ``doubler_long`` of examples/monservice, best of 3 runs of N calls each,
both processes pinned to core 0 (``taskset -c 0``; unpinned rates swing
several-fold on a 2-core machine, FIELD-NOTES), then unpinned for reference:
  C++ client → C++ server             the reference (omniORB 4.2, -O2)
  Python client → C++ server          the generated stub; goal ≥ 0.8× the C++ client
  C++ client → Python server          the classic server.py; goal ≥ 0.5× vs the C++ server
The C++ peers are examples/monservice/*.cc, built with ``omniidl -bcxx`` + g++.

Compile: every IDL file of Debian's omniorb-idl that omniidl accepts, with
``-I`` the corpus root and COS/: ``idlgen`` (one process, all files, one
output folder) vs ``omniidl -bcxx`` (one process per file, as it takes one
file), wall and CPU seconds.

    .venv/bin/python bench/corba/bench_calls.py      (BENCH_CORBA_CALLS=N to change N)
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "interop" / "corba"))
from corba_peers import MONSERVICE, build_peers, missing_tools, running  # noqa: E402

N = int(os.environ.get("BENCH_CORBA_CALLS", "20000"))
CORPUS = Path("/usr/share/idl/omniORB")

PY_CLIENT = """
import sys, time
from idlgen_runtime.corba import CORBA
import MonService
orb = CORBA.ORB_init(["bench"], CORBA.ORB_ID)
proxy = orb.string_to_object(sys.argv[1])._narrow(MonService.Service)
n = int(sys.argv[2])
call = proxy.doubler_long
call(1)  # connect first, as the C++ client does
start = time.perf_counter()
for i in range(n):
    call(i)
took = time.perf_counter() - start
if call(21) != 42:
    raise SystemExit("wrong result")
print("calls/s", round(n / took))
"""


def rate(cmd: list[str], pin: bool) -> float:
    """The best of 3 runs of a client that prints ``calls/s N``; NaN when all failed."""
    rates = []
    for _ in range(3):
        prefix = ["taskset", "-c", "0"] if pin else []
        done = subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=300)
        words = done.stdout.split()
        if done.returncode == 0 and words[:1] == ["calls/s"]:
            rates.append(float(words[1]))
        else:
            print(f"  (a run failed: {(done.stderr or done.stdout).strip()[-200:]})")
    return max(rates, default=float("nan"))


def calls(work: Path) -> None:
    peers = build_peers(work / "cxx", ["monservice_server", "monservice_client"])
    gen = work / "gen"
    subprocess.run(
        [sys.executable, "-m", "idlgen", "-q", str(MONSERVICE / "monservice.idl"), "-o", str(gen)],
        check=True,
    )
    os.environ["PYTHONPATH"] = os.pathsep.join([str(gen), os.environ.get("PYTHONPATH", "")])
    cxx_client = [str(peers["monservice_client"])]
    py_client = [sys.executable, "-c", PY_CLIENT]
    cxx_server = [str(peers["monservice_server"]), str(work / "cxx.ior")]
    py_server = [sys.executable, str(MONSERVICE / "server.py")]
    pins = ([True] if shutil.which("taskset") else []) + [False]
    print(f"CORBA doubler_long calls per second over loopback, N={N}, best of 3")
    head = f"{'mode':<10}{'C++→C++':>10}{'Py→C++':>10}{'ratio':>8}{'C++→Py':>10}{'ratio':>8}"
    print(head)
    for pin in pins:
        prefix = ["taskset", "-c", "0"] if pin else []
        with running(cxx_server, work / "cxx.ior", prefix) as ior:
            cc = rate([*cxx_client, ior, str(N)], pin)
            pc = rate([*py_client, ior, str(N)], pin)
        (work / "py").mkdir(exist_ok=True)
        with running(py_server, work / "py" / "id_service.txt", prefix, cwd=work / "py") as ior:
            cp = rate([*cxx_client, ior, str(N)], pin)
        mode = "pinned" if pin else "unpinned"
        print(f"{mode:<10}{cc:>10.0f}{pc:>10.0f}{pc / cc:>8.2f}{cp:>10.0f}{cp / cc:>8.2f}")
    print("goals: Py→C++ ≥ 0.8× C++→C++; C++→Py ≥ 0.5× C++→C++ (pinned)")


def timed(cmds: list[list[str]], cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + system, children) seconds of running ``cmds`` in turn."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for cmd in cmds:
        subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compile_times(work: Path) -> None:
    includes = [f"-I{CORPUS}", f"-I{CORPUS / 'COS'}"]
    files = sorted(CORPUS.rglob("*.idl"))
    probe = work / "probe"
    probe.mkdir()
    accepted = [
        f for f in files
        if subprocess.run(["omniidl", "-bcxx", *includes, str(f)], cwd=probe,
                          capture_output=True).returncode == 0
    ]  # fmt: skip
    omni_out, idlgen_out = work / "omniidl-out", work / "idlgen-out"
    omni_out.mkdir()
    omniidl = [["omniidl", "-bcxx", *includes, str(f)] for f in accepted]
    idlgen = [[sys.executable, "-m", "idlgen", "-q", *includes, *map(str, accepted),
               "-o", str(idlgen_out)]]  # fmt: skip
    o_wall, o_cpu = min(timed(omniidl, omni_out) for _ in range(2))
    i_wall, i_cpu = min(timed(idlgen, work) for _ in range(2))
    counted = f"{len(accepted)} of {len(files)} files (omniidl's verdict)"
    print(f"\nCompile the omniorb-idl corpus: {counted}")
    print(f"{'':<34}{'wall s':>8}{'CPU s':>8}")
    print(f"{'omniidl -bcxx (a process per file)':<34}{o_wall:>8.2f}{o_cpu:>8.2f}")
    print(f"{'idlgen (one process, all files)':<34}{i_wall:>8.2f}{i_cpu:>8.2f}")
    print(f"{'ratio idlgen / omniidl':<34}{i_wall / o_wall:>8.2f}{i_cpu / o_cpu:>8.2f}")


def main() -> int:
    missing = missing_tools()
    if missing is not None:
        print(f"corba bench skipped: {missing}")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-corba-") as tmp:
        work = Path(tmp)
        calls(work)
        if CORPUS.is_dir():
            compile_times(work)
        else:
            print("omniorb-idl is not installed: no compile-time table")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
