"""`make demo`: the classic Sun RPC example, end to end, against the real thing.

1. idlgen compiles simp.x into a Python package;
2. rpcgen + gcc + libtirpc build the C server and client from the same file;
3. rpcbind runs on 127.0.0.1 (started if needed, stopped afterwards if we did);
4. the Python client calls the C server, found through rpcbind, over TCP and UDP;
5. the C client calls a Python server registered with rpcbind (`rpcinfo -p` shows it).

Every process it starts is stopped; the exit status is non-zero on any failure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROG, VERS = 555555555, 1


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run(cmd: list[str], cwd: Path | None = None) -> str:
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stdout}{out.stderr}")
    return out.stdout


def rpcbind_answers() -> bool:
    return (
        subprocess.run(["rpcinfo", "-p", "127.0.0.1"], capture_output=True, check=False).returncode
        == 0
    )


def build_c(work: Path) -> None:
    shutil.copy(HERE / "simp.x", work)
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
            "simp_server",
            "simp_svc.c",
            "simp_xdr.c",
            str(HERE / "simp_server.c"),
            "-ltirpc",
        ],
        cwd=work,
    )
    run(
        [
            *cc,
            "-o",
            "simp_client",
            "simp_clnt.c",
            "simp_xdr.c",
            str(HERE / "simp_client.c"),
            "-ltirpc",
        ],
        cwd=work,
    )


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="idlgen-demo-"))
    started_rpcbind = False
    c_server = None
    try:
        step("idlgen simp.x -o gen/")
        print(
            run(
                [sys.executable, "-m", "idlgen", str(HERE / "simp.x"), "-o", str(work / "gen")]
            ).strip()
            or "ok"
        )
        sys.path.insert(0, str(work / "gen"))
        import simp  # the generated package

        step("rpcgen + gcc: the C server and client")
        build_c(work)
        print("built simp_server and simp_client")

        if not rpcbind_answers():
            step("starting rpcbind")
            subprocess.run(["rpcbind", "-w"], check=False)
            for _ in range(50):
                if rpcbind_answers():
                    break
                time.sleep(0.1)
            started_rpcbind = True

        step("Python client → C server (through rpcbind)")
        c_server = subprocess.Popen([str(work / "simp_server")], stderr=subprocess.DEVNULL)
        for _ in range(100):
            if f"{PROG}" in run(["rpcinfo", "-p", "127.0.0.1"]):
                break
            time.sleep(0.05)
        for transport in ("tcp", "udp"):
            with simp.client.SIMP_PROG.SIMP_VERSION.connect("127.0.0.1", transport=transport) as c:
                total = c.ADD(simp.types.operands(x=3, y=4))
                diff = c.SUB(simp.types.operands(x=3, y=4))
            print(f"{transport}: ADD(3, 4) = {total}, SUB(3, 4) = {diff}")
            if (total, diff) != (7, -1):
                raise SystemExit("wrong answer from the C server")
        c_server.terminate()
        c_server.wait(5)
        c_server = None
        run(["rpcinfo", "-d", str(PROG), str(VERS)])

        step("C client → Python server (registered with rpcbind)")
        from idlgen_runtime.oncrpc import RpcServer

        class Simp(simp.server.SIMP_PROG.SIMP_VERSION):
            def ADD(self, arg: simp.types.operands) -> int:
                return arg.x + arg.y

            def SUB(self, arg: simp.types.operands) -> int:
                return arg.x - arg.y

        server = RpcServer([Simp()], register=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            print("rpcinfo -p 127.0.0.1:")
            print(
                "".join(
                    line + "\n"
                    for line in run(["rpcinfo", "-p", "127.0.0.1"]).splitlines()
                    if str(PROG) in line or "program" in line
                ),
                end="",
            )
            for transport in ("tcp", "udp"):
                print(
                    f"{transport}: "
                    + run([str(work / "simp_client"), "127.0.0.1", transport])
                    .replace("\n", "  ")
                    .strip()
                )
        finally:
            server.shutdown()
            thread.join(5)
        print(
            "\nthe Python server unregistered on shutdown:",
            str(PROG) not in run(["rpcinfo", "-p", "127.0.0.1"]),
        )
        step("demo passed")
        return 0
    finally:
        if c_server is not None:
            c_server.kill()
            subprocess.run(
                ["rpcinfo", "-d", str(PROG), str(VERS)], capture_output=True, check=False
            )
        if started_rpcbind:
            subprocess.run(["pkill", "-x", "rpcbind"], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
