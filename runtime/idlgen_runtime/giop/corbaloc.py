"""``corbaloc:`` and ``corbaname:`` URLs (CORBA 3.x 7.6.10), as omniORB reads them.

``corbaloc::host:port/Key`` and ``corbaname::host:port#a/b`` default to GIOP
1.0, as omniORB does (FIELD-NOTES: no CodeSets context then); ``1.2@host``
asks for 1.2. The default port is 2809; keys are %-escaped octets.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from idlgen_runtime.giop.exceptions import BAD_PARAM

DEFAULT_PORT = 2809


@dataclass(frozen=True)
class Address:
    """One ``iiop`` address of a corbaloc URL."""

    host: str
    port: int
    version: tuple[int, int] = (1, 0)


@dataclass(frozen=True)
class CorbaLoc:
    """A parsed ``corbaloc:``: addresses and key, or ``rir`` (an initial reference)."""

    addresses: tuple[Address, ...]
    key: bytes
    rir: bool = False


@dataclass(frozen=True)
class CorbaName:
    """A parsed ``corbaname:``: where the naming context is, and the name in it."""

    loc: CorbaLoc
    name: str


def _bad(url: str, why: str) -> BAD_PARAM:  # type: ignore[valid-type]
    return BAD_PARAM(0, text=f"{url!r}: {why}")


def _address(url: str, text: str) -> Address:
    version = (1, 0)
    if text.startswith("iiop:"):
        text = text[5:]
    elif text.startswith(":"):
        text = text[1:]
    else:
        raise _bad(url, f"unsupported protocol in {text!r}")
    if "@" in text:
        ver, text = text.split("@", 1)
        try:
            major, minor = (int(x) for x in ver.split("."))
        except ValueError:
            raise _bad(url, f"bad version {ver!r}") from None
        if major != 1 or minor not in (0, 1, 2):
            raise _bad(url, f"unsupported GIOP version {ver}")
        version = (major, minor)
    port = DEFAULT_PORT
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep:
            raise _bad(url, "unclosed [ in an IPv6 address")
        if rest.startswith(":") and rest[1:]:
            port = _port(url, rest[1:])
    else:
        host, _, p = text.partition(":")
        if p:
            port = _port(url, p)
    if not host:
        host = "localhost"
    return Address(host, port, version)


def _port(url: str, text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise _bad(url, f"bad port {text!r}")
    return int(text)


def parse_corbaloc(url: str) -> CorbaLoc:
    """Parse ``corbaloc:...`` (BAD_PARAM when malformed)."""
    if not url.startswith("corbaloc:"):
        raise _bad(url, "not a corbaloc URL")
    body = url[len("corbaloc:") :]
    addrs, sep, key = body.partition("/")
    if body.startswith("rir:"):
        return CorbaLoc((), urllib.parse.unquote_to_bytes(key or "NameService"), rir=True)
    if not sep:
        raise _bad(url, "no /key")
    parsed = tuple(_address(url, a) for a in addrs.split(","))
    return CorbaLoc(parsed, urllib.parse.unquote_to_bytes(key))


def parse_corbaname(url: str) -> CorbaName:
    """Parse ``corbaname:...#name`` (the key defaults to ``NameService``)."""
    if not url.startswith("corbaname:"):
        raise _bad(url, "not a corbaname URL")
    body, _, name = url[len("corbaname:") :].partition("#")
    if "/" not in body:
        body += "/NameService"
    loc = parse_corbaloc("corbaloc:" + body)
    return CorbaName(loc, urllib.parse.unquote(name))
