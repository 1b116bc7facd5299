"""Type names real ``.x`` files use without declaring them.

rpcgen hands unknown names through to C, where ``<rpc/rpc.h>`` defines them;
these are the ones with an XDR routine in libtirpc, so their wire form is known.
A file that declares one of these names itself takes precedence.
"""

from idlgen import ir
from idlgen.ir import Prim

XDR_BUILTIN_PRIMS: dict[str, Prim] = {
    "bool_t": Prim.BOOL,
    "u_char": Prim.UINT8,
    "u_short": Prim.UINT16,
    "u_int": Prim.UINT32,
    "u_long": Prim.UINT32,
    "int8_t": Prim.INT8,
    "uint8_t": Prim.UINT8,
    "u_int8_t": Prim.UINT8,
    "int16_t": Prim.INT16,
    "uint16_t": Prim.UINT16,
    "u_int16_t": Prim.UINT16,
    "int32_t": Prim.INT32,
    "uint32_t": Prim.UINT32,
    "u_int32_t": Prim.UINT32,
    "int64_t": Prim.INT64,
    "uint64_t": Prim.UINT64,
    "u_int64_t": Prim.UINT64,
    "quad_t": Prim.INT64,
    "u_quad_t": Prim.UINT64,
    "longlong_t": Prim.INT64,
    "u_longlong_t": Prim.UINT64,
    "rpcprog_t": Prim.UINT32,
    "rpcvers_t": Prim.UINT32,
    "rpcproc_t": Prim.UINT32,
    "rpcprot_t": Prim.UINT32,
    "rpcport_t": Prim.UINT32,
}

#: Types from ``<rpc/rpc.h>`` with a fixed XDR form (``xdr_netobj``, ``xdr_des_block``).
XDR_BUILTIN_TYPES: dict[str, ir.Type] = {
    **{name: ir.Primitive(kind) for name, kind in XDR_BUILTIN_PRIMS.items()},
    "netobj": ir.Opaque(ir.Literal(1024)),  # MAX_NETOBJ_SZ
    "des_block": ir.Opaque(ir.Literal(8), fixed=True),
}

#: Constants real ``.x`` files take from C headers: ``case TRUE:`` in yp.x,
#: ``MAXNETNAMELEN`` (``<rpc/auth_des.h>``) in key_prot.x.
XDR_BUILTIN_CONSTS: dict[str, int] = {"TRUE": 1, "FALSE": 0, "MAXNETNAMELEN": 255}

#: Structs from ``<rpc/rpc.h>`` that real ``.x`` files use by name (rpcbind's own
#: rpcb_prot.x passes ``struct netbuf``); added only to a file that uses them.
XDR_PRELUDE: dict[str, str] = {
    "netbuf": "struct netbuf { unsigned int maxlen; opaque buf<>; };",
}
