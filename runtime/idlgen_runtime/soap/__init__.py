"""idlgen_runtime.soap: what code generated from WSDL imports at run time.

Generated modules import exactly ``from idlgen_runtime.soap import xsd, schema as s,
client as c, server as srv, Fault`` (the contract: docs/runtime-soap.md).
"""

from __future__ import annotations

from idlgen_runtime.soap import schema, xsd
from idlgen_runtime.soap.errors import (
    Fault,
    HttpError,
    SchemaError,
    SoapError,
    TransportError,
    XmlError,
    XmlSecurityError,
    XsdValueError,
)

__all__ = [
    "Fault",
    "HttpError",
    "SchemaError",
    "SoapError",
    "TransportError",
    "XmlError",
    "XmlSecurityError",
    "XsdValueError",
    "schema",
    "xsd",
]
