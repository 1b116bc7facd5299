# The classic omniORBpy MonService server: only the import line is changed.
# ruff: noqa
# fmt: off
import sys
from idlgen_runtime.corba import CORBA, PortableServer
import MonService, MonService__POA

class MonService_i(MonService__POA.Service):
    def doubler_str(self, s): return s * 2
    def doubler_long(self, l): return l * 2

orb = CORBA.ORB_init(sys.argv, CORBA.ORB_ID)
poa = orb.resolve_initial_references("RootPOA")
ref = MonService_i()._this()
poa._get_the_POAManager().activate()
open("id_service.txt", "w").write(orb.object_to_string(ref))
orb.run()
