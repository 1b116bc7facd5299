"""WS-Security UsernameToken (OASIS WSS 1.0 UsernameToken Profile 1.0), both sides.

PasswordText sends the password as is (use it over TLS only); PasswordDigest sends
``Base64(SHA-1(nonce + created + password))`` with a fresh 16-byte nonce and the
creation time, so the password itself never crosses the wire. The server side
checks either form against a password lookup, and refuses digests whose ``Created``
is older than ``max_age`` seconds or whose nonce it has seen (a replay).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from idlgen_runtime.soap.errors import Fault
from idlgen_runtime.soap.schema import escape_attr, escape_text

WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
_PROFILE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
PASSWORD_TEXT = _PROFILE + "#PasswordText"
PASSWORD_DIGEST = _PROFILE + "#PasswordDigest"
BASE64 = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
SECURITY = f"{{{WSSE}}}Security"


@dataclass(frozen=True)
class UsernameToken:
    """Credentials for the WS-Security header; ``digest=True`` for PasswordDigest."""

    username: str
    password: str
    digest: bool = False


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def digest_of(nonce: bytes, created: str, password: str) -> str:
    """The PasswordDigest value of the profile."""
    raw = hashlib.sha1(nonce + created.encode() + password.encode(), usedforsecurity=False)
    return base64.b64encode(raw.digest()).decode("ascii")


def header(token: UsernameToken) -> str:
    """The ``wsse:Security`` header block carrying ``token`` (fresh nonce each call)."""
    user = escape_text(token.username)
    if token.digest:
        nonce = os.urandom(16)
        created = _now()
        password = (
            f'<wsse:Password Type="{PASSWORD_DIGEST}">'
            f"{digest_of(nonce, created, token.password)}</wsse:Password>"
            f'<wsse:Nonce EncodingType="{escape_attr(BASE64)}">'
            f"{base64.b64encode(nonce).decode()}</wsse:Nonce><wsu:Created>{created}</wsu:Created>"
        )
    else:
        password = (
            f'<wsse:Password Type="{PASSWORD_TEXT}">{escape_text(token.password)}</wsse:Password>'
        )
    return (
        f'<wsse:Security xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}">'
        f"<wsse:UsernameToken><wsse:Username>{user}</wsse:Username>{password}"
        "</wsse:UsernameToken></wsse:Security>"
    )


class Verifier:
    """Checks the UsernameToken of a request; ``lookup(username)`` gives the password or None."""

    def __init__(
        self, lookup: Callable[[str], str | None], *, max_age: float = 300.0, nonces: int = 10000
    ) -> None:
        self.lookup = lookup
        self.max_age = max_age
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._limit = nonces
        self._lock = threading.Lock()

    def __call__(self, blocks: list[Any]) -> str:
        """The authenticated user name; a Client/Sender ``Fault`` when the token is not good."""
        token = None
        for block in blocks:
            if block.tag == SECURITY:
                token = block.find(f"{{{WSSE}}}UsernameToken")
        if token is None:
            raise _refuse("a WS-Security UsernameToken is required")
        user = token.findtext(f"{{{WSSE}}}Username") or ""
        pw = token.find(f"{{{WSSE}}}Password")
        expected = self.lookup(user)
        if pw is None or expected is None:
            raise _refuse("unknown user or no password")
        kind = pw.get("Type", PASSWORD_TEXT)
        given = pw.text or ""
        if kind == PASSWORD_DIGEST:
            nonce_text = token.findtext(f"{{{WSSE}}}Nonce") or ""
            created = token.findtext(f"{{{WSU}}}Created") or ""
            try:
                nonce = base64.b64decode(nonce_text, validate=True)
                when = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
            except ValueError:
                raise _refuse("malformed nonce or creation time") from None
            age = (dt.datetime.now(dt.timezone.utc) - when).total_seconds()
            if when.tzinfo is None or abs(age) > self.max_age:
                raise _refuse("the token is too old")
            if not hmac.compare_digest(digest_of(nonce, created, expected), given):
                raise _refuse("wrong password")
            with self._lock:
                if nonce_text in self._seen:
                    raise _refuse("the nonce was used before")
                self._seen[nonce_text] = None
                if len(self._seen) > self._limit:
                    self._seen.popitem(last=False)
        elif not hmac.compare_digest(expected.encode(), given.encode()):
            raise _refuse("wrong password")
        return user


def _refuse(why: str) -> Fault:
    return Fault(
        f"authentication failed: {why}",
        "Client",
        subcodes=(f"{{{WSSE}}}FailedAuthentication",),
    )
