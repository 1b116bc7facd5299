# The classic omniORBpy MonService client: only the import line is changed.
# ruff: noqa
# fmt: off
import sys
from idlgen_runtime.corba import CORBA
import MonService

orb = CORBA.ORB_init(sys.argv, CORBA.ORB_ID)
ior = sys.argv[1] if len(sys.argv) > 1 else open("id_service.txt").read()
obj = orb.string_to_object(ior)
proxy = obj._narrow(MonService.Service)
if proxy is None:
    print("Object reference is not a MonService.Service")
    sys.exit(1)
print("doubler_str('coucou') =", proxy.doubler_str("coucou"))
print("doubler_long(21) =", proxy.doubler_long(21))
