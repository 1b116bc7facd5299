"""The CORBA facade generated code and users import, as omniORBpy spells it.

    from idlgen_runtime.corba import CORBA, PortableServer, CosNaming

``CORBA`` has ORB_init, Object, Any, TypeCode, the system exceptions;
``PortableServer`` the Servant base, POA and policies; ``CosNaming`` the
naming-service client; ``aio`` the asyncio ORB. docs/runtime-corba.md.
"""

from idlgen_runtime.corba import CORBA, CosNaming, PortableServer

__all__ = ["CORBA", "CosNaming", "PortableServer"]
