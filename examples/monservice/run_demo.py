"""`make demo`: the classic MonService example, end to end, against omniORB C++.

1. idlgen compiles monservice.idl into Python packages (in a temporary gen/);
2. omniidl -bcxx + g++ build the C++ server and client from the same file;
3. client.py calls the C++ server, by its IOR file and by name through omniNames;
4. the C++ client calls server.py (the classic servant) by its IOR file.

Everything listens on 127.0.0.1; every process it starts is stopped by its pid;
the exit status is 1 on any failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
ENDPOINT = ["-ORBendPoint", f"giop:tcp:{HOST}:0"]
LIBS = ["-lomniORB4", "-lomnithread", "-lCOS4", "-lomniDynamic4"]


class DemoFailed(Exception):
    """A step went wrong; the message says which and why."""


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise DemoFailed(f"{' '.join(cmd)} exited with {out.returncode}\n{out.stdout}{out.stderr}")
    return (out.stdout + out.stderr).rstrip()


def wait_for(ready: Callable[[], bool], what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while not ready():
        if proc.poll() is not None:
            raise DemoFailed(f"{what}: the process exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise DemoFailed(f"{what}: timed out")
        time.sleep(0.05)


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def answers(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=1).close()
    except OSError:
        return False
    return True


def demo(work: Path) -> None:
    gen, cxx = work / "gen", work / "cxx"
    cxx.mkdir()
    step("idlgen monservice.idl -o gen/")
    idlgen = [sys.executable, "-m", "idlgen", str(HERE / "monservice.idl"), "-o", str(gen)]
    print(run(idlgen, work))
    print("\n".join(sorted(str(p.relative_to(gen)) for p in gen.rglob("*.py"))))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(gen), os.environ.get("PYTHONPATH", "")]),
    }

    step("omniidl -bcxx monservice.idl; g++ the C++ server and client")
    for f in ("monservice.idl", "monservice_server.cc", "monservice_client.cc"):
        shutil.copy(HERE / f, cxx / f)
    run(["omniidl", "-bcxx", "-Wba", "monservice.idl"], cxx)
    for prog in ("monservice_server", "monservice_client"):
        sk = ["monserviceSK.cc", "monserviceDynSK.cc"]
        run(["g++", "-O2", "-o", prog, f"{prog}.cc", *sk, *LIBS], cxx)
        print(f"built {prog}")

    port = free_port()
    naming = f"NameService=corbaloc::{HOST}:{port}/NameService"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        step(f"omniNames on {HOST}:{port}")
        names = subprocess.Popen(
            ["omniNames", "-start", str(port), "-always", "-datadir", str(work), "-nohostname",
             "-ORBendPoint", f"giop:tcp:{HOST}:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        procs.append(names)
        wait_for(lambda: answers(port), "omniNames", names)

        step("C++ server (IOR in cxx/id_service.txt, bound as 'MonService' in omniNames)")
        ior_file = cxx / "id_service.txt"
        server = subprocess.Popen(
            [str(cxx / "monservice_server"), str(ior_file), "MonService",
             "-ORBInitRef", naming, *ENDPOINT],
            cwd=cxx,
        )  # fmt: skip
        procs.append(server)
        wait_for(ior_file.exists, "the C++ server", server)

        step("python client.py IOR  -> C++ server")
        client = [sys.executable, str(HERE / "client.py")]
        print(run([*client, ior_file.read_text().strip()], work, env))
        step(f"python client.py corbaname::{HOST}:{port}#MonService  -> C++ server, by name")
        print(run([*client, f"corbaname::{HOST}:{port}#MonService"], work, env))
        stop(server)

        step("python server.py (the classic servant; IOR in id_service.txt)")
        py_ior = work / "id_service.txt"
        py_server = subprocess.Popen(
            [sys.executable, str(HERE / "server.py"), *ENDPOINT], cwd=work, env=env
        )
        procs.append(py_server)
        wait_for(lambda: py_ior.exists() and py_ior.stat().st_size > 0, "server.py", py_server)
        step("C++ monservice_client IOR  -> Python server")
        print(run([str(cxx / "monservice_client"), py_ior.read_text().strip()], work))
        step("python client.py (reads id_service.txt)  -> Python server")
        print(run(client, work, env))
    finally:
        for proc in reversed(procs):
            stop(proc)


def main() -> int:
    for tool in ("omniidl", "g++", "omniNames"):
        if shutil.which(tool) is None:
            print(f"demo needs {tool}: run `make deps` (Debian: omniidl omniorb-nameserver g++)")
            return 1
    work = Path(tempfile.mkdtemp(prefix="monservice-demo-"))
    try:
        demo(work)
    except DemoFailed as exc:
        print(f"\n== demo FAILED: {exc}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n== demo passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
