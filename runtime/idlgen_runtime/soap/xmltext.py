"""Writing XML text by hand: escaping, Clark names, prefixes declared on one tag.

The plans (plans.py), envelopes, rpc/encoded and WS-Security build messages as
strings; this is the little they share. Names are Clark notation throughout
(``{namespace}local``, or ``local`` in no namespace), as lxml spells them.
"""

from __future__ import annotations

import re

from idlgen_runtime.soap.errors import XsdValueError

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_BAD_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_TEXT_SPECIAL = re.compile(f"[&<>\r{_BAD_CHARS}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\r\n\t{_BAD_CHARS}]')
_BAD = re.compile(f"[{_BAD_CHARS}]")


def _bad_char(s: str) -> XsdValueError:
    return XsdValueError(f"{s[:40]!r} holds a character XML 1.0 cannot carry")


def escape_text(s: str) -> str:
    """``s`` as element content (``&``, ``<``, ``>`` and CR escaped; invalid characters refused)."""
    if _TEXT_SPECIAL.search(s) is None:
        return s
    if _BAD.search(s):
        raise _bad_char(s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def escape_attr(s: str) -> str:
    """``s`` as a double-quoted attribute value (whitespace kept through character references)."""
    if _ATTR_SPECIAL.search(s) is None:
        return s
    if _BAD.search(s):
        raise _bad_char(s)
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def split(name: str) -> tuple[str, str]:
    """``"{ns}local"`` -> ``("ns", "local")``; ``"local"`` -> ``("", "local")``."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


class Prefixes:
    """Prefixes declared on one start tag (for QName values, xsi:type, attributes)."""

    __slots__ = ("decls", "by_ns", "stem")

    def __init__(self, stem: str) -> None:
        # each use on one tag has its own stem (t: xsi:type, a: attributes, v: the value)
        self.decls: list[str] = []
        self.by_ns: dict[str, str] = {}
        self.stem = stem

    def declare(self, ns: str) -> str:
        """The prefix bound to ``ns`` on this tag (declared on first use; ``xml`` is built in)."""
        if ns == XML_NS:
            return "xml"
        prefix = self.by_ns.get(ns)
        if prefix is None:
            prefix = self.by_ns[ns] = f"{self.stem}{len(self.by_ns)}"
            self.decls.append(f' xmlns:{prefix}="{escape_attr(ns)}"')
        return prefix

    def text(self) -> str:
        """The declarations, ready to append to a start tag."""
        return "".join(self.decls)


def xsi_type_attr(qname: str) -> str:
    """`` xmlns:xsi=... xsi:type="t0:Local"`` for the type named ``qname``."""
    ns, local = split(qname)
    if not ns:
        return f' xmlns:xsi="{XSI_NS}" xsi:type="{local}"'
    return f' xmlns:xsi="{XSI_NS}" xmlns:t0="{escape_attr(ns)}" xsi:type="t0:{local}"'
