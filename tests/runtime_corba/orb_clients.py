"""Client ORBs of the ORB's own tests, one per set of options.

A module of its own, not the conftest: several test folders have a
``conftest``, so ``from conftest import ...`` finds whichever was loaded first.
"""

from __future__ import annotations

from idlgen_runtime.corba import CORBA

#: options -> the client ORB made with them; the conftest destroys them at the end.
CLIENTS: dict[tuple[str, ...], CORBA.ORB] = {}


def client_orb(*args: str) -> CORBA.ORB:
    """The client ORB (own connections) with ``args`` as options, one per set of options."""
    orb = CLIENTS.get(args)
    if orb is None:
        argv = ["-ORBclientCallTimeOutPeriod", "10000", *args]
        orb = CLIENTS[args] = CORBA.ORB_init(argv, f"client-{len(CLIENTS)}")
    return orb
