"""idlgen: interface files (Sun RPC .x, OMG IDL, WSDL, C headers) to typed Python."""

__version__ = "0.1.0"
