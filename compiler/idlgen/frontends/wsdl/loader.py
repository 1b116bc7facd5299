"""Finding and reading every file a WSDL or schema needs, offline.

A location (``schemaLocation``, ``location``) is looked up, in order:

1. in the ``--catalog`` files (``URL PATH`` lines; PATH relative to the catalog);
2. as a path relative to the file that names it, then in each ``-I`` folder
   (a URL's last segment too, so ``-I schemas/`` serves ``http://x/a.xsd``);
3. among the standard schemas idlgen carries (:mod:`.schemas`), by URL.

An import of a namespace without a location is satisfied by a schema of that
namespace anywhere in the set (the WSDL's other inline schemas) or, failing
that, by a bundled one; so is an import whose location cannot be found. Only
then is a missing file an error, at the import's line, naming ``--catalog``.
Nothing is ever fetched from the network. Each file is read once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from idlgen import ir
from idlgen.diagnostics import CompileError, Diagnostic, Reporter
from idlgen.frontends.wsdl import schemas
from idlgen.frontends.wsdl.xmlsafe import XmlDocument, parse_xml
from idlgen.frontends.wsdl.xsd import SchemaUnit, is_xsd, local_name, xsd_children

WSDL11 = "http://schemas.xmlsoap.org/wsdl/"
WSDL20 = "http://www.w3.org/ns/wsdl"

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def is_url(location: str) -> bool:
    """``http://…``, ``urn:…`` (not a relative path nor a Windows drive)."""
    return bool(_SCHEME.match(location))


def read_catalogs(files: list[Path]) -> dict[str, Path]:
    """``--catalog`` files: ``URL PATH`` per line, ``#`` comments, PATH relative to the file."""
    catalog: dict[str, Path] = {}
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            why = exc.strerror.lower() if exc.strerror else str(exc)
            raise CompileError(
                [Diagnostic(ir.Loc(str(file), 0, 0), f"cannot read catalog: {why}", "catalog")]
            ) from None
        for number, line in enumerate(text.splitlines(), 1):
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if len(words) != 2:
                raise CompileError(
                    [
                        Diagnostic(
                            ir.Loc(str(file), number, 1),
                            "a catalog line is 'URL PATH' (two words)",
                            "catalog",
                        )
                    ]
                )
            url, path = words
            target = Path(path)
            catalog[url] = target if target.is_absolute() else file.parent / target
    return catalog


@dataclass
class Loaded:
    """Everything read: WSDL documents (1.1 and 2.0) and schemas, in the order met."""

    wsdl11: list[XmlDocument] = field(default_factory=list)
    wsdl20: list[XmlDocument] = field(default_factory=list)
    units: list[SchemaUnit] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def namespaces(self) -> set[str]:
        """The target namespaces the schemas read so far declare into."""
        return {u.namespace for u in self.units}


@dataclass
class _Missing:
    loc: ir.Loc
    location: str | None
    namespace: str | None
    what: str


class Loader:
    """Reads a main file and, transitively, what it imports and includes."""

    def __init__(
        self, include_dirs: list[str], catalog: dict[str, Path], reporter: Reporter
    ) -> None:
        self.include_dirs = [Path(d) for d in include_dirs]
        self.catalog = catalog
        self.catalog_keys = {schemas.url_key(u): p for u, p in catalog.items()}
        self.report = reporter
        self.loaded = Loaded()
        self.docs: dict[Path, XmlDocument] = {}
        self.units_seen: set[tuple[str, int, str]] = set()
        self.missing: list[_Missing] = []
        #: Files refused for their DTD and replaced by a bundled schema (warned once).
        self.refused: set[Path] = set()
        self.wanted_namespaces: list[tuple[str, ir.Loc]] = []

    # -- files -----------------------------------------------------------------

    def read(self, path: Path, display: str) -> XmlDocument | None:
        """Parse ``path`` once; None when it was read already."""
        key = path.resolve()
        if key in self.docs:
            return None
        doc = parse_xml(path, display)
        self.docs[key] = doc
        self.loaded.sources[display] = doc.text
        return doc

    def find(self, location: str, base: XmlDocument) -> tuple[Path, str] | None:
        """Where a location named in ``base`` is on this machine (see the module docstring)."""
        hit = self.catalog.get(location) or self.catalog_keys.get(schemas.url_key(location))
        if hit is not None:
            return hit, str(hit)
        if not is_url(location):
            relative = location.split("?", 1)[0]
            candidate = Path(os.path.normpath(Path(base.file).parent / relative))
            if candidate.is_file():
                return candidate, str(candidate)
            for folder in self.include_dirs:
                inc = folder / relative
                if inc.is_file():
                    return inc, str(inc)
        else:
            last = location.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
            for folder in self.include_dirs:
                inc = folder / last
                if last and inc.is_file():
                    return inc, str(inc)
            found = schemas.BY_URL.get(schemas.url_key(location))
            if found is not None:
                return found, str(found)
        return None

    # -- the walk ------------------------------------------------------------------

    def load_main(self, path: Path) -> Loaded:
        """Read ``path`` and everything it needs."""
        doc = self.read(path, str(path))
        assert doc is not None
        self.document(doc, None, ir.Loc(str(path), 0, 0))
        self.settle()
        return self.loaded

    def document(self, doc: XmlDocument, namespace: str | None, loc: ir.Loc) -> None:
        """Dispatch a file by its root: WSDL 1.1, WSDL 2.0 or a schema."""
        root = doc.root
        if root.tag == f"{{{WSDL11}}}definitions":
            self.wsdl11(doc)
        elif root.tag == f"{{{WSDL20}}}description":
            self.wsdl20(doc)
        elif is_xsd(root, "schema"):
            self.schema(doc, root, namespace, chameleon_ok=namespace is not None)
        else:
            self.report.error(
                loc if loc.line else doc.loc(root),
                f"'{doc.file}' is not a WSDL or an XML Schema (its root is <{local_name(root)}>)",
                "wsdl-structure",
            )

    def wsdl11(self, doc: XmlDocument) -> None:
        """A WSDL 1.1 ``definitions``: its imports, then its inline schemas."""
        self.loaded.wsdl11.append(doc)
        for child in doc.root:
            if child.tag == f"{{{WSDL11}}}import":
                self.follow(doc, child, child.get("location"), child.get("namespace"), "location")
            elif child.tag == f"{{{WSDL11}}}types":
                self.types(doc, child)

    def types(self, doc: XmlDocument, types: etree._Element) -> None:
        """A ``types`` element (WSDL 1.1 and 2.0 alike): inline schemas, schema imports."""
        for s in types:
            if is_xsd(s, "schema"):
                self.schema(doc, s, None)
            elif is_xsd(s, "import"):
                self.follow(doc, s, s.get("schemaLocation"), s.get("namespace"), "schemaLocation")

    def wsdl20(self, doc: XmlDocument) -> None:
        """A WSDL 2.0 ``description``: its includes/imports, then its schemas."""
        self.loaded.wsdl20.append(doc)
        for child in doc.root:
            if child.tag in (f"{{{WSDL20}}}import", f"{{{WSDL20}}}include"):
                self.follow(doc, child, child.get("location"), child.get("namespace"), "location")
            elif child.tag == f"{{{WSDL20}}}types":
                self.types(doc, child)

    def schema(
        self,
        doc: XmlDocument,
        el: etree._Element,
        includer_ns: str | None,
        chameleon_ok: bool = False,
    ) -> None:
        """One ``xs:schema``: record it, then follow its includes and imports."""
        own = el.get("targetNamespace")
        namespace = own if own is not None else (includer_ns or "")
        if own is not None and includer_ns is not None and own != includer_ns and chameleon_ok:
            self.report.error(
                doc.loc(el, "targetNamespace"),
                f"an included schema must have the includer's namespace '{includer_ns}', "
                f"not '{own}'",
                "xsd-include",
            )
        key = (doc.file, el.sourceline or 0, namespace)
        if key in self.units_seen:
            return
        self.units_seen.add(key)
        unit = SchemaUnit(doc, el, namespace, chameleon=own is None and bool(namespace))
        self.loaded.units.append(unit)
        for kind, child in xsd_children(el):
            if kind in ("include", "redefine", "override"):
                self.include(doc, child, namespace)
            elif kind == "import":
                self.follow(
                    doc,
                    child,
                    child.get("schemaLocation"),
                    child.get("namespace"),
                    "schemaLocation",
                )

    def include(self, doc: XmlDocument, el: etree._Element, namespace: str) -> None:
        """``xs:include``: the file's schema joins the includer's namespace."""
        location = el.get("schemaLocation")
        loc = doc.loc(el, "schemaLocation")
        if not location:
            self.report.error(loc, "xs:include needs a schemaLocation", "xsd-include")
            return
        found = self.find(location, doc)
        if found is None:
            self.missing.append(_Missing(loc, location, None, "included schema"))
            return
        path, display = found
        key = path.resolve()
        other = self.docs.get(key) or self.read(path, display)
        if other is None:
            return
        if not is_xsd(other.root, "schema"):
            self.report.error(loc, f"'{location}' is not an XML Schema", "xsd-include")
            return
        self.schema(other, other.root, namespace, chameleon_ok=True)

    def follow(
        self,
        doc: XmlDocument,
        el: etree._Element,
        location: str | None,
        namespace: str | None,
        attr: str,
    ) -> None:
        """An import: read its file (WSDL or schema), or note the namespace it wants."""
        loc = doc.loc(el, attr if location else "namespace")
        tag = el.tag if isinstance(el.tag, str) else ""
        from_wsdl = tag in (f"{{{WSDL11}}}import", f"{{{WSDL20}}}import", f"{{{WSDL20}}}include")
        what = "imported WSDL" if from_wsdl else "imported schema"
        if not location:
            if namespace:
                self.wanted_namespaces.append((namespace, loc))
            return
        found = self.find(location, doc)
        if found is None:
            self.missing.append(_Missing(loc, location, namespace, what))
            return
        path, display = found
        if path in schemas.NAMESPACE_OF:  # a standard schema: read last, unless a local
            self.wanted_namespaces.append((schemas.NAMESPACE_OF[path], loc))  # copy comes
            return
        try:
            other = self.read(path, display)
        except CompileError as exc:
            # W3C's own xmldsig-core-schema.xsd carries a DTD: read idlgen's copy instead
            if namespace not in schemas.BY_NAMESPACE or exc.diagnostics[0].code != "xml-dtd":
                raise
            if path.resolve() in self.refused:
                self.wanted_namespaces.append((namespace, loc))
                return
            self.refused.add(path.resolve())
            self.report.warning(
                loc,
                f"'{location}' declares a DTD, which idlgen refuses; it reads its own copy of "
                f"the standard schema of '{namespace}' instead",
                "xml-dtd",
            )
            self.wanted_namespaces.append((namespace, loc))
            return
        if other is not None:
            self.document(other, None, loc)

    def settle(self) -> None:
        """Satisfy imports without a (findable) location: from the set, else bundled."""
        while True:
            have = self.loaded.namespaces()
            wanted = [(ns, loc) for ns, loc in self.wanted_namespaces if ns not in have]
            wanted += [
                (m.namespace, m.loc)
                for m in self.missing
                if m.namespace and m.namespace not in have
            ]
            progress = False
            for ns, _ in wanted:
                if self.load_bundled(ns):
                    progress = True
            if not progress:
                break
        have = self.loaded.namespaces()
        for m in self.missing:
            if m.namespace is not None and m.namespace in have:
                continue
            ns = f" (namespace '{m.namespace}')" if m.namespace else ""
            if m.location and is_url(m.location):
                how = (
                    "idlgen never fetches from the network; map the URL to a local file with "
                    "--catalog FILE (lines 'URL PATH'), or put the file in an -I folder"
                )
            else:
                how = (
                    "it is neither beside the file that names it nor in an -I folder; "
                    "give the folder with -I, or map the location to a file with "
                    "--catalog FILE (lines 'URL PATH')"
                )
            self.report.error(
                m.loc, f"cannot find the {m.what} '{m.location}'{ns}: {how}", "missing-import"
            )

    def load_bundled(self, namespace: str) -> bool:
        """Read the standard schema of ``namespace``, if idlgen carries one."""
        path = schemas.BY_NAMESPACE.get(namespace)
        if path is None or namespace in self.loaded.namespaces():
            return False
        doc = self.read(path, str(path))
        if doc is None:
            return False
        self.document(doc, None, ir.Loc(str(path), 0, 0))
        return True
