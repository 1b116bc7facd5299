"""Shared fixtures: real peers on 127.0.0.1, started and stopped by the tests.

``rpcbind`` makes sure Debian's rpcbind answers on 127.0.0.1: if it does not,
it starts ``rpcbind -f -w`` itself (in the foreground, so it knows the pid; never
``-h``, which aborts on Debian) and stops that process at the end of the session.
``rpcgen_build`` builds C programs from a .x with rpcgen, gcc and libtirpc,
once per session. With ``CI=true`` a missing peer fails the test; elsewhere it
skips with the reason, so a developer without root still runs everything else.
C servers are started with ``peers.c_server``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

import pytest
from peers import HOST, need, rpcbind_answers, stop

TIRPC = ("-I/usr/include/tirpc",)


@pytest.fixture(scope="session")
def rpcbind() -> Iterator[str]:
    """The host where rpcbind answers: 127.0.0.1."""
    proc = None
    if not rpcbind_answers():
        need(shutil.which("rpcinfo") is not None, "rpcinfo is not installed (make deps)")
        need(shutil.which("rpcbind") is not None, "rpcbind is not installed (make deps)")
        need(os.geteuid() == 0, "rpcbind is not running and starting it needs root (port 111)")
        proc = subprocess.Popen(
            ["rpcbind", "-f", "-w"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 10
        while not rpcbind_answers() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if not rpcbind_answers():
            stop(proc)
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            need(False, f"rpcbind -f -w did not start: {err.strip() or 'no answer'}")
    try:
        yield HOST
    finally:
        if proc is not None:
            stop(proc)


class RpcgenBuild(Protocol):
    def __call__(
        self,
        x_file: Path,
        exe: str,
        sources: Sequence[Path],
        *,
        role: str,
        flags: Sequence[str] = ("-N",),
    ) -> Path: ...


def _run(cmd: list[str], cwd: Path) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(
            f"build step failed in {cwd}: {' '.join(cmd)}\n{done.stdout}{done.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def rpcgen_build(tmp_path_factory: pytest.TempPathFactory) -> RpcgenBuild:
    """``rpcgen_build(x_file, exe, sources, role=...)`` → the path of a built program.

    ``role`` picks rpcgen's part: "server" (``-m`` dispatch, no main), "client"
    (``-l`` stubs) or "xdr" (routines only). ``sources`` are ours: ``.c`` files
    compiled with ``-Wall -Wextra -Werror``, headers copied next to them;
    rpcgen's own output is compiled without warnings. Cached per session.
    """
    for tool in ("rpcgen", "gcc"):
        need(shutil.which(tool) is not None, f"{tool} is not installed (make deps)")
    need(Path("/usr/include/tirpc/rpc/rpc.h").exists(), "libtirpc-dev is not installed (make deps)")
    root = tmp_path_factory.mktemp("rpcgen")
    built: dict[tuple[str, str, tuple[str, ...]], Path] = {}
    generated: dict[tuple[str, tuple[str, ...]], Path] = {}

    def generate(x_file: Path, flags: Sequence[str]) -> Path:
        key = (str(x_file.resolve()), tuple(flags))
        if key not in generated:
            work = root / f"{x_file.stem}-{len(generated)}"
            work.mkdir()
            shutil.copy(x_file, work / x_file.name)
            stem = x_file.stem
            for part, out in (("-h", ".h"), ("-c", "_xdr.c"), ("-m", "_svc.c"), ("-l", "_clnt.c")):
                _run(["rpcgen", *flags, part, "-o", stem + out, x_file.name], work)
            for part in ("_xdr", "_svc", "_clnt"):
                _run(["gcc", "-O2", "-w", *TIRPC, "-I.", "-c", stem + part + ".c"], work)
            generated[key] = work
        return generated[key]

    def build(
        x_file: Path,
        exe: str,
        sources: Sequence[Path],
        *,
        role: str,
        flags: Sequence[str] = ("-N",),
    ) -> Path:
        if role not in ("server", "client", "xdr"):
            raise ValueError(f"role must be server, client or xdr, not {role!r}")
        key = (str(x_file.resolve()), exe, tuple(flags))
        if key in built:
            return built[key]
        work = generate(x_file, flags)
        stem = x_file.stem
        objects = [stem + "_xdr.o"] + {
            "server": [stem + "_svc.o"],
            "client": [stem + "_clnt.o"],
        }.get(role, [])
        for source in sources:
            shutil.copy(source, work / source.name)
        for source in sources:
            if source.suffix == ".c":
                _run(
                    ["gcc", "-O2", "-Wall", "-Wextra", "-Werror", *TIRPC, "-I.", "-c", source.name],
                    work,
                )
                objects.append(source.with_suffix(".o").name)
        _run(["gcc", "-o", exe, *objects, "-ltirpc"], work)
        built[key] = work / exe
        return built[key]

    return build
