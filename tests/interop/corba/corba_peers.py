"""omniORB C++ peers for the CORBA interop tests, the example and the bench.

``build_peers`` compiles the C++ programs of this folder with ``omniidl -bcxx``
and g++ (link flags as FIELD-NOTES gives them) into a folder, once; ``running``
starts one on 127.0.0.1, waits for the IOR file it writes, and stops it by pid;
``omninames`` does the same for a naming service on a free port.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The MonService example's folder: its IDL and C++ peers are the tests' too.
MONSERVICE = HERE.parents[2] / "examples" / "monservice"
HOST = "127.0.0.1"
#: Program → (its IDL, its sources); from this folder or the example's.
PROGRAMS = {
    "monservice_server": (MONSERVICE / "monservice.idl", [MONSERVICE / "monservice_server.cc"]),
    "monservice_client": (MONSERVICE / "monservice.idl", [MONSERVICE / "monservice_client.cc"]),
    "everything_server": (HERE / "everything.idl", [HERE / "everything_server.cc"]),
    "everything_client": (HERE / "everything.idl", [HERE / "everything_client.cc"]),
}
LIBS = ["-lomniORB4", "-lomnithread", "-lCOS4", "-lomniDynamic4"]


def missing_tools() -> str | None:
    """What is missing to build the peers (None: nothing)."""
    for tool in ("omniidl", "g++"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (make deps)"
    if not Path("/usr/include/omniORB4/CORBA.h").exists():
        return "libomniorb4-dev is not installed (make deps)"
    return None


def build_peers(out: Path, names: Sequence[str] = tuple(PROGRAMS)) -> dict[str, Path]:
    """Compile the C++ peers ``names`` into ``out`` (skipping those already built)."""
    out.mkdir(parents=True, exist_ok=True)
    built: dict[str, Path] = {}
    for name in names:
        idl, sources = PROGRAMS[name]
        exe = out / name
        if not exe.exists():
            for f in [idl, *sources, HERE / "everything_known.h"]:
                shutil.copy(f, out / f.name)
            stem = idl.stem
            if not (out / f"{stem}SK.cc").exists():
                subprocess.run(["omniidl", "-bcxx", "-Wba", idl.name], cwd=out, check=True)
            cmd = ["g++", "-O2", "-o", name, *(f.name for f in sources)]
            cmd += [f"{stem}SK.cc", f"{stem}DynSK.cc", *LIBS]
            subprocess.run(cmd, cwd=out, check=True, capture_output=True)
        built[name] = exe
    return built


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a peer by its pid: SIGTERM, then SIGKILL after 5 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextmanager
def running(
    argv: Sequence[str], ior_file: Path, prefix: Sequence[str] = (), cwd: Path | None = None
) -> Iterator[str]:
    """Run a server listening on 127.0.0.1 until its IOR file appears; yields the IOR.

    ``prefix`` goes before the command (``taskset -c 0``).
    """
    ior_file.unlink(missing_ok=True)
    cmd = [*prefix, *argv, "-ORBendPoint", f"giop:tcp:{HOST}:0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    try:
        deadline = time.monotonic() + 15
        while not ior_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read() if proc.stderr else b""
                raise RuntimeError(f"{argv[0]} did not start: {err!r}")
            time.sleep(0.02)
        yield ior_file.read_text().strip()
    finally:
        stop(proc)


@contextmanager
def omninames() -> Iterator[int]:
    """omniNames on a free port of 127.0.0.1, its data in a temporary folder."""
    port = free_port()
    datadir = tempfile.mkdtemp(prefix="omninames-")
    cmd = ["omniNames", "-start", str(port), "-always", "-datadir", datadir, "-nohostname",
           "-ORBendPoint", f"giop:tcp:{HOST}:{port}"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("omniNames did not start") from None
                time.sleep(0.05)
        yield port
    finally:
        stop(proc)
        shutil.rmtree(datadir, ignore_errors=True)
