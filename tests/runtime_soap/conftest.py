"""Servers for the SOAP runtime tests: the hand-written Calculator (soap_calc.py) served
by the runtime's threaded stdlib server on 127.0.0.1, on a free port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import soap_calc as calc
from idlgen_runtime.soap import server as srv


@pytest.fixture
def calc_server() -> Iterator[str]:
    """The address of a running Calculator server (stopped after the test)."""
    server = srv.serve_in_thread(calc.Impl(), port=0)
    try:
        yield f"http://127.0.0.1:{server.server_port}/calc"
    finally:
        server.shutdown()
        server.server_close()
