"""Fixtures of the ORB's own tests: a Python server ORB on 127.0.0.1 (an
ephemeral port) serving ``monservice.Service_i``, and client ORBs in every
byte order and GIOP version, all destroyed at the end."""

from __future__ import annotations

from collections.abc import Iterator

import monservice as M
import pytest
from idlgen_runtime.corba import CORBA
from orb_clients import CLIENTS, client_orb


@pytest.fixture(scope="module")
def server_orb() -> Iterator[CORBA.ORB]:
    orb = CORBA.ORB_init(["-ORBendPoint", "giop:tcp:127.0.0.1:0"], f"server-{id(object())}")
    poa = orb.resolve_initial_references("RootPOA")
    poa._get_the_POAManager().activate()
    yield orb
    orb.destroy()


@pytest.fixture(scope="module")
def servant(server_orb: CORBA.ORB) -> M.Service_i:
    s = M.Service_i()
    poa = server_orb.resolve_initial_references("RootPOA")
    poa.activate_object(s)
    return s


@pytest.fixture(scope="module")
def ior(server_orb: CORBA.ORB, servant: M.Service_i) -> str:
    poa = server_orb.resolve_initial_references("RootPOA")
    return server_orb.object_to_string(poa.servant_to_reference(servant))


@pytest.fixture(scope="session", autouse=True)
def _destroy_clients() -> Iterator[None]:
    yield
    for orb in CLIENTS.values():
        orb.destroy()


@pytest.fixture(params=["1.0", "1.1", "1.2"])
def giop(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["big", "little"])
def byte_order(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def proxy(ior: str, giop: str, byte_order: str) -> M.Service:
    orb = client_orb("-ORBmaxGIOPVersion", giop, "-ORBidlgenByteOrder", byte_order)
    p = orb.string_to_object(ior)._narrow(M.Service)
    assert p is not None
    return p
