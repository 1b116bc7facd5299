"""XML Schema's built-in types as IR types (XSD 1.0 Part 2, section 3)."""

from __future__ import annotations

from idlgen import ir

XSD = "http://www.w3.org/2001/XMLSchema"
#: The namespaces of XML Schema: the Recommendation's and the drafts old
#: rpc/encoded WSDLs still name.
XSD_NAMESPACES = frozenset(
    {XSD, "http://www.w3.org/2000/10/XMLSchema", "http://www.w3.org/1999/XMLSchema"}
)
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

P = ir.Prim


def _prim(kind: ir.Prim) -> ir.Type:
    return ir.Primitive(kind)


def _ranged(kind: ir.Prim, low: int | None, high: int | None) -> ir.Type:
    return ir.Restricted(
        ir.Primitive(kind),
        ir.Facets(
            min_inclusive=ir.Literal(low) if low is not None else None,
            max_inclusive=ir.Literal(high) if high is not None else None,
        ),
    )


_STRINGS = (
    "string normalizedString token language Name NCName ID IDREF ENTITY NMTOKEN NOTATION "
    "gYearMonth gYear gMonthDay gDay gMonth"
).split()
_LISTS = {"IDREFS", "ENTITIES", "NMTOKENS"}

BUILTINS: dict[str, ir.Type] = {
    **{name: ir.String() for name in _STRINGS},
    **{name: ir.Sequence(ir.String()) for name in _LISTS},
    "boolean": _prim(P.BOOL),
    "float": _prim(P.FLOAT32),
    "double": _prim(P.FLOAT64),
    "decimal": _prim(P.DECIMAL),
    "integer": _prim(P.INTEGER),
    "nonPositiveInteger": _ranged(P.INTEGER, None, 0),
    "negativeInteger": _ranged(P.INTEGER, None, -1),
    "nonNegativeInteger": _ranged(P.INTEGER, 0, None),
    "positiveInteger": _ranged(P.INTEGER, 1, None),
    "long": _prim(P.INT64),
    "int": _prim(P.INT32),
    "short": _prim(P.INT16),
    "byte": _prim(P.INT8),
    "unsignedLong": _prim(P.UINT64),
    "unsignedInt": _prim(P.UINT32),
    "unsignedShort": _prim(P.UINT16),
    "unsignedByte": _prim(P.UINT8),
    "duration": _prim(P.DURATION),
    "dateTime": _prim(P.DATETIME),
    "time": _prim(P.TIME),
    "date": _prim(P.DATE),
    "hexBinary": _prim(P.HEXBINARY),
    "base64Binary": _prim(P.BASE64),
    "anyURI": _prim(P.ANYURI),
    "QName": _prim(P.QNAME),
    "anyType": _prim(P.ANYTYPE),
    "anySimpleType": _prim(P.ANYTYPE),
    # XML Schema drafts of 1999/2000 (old rpc/encoded WSDLs)
    "ur-type": _prim(P.ANYTYPE),
    "timeInstant": _prim(P.DATETIME),
    "binary": _prim(P.BASE64),
    "uriReference": _prim(P.ANYURI),
    "timeDuration": _prim(P.DURATION),
}

#: Built-ins whose enumeration values are integers.
INTEGRAL = frozenset(
    "integer nonPositiveInteger negativeInteger nonNegativeInteger positiveInteger long int "
    "short byte unsignedLong unsignedInt unsignedShort unsignedByte".split()
)


def builtin(local: str) -> ir.Type | None:
    """The IR type of ``xs:local`` (None: not a built-in type)."""
    return BUILTINS.get(local)
