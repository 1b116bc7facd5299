"""The WSDL / XML Schema mapping's names.

XML names may hold ``-`` and ``.`` and often follow Java's or .NET's habits, so
the mapping converts them as Python's style asks: types as ``CapWords``
(``person-record`` → ``PersonRecord``), elements, attributes and operations
as ``snake_case`` (``EchoPerson`` → ``echo_person``), enumeration values as
``UPPER_CASE``. A result that Python holds gets a trailing underscore; one that
is empty or starts with a digit is prefixed (``Value``, ``value_``, ``VALUE_``).
"""

from __future__ import annotations

import re

from idlgen.naming import GENERATED_NAMES, trailing_underscore

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def _words(xml_name: str) -> list[str]:
    return _WORDS.findall(re.sub(r"[^A-Za-z0-9]+", " ", xml_name))


def _safe(name: str, reserved: frozenset[str], prefix: str) -> str:
    if not name or name[0].isdigit():
        name = prefix + name
    return trailing_underscore(name, GENERATED_NAMES | reserved)


def class_name(xml_name: str, reserved: frozenset[str] = frozenset()) -> str:
    """A type or element class: ``CapWords``."""
    return _safe("".join(w[:1].upper() + w[1:] for w in _words(xml_name)), reserved, "Value")


def attribute_name(xml_name: str, reserved: frozenset[str] = frozenset()) -> str:
    """A field, parameter or method: ``snake_case``."""
    return _safe("_".join(w.lower() for w in _words(xml_name)), reserved, "value_")


def constant_name(xml_name: str, reserved: frozenset[str] = frozenset()) -> str:
    """An enumeration value: ``UPPER_CASE``."""
    return _safe("_".join(w.upper() for w in _words(xml_name)), reserved, "VALUE_")
