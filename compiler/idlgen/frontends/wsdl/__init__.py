"""The WSDL / XML Schema front-end: ``.wsdl`` (1.1 and 2.0) and ``.xsd`` files to IR.

    read (hardened XML: no DTD, no entity, no network) → follow imports and
    includes (relative paths, -I, --catalog, the bundled standard schemas) →
    index every schema's names → build one Module per schema and per WSDL
    document (its target namespace as the Module's namespace)

Names are :class:`~idlgen.ir.QName`s in XML Schema's symbol spaces; the shared
passes resolve and check them, after :func:`check_xsd_references` has said, in
XML Schema's words, which names no schema declares. See docs/wsdl.md.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from idlgen import ir
from idlgen.frontends.wsdl.loader import Loader, read_catalogs
from idlgen.frontends.wsdl.wsdl11 import Wsdl11Builder
from idlgen.frontends.wsdl.wsdl20 import Wsdl20Builder
from idlgen.frontends.wsdl.xsd import SchemaBuilder, SchemaIndex, SchemaUnit
from idlgen.passes.check_semantics import check_semantics
from idlgen.passes.check_xsd_references import check_xsd_references
from idlgen.passes.context import Context, Language
from idlgen.passes.fold_constants import fold_constants
from idlgen.passes.resolve_names import resolve_names
from idlgen.pipeline import Frontend, Options
from idlgen.symbols import Scoping

__all__ = ["FRONTEND", "WSDL", "load_wsdl"]

#: XML Schema and WSDL: qualified names in a space per component kind; an
#: operation is named only inside its portType (two portTypes of one namespace
#: often share operation names); enumeration values are values, not names.
WSDL = Language(
    "wsdl",
    scoping=Scoping(unnamed=(ir.Operation,), enumerators=False),
    words={
        ir.Struct: "complex type",
        ir.Typedef: "simple type",
        ir.Enum_: "enumeration",
        ir.EnumMember: "enumeration value",
        ir.Element: "element",
        ir.ModelGroup: "group",
        ir.Message: "message",
        ir.Interface: "portType",
        ir.Operation: "operation",
        ir.Exception_: "fault",
        ir.Service: "service",
        ir.Module: "schema",
    },
    recursion_hint='make the element optional (minOccurs="0") or repeated to end the recursion',
    enum_range=None,
)


def _parse(path: Path, options: Options, ctx: Context) -> tuple[ir.Spec, dict[str, str]]:
    return load_wsdl(
        path, list(options.preprocess.include_dirs), read_catalogs(options.wsdl.catalogs), ctx
    )


FRONTEND = Frontend(
    WSDL,
    _parse,
    (resolve_names, fold_constants, check_semantics),
    "",
)


def load_wsdl(
    path: Path, include_dirs: list[str], catalog: dict[str, Path], ctx: Context
) -> tuple[ir.Spec, dict[str, str]]:
    """Read ``path`` and what it imports into one Spec (errors go to ``ctx.reporter``)."""
    loader = Loader(include_dirs, catalog, ctx.reporter)
    loaded = loader.load_main(path)
    wsdl11 = Wsdl11Builder(loaded.wsdl11, ctx.reporter)
    services = [wsdl11.build(doc, Path(doc.file).stem) for doc in loaded.wsdl11]
    wsdl20 = Wsdl20Builder(loaded.wsdl20, ctx.reporter)
    services += [wsdl20.build(doc, Path(doc.file).stem) for doc in loaded.wsdl20]
    index = SchemaIndex()
    for unit in loaded.units:
        index.add(unit)
    modules: list[ir.Module] = []
    built = 0
    typed_by_head: set[ir.QName] = set()
    used = _namespaces_used(services)
    while True:
        for unit in loaded.units[built:]:
            builder = SchemaBuilder(unit, index, ctx.reporter)
            module = builder.build(_module_name(unit))
            modules.append(module)
            used |= _namespaces_used([module])
            typed_by_head |= builder.typed_by_head
        built = len(loaded.units)
        # names used from a standard namespace nobody imported (soapenc:Array, xml:lang)
        fresh = [ns for ns in sorted(used - loaded.namespaces()) if loader.load_bundled(ns)]
        if not fresh:
            break
        for unit in loaded.units[built:]:
            index.add(unit)
    modules += services
    if typed_by_head:
        modules = _types_from_heads(modules, typed_by_head)
    spec = ir.Spec(str(path), tuple(modules), loc=ir.Loc(str(path), 1, 1))
    ctx.reporter.check()  # unreadable imports, malformed schemas
    return check_xsd_references(spec, ctx), loaded.sources


def _namespaces_used(modules: list[ir.Module]) -> set[str]:
    return {
        n.name.namespace
        for m in modules
        for n in ir.walk(m)
        if isinstance(n, ir.Named) and isinstance(n.name, ir.QName)
    }


def _module_name(unit: SchemaUnit) -> str:
    """A schema file's stem; a WSDL's inline schemas are ``stem.types``."""
    stem = Path(unit.doc.file).stem
    return stem if unit.el is unit.doc.root else f"{stem}.types"


def _types_from_heads(modules: list[ir.Module], wanted: set[ir.QName]) -> list[ir.Module]:
    """Elements declared without a type take their substitution group head's."""
    elements: dict[ir.QName, ir.Element] = {}
    for m in modules:
        for d in m.decls:
            if isinstance(d, ir.Element) and d.space is ir.Space.ELEMENT:
                elements[ir.QName(m.namespace or "", d.name)] = d

    def type_of(q: ir.QName, depth: int = 0) -> ir.Type | None:
        e = elements.get(q)
        if e is None or depth > 32:
            return None
        if q not in wanted:
            return e.type
        head = e.substitution_group
        return type_of(head.name, depth + 1) if head and isinstance(head.name, ir.QName) else None

    out: list[ir.Module] = []
    for m in modules:
        decls: list[ir.Decl] = []
        for d in m.decls:
            q = ir.QName(m.namespace or "", d.name)
            if isinstance(d, ir.Element) and d.space is ir.Space.ELEMENT and q in wanted:
                t = type_of(q)
                if t is not None:
                    d = replace(d, type=t)
            decls.append(d)
        out.append(replace(m, decls=tuple(decls)))
    return out
