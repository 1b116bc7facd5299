"""The one hardened XML parser every SOAP message goes through.

lxml (libxml2) with every door shut: no DTD loading or validation, no entity
expansion, no network, ``huge_tree`` off (libxml2's own limits on text nodes and
depth stay on). A document that carries any DOCTYPE is refused outright -- SOAP
forbids DTDs in messages (SOAP 1.1 sec. 3, SOAP 1.2 part 1 sec. 5), so there is no
reason to look inside one; that closes XXE, billion laughs and external DTDs at
once. On top, a size limit before parsing and a depth limit after it.
"""

from __future__ import annotations

import threading

from lxml import etree

from idlgen_runtime.soap.errors import XmlError, XmlSecurityError

#: Default limits for one message (the server and client constructors take their own).
MAX_SIZE = 10 * 1024 * 1024
MAX_DEPTH = 100

_local = threading.local()
_depth_checks: dict[int, etree.XPath] = {}


def _parser() -> etree.XMLParser:
    # lxml parsers keep per-parse state; one per thread avoids sharing it.
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
        )
        _local.parser = parser
    return parser


def _depth_check(depth: int) -> etree.XPath:
    check = _depth_checks.get(depth)
    if check is None:
        # true when an element exists below `depth` levels: evaluated in C, one pass
        check = etree.XPath("boolean(/" + "*/" * depth + "*)")
        _depth_checks[depth] = check
    return check


def parse(data: bytes, *, max_size: int = MAX_SIZE, max_depth: int = MAX_DEPTH) -> etree._Element:
    """Parse one message; raise ``XmlSecurityError`` or ``XmlError``, never lxml's own errors."""
    if len(data) > max_size:
        raise XmlSecurityError(f"message of {len(data)} bytes exceeds the limit of {max_size}")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise XmlSecurityError("DTDs and entities are not allowed in SOAP messages") from None
        raise XmlError(f"malformed XML: {exc}") from None
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise XmlError(f"malformed XML: {exc}") from None
    if b"<!DOCTYPE" in data:  # XML spells it so; the tree then says whether it is one
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
            raise XmlSecurityError("DTDs and entities are not allowed in SOAP messages")
    # each level takes at least 7 bytes (<a></a>): a shorter message cannot be too deep
    if len(data) > 7 * max_depth and _depth_check(max_depth)(root):
        raise XmlSecurityError(f"message nested deeper than {max_depth} elements")
    return root
