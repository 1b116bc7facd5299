"""Sample values for every described type: enough to drive each compiled plan once.

Builds an instance of a generated dataclass from its descriptors (one item per list,
nested types to a bounded depth, the first enumeration value, a value inside numeric
bounds); values a facet refuses surface as ``XsdValueError`` when written, which the
caller counts apart from real failures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from idlgen_runtime.soap import schema as s
from idlgen_runtime.soap import xsd

_G = {"gYear": "2024", "gYearMonth": "2024-01", "gMonth": "--01", "gMonthDay": "--01-02",
      "gDay": "---02"}  # fmt: skip


def simple(codec: Any) -> Any:
    if isinstance(codec, xsd.Enumeration):
        return next(iter(codec.enum_class))
    if isinstance(codec, xsd.Restricted):
        f = codec.facets
        if "enumeration" in f:
            return codec.base.from_text(list(f["enumeration"])[0])
        v = simple(codec.base)
        if isinstance(v, (int, Decimal, float)) and not isinstance(v, bool):
            if "min_inclusive" in f:
                v = f["min_inclusive"]
            elif "min_exclusive" in f:
                v = f["min_exclusive"] + 1
        if isinstance(v, str):
            if "length" in f:
                v = "x" * f["length"]
            elif "min_length" in f:
                v = "x" * max(f["min_length"], 1)
        return v
    if isinstance(codec, xsd.ListOf):
        return [simple(codec.item)]
    if isinstance(codec, xsd.UnionOf):
        return simple(codec.members[0])
    local = codec.qname.rpartition("}")[2]
    if codec.needs_ns:
        return xsd.QNameValue("urn:sample", "v")
    if local in _G:
        return _G[local]
    t = codec.pytype
    if t is bool:
        return True
    if t is int:
        lo = getattr(codec, "lo", None)
        return 1 if lo is None or lo <= 1 else lo
    if t is Decimal:
        return Decimal("1.5")
    if t is float:
        return 1.5
    if t == (bytes, bytearray, memoryview):
        return b"\x01\x02"
    if t is dt.datetime:
        return dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    if t is dt.date:
        return dt.date(2024, 1, 2)
    if t is dt.time:
        return dt.time(1, 2, 3)
    if t is xsd.Duration:
        return xsd.Duration(days=1)
    return "en" if local == "language" else "text"


def instance(info: s.TypeInfo, depth: int = 0) -> Any:
    d: dict[str, Any] = {}
    for p in info.particles:
        if isinstance(p, s.Element):
            t = p.resolved
            v: Any = None
            if isinstance(t, s.TypeInfo):
                if t.abstract:
                    t = next((x for x in t.subtypes if not x.abstract), None)
                if t is not None and depth < 3:
                    v = instance(t, depth + 1)
            elif isinstance(t, xsd.Codec) and not isinstance(t, xsd._AnyType):
                v = simple(t)
            d[p.field or p.local] = ([] if v is None else [v]) if p.many else v
        elif isinstance(p, (s.Attribute, s.Text)):
            d[p.field] = simple(s._simple_resolve(p.codec))
        elif isinstance(p, (s.Choice, s.AnyElement)):
            d[p.field] = []
        elif isinstance(p, s.AnyAttribute):
            d[p.field] = None
    obj = s.blank(info.cls)
    obj.__dict__.update(d)
    return obj
