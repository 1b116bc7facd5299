"""GIOP/IIOP for generated CORBA code: CDR, TypeCodes, IORs, the ORB, POA, naming.

Generated code imports ``tc`` and ``mapping`` from here and ``CORBA``/
``PortableServer`` from ``idlgen_runtime.corba`` (the user-facing facade).
docs/runtime-corba.md describes the whole.
"""
