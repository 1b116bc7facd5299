"""The Sun RPC / XDR front-end: ``.x`` files (RFC 4506 + RFC 5531) to IR."""

from idlgen.frontends.xdr.builder import parse_xdr
from idlgen.frontends.xdr.builtins import XDR_BUILTIN_TYPES

__all__ = ["parse_xdr", "XDR_BUILTIN_TYPES"]
