"""The checked IR as JSON (``idlgen --dump-ir``), so other tools can reuse the front-ends.

The format is versioned by :data:`SCHEMA` and documented in docs/ir.md:

* a node is an object whose ``"node"`` is its class (``"Struct"``; a
  language's annotation is prefixed by its language: ``"xdr.RpcNumber"``),
  ``"loc"`` is ``"file:line:col"``, and every other field of the class is a
  member, **except fields at their default value**, which are left out;
* a tuple is an array; an enum member is its value (``"int32"``); a
  :class:`~idlgen.ir.ScopedName` is its ``"M::I::T"`` text and a
  :class:`~idlgen.ir.QName` its ``"{namespace}local"`` text; a ``Decimal``
  is ``{"decimal": "1.50"}``.

Files in ``loc`` are written relative to the main input's folder (just the
name for files outside it), so the output does not depend on where it ran.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, Field, fields, replace
from decimal import Decimal
from enum import Enum
from pathlib import Path

from idlgen import ir

#: The format's name and version; a change that breaks readers bumps it.
SCHEMA = "idlgen-ir/1"


def to_json(spec: ir.Spec, main_file: Path) -> str:
    """The JSON text of a checked Spec (see the module docstring)."""
    base = main_file.resolve().parent
    spec = replace(spec, file=main_file.name)
    document = {"schema": SCHEMA, "file": main_file.name, "spec": _value(spec, base)}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def node_name(cls: type) -> str:
    """``Struct``, or ``xdr.RpcNumber`` for a language's annotation."""
    language = cls.__module__.removeprefix("idlgen.ir").lstrip(".")
    return f"{language}.{cls.__name__}" if language != "core" else cls.__name__


def _value(value: object, base: Path) -> object:
    if isinstance(value, ir.Node):
        out: dict[str, object] = {"node": node_name(type(value))}
        if value.loc != ir.NOWHERE:
            out["loc"] = _loc(value.loc, base)
        for f in fields(value):
            if f.name == "loc":
                continue
            item = getattr(value, f.name)
            if f.default is not MISSING and item == f.default:
                continue
            if f.default_factory is not MISSING and item == f.default_factory():
                continue
            out[f.name] = _value(item, base)
        return out
    if isinstance(value, tuple):
        return [_value(v, base) for v in value]
    if isinstance(value, (ir.ScopedName, ir.QName)):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _loc(loc: ir.Loc, base: Path) -> str:
    file = loc.file
    if not file.startswith("<"):
        try:
            file = Path(file).resolve().relative_to(base).as_posix()
        except ValueError:
            file = Path(file).name
    return f"{file}:{loc.line}:{loc.col}"


def reference() -> str:
    """The node reference of docs/ir.md (Markdown), made from the IR's own classes.

    ``make regen`` writes it between the markers of docs/ir.md, and a test
    checks that the file is up to date, so the documented schema is the code's.
    """
    import inspect

    lines: list[str] = []
    for module in (ir.core, ir.xdr, ir.omgidl, ir.soap, ir.c):
        classes = [
            c
            for c in vars(module).values()
            if inspect.isclass(c) and issubclass(c, ir.Node) and c.__module__ == module.__name__
        ]
        language = module.__name__.removeprefix("idlgen.ir").lstrip(".")
        lines += [
            "",
            f"### `{language}` annotations" if language != "core" else "### Core nodes",
            "",
        ]
        lines += ["| node | fields (default) | stands for |", "|---|---|---|"]
        for cls in classes:
            described = [_field_doc(f) for f in fields(cls) if f.name != "loc"]
            summary = (cls.__doc__ or "").strip().split("\n")[0].replace("|", "/")
            lines.append(f"| `{node_name(cls)}` | {', '.join(described)} | {summary} |")
    return "\n".join(lines[1:]) + "\n"


def _field_doc(f: Field[object]) -> str:
    if f.default is not MISSING:
        default = f.default.value if isinstance(f.default, Enum) else f.default
        return f"`{f.name}` ({default!r})"
    if f.default_factory is not MISSING:
        return f"`{f.name}` ({f.default_factory()!r})"
    return f"`{f.name}`"
