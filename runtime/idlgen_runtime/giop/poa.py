"""The Portable Object Adapter: RootPOA, child POAs, policies, servants, keys.

Object keys this ORB makes are ``IDLG`` + a flags octet + (for transient
POAs) the ORB instance's 8-byte nonce + the POA path (length-prefixed names)
+ the object id, so a transient reference from an earlier run of the server
gets OBJECT_NOT_EXIST, not some other object. The ``omniINSPOA`` (as in
omniORB) uses the object id itself as the key, for ``corbaloc`` URLs.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any, ClassVar

from idlgen_runtime.giop.exceptions import (
    BAD_PARAM,
    COMPLETED_NO,
    OBJ_ADAPTER,
    OBJECT_NOT_EXIST,
    TRANSIENT,
    UserException,
)

# -- policy values (PortableServer) --------------------------------------------------------
TRANSIENT_, PERSISTENT = 0, 1
USER_ID, SYSTEM_ID = 0, 1
UNIQUE_ID, MULTIPLE_ID = 0, 1
IMPLICIT_ACTIVATION, NO_IMPLICIT_ACTIVATION = 0, 1
RETAIN, NON_RETAIN = 0, 1
USE_ACTIVE_OBJECT_MAP_ONLY, USE_DEFAULT_SERVANT, USE_SERVANT_MANAGER = 0, 1, 2
ORB_CTRL_MODEL, SINGLE_THREAD_MODEL, MAIN_THREAD_MODEL = 0, 1, 2
HOLDING, ACTIVE, DISCARDING, INACTIVE = 0, 1, 2, 3
MAGIC = b"IDLG"


class Policy:
    """A POA policy: which one (``policy_type``) and its ``value``."""

    policy_type: ClassVar[int] = 0
    field: ClassVar[str] = ""

    def __init__(self, value: int) -> None:
        self.value = int(value)

    def destroy(self) -> None:
        """Destroy it (and what it owns)."""
        return None

    def copy(self) -> Policy:
        """A copy of the policy."""
        return type(self)(self.value)


def _policy(name: str, ptype: int, fieldname: str) -> type[Policy]:
    return type(name, (Policy,), {"policy_type": ptype, "field": fieldname})


ThreadPolicy = _policy("ThreadPolicy", 16, "thread")
LifespanPolicy = _policy("LifespanPolicy", 17, "lifespan")
IdUniquenessPolicy = _policy("IdUniquenessPolicy", 18, "uniqueness")
IdAssignmentPolicy = _policy("IdAssignmentPolicy", 19, "assignment")
ImplicitActivationPolicy = _policy("ImplicitActivationPolicy", 20, "implicit")
ServantRetentionPolicy = _policy("ServantRetentionPolicy", 21, "retention")
RequestProcessingPolicy = _policy("RequestProcessingPolicy", 22, "processing")


def _exc(name: str) -> type[UserException]:
    return type(
        name, (UserException,), {"_NP_RepositoryId": f"IDL:omg.org/PortableServer/POA/{name}:1.0"}
    )


AdapterAlreadyExists = _exc("AdapterAlreadyExists")
AdapterNonExistent = _exc("AdapterNonExistent")
InvalidPolicy = _exc("InvalidPolicy")
NoServant = _exc("NoServant")
ObjectAlreadyActive = _exc("ObjectAlreadyActive")
ObjectNotActive = _exc("ObjectNotActive")
ServantAlreadyActive = _exc("ServantAlreadyActive")
ServantNotActive = _exc("ServantNotActive")
WrongAdapter = _exc("WrongAdapter")
WrongPolicy = _exc("WrongPolicy")
AdapterInactive = type(
    "AdapterInactive",
    (UserException,),
    {"_NP_RepositoryId": "IDL:omg.org/PortableServer/POAManager/AdapterInactive:1.0"},
)


class ForwardRequest(UserException):
    """Raised by a servant: the client is told to go to ``forward_reference``."""

    _NP_RepositoryId = "IDL:omg.org/PortableServer/ForwardRequest:1.0"
    _NP_members = ("forward_reference",)


class POAManager:
    """Holds, activates, discards or deactivates the POAs it manages."""

    HOLDING, ACTIVE, DISCARDING, INACTIVE = HOLDING, ACTIVE, DISCARDING, INACTIVE
    AdapterInactive = AdapterInactive

    def __init__(self) -> None:
        self.state = HOLDING
        self.cond = threading.Condition()

    def _set(self, state: int) -> None:
        with self.cond:
            if self.state == INACTIVE and state != INACTIVE:
                raise AdapterInactive()
            self.state = state
            self.cond.notify_all()

    def activate(self) -> None:
        """Let requests through."""
        self._set(ACTIVE)

    def hold_requests(self, wait_for_completion: bool = False) -> None:
        """Queue requests until activated again."""
        self._set(HOLDING)

    def discard_requests(self, wait_for_completion: bool = False) -> None:
        """Refuse requests with TRANSIENT until activated again."""
        self._set(DISCARDING)

    def deactivate(self, etherealize_objects: bool = False, wait: bool = False) -> None:
        """Refuse every request from now on (OBJ_ADAPTER); for good."""
        self._set(INACTIVE)

    def get_state(self) -> int:
        """HOLDING, ACTIVE, DISCARDING or INACTIVE."""
        return self.state

    def wait_active(self, limit: float) -> None:
        """Block a request while HOLDING (up to ``limit`` s), then admit or refuse it."""
        with self.cond:
            if self.state == HOLDING:
                self.cond.wait_for(lambda: self.state != HOLDING, limit)
            if self.state == ACTIVE:
                return
            if self.state == INACTIVE:
                raise OBJ_ADAPTER(0, COMPLETED_NO, "the POA manager is inactive")
            raise TRANSIENT(0, COMPLETED_NO, "the POA manager is not active")


_DEFAULTS = {
    "thread": ORB_CTRL_MODEL,
    "lifespan": TRANSIENT_,
    "uniqueness": UNIQUE_ID,
    "assignment": SYSTEM_ID,
    "implicit": NO_IMPLICIT_ACTIVATION,
    "retention": RETAIN,
    "processing": USE_ACTIVE_OBJECT_MAP_ONLY,
}


class POA:
    """A Portable Object Adapter (``PortableServer.POA``)."""

    AdapterAlreadyExists = AdapterAlreadyExists
    AdapterNonExistent = AdapterNonExistent
    InvalidPolicy = InvalidPolicy
    NoServant = NoServant
    ObjectAlreadyActive = ObjectAlreadyActive
    ObjectNotActive = ObjectNotActive
    ServantAlreadyActive = ServantAlreadyActive
    ServantNotActive = ServantNotActive
    WrongAdapter = WrongAdapter
    WrongPolicy = WrongPolicy

    def __init__(
        self, orb: Any, name: str, parent: POA | None, manager: POAManager, policies: dict[str, int]
    ) -> None:
        self.orb, self.name, self.parent, self.manager = orb, name, parent, manager
        self.p = dict(_DEFAULTS, **policies)
        self.children: dict[str, POA] = {}
        self.aom: dict[bytes, Any] = {}  # object id -> servant
        self.by_servant: dict[int, bytes] = {}
        self.default_servant: Any = None
        self.servant_manager: Any = None
        self.ids = itertools.count(1)
        self.lock = threading.RLock()
        self.raw_keys = False
        self.destroyed = False
        self.path: tuple[str, ...] = (*parent.path, name) if parent is not None else ()

    # -- omniORBpy-style accessors -------------------------------------------------------
    def _get_the_POAManager(self) -> POAManager:
        return self.manager

    def _get_the_name(self) -> str:
        return self.name

    def _get_the_parent(self) -> POA | None:
        return self.parent

    def _get_the_children(self) -> list[POA]:
        return list(self.children.values())

    the_POAManager = property(_get_the_POAManager)
    the_name = property(_get_the_name)
    the_parent = property(_get_the_parent)

    # -- policies ------------------------------------------------------------------------
    def create_thread_policy(self, v: int) -> Policy:
        """A ThreadPolicy (accepted; every POA is ORB_CTRL_MODEL here)."""
        return ThreadPolicy(v)

    def create_lifespan_policy(self, v: int) -> Policy:
        """A LifespanPolicy."""
        return LifespanPolicy(v)

    def create_id_uniqueness_policy(self, v: int) -> Policy:
        """An IdUniquenessPolicy."""
        return IdUniquenessPolicy(v)

    def create_id_assignment_policy(self, v: int) -> Policy:
        """An IdAssignmentPolicy."""
        return IdAssignmentPolicy(v)

    def create_implicit_activation_policy(self, v: int) -> Policy:
        """An ImplicitActivationPolicy."""
        return ImplicitActivationPolicy(v)

    def create_servant_retention_policy(self, v: int) -> Policy:
        """A ServantRetentionPolicy."""
        return ServantRetentionPolicy(v)

    def create_request_processing_policy(self, v: int) -> Policy:
        """A RequestProcessingPolicy."""
        return RequestProcessingPolicy(v)

    # -- POA tree ----------------------------------------------------------------------
    def create_POA(self, name: str, manager: POAManager | None, policies: list[Policy]) -> POA:
        """A child POA named ``name`` with ``policies`` (AdapterAlreadyExists if taken)."""
        with self.lock:
            if name in self.children:
                raise AdapterAlreadyExists()
            chosen: dict[str, int] = {}
            for index, pol in enumerate(policies):
                if not isinstance(pol, Policy) or not pol.field:
                    raise InvalidPolicy(index)
                chosen[pol.field] = pol.value
            merged = dict(_DEFAULTS, **chosen)
            if merged["processing"] == USE_DEFAULT_SERVANT and merged["uniqueness"] != MULTIPLE_ID:
                raise InvalidPolicy(0)
            if merged["implicit"] == IMPLICIT_ACTIVATION and (
                merged["assignment"] != SYSTEM_ID or merged["retention"] != RETAIN
            ):
                raise InvalidPolicy(0)
            child = POA(self.orb, name, self, manager or POAManager(), chosen)
            self.children[name] = child
            self.orb._key_cache.clear()
            return child

    def find_POA(self, name: str, activate_it: bool = False) -> POA:
        """The child POA named ``name`` (AdapterNonExistent if none)."""
        child = self.children.get(name)
        if child is None:
            raise AdapterNonExistent()
        return child

    def destroy(self, etherealize_objects: bool = False, wait_for_completion: bool = False) -> None:
        """Destroy it (and what it owns)."""
        for child in list(self.children.values()):
            child.destroy(etherealize_objects, wait_for_completion)
        self.orb._key_cache.clear()
        with self.lock:
            self.destroyed = True
            self.aom.clear()
            self.by_servant.clear()
            if self.parent is not None:
                self.parent.children.pop(self.name, None)

    # -- activation ----------------------------------------------------------------------
    def _check_retain(self) -> None:
        if self.p["retention"] != RETAIN:
            raise WrongPolicy()

    def activate_object(self, servant: Any) -> bytes:
        """Activate ``servant`` with a new system id; returns the id."""
        self._check_retain()
        if self.p["assignment"] != SYSTEM_ID:
            raise WrongPolicy()
        with self.lock:
            if self.p["uniqueness"] == UNIQUE_ID and id(servant) in self.by_servant:
                raise ServantAlreadyActive()
            oid = b"%d" % next(self.ids)
            while oid in self.aom:
                oid = b"%d" % next(self.ids)
            self._put(oid, servant)
            return oid

    def activate_object_with_id(self, oid: bytes, servant: Any) -> None:
        """Activate ``servant`` under the object id ``oid``."""
        self._check_retain()
        oid = _oid(oid)
        with self.lock:
            if oid in self.aom:
                raise ObjectAlreadyActive()
            if self.p["uniqueness"] == UNIQUE_ID and id(servant) in self.by_servant:
                raise ServantAlreadyActive()
            self._put(oid, servant)

    def _put(self, oid: bytes, servant: Any) -> None:
        self.aom[oid] = servant
        self.by_servant.setdefault(id(servant), oid)
        servant._idlgen_poa = self

    def deactivate_object(self, oid: bytes) -> None:
        """Remove ``oid`` from the active object map."""
        self._check_retain()
        oid = _oid(oid)
        with self.lock:
            servant = self.aom.pop(oid, None)
            if servant is None:
                raise ObjectNotActive()
            if self.by_servant.get(id(servant)) == oid:
                del self.by_servant[id(servant)]
                for other, s in self.aom.items():
                    if s is servant:
                        self.by_servant[id(servant)] = other
                        break

    def set_servant_manager(self, manager: Any) -> None:
        """Set the ServantActivator (USE_SERVANT_MANAGER with RETAIN).

        Its ``incarnate(oid, poa)`` makes the servant of an object id on the first
        request for it; the servant then stays in the active object map.
        """
        if self.p["processing"] != USE_SERVANT_MANAGER or self.p["retention"] != RETAIN:
            raise WrongPolicy()
        self.servant_manager = manager

    def get_servant_manager(self) -> Any:
        """The servant manager (None if none was set)."""
        if self.p["processing"] != USE_SERVANT_MANAGER:
            raise WrongPolicy()
        return self.servant_manager

    def set_servant(self, servant: Any) -> None:
        """Set the default servant (USE_DEFAULT_SERVANT POAs)."""
        if self.p["processing"] != USE_DEFAULT_SERVANT:
            raise WrongPolicy()
        self.default_servant = servant

    def get_servant(self) -> Any:
        """The default servant (NoServant if none)."""
        if self.p["processing"] != USE_DEFAULT_SERVANT:
            raise WrongPolicy()
        if self.default_servant is None:
            raise NoServant()
        return self.default_servant

    # -- references ----------------------------------------------------------------------
    def key_for(self, oid: bytes) -> bytes:
        """The object key of ``oid`` in this POA."""
        if self.raw_keys:
            return oid
        transient = self.p["lifespan"] == TRANSIENT_
        out = bytearray(MAGIC)
        out.append(1 if transient else 0)
        if transient:
            out += self.orb.nonce
        out.append(len(self.path))
        for part in self.path:
            b = part.encode("utf-8")
            if len(b) > 255:
                raise BAD_PARAM(0, text=f"POA name longer than 255 bytes: {part!r}")
            out.append(len(b))
            out += b
        return bytes(out + oid)

    def create_reference_with_id(self, oid: bytes, intf: str) -> Any:
        """A reference to ``oid`` of type ``intf`` (no servant needed yet)."""
        return self.orb._make_ref(self.key_for(_oid(oid)), intf)

    def create_reference(self, intf: str) -> Any:
        """A reference with a new system id, no servant activated."""
        if self.p["assignment"] != SYSTEM_ID:
            raise WrongPolicy()
        return self.create_reference_with_id(b"%d" % next(self.ids), intf)

    def id_to_reference(self, oid: bytes) -> Any:
        """A reference to the active object ``oid``."""
        self._check_retain()
        servant = self.aom.get(_oid(oid))
        if servant is None:
            raise ObjectNotActive()
        return self.create_reference_with_id(oid, servant._NP_RepositoryId)

    def servant_to_id(self, servant: Any) -> bytes:
        """The id of ``servant`` (activating it if the policies say so)."""
        with self.lock:
            oid = self.by_servant.get(id(servant))
            if oid is not None and self.p["uniqueness"] == UNIQUE_ID:
                return oid
            if self.p["implicit"] == IMPLICIT_ACTIVATION:
                return self.activate_object(servant)
            if oid is not None:
                return oid
        raise ServantNotActive()

    def servant_to_reference(self, servant: Any) -> Any:
        """A reference to ``servant`` (activating it if the policies say so)."""
        return self.id_to_reference(self.servant_to_id(servant))

    def reference_to_id(self, ref: Any) -> bytes:
        """The object id inside a reference of this POA (WrongAdapter otherwise)."""
        key = ref._ior.iiop().key
        found = self.orb._parse_key(key)
        if found is None or found[0] is not self:
            raise WrongAdapter()
        return bytes(found[1])

    def reference_to_servant(self, ref: Any) -> Any:
        """The servant a reference of this POA reaches."""
        return self.id_to_servant(self.reference_to_id(ref))

    def id_to_servant(self, oid: bytes) -> Any:
        """The servant of ``oid`` (or the default servant)."""
        servant = self.aom.get(_oid(oid)) or self.default_servant
        if servant is None:
            raise ObjectNotActive()
        return servant

    def find_servant(self, oid: bytes) -> Any:
        """The servant a request for ``oid`` goes to (OBJECT_NOT_EXIST if none)."""
        if self.destroyed:
            raise OBJECT_NOT_EXIST(0, COMPLETED_NO, "the POA was destroyed")
        servant = self.aom.get(oid) if self.p["retention"] == RETAIN else None
        if servant is None and self.p["processing"] == USE_DEFAULT_SERVANT:
            servant = self.default_servant
        if servant is None and self.servant_manager is not None:
            with self.lock:
                servant = self.aom.get(oid)
                if servant is None:
                    servant = self.servant_manager.incarnate(oid, self)
                    if servant is not None:
                        self._put(oid, servant)
        if servant is None:
            raise OBJECT_NOT_EXIST(0, COMPLETED_NO, f"no object {oid!r} in POA {self.name!r}")
        return servant


def _oid(oid: Any) -> bytes:
    if isinstance(oid, str):
        return oid.encode("utf-8")
    if isinstance(oid, (bytes, bytearray, memoryview)):
        return bytes(oid)
    raise BAD_PARAM(0, text=f"an object id is bytes, not {type(oid).__name__}")


def parse_key(key: bytes) -> tuple[bool, bytes, tuple[str, ...], bytes] | None:
    """(transient, nonce, POA path, object id) of one of our keys, None if foreign."""
    if not key.startswith(MAGIC) or len(key) < 6:
        return None
    transient = key[4] == 1
    pos = 5
    nonce = b""
    if transient:
        nonce, pos = key[pos : pos + 8], pos + 8
    if pos >= len(key):
        return None
    depth = key[pos]
    pos += 1
    path = []
    for _ in range(depth):
        if pos >= len(key):
            return None
        n = key[pos]
        part = key[pos + 1 : pos + 1 + n]
        if len(part) != n:
            return None
        path.append(part.decode("utf-8", "replace"))
        pos += 1 + n
    return transient, nonce, tuple(path), key[pos:]
