"""The CORBA back-end: checked OMG IDL to Python, as omniORBpy's ``-bpython`` lays it out.

    monservice_idl.py         every definition of monservice.idl (one per included file too)
    MonService/__init__.py    module MonService: types, constants, stubs (re-exported)
    MonService__POA/          its skeletons, to subclass in servants
    MonService__aio/          its asyncio stubs
    _GlobalIDL/ (+__POA, __aio)  declarations at file scope

Nested IDL modules are sub-packages (``M/N/``, ``M__POA/N/``). A package that
several IDL files contribute to (a reopened module) imports from each: its
``__init__.py`` is merged with the one already in the output folder, so
compiling the files one by one into one folder gives what omniidl gives.
Decisions live in :mod:`.plan` (names, hints, TypeCodes); the templates in
``templates/corba/`` place them.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from idlgen import ir
from idlgen.backends.corba_python import filters
from idlgen.backends.corba_python.plan import FileView, InterfaceView, Planner
from idlgen.naming.omgidl import package_path, tc_name
from idlgen.passes.context import Context
from idlgen.pipeline import Options, Result
from idlgen.render import format_python, render, string_literal

_TABLE: dict[str, Callable[..., Any]] = {
    "docstring": filters.docstring,
    "comment": filters.comment,
    "lit": string_literal,
    "tc_name": tc_name,
}


def _ops_table(item: InterfaceView) -> str:
    entries = [
        filters.dict_entry(8, op.wire, [string_literal(op.name), op.desc]) for op in item.ops
    ]
    if not entries:
        return "_NP_ops: typing.ClassVar[dict[str, tuple[str, tc.Operation]]] = {}"
    return filters.exploded(4, "_NP_ops = {", entries, "}")


_TABLE["ops_table"] = _ops_table
_TABLE["class_header"] = filters.class_header
_TABLE["assign0"] = lambda value, target: filters.assign(0, target, value)
_TABLE["rid_line"] = lambda rid, target: filters.assign(4, target, string_literal(rid))

_STDLIB = ("dataclasses", "decimal", "enum", "typing")


def generate(spec: ir.Spec, ctx: Context, options: Options, source: Path) -> Result:
    """Render every file's module and the packages they contribute to."""
    planner = Planner(spec, ctx)
    views = [planner.plan_file(file) for file in planner.files()]
    files = {f"{v.module}.py": _formatted(_render_file(v), f"{v.module}.py") for v in views}
    packages = _packages(views)
    for rel, blocks in sorted(packages.items()):
        existing = _existing(options.output_dir, rel)
        files[rel] = format_python(_render_package(rel, blocks, existing), rel)
    return Result(files=files)


@functools.lru_cache(maxsize=256)
def _formatted(text: str, filename: str) -> str:
    """:func:`format_python`, once per text.

    Compiling many IDL files in one process renders the modules of the files
    they all include (orb.idl...) again and again.
    """
    return format_python(text, filename)


def _render_file(view: FileView) -> str:
    body = "".join(render("corba", item.template, _TABLE, item=item.view) for item in view.items)
    if not body.startswith("\n\nclass") and not body.startswith("\n\n@"):
        body = body[1:]  # black: one blank line after the imports, but before a class
    used = _used_names(body)
    runtime_lines: list[str] = []
    corba = [n for n in ("CORBA", "PortableServer") if n in used]
    giop = [n for n in ("mapping", "tc") if n in used]
    if corba:
        runtime_lines.append(f"from idlgen_runtime.corba import {', '.join(corba)}")
    if giop:
        runtime_lines.append(f"from idlgen_runtime.giop import {', '.join(giop)}")
    text = render(
        "corba",
        "file.py.j2",
        _TABLE,
        source=view.source,
        stdlib=[n for n in _STDLIB if n in used],
        runtime=runtime_lines,
        imports=sorted(view.imports),
        body=body.rstrip("\n"),
    )
    return text.rstrip("\n") + "\n"


def _used_names(body: str) -> set[str]:
    """The module names ``body`` uses as ``name.attr`` (what it must import)."""
    code = re.sub(r'"""[\s\S]*?"""|#[^\n]*', "", body)
    return set(re.findall(r"(?<![\w.])([A-Za-z_]\w*)\.", code))


#: A package's import blocks by the module they import from.
Blocks = dict[str, str]


def _packages(views: list[FileView]) -> dict[str, Blocks]:
    """``rel/__init__.py`` → its ``from x_idl import ...`` blocks and sub-package imports."""
    packages: dict[str, Blocks] = {}
    for view in views:
        for scope, (stubs, skeletons, aio) in sorted(view.exports.items()):
            for suffix, exports in (("", stubs), ("__POA", skeletons), ("__aio", aio)):
                parts = package_path(scope, suffix)
                rel = "/".join(parts) + "/__init__.py"
                blocks = packages.setdefault(rel, {})
                items = [f"{e.flat} as {e.public}" for e in exports]
                if items:
                    blocks[view.module] = _import(view.module, items)
                for depth in range(1, len(parts)):  # each parent imports its sub-package
                    parent = "/".join(parts[:depth]) + "/__init__.py"
                    sub = parts[depth]
                    packages.setdefault(parent, {})[f"~{sub}"] = _import(".", [f"{sub} as {sub}"])
    return packages


def _import(module: str, items: list[str]) -> str:
    one = f"from {module} import {', '.join(items)}"
    if len(items) == 1 and filters.fits(0, one):
        return one
    return filters.exploded(0, f"from {module} import (", items)


def _existing(output_dir: Path | None, rel: str) -> Blocks:
    """The import blocks of a package ``__init__.py`` already written to ``output_dir``."""
    if output_dir is None:
        return {}
    path = output_dir / rel
    try:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
    except (OSError, SyntaxError, ValueError):
        return {}
    blocks: Blocks = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            segment = ast.get_source_segment(text, node) or ""
            if node.level:
                key = "~" + node.names[0].name
            else:
                key = node.module or ""
            blocks[key] = segment
    return blocks


def _render_package(rel: str, blocks: Blocks, existing: Blocks) -> str:
    merged = {**existing, **blocks}
    contributors = sorted(k for k in merged if not k.startswith("~"))
    package = rel.removesuffix("/__init__.py").replace("/", ".")
    kind = (
        "skeletons"
        if package.split(".")[0].endswith("__POA")
        else (
            "asyncio stubs"
            if package.split(".")[0].endswith("__aio")
            else "types, constants and stubs"
        )
    )
    title = f"The IDL module {package}: {kind}."
    return render(
        "corba",
        "package.py.j2",
        _TABLE,
        title=title,
        contributors=", ".join(f"{c}.py" for c in contributors),
        blocks=[merged[k] for k in sorted(merged, key=lambda k: (k.startswith("~"), k))],
    )
