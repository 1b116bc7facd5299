"""The runtime's own exception hierarchy.

Generated code and transports raise only these for bad data on the wire, so a
caller can catch one family instead of ``struct.error``, ``IndexError``,
``UnicodeError`` or ``MemoryError`` leaking from the codec internals.
"""

from __future__ import annotations


class IdlgenRuntimeError(Exception):
    """Base class of every error the runtime raises on purpose."""


class XdrError(IdlgenRuntimeError):
    """Base class of XDR codec errors."""


class XdrDecodeError(XdrError, ValueError):
    """Truncated, malformed or hostile XDR data (bad length, bad enum, trailing bytes)."""


class XdrEncodeError(XdrError, ValueError):
    """A Python value that cannot be represented in the declared XDR type."""
