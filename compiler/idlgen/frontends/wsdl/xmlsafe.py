"""Reading XML safely: a hardened lxml parser, and positions for the IR.

WSDLs and schemas come from strangers. The parser loads no DTD, expands no
entity and never touches the network; a document that declares a DTD at all
(``<!DOCTYPE``: the carrier of XXE and of the "billion laughs") is refused with
a diagnostic, as SOAP itself refuses them. Trees are bounded in depth and size
by libxml2's own limits (``huge_tree`` stays off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from idlgen import ir
from idlgen.diagnostics import CompileError, Diagnostic


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


#: Start tags, skipping comments, CDATA sections, PIs and the DOCTYPE (group 1: a tag).
_TAGS = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[?!][^>]*>|<([A-Za-z_][^\s/>]*)", re.DOTALL)


@dataclass
class XmlDocument:
    """One parsed file: its root element, its text (for diagnostics) and its lines.

    lxml gives each element's line; the column of its tag comes from one scan of
    the text, which pairs the n-th start tag of a line with the n-th element the
    tree has on that line (so minified one-line files get columns too).
    """

    file: str
    root: etree._Element
    text: str
    lines: list[str] = field(default_factory=list)
    _cols: dict[etree._Element, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        tags: dict[int, list[int]] = {}
        line, last, line_start = 1, 0, 0
        for m in _TAGS.finditer(self.text):
            if m.group(1) is None:
                continue
            at = m.start()
            newlines = self.text.count("\n", last, at)
            if newlines:
                line += newlines
                line_start = self.text.rfind("\n", last, at) + 1
            last = at
            tags.setdefault(line, []).append(at - line_start + 1)
        seen: dict[int, int] = {}
        for el in self.root.iter():
            n = el.sourceline or 0
            k = seen.get(n, 0)
            seen[n] = k + 1
            cols = tags.get(n)
            if cols is not None and k < len(cols):
                self._cols[el] = cols[k]

    def loc(self, el: etree._Element, attr: str | None = None) -> ir.Loc:
        """Where ``el`` starts (its line, the column of its tag), or its ``attr``."""
        line = el.sourceline or 0
        col = self._cols.get(el, 1)
        if attr is not None and 0 < line <= len(self.lines):
            raw = self.lines[line - 1]
            end = raw.find("<", col)  # an attribute value holds no '<': the tag ends before
            found = raw.find(attr + "=", col - 1, end if end >= 0 else len(raw))
            if found >= 0:
                return ir.Loc(self.file, line, found + 1, line, found + 1 + len(attr))
        return ir.Loc(self.file, line, col)


def parse_xml(path: Path, display: str, data: bytes | None = None) -> XmlDocument:
    """Parse one file, refusing DTDs and entities; errors are diagnostics at ``display``."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            why = exc.strerror.lower() if exc.strerror else str(exc)
            raise CompileError([Diagnostic(ir.Loc(display, 0, 0), f"cannot read: {why}")]) from None
    text = data.decode("utf-8", errors="replace")
    doctype = _doctype_line(data)
    if doctype:
        raise CompileError(
            [
                Diagnostic(
                    ir.Loc(display, doctype, 1),
                    "a DTD (<!DOCTYPE>) is not allowed: idlgen refuses DTDs and entities "
                    "in WSDLs and schemas (XXE, entity expansion)",
                    "xml-dtd",
                )
            ]
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        message = re.sub(r",? \(?line \d+, column \d+\)?$", "", str(exc.msg or exc))
        raise CompileError(
            [Diagnostic(ir.Loc(display, line, max(col, 1)), message, "xml-syntax")]
        ) from None
    if root.getroottree().docinfo.internalDTD is not None:  # a prolog the scan missed (UTF-16)
        raise CompileError(
            [Diagnostic(ir.Loc(display, 1, 1), "a DTD (<!DOCTYPE>) is not allowed", "xml-dtd")]
        )
    encoding = root.getroottree().docinfo.encoding or "UTF-8"
    if encoding.upper() not in ("UTF-8", "UTF8", "ASCII", "US-ASCII"):
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            pass
    return XmlDocument(display, root, text, text.splitlines())


def _doctype_line(data: bytes) -> int:
    """The line of a ``<!DOCTYPE`` in the prolog (0: none before the root element)."""
    i = 0
    while True:
        i = data.find(b"<", i)
        if i < 0:
            return 0
        if data.startswith(b"<!DOCTYPE", i):
            return data.count(b"\n", 0, i) + 1
        if data.startswith(b"<!--", i):
            end = data.find(b"-->", i)
        elif data.startswith(b"<?", i):
            end = data.find(b"?>", i)
        else:
            return 0  # the root element
        if end < 0:
            return 0
        i = end + 1
