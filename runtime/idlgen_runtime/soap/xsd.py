"""Codecs of the XML Schema built-in simple types, and of types derived from them.

Each codec turns a Python value into its lexical form (``to_text``) and back
(``from_text``), checking the type's value space: integer ranges, the float
specials ``INF``/``-INF``/``NaN`` (not Python's ``inf``), decimals without
exponents. Values keep what XML says exactly: dateTime/date/time values remember
their text (a ``DateTime`` parsed from ``...05.50+00:00`` writes that text back,
not ``...05.5Z``), so a message round-trips byte for byte.

``qname`` is the type's own name (``{http://www.w3.org/2001/XMLSchema}int``):
rpc/encoded messages write it as ``xsi:type``. QName-valued codecs need the
namespace context of the element they sit in (``needs_ns``); the schema module
passes it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import enum
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from idlgen_runtime.soap.errors import XsdValueError

XSD_NS = "http://www.w3.org/2001/XMLSchema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


class Codec(Generic[T]):
    """A simple type: text <-> value. Subclasses override ``from_text``/``to_text``."""

    qname: str = ""
    needs_ns = False
    #: the Python type of its values (for union dispatch and xsi:type guessing)
    pytype: type | tuple[type, ...] = object

    def __init__(self, local: str = "", ns: str = XSD_NS) -> None:
        if local:
            self.qname = f"{{{ns}}}{local}"

    def to_text(self, value: T) -> str:
        """The lexical form of ``value``."""
        return str(value)

    def from_text(self, text: str) -> T:
        """The value of a lexical form."""
        raise NotImplementedError

    def to_text_ns(self, value: T, declare: Callable[[str], str]) -> str:
        """``to_text`` for QName-valued types: ``declare(ns)`` returns a bound prefix."""
        return self.to_text(value)

    def from_text_ns(self, text: str, nsmap: Mapping[str | None, str]) -> T:
        """``from_text`` with the namespace bindings in scope."""
        return self.from_text(text)

    def __repr__(self) -> str:
        return f"<xsd codec {self.qname or type(self).__name__}>"


def _fail(codec: Codec[Any], text: object, why: str = "") -> XsdValueError:
    name = codec.qname.rpartition("}")[2] or type(codec).__name__
    return XsdValueError(f"{text!r} is not a valid xsd:{name}{': ' + why if why else ''}")


# --- strings ---------------------------------------------------------------------------


class _String(Codec[str]):
    pytype = str
    _ws = "preserve"
    _pattern: re.Pattern[str] | None = None

    def __init__(self, local: str, ws: str = "preserve", pattern: str | None = None) -> None:
        super().__init__(local)
        self._ws = ws
        self._pattern = re.compile(pattern) if pattern else None
        #: the text is the value as is (readers skip the call)
        self.plain = ws == "preserve" and pattern is None

    def to_text(self, value: str) -> str:
        if not isinstance(value, str):
            raise _fail(self, value, "not a str")
        return value

    def from_text(self, text: str) -> str:
        if self._ws == "collapse":
            text = " ".join(text.split())
        elif self._ws == "replace":
            text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        if self._pattern is not None and not self._pattern.fullmatch(text):
            raise _fail(self, text)
        return text


_NAME = r"[^\W\d][\w.\-]*"  # close enough to XML's Name for checking, without ':' (NCName)
string = _String("string")
normalizedString = _String("normalizedString", "replace")
token = _String("token", "collapse")
language = _String("language", "collapse", r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
Name = _String("Name", "collapse", rf"[:_]?{_NAME}(:[\w.\-]*)*|:[\w.\-:]*|_[\w.\-:]*")
NCName = _String("NCName", "collapse", rf"{_NAME}|_[\w.\-]*")
ID = _String("ID", "collapse", rf"{_NAME}|_[\w.\-]*")
IDREF = _String("IDREF", "collapse", rf"{_NAME}|_[\w.\-]*")
ENTITY = _String("ENTITY", "collapse", rf"{_NAME}|_[\w.\-]*")
NMTOKEN = _String("NMTOKEN", "collapse", r"[\w.\-:]+")
anyURI = _String("anyURI", "collapse")
anySimpleType = _String("anySimpleType")


class _AnyType(_String):
    """xsd:anyType in a simple position: its text. Elements keep anyType content as XML."""


anyType = _AnyType("anyType")


# --- booleans and numbers ---------------------------------------------------------------


class _Boolean(Codec[bool]):
    pytype = bool

    def to_text(self, value: bool) -> str:
        if value is True:
            return "true"
        if value is False:
            return "false"
        raise _fail(self, value, "not a bool")

    def from_text(self, text: str) -> bool:
        t = text.strip()
        if t in ("true", "1"):
            return True
        if t in ("false", "0"):
            return False
        raise _fail(self, text)


boolean = _Boolean("boolean")

_INT_RE = re.compile(r"[+-]?[0-9]+")


class _Integer(Codec[int]):
    pytype = int

    def __init__(self, local: str, lo: int | None = None, hi: int | None = None) -> None:
        super().__init__(local)
        self.lo = lo
        self.hi = hi

    def _check(self, value: int, shown: object) -> int:
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise _fail(self, shown, f"outside [{self.lo}, {self.hi}]")
        return value

    def to_text(self, value: int) -> str:
        if type(value) is not int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise _fail(self, value, "not an int")
        return str(self._check(value, value))

    def from_text(self, text: str) -> int:
        t = text.strip()
        if not _INT_RE.fullmatch(t):
            raise _fail(self, text)
        return self._check(int(t), text)


def _bits(n: int) -> tuple[int, int]:
    return -(1 << (n - 1)), (1 << (n - 1)) - 1


integer = _Integer("integer")
long = _Integer("long", *_bits(64))
int_ = _Integer("int", *_bits(32))
short = _Integer("short", *_bits(16))
byte = _Integer("byte", *_bits(8))
unsignedLong = _Integer("unsignedLong", 0, (1 << 64) - 1)
unsignedInt = _Integer("unsignedInt", 0, (1 << 32) - 1)
unsignedShort = _Integer("unsignedShort", 0, (1 << 16) - 1)
unsignedByte = _Integer("unsignedByte", 0, (1 << 8) - 1)
positiveInteger = _Integer("positiveInteger", 1)
nonNegativeInteger = _Integer("nonNegativeInteger", 0)
negativeInteger = _Integer("negativeInteger", None, -1)
nonPositiveInteger = _Integer("nonPositiveInteger", None, 0)

_DEC_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


class _Decimal(Codec[Decimal]):
    pytype = Decimal

    def to_text(self, value: Decimal) -> str:
        if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
            raise _fail(self, value, "not a Decimal")
        if isinstance(value, int):
            return str(value)
        if not value.is_finite():
            raise _fail(self, value, "not finite")
        return format(value, "f")

    def from_text(self, text: str) -> Decimal:
        t = text.strip()
        if not _DEC_RE.fullmatch(t):
            raise _fail(self, text)
        return Decimal(t)


decimal = _Decimal("decimal")

_FLOAT_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


class _Float(Codec[float]):
    pytype = float

    def to_text(self, value: float) -> str:
        if isinstance(value, bool) or not isinstance(value, (float, int)):
            raise _fail(self, value, "not a float")
        if isinstance(value, float):
            if math.isnan(value):
                return "NaN"
            if math.isinf(value):
                return "INF" if value > 0 else "-INF"
            return repr(value)
        return str(value)

    def from_text(self, text: str) -> float:
        t = text.strip()
        if t == "INF" or t == "+INF":
            return math.inf
        if t == "-INF":
            return -math.inf
        if t == "NaN":
            return math.nan
        if not _FLOAT_RE.fullmatch(t):
            raise _fail(self, text)
        return float(t)


float_ = _Float("float")
double = _Float("double")


# --- binary -----------------------------------------------------------------------------


class _Base64(Codec[bytes]):
    pytype = (bytes, bytearray, memoryview)

    def to_text(self, value: bytes) -> str:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise _fail(self, value, "not bytes")
        return base64.b64encode(value).decode("ascii")

    def from_text(self, text: str) -> bytes:
        try:
            return base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise _fail(self, text[:40]) from None


class _Hex(Codec[bytes]):
    pytype = (bytes, bytearray, memoryview)

    def to_text(self, value: bytes) -> str:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise _fail(self, value, "not bytes")
        return bytes(value).hex().upper()

    def from_text(self, text: str) -> bytes:
        t = text.strip()
        if len(t) % 2 or not re.fullmatch(r"[0-9a-fA-F]*", t):
            raise _fail(self, text[:40])
        return bytes.fromhex(t)


base64Binary = _Base64("base64Binary")
hexBinary = _Hex("hexBinary")


# --- QName ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QNameValue:
    """An xsd:QName value: a namespace (``""`` for none) and a local name.

    Like ``lxml.etree.QName``: ``.namespace``, ``.localname`` and ``.text`` (``{ns}local``).
    """

    namespace: str
    localname: str

    @classmethod
    def from_clark(cls, text: str) -> QNameValue:
        """From ``{ns}local`` or ``local``."""
        if text.startswith("{"):
            ns, _, local = text[1:].partition("}")
            return cls(ns, local)
        return cls("", text)

    @property
    def text(self) -> str:
        """The Clark notation, ``{ns}local``."""
        return f"{{{self.namespace}}}{self.localname}" if self.namespace else self.localname

    def __str__(self) -> str:
        return self.text


class _QName(Codec[QNameValue]):
    pytype = QNameValue
    needs_ns = True

    def to_text(self, value: QNameValue) -> str:
        raise XsdValueError("an xsd:QName needs a namespace context (to_text_ns)")

    def from_text(self, text: str) -> QNameValue:
        return self.from_text_ns(text, {})

    def to_text_ns(self, value: QNameValue, declare: Callable[[str], str]) -> str:
        if isinstance(value, str):
            value = QNameValue.from_clark(value)
        if not isinstance(value, QNameValue):
            raise _fail(self, value, "not a QNameValue")
        if not value.namespace:
            return value.localname
        return f"{declare(value.namespace)}:{value.localname}"

    def from_text_ns(self, text: str, nsmap: Mapping[str | None, str]) -> QNameValue:
        t = text.strip()
        prefix, colon, local = t.rpartition(":")
        if not local or (colon and not prefix):
            raise _fail(self, text)
        ns = nsmap.get(prefix or None)
        if ns is None:
            if prefix:
                raise _fail(self, text, f"prefix {prefix!r} is not bound")
            ns = ""
        return QNameValue(ns, local)


QName = _QName("QName")
NOTATION = _QName("NOTATION")


# --- dates and times --------------------------------------------------------------------

_TZ = r"(Z|[+-](?:0\d|1[0-4]):[0-5]\d)?"
_DT_RE = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?" + _TZ)
_DATE_RE = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)" + _TZ)
_TIME_RE = re.compile(r"(\d\d):(\d\d):(\d\d)(\.\d+)?" + _TZ)


def _tz(text: str | None) -> _dt.tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return _dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    return _dt.timezone(sign * _dt.timedelta(hours=int(text[1:3]), minutes=int(text[4:6])))


def _tz_text(tz: _dt.tzinfo | None, when: _dt.datetime | None = None) -> str:
    if tz is None:
        return ""
    off = tz.utcoffset(when)
    if off is None:
        return ""
    minutes = int(off.total_seconds()) // 60
    if minutes == 0:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h:02d}:{m:02d}"


def _frac(us: int) -> str:
    return f".{us:06d}".rstrip("0") if us else ""


class DateTime(_dt.datetime):
    """A ``datetime`` that remembers the text it was parsed from (written back unchanged)."""

    _lexical: str | None = None


class Date(_dt.date):
    """A ``date`` with an optional time zone (xsd:date may carry one), remembering its text."""

    _lexical: str | None = None
    tzinfo: _dt.tzinfo | None = None


class Time(_dt.time):
    """A ``time`` that remembers the text it was parsed from."""

    _lexical: str | None = None


def _us(frac: str | None, text: str, codec: Codec[Any]) -> int:
    if not frac:
        return 0
    digits = frac[1:]
    if len(digits) > 6 and digits[6:].strip("0"):
        raise _fail(codec, text, "more than microsecond precision")
    return int(digits[:6].ljust(6, "0"))


class _DateTime(Codec[_dt.datetime]):
    pytype = _dt.datetime

    def to_text(self, value: _dt.datetime) -> str:
        lexical = getattr(value, "_lexical", None)
        if isinstance(lexical, str):
            return lexical
        if not isinstance(value, _dt.datetime):
            raise _fail(self, value, "not a datetime")
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:"
            f"{value.minute:02d}:{value.second:02d}{_frac(value.microsecond)}"
            f"{_tz_text(value.tzinfo, value)}"
        )

    def from_text(self, text: str) -> _dt.datetime:
        t = text.strip()
        m = _DT_RE.fullmatch(t)
        if m is None:
            raise _fail(self, text)
        y, mo, d, h, mi, s, frac, tz = m.groups()
        try:
            extra = _dt.timedelta(0)
            if h == "24":
                if mi != "00" or s != "00" or (frac and frac.strip(".0")):
                    raise ValueError("24:00:00 only")
                h, extra = "00", _dt.timedelta(days=1)
            v = (
                DateTime(
                    int(y), int(mo), int(d), int(h), int(mi), int(s), _us(frac, text, self), _tz(tz)
                )
                + extra
            )
        except (ValueError, OverflowError) as exc:
            raise _fail(self, text, str(exc)) from None
        result = DateTime(
            v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.tzinfo
        )
        result._lexical = t
        return result


class _Date(Codec[_dt.date]):
    pytype = _dt.date

    def to_text(self, value: _dt.date) -> str:
        lexical = getattr(value, "_lexical", None)
        if isinstance(lexical, str):
            return lexical
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            raise _fail(self, value, "not a date")
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" + _tz_text(
            getattr(value, "tzinfo", None)
        )

    def from_text(self, text: str) -> _dt.date:
        t = text.strip()
        m = _DATE_RE.fullmatch(t)
        if m is None:
            raise _fail(self, text)
        try:
            result = Date(int(m[1]), int(m[2]), int(m[3]))
        except (ValueError, OverflowError) as exc:
            raise _fail(self, text, str(exc)) from None
        result.tzinfo = _tz(m[4])
        result._lexical = t
        return result


class _Time(Codec[_dt.time]):
    pytype = _dt.time

    def to_text(self, value: _dt.time) -> str:
        lexical = getattr(value, "_lexical", None)
        if isinstance(lexical, str):
            return lexical
        if not isinstance(value, _dt.time):
            raise _fail(self, value, "not a time")
        return (
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
            f"{_frac(value.microsecond)}{_tz_text(value.tzinfo)}"
        )

    def from_text(self, text: str) -> _dt.time:
        t = text.strip()
        m = _TIME_RE.fullmatch(t)
        if m is None:
            raise _fail(self, text)
        h = int(m[1])
        if h == 24 and m[2] == "00" and m[3] == "00" and not (m[4] or "").strip(".0"):
            h = 0
        try:
            result = Time(h, int(m[2]), int(m[3]), _us(m[4], text, self), _tz(m[5]))
        except ValueError as exc:
            raise _fail(self, text, str(exc)) from None
        result._lexical = t
        return result


dateTime = _DateTime("dateTime")
date = _Date("date")
time = _Time("time")


@dataclass(frozen=True)
class Duration:
    """An xsd:duration: its six components as written, and a sign.

    Months and days do not convert to seconds without a calendar, so this is not a
    ``timedelta``; ``to_timedelta()`` converts when there are no years or months.
    """

    years: int = 0
    months: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: Decimal = Decimal(0)
    negative: bool = False
    _lexical: str | None = field(default=None, compare=False, repr=False)

    def to_timedelta(self) -> _dt.timedelta:
        """The duration as a ``timedelta`` (only without years and months)."""
        if self.years or self.months:
            raise XsdValueError("a duration with years or months has no fixed length")
        td = _dt.timedelta(
            days=self.days, hours=self.hours, minutes=self.minutes, seconds=float(self.seconds)
        )
        return -td if self.negative else td

    @classmethod
    def from_timedelta(cls, td: _dt.timedelta) -> Duration:
        """The duration of a ``timedelta`` (days, hours, minutes, seconds)."""
        negative = td < _dt.timedelta(0)
        td = abs(td)
        secs = Decimal(td.seconds) + Decimal(td.microseconds) / Decimal(1000000)
        h, rest = divmod(int(secs), 3600)
        m, s = divmod(rest, 60)
        return cls(0, 0, td.days, h, m, secs - int(secs) + s, negative)


_DUR_RE = re.compile(
    r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?|\.\d+)S)?)?"
)


class _Duration(Codec[Duration]):
    pytype = Duration

    def to_text(self, value: Duration) -> str:
        if isinstance(value, _dt.timedelta):
            value = Duration.from_timedelta(value)
        if not isinstance(value, Duration):
            raise _fail(self, value, "not a Duration")
        if value._lexical is not None:
            return value._lexical
        date_part = "".join(
            f"{n}{u}" for n, u in ((value.years, "Y"), (value.months, "M"), (value.days, "D")) if n
        )
        secs = format(value.seconds, "f") if value.seconds else ""
        time_part = "".join(
            f"{n}{u}" for n, u in ((value.hours, "H"), (value.minutes, "M"), (secs, "S")) if n
        )
        if not date_part and not time_part:
            time_part = "0S"
        return (
            ("-" if value.negative else "")
            + "P"
            + date_part
            + ("T" + time_part if time_part else "")
        )

    def from_text(self, text: str) -> Duration:
        t = text.strip()
        m = _DUR_RE.fullmatch(t)
        if m is None or t.endswith(("P", "T")) or not any(m.groups()[1:]):
            raise _fail(self, text)
        neg, y, mo, d, h, mi, s = m.groups()
        return Duration(
            int(y or 0),
            int(mo or 0),
            int(d or 0),
            int(h or 0),
            int(mi or 0),
            Decimal(s or 0),
            bool(neg),
            t,
        )


duration = _Duration("duration")


class _Pattern(_String):
    """The Gregorian fragments (gYear...): kept as their checked text."""


gYear = _Pattern("gYear", "collapse", r"-?\d{4,}" + _TZ)
gYearMonth = _Pattern("gYearMonth", "collapse", r"-?\d{4,}-(0[1-9]|1[0-2])" + _TZ)
gMonth = _Pattern("gMonth", "collapse", r"--(0[1-9]|1[0-2])" + _TZ)
gMonthDay = _Pattern("gMonthDay", "collapse", r"--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + _TZ)
gDay = _Pattern("gDay", "collapse", r"---(0[1-9]|[12]\d|3[01])" + _TZ)


# --- derived types ----------------------------------------------------------------------


class Restricted(Codec[Any]):
    """A restriction of a simple type by facets, checked both ways."""

    def __init__(self, base: Codec[Any], qname: str = "", **facets: Any) -> None:
        self.base = base
        self.qname = qname or base.qname
        self.needs_ns = base.needs_ns
        self.pytype = base.pytype
        self.facets = facets
        unknown = set(facets) - _FACETS
        if unknown:
            raise TypeError(f"unknown facets {sorted(unknown)}")
        pattern = facets.get("pattern")
        patterns = [pattern] if isinstance(pattern, str) else list(pattern or ())
        self._patterns = [c for c in map(xsd_regex, patterns) if c is not None]
        enum_values = facets.get("enumeration")
        self._enum = None if enum_values is None else set(enum_values)

    def _check(self, value: Any, text: str) -> Any:
        f = self.facets
        if self._enum is not None and text not in self._enum and value not in self._enum:
            raise _fail(self, text, "not one of the enumeration")
        for p in self._patterns:
            if not p.fullmatch(text):
                raise _fail(self, text, f"does not match {p.pattern!r}")
        if isinstance(value, (str, bytes, list)):
            n = len(value)
            if "length" in f and n != f["length"]:
                raise _fail(self, text, f"length is not {f['length']}")
            if "min_length" in f and n < f["min_length"]:
                raise _fail(self, text, f"shorter than {f['min_length']}")
            if "max_length" in f and n > f["max_length"]:
                raise _fail(self, text, f"longer than {f['max_length']}")
        for key, ok in _BOUNDS:
            if key in f and not ok(value, f[key]):
                raise _fail(self, text, f"violates {key}={f[key]}")
        if "total_digits" in f or "fraction_digits" in f:
            try:
                d = Decimal(text.strip()).as_tuple()
            except InvalidOperation:
                raise _fail(self, text) from None
            frac = max(0, -int(d.exponent))
            digits = len(d.digits.__str__()) and len(d.digits)
            if "total_digits" in f and digits > f["total_digits"]:
                raise _fail(self, text, f"more than {f['total_digits']} digits")
            if "fraction_digits" in f and frac > f["fraction_digits"]:
                raise _fail(self, text, f"more than {f['fraction_digits']} fraction digits")
        return value

    def to_text(self, value: Any) -> str:
        """The lexical form of ``value``."""
        text = self.base.to_text(value)
        self._check(value, text)
        return text

    def from_text(self, text: str) -> Any:
        """The value of a lexical form."""
        value = self.base.from_text(text)
        if self.facets.get("white_space") == "collapse":
            text = " ".join(text.split())
        return self._check(value, text.strip() if not isinstance(value, str) else value)

    def to_text_ns(self, value: Any, declare: Callable[[str], str]) -> str:
        """``to_text`` with prefixes declared through ``declare``."""
        return self.base.to_text_ns(value, declare)

    def from_text_ns(self, text: str, nsmap: Mapping[str | None, str]) -> Any:
        """``from_text`` with the namespace bindings in scope."""
        return self.base.from_text_ns(text, nsmap)


_FACETS = {
    "enumeration",
    "pattern",
    "length",
    "min_length",
    "max_length",
    "min_inclusive",
    "max_inclusive",
    "min_exclusive",
    "max_exclusive",
    "total_digits",
    "fraction_digits",
    "white_space",
}
_BOUNDS: list[tuple[str, Callable[[Any, Any], bool]]] = [
    ("min_inclusive", lambda v, b: v >= b),
    ("max_inclusive", lambda v, b: v <= b),
    ("min_exclusive", lambda v, b: v > b),
    ("max_exclusive", lambda v, b: v < b),
]


_NAME_START = (
    "A-Za-z_:\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_NAME_CHAR = _NAME_START + "\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
# XML Schema regex escapes Python's re lacks (XSD Part 2, appendix F), as classes
_XSD_ESCAPES = {
    "i": f"[{_NAME_START}]",
    "I": f"[^{_NAME_START}]",
    "c": f"[{_NAME_CHAR}]",
    "C": f"[^{_NAME_CHAR}]",
}
_INSIDE = {"i": _NAME_START, "c": _NAME_CHAR}
_CATEGORIES = {
    "L": r"^\W\d_", "Lu": "A-Z", "Ll": "a-z", "N": r"\d", "Nd": r"\d",
    "P": r"!-/:-@\[-`{-~", "Z": r"\s", "Zs": " ",
}  # fmt: skip


def xsd_regex(pattern: str) -> re.Pattern[str] | None:
    r"""An XML Schema pattern as a Python regex (for ``fullmatch``), or None if it has no equal.

    Translates ``\i``, ``\c`` (and negations) and the common ``\p{..}`` categories;
    a pattern using what Python cannot express (class subtraction, rare categories) is
    not checked rather than refused: a facet is a check, not a reason to fail an import.
    """
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt in _XSD_ESCAPES:
                if in_class:
                    if nxt not in _INSIDE:
                        return None
                    out.append(_INSIDE[nxt])
                else:
                    out.append(_XSD_ESCAPES[nxt])
                i += 2
                continue
            if nxt in "pP":
                end = pattern.find("}", i)
                cat = (
                    _CATEGORIES.get(pattern[i + 3 : end]) if pattern[i + 2 : i + 3] == "{" else None
                )
                if cat is None or end < 0:
                    return None
                if in_class:
                    if nxt == "P" or cat.startswith("^"):
                        return None
                    out.append(cat)
                elif cat.startswith("^"):
                    out.append(f"[{cat}]" if nxt == "p" else f"[{cat[1:]}]")
                else:
                    out.append(f"[{'^' if nxt == 'P' else ''}{cat}]")
                i = end + 1
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            if in_class:
                return None  # character class subtraction, or a nested class
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch in "^$" and not in_class:
            out.append("\\" + ch)  # anchors do not exist in XSD: literal characters
            i += 1
            continue
        out.append(ch)
        i += 1
    try:
        return re.compile("".join(out))
    except re.error:
        return None


def restricted(base: Codec[Any], qname: str = "", **facets: Any) -> Restricted:
    """A simple type restricting ``base`` by facets (``min_inclusive=0``, ``pattern=...``)."""
    return Restricted(base, qname, **facets)


class ListOf(Codec[list[Any]]):
    """xsd:list: whitespace-separated items of one simple type."""

    pytype = list

    def __init__(self, item: Codec[Any], qname: str = "") -> None:
        self.item = item
        self.qname = qname
        self.needs_ns = item.needs_ns

    def to_text(self, value: Iterable[Any]) -> str:
        """The lexical form of ``value``."""
        if isinstance(value, (str, bytes)):
            raise _fail(self, value, "not a list")
        return " ".join(self.item.to_text(v) for v in value)

    def from_text(self, text: str) -> list[Any]:
        """The value of a lexical form."""
        return [self.item.from_text(t) for t in text.split()]

    def to_text_ns(self, value: Iterable[Any], declare: Callable[[str], str]) -> str:
        """``to_text`` with prefixes declared through ``declare``."""
        return " ".join(self.item.to_text_ns(v, declare) for v in value)

    def from_text_ns(self, text: str, nsmap: Mapping[str | None, str]) -> list[Any]:
        """``from_text`` with the namespace bindings in scope."""
        return [self.item.from_text_ns(t, nsmap) for t in text.split()]


def list_of(item: Codec[Any], qname: str = "") -> ListOf:
    """A simple type whose values are lists of ``item``'s values."""
    return ListOf(item, qname)


class UnionOf(Codec[Any]):
    """xsd:union: the first member type that accepts the text (or the value's type)."""

    def __init__(self, members: tuple[Codec[Any], ...], qname: str = "") -> None:
        self.members = members
        self.qname = qname

    def to_text(self, value: Any) -> str:
        """The lexical form of ``value``."""
        for m in self.members:
            if isinstance(value, m.pytype) and not (isinstance(value, bool) and m is not boolean):
                try:
                    return m.to_text(value)
                except XsdValueError:
                    continue
        for m in self.members:
            try:
                return m.to_text(value)
            except (XsdValueError, TypeError):
                continue
        raise _fail(self, value, "no member type accepts it")

    def from_text(self, text: str) -> Any:
        """The value of a lexical form."""
        for m in self.members:
            try:
                return m.from_text(text)
            except XsdValueError:
                continue
        raise _fail(self, text, "no member type accepts it")


def union_of(*members: Codec[Any], qname: str = "") -> UnionOf:
    """A simple type whose values are those of any member (tried in order)."""
    return UnionOf(members, qname)


class Enumeration(Codec[E]):
    """An enumeration as a Python ``Enum`` whose values are the lexical forms."""

    pytype = enum.Enum

    def __init__(self, enum_class: type[E], qname: str = "", base: Codec[Any] = string) -> None:
        self.enum_class = enum_class
        self.qname = qname
        self.base = base
        self._by_text = {str(m.value): m for m in enum_class}

    def to_text(self, value: E) -> str:
        """The lexical form of ``value``."""
        if isinstance(value, self.enum_class):
            return str(value.value)
        if isinstance(value, str) and value in self._by_text:
            return value
        raise _fail(self, value, f"not a {self.enum_class.__name__}")

    def from_text(self, text: str) -> E:
        """The value of a lexical form."""
        member = self._by_text.get(text)
        if member is None:
            member = self._by_text.get(" ".join(text.split()))
        if member is None:
            raise _fail(self, text, f"not one of {sorted(self._by_text)}")
        return member


def enumeration(enum_class: type[E], qname: str = "", base: Codec[Any] = string) -> Enumeration[E]:
    """A simple type restricted to the values of a str ``Enum``."""
    return Enumeration(enum_class, qname, base)


#: Every built-in codec by its type QName (rpc/encoded's xsi:type lookup).
BUILTINS: dict[str, Codec[Any]] = {
    c.qname: c
    for c in (
        string, normalizedString, token, language, Name, NCName, ID, IDREF, ENTITY, NMTOKEN,
        anyURI, anySimpleType, anyType, boolean, integer, long, int_, short, byte,
        unsignedLong, unsignedInt, unsignedShort, unsignedByte, positiveInteger,
        nonNegativeInteger, negativeInteger, nonPositiveInteger, decimal, float_, double,
        base64Binary, hexBinary, QName, NOTATION, dateTime, date, time, duration,
        gYear, gYearMonth, gMonth, gMonthDay, gDay,
    )
}  # fmt: skip
