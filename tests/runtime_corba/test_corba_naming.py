"""The CosNaming client against a real omniNames on 127.0.0.1 (started and
stopped by pid; with CI=true a missing omniNames fails)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import monservice as M
import pytest
from idlgen_runtime.corba import CORBA, CosNaming
from peers import HOST, need, stop

pytestmark = pytest.mark.interop


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def omninames() -> Iterator[int]:
    need(shutil.which("omniNames") is not None, "omniNames is not installed (make deps)")
    port = free_port()
    datadir = tempfile.mkdtemp(prefix="omninames-")
    ep = f"giop:tcp:{HOST}:{port}"
    proc = subprocess.Popen(
        ["omniNames", "-start", str(port), "-always", "-datadir", datadir, "-nohostname",
         "-ORBendPoint", ep],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        # ready when its root context answers (the port opens a little before)
        probe = CORBA.ORB_init(["-ORBclientCallTimeOutPeriod", "2000"], "omninames-probe")
        root = probe.string_to_object(f"corbaloc::{HOST}:{port}/NameService")
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    if not root._non_existent():
                        break
                except CORBA.SystemException:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read() if proc.stderr else b""
                    raise RuntimeError(f"omniNames did not start: {err!r}")
                time.sleep(0.05)
        finally:
            probe.destroy()
        yield port
    finally:
        stop(proc)
        shutil.rmtree(datadir, ignore_errors=True)


@pytest.fixture(scope="module")
def orb(omninames: int) -> Iterator[CORBA.ORB]:
    argv = ["prog", "-ORBInitRef", f"NameService=corbaloc::{HOST}:{omninames}/NameService",
            "-ORBclientCallTimeOutPeriod", "10000"]  # fmt: skip
    o = CORBA.ORB_init(argv, "naming-test")
    assert argv == ["prog"]  # the -ORB options were consumed
    o.resolve_initial_references("RootPOA")._get_the_POAManager().activate()
    yield o
    o.destroy()


def root(orb: CORBA.ORB) -> CosNaming.NamingContextExt:
    ctx = orb.resolve_initial_references("NameService")._narrow(CosNaming.NamingContextExt)
    assert ctx is not None
    return ctx


def test_bind_resolve_rebind_unbind(orb: CORBA.ORB, omninames: int) -> None:
    ns = root(orb)
    ref = M.Service_i()._this()
    sub = ns.bind_new_context(ns.to_name("apps.dir"))
    with pytest.raises(CosNaming.NamingContext.AlreadyBound):
        ns.bind_new_context(ns.to_name("apps.dir"))
    name = ns.to_name("apps.dir/mon.svc")
    ns.bind(name, ref)
    with pytest.raises(CosNaming.NamingContext.AlreadyBound):
        ns.bind(name, ref)
    got = ns.resolve_str("apps.dir/mon.svc")._narrow(M.Service)
    assert got is not None and got.doubler_long(21) == 42
    other = M.Service_i()._this()
    ns.rebind(name, other)
    assert ns.resolve(name)._is_equivalent(other)
    by_url = orb.string_to_object(f"corbaname::{HOST}:{omninames}#apps.dir/mon.svc")
    assert by_url._narrow(M.Service).doubler_str("u") == "uu"
    sub.unbind([CosNaming.NameComponent("mon", "svc")])
    with pytest.raises(CosNaming.NamingContext.NotFound) as info:
        ns.resolve(name)
    assert info.value.why == CosNaming.NamingContext.missing_node
    assert ns.to_string(info.value.rest_of_name) == "mon.svc"


def test_list_with_iterator(orb: CORBA.ORB) -> None:
    ns = root(orb)
    ctx = ns.bind_new_context(ns.to_name("many"))
    ref = M.Service_i()._this()
    for i in range(7):
        ctx.bind([CosNaming.NameComponent(f"o{i}", "")], ref)
    ctx.bind_context([CosNaming.NameComponent("sub", "ctx")], ctx.new_context())
    first, it = ctx.list(3)
    assert len(first) == 3 and it is not None
    rest: list[CosNaming.Binding] = []
    more = True
    while more:
        more, chunk = it.next_n(2)
        rest += chunk
    it.destroy()
    names = {ns.to_string(b.binding_name): b.binding_type for b in first + rest}
    assert names == {
        **{f"o{i}": CosNaming.nobject for i in range(7)},
        "sub.ctx": CosNaming.ncontext,
    }
    everything, none = ctx.list(100)
    assert len(everything) == 8 and none is None


def test_exceptions(orb: CORBA.ORB) -> None:
    ns = root(orb)
    with pytest.raises(CosNaming.NamingContext.InvalidName):
        ns.resolve([])
    with pytest.raises(CosNaming.NamingContext.NotFound):
        ns.resolve_str("no/such/thing")
    ctx = ns.bind_new_context(ns.to_name("full"))
    ctx.bind_new_context(ns.to_name("x"))
    with pytest.raises(CosNaming.NamingContext.NotEmpty):
        ctx.destroy()


def test_names_to_and_from_strings() -> None:
    n = CosNaming.to_name("a.b/c/d\\/e.f\\.g/.k")
    assert [(c.id, c.kind) for c in n] == [("a", "b"), ("c", ""), ("d/e", "f.g"), ("", "k")]
    assert CosNaming.to_string(n) == "a.b/c/d\\/e.f\\.g/.k"
    for bad in ("", "a//b", "a.b.c", "trailing\\"):
        with pytest.raises(CosNaming.InvalidName):
            CosNaming.to_name(bad)
