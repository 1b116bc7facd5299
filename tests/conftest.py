"""Shared fixtures: real peers on 127.0.0.1, started and stopped by the tests.

``rpcbind`` makes sure Debian's rpcbind answers on 127.0.0.1 (starting it with
``rpcbind -w`` if needed, stopping it afterwards only if we started it).
``build_rpcgen`` builds C programs from a .x with rpcgen, gcc and libtirpc.
With ``CI=true`` a missing peer fails the test; elsewhere it skips with the
reason, so a developer without root still runs everything else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from peers import need, rpcbind_answers


@pytest.fixture(scope="session")
def rpcbind() -> Iterator[str]:
    """The host where rpcbind answers (127.0.0.1)."""
    started = False
    if not rpcbind_answers():
        need(shutil.which("rpcbind") is not None, "rpcbind is not installed (make deps)")
        need(os.geteuid() == 0, "starting rpcbind needs root (port 111)")
        # `-h 127.0.0.1` aborts on Debian 12 (FIELD-NOTES); -w keeps state across restarts.
        subprocess.run(["rpcbind", "-w"], check=False, capture_output=True)
        for _ in range(50):
            if rpcbind_answers():
                break
            time.sleep(0.1)
        need(rpcbind_answers(), "rpcbind did not start")
        started = True
    yield "127.0.0.1"
    if started:
        subprocess.run(["pkill", "-x", "rpcbind"], check=False)


@pytest.fixture(scope="session")
def rpcgen_build(tmp_path_factory) -> Iterator[object]:
    """``rpcgen_build(x_file, name, main_c_files, server=True)`` → path of a built C program."""
    need(
        shutil.which("rpcgen") is not None and shutil.which("gcc") is not None,
        "rpcgen and gcc needed (make deps)",
    )
    need(Path("/usr/include/tirpc/rpc/rpc.h").exists(), "libtirpc-dev needed (make deps)")
    root = tmp_path_factory.mktemp("rpcgen")
    built: dict[tuple[str, str], Path] = {}

    def build(
        x_file: Path, name: str, sources: list[Path], *, role: str, flags: tuple[str, ...] = ("-N",)
    ) -> Path:
        key = (str(x_file), name)
        if key in built:
            return built[key]
        work = root / name
        work.mkdir()
        shutil.copy(x_file, work / x_file.name)
        stem = x_file.stem
        subprocess.run(
            ["rpcgen", *flags, "-h", "-o", f"{stem}.h", x_file.name], cwd=work, check=True
        )
        subprocess.run(
            ["rpcgen", *flags, "-c", "-o", f"{stem}_xdr.c", x_file.name], cwd=work, check=True
        )
        gen = [f"{stem}_xdr.c"]
        if role == "server":
            subprocess.run(
                ["rpcgen", *flags, "-m", "-o", f"{stem}_svc.c", x_file.name], cwd=work, check=True
            )
            gen.append(f"{stem}_svc.c")
        else:
            subprocess.run(
                ["rpcgen", *flags, "-l", "-o", f"{stem}_clnt.c", x_file.name], cwd=work, check=True
            )
            gen.append(f"{stem}_clnt.c")
        for s in sources:
            shutil.copy(s, work / s.name)
        cmd = [
            "gcc",
            "-O2",
            "-I/usr/include/tirpc",
            "-I.",
            "-o",
            name,
            *gen,
            *(s.name for s in sources),
            "-ltirpc",
        ]
        subprocess.run(cmd, cwd=work, check=True, capture_output=True)
        built[key] = work / name
        return built[key]

    yield build
