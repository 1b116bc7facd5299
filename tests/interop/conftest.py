"""Fixtures of the interop tests: generated packages (the idlgen CLI, as a user
runs it) and C servers built with rpcgen, stopped and unregistered after each test."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest
from interop_support import (
    EVERYTHING_PROG,
    EVERYTHING_X,
    HERE,
    SIMP_DIR,
    SIMP_PROG,
    SIMP_X,
    generate,
)
from peers import CServer, c_server


@pytest.fixture(scope="module")
def simp(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generate(SIMP_X, tmp_path_factory.mktemp("gen-simp"))


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generate(EVERYTHING_X, tmp_path_factory.mktemp("gen-everything"))


# C servers live for one test: a Python server of the same program must not meet them.
@pytest.fixture
def c_simp_server(rpcbind: str, rpcgen_build) -> Iterator[CServer]:
    exe = rpcgen_build(SIMP_X, "simp_server", [SIMP_DIR / "simp_server.c"], role="server")
    with c_server([str(exe)], SIMP_PROG, versions=(1,)) as server:
        yield server


@pytest.fixture
def c_everything_server(rpcbind: str, rpcgen_build) -> Iterator[CServer]:
    exe = rpcgen_build(
        EVERYTHING_X, "everything_server", [HERE / "everything_server.c"], role="server"
    )
    with c_server([str(exe)], EVERYTHING_PROG, versions=(1, 2)) as server:
        yield server
