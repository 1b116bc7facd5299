"""`make demo`: the classic Sun RPC example, end to end, against the real thing.

1. idlgen compiles simp.x into a Python package (in a temporary gen/);
2. rpcgen + gcc + libtirpc build the C server and client from the same file;
3. rpcbind answers on 127.0.0.1 (started if needed, stopped afterwards if we did);
4. py_client.py calls the C server, found through rpcbind, over TCP and UDP;
5. the C client calls py_server.py, registered with rpcbind (`rpcinfo -p` shows it).

Every process it starts is stopped by its pid; the exit status is 1 on any failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROG, VERS = 555555555, 1
TIRPC = ["-I/usr/include/tirpc"]


class DemoFailed(Exception):
    """A step went wrong; the message says which and why."""


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=60
    )
    if out.returncode != 0:
        raise DemoFailed(f"{' '.join(cmd)} exited with {out.returncode}\n{out.stdout}{out.stderr}")
    return (out.stdout + out.stderr).rstrip()


def rpcinfo() -> str | None:
    """`rpcinfo -p 127.0.0.1`, or None when rpcbind does not answer."""
    try:
        out = subprocess.run(
            ["rpcinfo", "-p", "127.0.0.1"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


def simp_lines() -> list[str]:
    return [line for line in (rpcinfo() or "").splitlines() if line.split()[:1] == [str(PROG)]]


def wait_for(condition, what: str, proc: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise DemoFailed(f"{what}: the process exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise DemoFailed(f"{what}: timed out")
        time.sleep(0.05)


def registered() -> bool:
    return {tuple(line.split()[1:3]) for line in simp_lines()} >= {("1", "tcp"), ("1", "udp")}


def stop(proc: subprocess.Popen[str] | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def build_c(work: Path) -> None:
    shutil.copy(HERE / "simp.x", work)
    for part, out in (("-h", "simp.h"), ("-c", "simp_xdr.c"), ("-m", "simp_svc.c")):
        run(["rpcgen", "-N", part, "-o", out, "simp.x"], cwd=work)
    run(["rpcgen", "-N", "-l", "-o", "simp_clnt.c", "simp.x"], cwd=work)
    for exe, stub in (("simp_server", "simp_svc.c"), ("simp_client", "simp_clnt.c")):
        ours = str(HERE / f"{exe}.c")
        run(["gcc", "-O2", "-Wall", *TIRPC, "-I.", "-o", exe, stub, "simp_xdr.c", ours, "-ltirpc"])
        print(f"built {exe} from simp.x and {exe}.c")


def demo(work: Path, procs: list[subprocess.Popen[str]]) -> None:
    step("idlgen simp.x -o gen/")
    print(run([sys.executable, "-m", "idlgen", str(HERE / "simp.x"), "-o", str(work / "gen")]))
    env = {**os.environ, "PYTHONPATH": str(work / "gen")}

    step("rpcgen + gcc + libtirpc: the C server and client from the same simp.x")
    os.chdir(work)
    build_c(work)

    step("Python client → C server, found through rpcbind")
    subprocess.run(["rpcinfo", "-d", str(PROG), str(VERS)], capture_output=True, check=False)
    c_server = subprocess.Popen([str(work / "simp_server")], stderr=subprocess.DEVNULL, text=True)
    procs.append(c_server)
    wait_for(registered, "the C server registering with rpcbind", c_server)
    print("\n".join(simp_lines()))
    for transport in ("tcp", "udp"):
        print(f"$ python py_client.py 127.0.0.1 {transport}")
        print(run([sys.executable, str(HERE / "py_client.py"), "127.0.0.1", transport], env=env))
    stop(c_server)
    run(["rpcinfo", "-d", str(PROG), str(VERS)])  # rpcgen's servers never unregister

    step("C client → Python server, registered with rpcbind")
    py_server = subprocess.Popen(
        [sys.executable, str(HERE / "py_server.py")], env=env, stdout=subprocess.PIPE, text=True
    )
    procs.append(py_server)
    wait_for(registered, "the Python server registering with rpcbind", py_server)
    print("$ rpcinfo -p 127.0.0.1")
    print((rpcinfo() or "").splitlines()[0])
    print("\n".join(simp_lines()))
    for transport in ("tcp", "udp"):
        print(f"$ simp_client 127.0.0.1 {transport}")
        print(run([str(work / "simp_client"), "127.0.0.1", transport]))
    stop(py_server)
    if py_server.returncode != 0:
        raise DemoFailed(f"the Python server exited with {py_server.returncode}")
    wait_for(lambda: not simp_lines(), "the Python server unregistering")
    print("the Python server stopped on SIGTERM and unregistered: rpcinfo no longer lists it")


def main() -> int:
    missing = [tool for tool in ("rpcgen", "gcc", "rpcinfo") if shutil.which(tool) is None]
    if missing or not Path("/usr/include/tirpc/rpc/rpc.h").exists():
        print(f"demo needs rpcgen, gcc, rpcinfo and libtirpc-dev (make deps); missing: {missing}")
        return 1
    work = Path(tempfile.mkdtemp(prefix="idlgen-demo-"))
    procs: list[subprocess.Popen[str]] = []
    cwd = os.getcwd()
    try:
        if rpcinfo() is None:
            step("starting rpcbind -f -w (stopped again at the end)")
            if os.geteuid() != 0 or shutil.which("rpcbind") is None:
                print("rpcbind is not running; starting it needs root and rpcbind (make deps)")
                return 1
            rpcbind = subprocess.Popen(["rpcbind", "-f", "-w"], text=True)
            procs.insert(0, rpcbind)  # stopped last
            wait_for(lambda: rpcinfo() is not None, "rpcbind answering", rpcbind)
        demo(work, procs)
        step("demo passed")
        return 0
    except DemoFailed as exc:
        print(f"\ndemo FAILED: {exc}")
        return 1
    finally:
        os.chdir(cwd)
        for proc in reversed(procs):
            stop(proc)
        if simp_lines():
            subprocess.run(["rpcinfo", "-d", str(PROG), str(VERS)], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
