"""Real peers for the tests: a failure in CI, a skip elsewhere, when one is missing;
C processes started for a test and stopped (and unregistered) after it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest

IN_CI = os.environ.get("CI") == "true"


def need(condition: bool, reason: str) -> None:
    """Fail (in CI) or skip (elsewhere) when a real peer cannot be had."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: a missing peer is a failure)")
        pytest.skip(reason)


def rpcbind_answers() -> bool:
    try:
        return (
            subprocess.run(
                ["rpcinfo", "-p", "127.0.0.1"], capture_output=True, timeout=5
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


class Process:
    """A C peer started for a test; killed (and unregistered) when the test ends."""

    def __init__(
        self, args: list[str], prog: int | None = None, versions: tuple[int, ...] = ()
    ) -> None:
        self.prog, self.versions = prog, versions
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def wait_registered(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"peer exited early: {self.proc.communicate()}")
            out = subprocess.run(
                ["rpcinfo", "-p", "127.0.0.1"], capture_output=True, text=True
            ).stdout
            if re.search(rf"^\s*{self.prog}\s", out, re.M):
                return
            time.sleep(0.05)
        raise TimeoutError(f"program {self.prog} never registered with rpcbind")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for vers in self.versions:  # rpcgen's servers never unregister (FIELD-NOTES)
            subprocess.run(
                ["rpcinfo", "-d", str(self.prog), str(vers)], capture_output=True, check=False
            )
