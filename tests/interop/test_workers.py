"""serve(..., workers=2) behind Debian's rpcbind: one registration, the C client
(rpcgen + libtirpc) finds it and is served; SIGTERM stops every worker and removes
the registration."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from interop_support import SIMP_DIR, SIMP_PROG, SIMP_X
from peers import registrations, stop, unregister, wait_unregistered

pytestmark = pytest.mark.interop

SERVER = """
import sys
sys.path.insert(0, sys.argv[1])
import simp

class Simp(simp.server.SIMP_PROG.SIMP_VERSION):
    def ADD(self, arg):
        return arg.x + arg.y

    def SUB(self, arg):
        return arg.x - arg.y

Simp().serve("127.0.0.1", 0, register=True, workers=2,
             on_ready=lambda port: print(port, flush=True))
"""


def test_c_client_calls_two_python_workers_registered_once(simp, rpcbind, rpcgen_build):
    client = rpcgen_build(SIMP_X, "simp_client", [SIMP_DIR / "simp_client.c"], role="client")
    unregister(SIMP_PROG, (1,))
    gen = str(Path(simp.__file__).parents[1])
    proc = subprocess.Popen([sys.executable, "-c", SERVER, gen], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        listed = registrations()
        assert listed.get((SIMP_PROG, 1, "tcp")) == port
        assert listed.get((SIMP_PROG, 1, "udp")) == port
        for _ in range(4):
            for transport in ("tcp", "udp"):
                out = subprocess.run(
                    [str(client), rpcbind, transport], capture_output=True, text=True, timeout=30
                )
                assert out.returncode == 0, out.stdout + out.stderr
                assert out.stdout.splitlines() == ["ADD(3, 4) = 7", "SUB(3, 4) = -1"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        assert wait_unregistered(SIMP_PROG), "still registered after SIGTERM"
    finally:
        stop(proc)
        unregister(SIMP_PROG, (1,))
