"""The ORB: options, initial references, stringified references, the server's life.

``CORBA.ORB_init`` makes it; ``run``/``shutdown``/``destroy`` govern the server.

Options are consumed from ``argv`` as omniORB does: ``-ORBInitRef Name=URL``,
``-ORBendPoint giop:tcp:HOST:PORT`` (default 127.0.0.1, an ephemeral port),
``-ORBclientCallTimeOutPeriod MS``, ``-ORBgiopMaxMsgSize N``,
``-ORBnativeCharCodeSet ISO-8859-1|UTF-8``, ``-ORBmaxGIOPVersion 1.x``,
``-ORBinConScanPeriod S`` (idle server connections are closed after S seconds) and
idlgen's own ``-ORBidlgenByteOrder big|little`` (the byte order it sends) and
``-ORBidlgenLongDouble ieee128|x87`` (x87: what omniORB on x86-64 actually sends).
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from typing import Any

from idlgen_runtime.giop import corbaloc, objref, poa
from idlgen_runtime.giop.cdr import CS_ISO8859_1, CS_UTF8, CS_UTF16
from idlgen_runtime.giop.connection import Client
from idlgen_runtime.giop.exceptions import (
    BAD_PARAM,
    COMPLETED_NO,
    INITIALIZE,
    OBJECT_NOT_EXIST,
)
from idlgen_runtime.giop.framing import OMNI_MAX_MESSAGE
from idlgen_runtime.giop.ior import IOR, CodeSets, IiopProfile

ORB_ID = "omniORB4"
NAMING_ID = "IDL:omg.org/CosNaming/NamingContextExt:1.0"
_ORBS: dict[str, ORB] = {}
_LOCK = threading.Lock()
_MADE = itertools.count()


class InvalidName(Exception):
    """CORBA.ORB.InvalidName: no initial reference by that name."""


def _take_options(argv: list[str]) -> list[tuple[str, str]]:
    """Remove ``-ORBxxx value`` pairs from ``argv`` (in place) and return them."""
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("-ORB") and len(arg) > 4:
            name = arg[4:]
            if "=" in name and name.split("=", 1)[0] != "InitRef":
                key, val = name.split("=", 1)
                found.append((key, val))
                del argv[i]
                continue
            if i + 1 >= len(argv):
                raise BAD_PARAM(0, COMPLETED_NO, f"{arg} needs a value")
            found.append((name, argv[i + 1]))
            del argv[i : i + 2]
            continue
        i += 1
    return found


class ORB:
    """A CORBA ORB (``CORBA.ORB``)."""

    InvalidName = InvalidName
    is_aio = False

    def __init__(self, argv: list[str] | None, orb_id: str = ORB_ID) -> None:
        self.orb_id = orb_id
        self.initial: dict[str, str] = {}
        self.host, self.port = "127.0.0.1", 0
        self.timeout: float | None = None
        self.max_message = OMNI_MAX_MESSAGE
        self.max_giop = (1, 2)
        self.little = sys.byteorder == "little"
        self.native_char = CS_ISO8859_1
        self.hold_limit = 30.0
        self.long_double_x87 = False
        #: seconds a server connection may go without a complete message (omniORB's
        #: inConScanPeriod plays this part); a half-sent message does not count.
        self.idle_timeout = 180.0
        #: bytes of partial messages all server connections may hold together
        self.max_memory = 64 * 1024 * 1024
        self.nonce = os.urandom(8)
        for name, val in _take_options(argv if argv is not None else []):
            self._option(name, val)
        self._client = Client(self)
        self._root: poa.POA | None = None
        self._root_made = -1
        self._ins: poa.POA | None = None
        self._server: Any = None
        #: object key -> (POA, object id), for the server's fast path; cleared
        #: whenever the POA tree changes.
        self._key_cache: dict[bytes, tuple[poa.POA, bytes]] = {}
        self._done = threading.Event()
        self._lock = threading.RLock()

    def _option(self, name: str, val: str) -> None:
        try:
            if name == "InitRef":
                key, _, url = val.partition("=")
                if not url:
                    raise ValueError("Name=URL wanted")
                self.initial[key] = url
            elif name == "endPoint":
                if not val.startswith("giop:tcp:"):
                    raise ValueError("giop:tcp:HOST:PORT wanted")
                host, _, port = val[len("giop:tcp:") :].rpartition(":")
                self.host = host.strip("[]") or "127.0.0.1"
                self.port = int(port) if port else 0
            elif name == "clientCallTimeOutPeriod":
                ms = int(val)
                self.timeout = ms / 1000.0 if ms > 0 else None
            elif name == "giopMaxMsgSize":
                self.max_message = max(1024, int(val))
            elif name == "nativeCharCodeSet":
                self.native_char = {"UTF-8": CS_UTF8, "ISO-8859-1": CS_ISO8859_1}[val.upper()]
            elif name == "maxGIOPVersion":
                major, minor = (int(x) for x in val.split("."))
                if major != 1 or minor not in (0, 1, 2):
                    raise ValueError("1.0, 1.1 or 1.2")
                self.max_giop = (1, minor)
            elif name == "idlgenMaxMemory":
                self.max_memory = int(val)
            elif name == "inConScanPeriod":
                self.idle_timeout = float(val) if float(val) > 0 else 10.0**9
            elif name == "idlgenLongDouble":
                self.long_double_x87 = {"ieee128": False, "x87": True}[val]
            elif name == "idlgenByteOrder":
                self.little = {"little": True, "big": False}[val]
        except (ValueError, KeyError) as exc:
            raise BAD_PARAM(0, COMPLETED_NO, f"-ORB{name} {val}: {exc}") from None

    # -- references --------------------------------------------------------------------
    def resolve_initial_references(self, name: str) -> Any:
        """RootPOA, omniINSPOA, or an -ORBInitRef name."""
        if name == "RootPOA":
            return self._root_poa()
        if name == "omniINSPOA":
            root = self._root_poa()
            with self._lock:
                if self._ins is None:
                    self._ins = poa.POA(
                        self,
                        "omniINSPOA",
                        None,
                        root.manager,
                        {"lifespan": poa.PERSISTENT, "assignment": poa.USER_ID},
                    )
                    self._ins.raw_keys = True
                return self._ins
        url = self.initial.get(name)
        if url is None:
            raise InvalidName(name)
        return self.string_to_object(url, NAMING_ID if name == "NameService" else "")

    def list_initial_services(self) -> list[str]:
        """The names ``resolve_initial_references`` knows."""
        return sorted({"RootPOA", "omniINSPOA", *self.initial})

    def register_initial_reference(self, name: str, obj: Any) -> None:
        """Make ``obj`` an initial reference called ``name``."""
        self.initial[name] = self.object_to_string(obj)

    def string_to_object(self, s: str, static_id: str = "") -> Any:
        """An object reference from ``IOR:``, ``corbaloc:`` or ``corbaname:``."""
        if s[:4].upper() == "IOR:":
            return objref.from_ior(IOR.from_string(s), self, static_id)
        if s.startswith("corbaloc:"):
            loc = corbaloc.parse_corbaloc(s)
            if loc.rir:
                return self.resolve_initial_references(loc.key.decode("utf-8", "replace"))
            profs = [IiopProfile(a.host, a.port, loc.key, a.version) for a in loc.addresses]
            return objref.from_ior(IOR.for_iiop_many("", profs), self, static_id)
        if s.startswith("corbaname:"):
            from idlgen_runtime.giop import naming

            cn = corbaloc.parse_corbaname(s)
            a = cn.loc.addresses[0]
            prof = IiopProfile(a.host, a.port, cn.loc.key, a.version)
            ctx = objref.from_ior(IOR.for_iiop("", prof), self, NAMING_ID)
            if not cn.name:
                return ctx
            return naming.resolve_str(ctx, cn.name)
        raise BAD_PARAM(0, COMPLETED_NO, f"not an object URL: {s[:40]!r}")

    def object_to_string(self, obj: Any) -> str:
        """The stringified IOR of ``obj`` (nil for None)."""
        return objref.to_ior(obj).to_string()

    # -- the server --------------------------------------------------------------------
    def _root_poa(self) -> poa.POA:
        with self._lock:
            if self._root is None:
                self._start_server()
                self._root = poa.POA(
                    self, "RootPOA", None, poa.POAManager(), {"implicit": poa.IMPLICIT_ACTIVATION}
                )
                self._root_made = next(_MADE)
            return self._root

    def _start_server(self) -> None:
        from idlgen_runtime.giop.server import ThreadPoolServer

        try:
            self._server = ThreadPoolServer(
                self, self.host, self.port, idle_timeout=self.idle_timeout
            )
        except OSError as exc:
            raise INITIALIZE(
                0, COMPLETED_NO, f"cannot listen on {self.host}:{self.port}: {exc}"
            ) from None
        self.port = self._server.port

    def _make_ref(self, key: bytes, type_id: str) -> Any:
        comp = CodeSets(CS_ISO8859_1, (CS_UTF8,), CS_UTF16, ())
        prof = IiopProfile(self.host, self.port, key, (1, 2), [(1, comp.encode())])
        return objref.from_ior(IOR.for_iiop(type_id, prof), self, type_id)

    def _parse_key(self, key: bytes) -> tuple[poa.POA, bytes] | None:
        parsed = poa.parse_key(key)
        if parsed is None:
            ins = self._ins
            if ins is not None and key in ins.aom:
                return ins, key
            return None
        transient, nonce, path, oid = parsed
        if transient and nonce != self.nonce:
            return None
        p = self._root
        if p is None:
            return None
        for name in path:
            p = p.children.get(name)
            if p is None:
                return None
        return p, oid

    def _locate_key(self, key: bytes) -> tuple[poa.POA, bytes]:
        found = self._parse_key(key)
        if found is None:
            raise OBJECT_NOT_EXIST(0, COMPLETED_NO, "no object with this key here")
        if len(self._key_cache) < 4096:
            self._key_cache[key] = found
        return found

    def run(self) -> None:
        """Serve requests until ``shutdown``."""
        self._root_poa()
        self._done.wait()

    def work_pending(self) -> bool:
        """False: the server runs in its own threads."""
        return False

    def perform_work(self) -> None:
        """Nothing to do: the server runs in its own threads."""
        return None

    def shutdown(self, wait_for_completion: bool = True) -> None:
        """Stop serving; ``run`` returns."""
        server, self._server = self._server, None  # the thread-pool server
        if server is not None:
            server.stop(wait_for_completion)
        self._done.set()

    def destroy(self) -> None:
        """Destroy it (and what it owns)."""
        self.shutdown(True)
        self._client.close()
        with _LOCK:
            if _ORBS.get(self.orb_id) is self:
                del _ORBS[self.orb_id]

    def locate(self, obj: Any) -> int:
        """Send a LocateRequest for ``obj``; the LocateReply status (OBJECT_HERE = 1)."""
        return self._client.locate(obj)


def ORB_init(argv: list[str] | None = None, orb_id: str = ORB_ID) -> ORB:  # noqa: N802
    """The ORB named ``orb_id`` (made on first use, from ``argv``'s -ORB options)."""
    with _LOCK:
        orb = _ORBS.get(orb_id)
        if orb is None:
            orb = _ORBS[orb_id] = ORB(argv, orb_id)
        elif argv:
            _take_options(argv)
        return orb


def default_orb() -> ORB:
    """The ORB servants activate in when ``_this()`` has no POA yet.

    The one whose RootPOA was made last (a server), else the first ORB made,
    else a new one.
    """
    with _LOCK:
        servers = [o for o in _ORBS.values() if o._root is not None]
        if servers:
            return max(servers, key=lambda o: o._root_made)
        if _ORBS:
            return next(iter(_ORBS.values()))
    return ORB_init([])
