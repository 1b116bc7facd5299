"""The WSDL / XML Schema mapping's names.

XML names may hold ``-`` and ``.`` and often follow Java's or .NET's habits, so
the mapping converts them as Python's style asks: types as ``CapWords``
(``person-record`` → ``PersonRecord``), elements, attributes and operations
as ``snake_case`` (``EchoPerson`` → ``echo_person``), enumeration values as
``UPPER_CASE``. A result that Python holds gets a trailing underscore; one that
is empty or starts with a digit is prefixed (``Value``, ``value_``, ``VALUE_``).

The generated package has one namespace for the Python names of every schema
it holds, whatever their XML namespaces (:class:`ModuleNames`): a type keeps
its plain ``CapWords`` name when it is the first to want it, in the order
(namespace of the WSDL itself first, then the other namespaces sorted, then
the local names sorted); a later one from another namespace is prefixed with
its namespace's word (:func:`namespace_word`: ``urn:acme:billing`` →
``Billing``), and a number is appended only if that too is taken. Global
elements are descriptors named ``el_`` + their ``snake_case`` name under the
same rule. The order does not depend on where a name is used, so adding an
operation never renames a type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from idlgen.naming import GENERATED_NAMES, trailing_underscore

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")

#: Names generated modules import or define themselves; schema names avoid them.
SOAP_GENERATED = GENERATED_NAMES | frozenset(
    {"s", "xsd", "c", "srv", "Fault", "Enum", "decimal", "datetime", "types", "bindings"}
    | {"self", "cls", "Field", "fields", "cast", "ClassVar", "Path"}
)

#: Versions and dates that end many namespaces and say nothing about them.
_NOISE = re.compile(r"^(v?\d[\d.]*|\d{4}(-\d\d)*|wsdl|xsd|schemas?|types?|services?|www)$", re.I)


def _words(xml_name: str) -> list[str]:
    return _WORDS.findall(re.sub(r"[^A-Za-z0-9]+", " ", xml_name))


def _safe(name: str, reserved: frozenset[str], prefix: str) -> str:
    if not name or name[0].isdigit():
        name = prefix + name
    return trailing_underscore(name, SOAP_GENERATED | reserved)


def class_name(xml_name: str, reserved: frozenset[str] = frozenset()) -> str:
    """A type or element class: ``CapWords``."""
    return _safe("".join(w[:1].upper() + w[1:] for w in _words(xml_name)), reserved, "Value")


def attribute_name(xml_name: str, reserved: frozenset[str] = frozenset()) -> str:
    """A field, parameter or method: ``snake_case``."""
    return _safe("_".join(w.lower() for w in _words(xml_name)), reserved, "value_")


def constant_name(xml_name: str, reserved: frozenset[str] = frozenset()) -> str:
    """An enumeration value: ``UPPER_CASE``."""
    return _safe("_".join(w.upper() for w in _words(xml_name)), reserved, "VALUE_")


def package_name(stem: str) -> str:
    """The generated package, from the input file's name: ``snake_case``."""
    return attribute_name(stem)


def element_name(xml_name: str) -> str:
    """A global element's descriptor: ``el_`` + ``snake_case``."""
    return "el_" + "_".join(w.lower() for w in _words(xml_name))


def namespace_word(namespace: str) -> str:
    """The ``CapWords`` word that prefixes a type of ``namespace`` whose name is taken.

    The last segment of the namespace that is not a version, date or generic
    word (``http://ws.acme.com/billing/2019/`` → ``Billing``).
    """
    segments = [p for p in re.split(r"[/:#?]+", namespace) if p and not _NOISE.match(p)]
    tail = segments[-1] if segments else "Ns"
    return "".join(w[:1].upper() + w[1:] for w in _words(tail.split(".")[0])) or "Ns"


@dataclass
class ModuleNames:
    """The Python names of one generated module, handed out by the rule above."""

    taken: set[str] = field(default_factory=set)

    def claim(self, wanted: str, namespace: str, main: str | None, join: str = "") -> str:
        """``wanted`` if free; else prefixed with the namespace's word; else numbered."""
        name = wanted
        if name in self.taken and namespace != main:
            word = namespace_word(namespace)
            name = f"{word}{join}{wanted}" if join == "" else f"{wanted}{join}{word.lower()}"
        base, n = name, 2
        while name in self.taken:
            name = f"{base}{n}"
            n += 1
        self.taken.add(name)
        return name


def member_names(xml_names: list[str], reserved: frozenset[str] = frozenset()) -> list[str]:
    """Field or parameter names of one class or method: ``snake_case``.

    A name in ``reserved`` gets a trailing underscore; two that become one are numbered.
    """
    out: list[str] = []
    seen: set[str] = set(reserved)
    for xml in xml_names:
        name = attribute_name(xml, reserved)
        base, n = name, 2
        while name in seen:
            name = f"{base}_{n}"
            n += 1
        seen.add(name)
        out.append(name)
    return out
