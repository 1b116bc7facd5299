"""The POA: child POAs and policies, activation, POAManager states, location
forwarding, corbaloc through omniINSPOA, and many threads on one connection."""

from __future__ import annotations

import threading
import time

import monservice as M
import pytest
from idlgen_runtime.corba import CORBA, PortableServer
from orb_clients import client_orb


@pytest.fixture(scope="module")
def root(server_orb: CORBA.ORB) -> PortableServer.POA:
    return server_orb.resolve_initial_references("RootPOA")


def proxy_of(ref: CORBA.Object, *args: str) -> M.Service:
    orb = client_orb(*args)
    p = orb.string_to_object(ref._orb.object_to_string(ref))._narrow(M.Service)
    assert p is not None
    return p


def test_child_poa_with_user_ids(root: PortableServer.POA) -> None:
    pols = [
        root.create_lifespan_policy(PortableServer.PERSISTENT),
        root.create_id_assignment_policy(PortableServer.USER_ID),
    ]
    child = root.create_POA("users", None, pols)
    with pytest.raises(PortableServer.POA.AdapterAlreadyExists):
        root.create_POA("users", None, [])
    assert root.find_POA("users") is child
    with pytest.raises(PortableServer.POA.AdapterNonExistent):
        root.find_POA("nobody")
    child._get_the_POAManager().activate()
    s = M.Service_i()
    with pytest.raises(PortableServer.POA.WrongPolicy):
        child.activate_object(s)
    child.activate_object_with_id(b"alice", s)
    with pytest.raises(PortableServer.POA.ObjectAlreadyActive):
        child.activate_object_with_id(b"alice", M.Service_i())
    with pytest.raises(PortableServer.POA.ServantAlreadyActive):
        child.activate_object_with_id(b"bob", s)
    ref = child.id_to_reference(b"alice")
    assert child.reference_to_id(ref) == b"alice"
    assert child.reference_to_servant(ref) is s
    p = proxy_of(ref)
    assert p.doubler_long(2) == 4 and not p._non_existent()
    child.deactivate_object(b"alice")
    with pytest.raises(CORBA.OBJECT_NOT_EXIST):
        p.doubler_long(2)
    assert p._non_existent()
    child.activate_object_with_id(b"alice", s)
    assert p.doubler_long(3) == 6
    child.destroy()
    with pytest.raises(CORBA.OBJECT_NOT_EXIST):
        p.doubler_long(3)


def test_implicit_activation_and_this(root: PortableServer.POA) -> None:
    s = M.Service_i()
    ref = s._this()
    assert isinstance(ref, M.Service)
    assert root.servant_to_reference(s)._ior.profiles == ref._ior.profiles
    assert s._this()._is_equivalent(ref)
    child = root.create_POA("explicit", root._get_the_POAManager(), [])
    with pytest.raises(PortableServer.POA.ServantNotActive):
        child.servant_to_reference(M.Service_i())


def test_default_servant(root: PortableServer.POA) -> None:
    pols = [
        root.create_request_processing_policy(PortableServer.USE_DEFAULT_SERVANT),
        root.create_id_uniqueness_policy(PortableServer.MULTIPLE_ID),
        root.create_servant_retention_policy(PortableServer.NON_RETAIN),
    ]
    poa = root.create_POA("defaults", root._get_the_POAManager(), pols)
    s = M.Service_i()
    poa.set_servant(s)
    assert poa.get_servant() is s
    for oid in (b"x", b"y"):
        ref = poa.create_reference_with_id(oid, M.Service._NP_RepositoryId)
        assert proxy_of(ref).doubler_str("q") == "qq"
    with pytest.raises(PortableServer.POA.InvalidPolicy):
        root.create_POA(
            "bad", None, [root.create_request_processing_policy(PortableServer.USE_DEFAULT_SERVANT)]
        )


def test_poa_manager_states(root: PortableServer.POA) -> None:
    mgr = PortableServer.POAManager()
    poa = root.create_POA("states", mgr, [])
    oid = poa.activate_object(M.Service_i())
    p = proxy_of(poa.id_to_reference(oid))
    result: list[int] = []
    t = threading.Thread(target=lambda: result.append(p.doubler_long(5)))
    t.start()  # HOLDING: the call waits
    time.sleep(0.2)
    assert not result
    mgr.activate()
    t.join(10)
    assert result == [10]
    mgr.discard_requests(False)
    with pytest.raises(CORBA.TRANSIENT):
        p.doubler_long(1)
    mgr.activate()
    assert p.doubler_long(1) == 2
    mgr.deactivate(False, False)
    with pytest.raises(CORBA.OBJ_ADAPTER):
        p.doubler_long(1)
    with pytest.raises(PortableServer.POAManager.AdapterInactive):
        mgr.activate()


def test_transient_reference_of_an_earlier_run_does_not_exist(server_orb: CORBA.ORB) -> None:
    other = CORBA.ORB_init([], "earlier-run")
    try:
        stale = other.resolve_initial_references("RootPOA").activate_object(M.Service_i())
        ref = other.resolve_initial_references("RootPOA").id_to_reference(stale)
        key = ref._ior.iiop().key
        # the same key sent to our server: its nonce is not ours
        mine = server_orb.resolve_initial_references("RootPOA")
        fake = mine.create_reference_with_id(b"0", M.Service._NP_RepositoryId)
        fake._ior.iiop().key = key
        from idlgen_runtime.giop.ior import IOR

        p = client_orb().string_to_object(
            IOR.for_iiop(M.Service._NP_RepositoryId, fake._ior.iiop()).to_string()
        )
        with pytest.raises(CORBA.OBJECT_NOT_EXIST):
            p._narrow(M.Service).doubler_long(1)
    finally:
        other.destroy()


class Forwarder(M.Service__POA):
    def __init__(self, target: CORBA.Object) -> None:
        self.target = target

    def doubler_long(self, l: int) -> int:  # noqa: E741
        raise PortableServer.ForwardRequest(self.target)


def test_location_forward(root: PortableServer.POA, ior: str) -> None:
    target = client_orb().string_to_object(ior)
    fwd = Forwarder(target)._this()
    p = proxy_of(fwd)
    assert p.doubler_long(21) == 42
    assert p._fwd is not None  # later calls go straight to the target
    assert p.doubler_str("z") == "zz"


def test_corbaloc_through_ins_poa(server_orb: CORBA.ORB) -> None:
    ins = server_orb.resolve_initial_references("omniINSPOA")
    ins._get_the_POAManager().activate()
    ins.activate_object_with_id(b"MonService", M.Service_i())
    port = server_orb.port
    for url in (
        f"corbaloc::127.0.0.1:{port}/MonService",
        f"corbaloc:iiop:1.2@127.0.0.1:{port}/MonService",
    ):
        p = client_orb().string_to_object(url)._narrow(M.Service)
        assert p is not None and p.doubler_long(8) == 16
    missing = client_orb().string_to_object(f"corbaloc::127.0.0.1:{port}/Nothing")
    assert missing._non_existent()


def test_threads_share_one_connection(ior: str) -> None:
    orb = client_orb("-ORBidlgenByteOrder", "big")
    p = orb.string_to_object(ior)._narrow(M.Service)
    assert p is not None
    errors: list[BaseException] = []

    def work(base: int) -> None:
        try:
            for i in range(50):
                assert p.doubler_long(base + i) == 2 * (base + i)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k * 1000,)) for k in range(8)]
    slow = threading.Thread(target=p.sleep, args=(0.5,))
    slow.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    slow.join(30)
    assert not errors
    assert len(orb._client.conns) == 1


class Stopper(M.Service__POA):
    def __init__(self, orb: CORBA.ORB) -> None:
        self.orb = orb

    def ping(self) -> str:
        self.orb.shutdown(True)  # from inside an upcall: must not deadlock
        return "bye"


def test_shutdown_from_a_servant_and_run_returns() -> None:
    orb = CORBA.ORB_init([], "stopped-by-servant")
    try:
        poa = orb.resolve_initial_references("RootPOA")
        poa._get_the_POAManager().activate()
        ref = poa.servant_to_reference(Stopper(orb))
        done = threading.Event()
        runner = threading.Thread(target=lambda: (orb.run(), done.set()))
        runner.start()
        p = proxy_of(ref)
        assert p.ping() in ("bye",)
        assert done.wait(10)
        runner.join(5)
    finally:
        orb.destroy()


def test_destroying_the_client_orb_wakes_a_waiting_call(ior: str) -> None:
    orb = CORBA.ORB_init([], "destroyed-while-waiting")  # no call timeout at all
    p = orb.string_to_object(ior)._narrow(M.Service)
    assert p is not None
    failed: list[BaseException] = []

    def call() -> None:
        try:
            p.sleep(1.5)
        except CORBA.SystemException as exc:
            failed.append(exc)

    t = threading.Thread(target=call)
    t.start()
    time.sleep(0.3)
    orb.destroy()
    t.join(1.0)  # well before the 1.5 s the servant sleeps
    assert not t.is_alive() and failed


class Activator:
    def __init__(self) -> None:
        self.made: list[bytes] = []

    def incarnate(self, oid: bytes, poa: PortableServer.POA) -> M.Service_i:
        self.made.append(oid)
        return M.Service_i()


def test_servant_activator_incarnates_on_first_request(root: PortableServer.POA) -> None:
    pols = [
        root.create_request_processing_policy(PortableServer.USE_SERVANT_MANAGER),
        root.create_id_assignment_policy(PortableServer.USER_ID),
    ]
    poa = root.create_POA("activated", root._get_the_POAManager(), pols)
    act = Activator()
    poa.set_servant_manager(act)
    assert poa.get_servant_manager() is act
    ref = poa.create_reference_with_id(b"lazy", M.Service._NP_RepositoryId)
    p = proxy_of(ref)
    assert act.made == []
    assert p.doubler_long(2) == 4 and p.doubler_long(3) == 6
    assert act.made == [b"lazy"]  # once, then kept in the active object map
    with pytest.raises(PortableServer.POA.WrongPolicy):
        root.set_servant_manager(act)
