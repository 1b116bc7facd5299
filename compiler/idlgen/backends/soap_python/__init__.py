"""The SOAP back-end ("soap-python"): a checked WSDL or XSD Spec to a Python package.

    calc/__init__.py   the package (checks the runtime's version)
    calc/types.py      dataclasses, enumerations, element descriptors, faults
    calc/bindings.py   one class of ``s.operation`` descriptors per SOAP binding
    calc/client.py     a sync and an asyncio client per port; connect() per service
    calc/server.py     a server base class per service (WSGI and ASGI apps)
    calc/_wsdl/        the WSDL the server serves at ``?wsdl``

An ``.xsd`` gives ``types.py`` only. The code follows the contract with
``idlgen_runtime.soap`` (docs/wsdl.md, "Generated code"); decisions are in
:mod:`.model` (schema) and :mod:`.services` (operations), layout in
:mod:`.layout` and the filters below, placement in ``templates/soap/``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from keyword import iskeyword
from pathlib import Path
from typing import Any

from idlgen import ir
from idlgen.backends.soap_python.layout import Call, Expr, Kw, statement
from idlgen.backends.soap_python.model import ClassView, FieldView, SchemaModel
from idlgen.backends.soap_python.services import OpView, PortView, ServiceModel, ServiceView
from idlgen.naming import is_identifier
from idlgen.naming.soap import package_name
from idlgen.passes.context import Context
from idlgen.pipeline import Options, Result
from idlgen.render import LINE_LENGTH, InternalError, render, split_call, string_literal

_SCHEMA_IMPORT = "from idlgen_runtime.soap import schema as s"
_IDENT = re.compile(r"(?<![.\w\"'])([A-Za-z_]\w*)")


def generate(spec: ir.Spec, ctx: Context, options: Options, source: Path) -> Result:
    """Render the package for ``spec`` (see the module docstring)."""
    pkg = options.name or package_name(source.stem)
    main = _main_namespace(spec, source)
    model = SchemaModel(spec, ctx, main)
    filters = Filters(model)
    common: dict[str, Any] = {"source": source.name}
    body: dict[str, str] = {}
    types_text = _types_module(model, filters, common)
    body["types.py"] = types_text
    modules = ["types"]
    if source.suffix.lower() == ".wsdl":
        services = ServiceModel(spec, model)
        bindings = list(services.bindings.values())
        if bindings:
            body["bindings.py"] = _module(
                "bindings.py.j2",
                filters,
                [
                    "from idlgen_runtime.soap import schema as s",
                    "from idlgen_runtime.soap import xsd",
                ],
                common,
                bindings=bindings,
            )
            modules.append("bindings")
        if services.services:
            body["client.py"] = _module(
                "client.py.j2",
                filters,
                ["from typing import Any, cast", "from idlgen_runtime.soap import client as c"],
                common,
                services=services.services,
            )
            body["server.py"] = _module(
                "server.py.j2",
                filters,
                [
                    "from pathlib import Path",
                    "from typing import Any",
                    "from idlgen_runtime.soap import server as srv",
                ],
                common,
                services=services.services,
                wsdl_file=source.name,
            )
            modules += ["client", "server"]
    body["__init__.py"] = render(
        "soap", "package.py.j2", filters.table(), modules=sorted(modules), **common
    )
    files = {f"{pkg}/{rel}": _verified(text, f"{pkg}/{rel}") for rel, text in body.items()}
    result = Result(files=files)
    if "server.py" in body:
        result.files[f"{pkg}/_wsdl/{source.name}"] = source.read_text(encoding="utf-8")
    return result


def _verified(text: str, filename: str) -> str:
    """The module, compiled to check it: invalid Python here is idlgen's bug.

    The templates and :mod:`.layout` already write black's layout (the golden
    tests compare with black), so black itself is not run: on a 3 MB WSDL it
    would cost ten times the rest of the compilation.
    """
    text = text.rstrip("\n") + "\n"
    try:
        compile(text, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        raise InternalError(f"idlgen generated invalid Python for {filename}: {exc}") from exc
    return text


def _main_namespace(spec: ir.Spec, source: Path) -> str | None:
    """The target namespace of the input file: its types keep their plain names first.

    The WSDL document's own (its module is named after the file; its inline
    schemas are ``stem.types``), else the first schema of the file.
    """
    own = [
        m for m in spec.decls if isinstance(m, ir.Module) and Path(m.loc.file).name == source.name
    ]
    for module in own:
        if module.name == source.stem:
            return module.namespace
    return own[0].namespace if own else None


def _types_module(model: SchemaModel, filters: Filters, common: dict[str, Any]) -> str:
    enums = [model.enum_view(d) for d in model.simple_decls() if isinstance(d, ir.Enum_)]
    items: list[dict[str, Any]] = [
        {"kind": "codec", "view": model.codec_view(d)}
        for d in model.simple_decls()
        if isinstance(d, ir.Typedef)
    ]
    for decl in model.complex_decls():
        if model.is_array(decl):
            items.append({"kind": "codec", "view": model.array_view(decl)})
        else:
            items.append({"kind": "class", "view": model.class_view(decl)})
    elements = [
        model.element_view(d)
        for d in model.used
        if isinstance(d, ir.Element) and d.space == ir.Space.ELEMENT
    ]
    faults = [model.fault_view(d) for d in model.used if isinstance(d, ir.Exception_)]
    text = render(
        "soap",
        "types.py.j2",
        filters.table(),
        imports="{{imports}}",
        has_classes=any(item["kind"] == "class" for item in items),
        enums=enums,
        items=items,
        elements=elements,
        faults=faults,
        **common,
    )
    return text.replace("{{imports}}", _imports(text, []), 1)


def _module(
    template: str, filters: Filters, always: list[str], common: dict[str, Any], **context: Any
) -> str:
    text = render("soap", template, filters.table(), imports="{{imports}}", **context, **common)
    return text.replace("{{imports}}", _imports(text, always), 1)


def _imports(text: str, always: list[str]) -> str:
    """The import block a module needs: only what its text uses (isort's order).

    Decided from the text, so a docstring that names ``datetime.`` may add an
    import the code does not need; never one too few.
    """
    stdlib = []
    if _uses_module(text, "datetime"):
        stdlib.append("import datetime")
    if _uses_module(text, "decimal"):
        stdlib.append("import decimal")
    if "@s.record(" in text:
        names = ["Field", "field", "fields"]
        if "field(" not in text.replace("fields(", ""):
            names.remove("field")
        stdlib.append(f"from dataclasses import {', '.join(names)}")
    if "(str, Enum)" in text:
        stdlib.append("from enum import Enum")
    stdlib += [a for a in always if not a.startswith("from idlgen_runtime")]
    typing_names = [n for n in ("Any", "ClassVar", "cast") if _uses_name(text, n)]
    stdlib = [a for a in stdlib if not a.startswith("from typing")]
    if typing_names:
        stdlib.append(f"from typing import {', '.join(typing_names)}")
    stdlib.sort(key=lambda line: (line.startswith("from"), line))
    runtime = [a for a in always if a.startswith("from idlgen_runtime")]
    soap_names = []
    if "(Fault)" in text:
        soap_names.append("Fault")
    uses_xsd = _uses_module(text, "xsd")
    if uses_xsd and not any(a.endswith(" xsd") for a in runtime):
        soap_names.append("xsd")
    if soap_names:
        runtime.append(f"from idlgen_runtime.soap import {', '.join(soap_names)}")
    if _uses_module(text, "s"):
        if "from idlgen_runtime.soap import schema as s" not in runtime:
            runtime.append("from idlgen_runtime.soap import schema as s")
    else:
        runtime = [a for a in runtime if not a.endswith("schema as s")]
    if not uses_xsd:
        runtime = [a for a in runtime if not a.endswith("import xsd")]
    runtime.sort(key=_isort_key)
    local = []
    uses = [m for m in ("bindings", "types") if _uses_module(text, m)]
    if uses:
        local.append(f"from . import {', '.join(uses)}")
    blocks = [b for b in (stdlib, runtime, local) if b]
    return "\n\n".join("\n".join(b) for b in blocks)


def _uses_module(text: str, module: str) -> bool:
    """Whether ``module.`` starts a dotted name somewhere in ``text``."""
    if f"{module}." not in text:  # the usual answer for most names, found fast
        return False
    return re.search(rf"(?<![\w.]){module}\.[A-Za-z_]", text) is not None


def _uses_name(text: str, name: str) -> bool:
    """Whether ``name`` occurs in ``text`` as a whole word (str.find: large modules)."""
    at = text.find(name)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + len(name) : at + len(name) + 1] or " "
        if not (before.isalnum() or before in "_.") and not (after.isalnum() or after == "_"):
            return True
        at = text.find(name, at + 1)
    return False


def _isort_key(line: str) -> tuple[str, str]:
    module = line.split()[1]
    return (module, line.lower())


class Filters:
    """The decisions the SOAP templates ask for, one filter each."""

    def __init__(self, model: SchemaModel) -> None:
        self.model = model
        self.type_names = model.names.taken

    def table(self) -> dict[str, Callable[..., Any]]:
        """The filters by name, as the templates use them."""
        return {
            "docstring": docstring,
            "comment": comment,
            "inline": inline,
            "literal": string_literal,
            "statement": self.statement,
            "field_line": field_line,
            "member_line": member_line,
            "complex_type": self.complex_type,
            "client_def": self.client_def,
            "client_body": self.client_body,
            "server_def": self.server_def,
            "dispatch_table": self.dispatch_table,
            "connect_def": connect_def,
        }

    # --- names of types.py seen from the other modules ------------------------------

    def qualify(self, code: str) -> str:
        """``code`` with every name of types.py written ``types.Name``."""
        if code.startswith(('"', "'")):
            return code
        return _IDENT.sub(
            lambda m: f"types.{m.group(1)}" if m.group(1) in self.type_names else m.group(1),
            code,
        )

    def qualified(self, e: Expr) -> Expr:
        """An expression with its type names qualified (for bindings.py)."""
        if isinstance(e, str):
            return self.qualify(e)
        if isinstance(e, Kw):
            return Kw(e.name, self.qualified(e.value))
        return Call(e.func, [self.qualified(a) for a in e.args])

    def statement(self, e: Expr, indent: int, prefix: str) -> str:
        """A statement laid out by black's rules; in bindings.py with qualified names."""
        if isinstance(e, Call) and e.func == "s.operation":
            e = self.qualified(e)
        return statement(e, indent, prefix).lstrip(" ")

    def complex_type(self, c: ClassView) -> str:
        """The ``s.complex_type(...)`` registration of a dataclass."""
        args: list[Expr] = [c.name, string_literal(c.qname), Call("", c.particles)]
        if c.base:
            args.append(Kw("base", c.base))
        if c.abstract:
            args.append(Kw("abstract", "True"))
        if c.mixed:
            args.append(Kw("mixed", "True"))
        return statement(Call("s.complex_type", args))

    # --- methods ------------------------------------------------------------------------

    def _params(self, op: OpView, keyword: bool) -> str:
        params = []
        for p in op.signature.params:
            hint = self.qualify(p.hint)
            default = "" if p.required or not keyword else " = None"
            params.append(f"{p.name}: {hint}{default}")
        for name, part, hint in op.signature.headers:
            # the server receives header parts as keyword arguments named by the part
            if keyword or is_identifier(part) and not iskeyword(part):
                params.append(f"{name if keyword else part}: {self.qualify(hint)} | None = None")
            elif "**headers: Any" not in params:
                params.append("**headers: Any")
        if keyword and params:
            params.insert(0, "*")
        return ", ".join(["self", *params])

    def client_def(self, op: OpView, is_async: bool) -> str:
        """The ``def`` line of a client method (keyword parameters)."""
        head = f"{'async ' if is_async else ''}def {op.name}("
        tail = f") -> {self.qualify(op.signature.result)}:"
        return split_call(4, head, self._params(op, keyword=True), tail)

    def client_body(self, op: OpView, is_async: bool) -> str:
        """``return cast(..., self._call(self._binding.op, (args,)))``."""
        names = [p.name for p in op.signature.params]
        args = "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"
        call = f"self._{'a' if is_async else ''}call"
        call_args: list[Expr] = [f"self._binding.{op.attr}", args]
        if op.signature.headers:
            items = ", ".join(f"{string_literal(p)}: {n}" for n, p, _ in op.signature.headers)
            call_args.append(Kw("headers", f"{{{items}}}"))
        call_expr = Call(call, call_args)
        if is_async:
            call_expr = Call(f"await {call}", call_expr.args)
        result = op.signature.result
        if result == "None":
            return statement(call_expr, 8).lstrip(" ")
        hint = string_literal(self.qualify(result))
        return statement(Call("cast", [hint, call_expr]), 8, "return ").lstrip(" ")

    def server_def(self, op: OpView) -> str:
        """The ``def`` line of a server method (positional parameters)."""
        head = f"def {op.name}("
        tail = f") -> {self.qualify(op.signature.result)}:"
        return split_call(4, head, self._params(op, keyword=False), tail)

    def dispatch_table(self, svc: ServiceView) -> str:
        """``_soap_ops``: SOAPAction and body element name → (method, operation)."""
        if not svc.table:
            return "_soap_ops: dict[str, tuple[str, Any]] = {}"
        lines = ["_soap_ops: dict[str, tuple[str, Any]] = {"]
        for key, op, binding in svc.table:
            value = f"({string_literal(op.name)}, bindings.{binding.name}.{op.attr})"
            entry = f"{string_literal(key)}: {value},"
            if 8 + len(entry) <= LINE_LENGTH:
                lines.append(f"        {entry}")
            else:
                lines.append(f"        {string_literal(key)}: (")
                lines.append(f"            {string_literal(op.name)},")
                lines.append(f"            bindings.{binding.name}.{op.attr},")
                lines.append("        ),")
        lines.append("    }")
        return "\n".join(lines)


def field_line(f: FieldView) -> str:
    """``name: hint`` or ``name: hint = default``, split as black splits a long one.

    Past the line length (ONVIF's and Travelport's long type names): a
    ``field(...)`` default has its argument on a line of its own; else the default
    goes in parentheses when ``name: hint = (`` fits; else a ``list[...]`` hint's
    subscript is split, and any other hint is parenthesized.
    """
    line = f"{f.name}: {f.hint}" + (f" = {f.default}" if f.default is not None else "")
    if 4 + len(line) <= LINE_LENGTH:
        return line
    call, paren, args = (f.default or "").partition("(")
    if paren and args.endswith(")"):
        head = f"{f.name}: {f.hint} = {call}("
        if 4 + len(head) <= LINE_LENGTH:
            return split_call(4, head, args[:-1], ")")
    if f.default is not None and 4 + len(f"{f.name}: {f.hint} = (") <= LINE_LENGTH:
        return f"{f.name}: {f.hint} = (\n        {f.default}\n    )"
    if paren and args.endswith(")"):
        outer, bracket, inner = f.hint.partition("[")
        if bracket and inner.endswith("]"):
            return f"{f.name}: {outer}[\n        {inner[:-1]}\n    ] = {f.default}"
    tail = f" = {f.default}" if f.default is not None else ""
    return f"{f.name}: (\n        {f.hint}\n    ){tail}"


def member_line(member: tuple[str, str]) -> str:
    """``NAME = "value"`` of an enumeration; a long one's value in parentheses, as black."""
    name, value = member
    line = f"{name} = {value}"
    return line if 4 + len(line) <= LINE_LENGTH else f"{name} = (\n        {value}\n    )"


def connect_def(port: PortView, name: str, suffix: str) -> str:
    """``def connect(address: str = "<the WSDL's address>", **options: Any) -> Port:``.

    No default address when the WSDL has none.
    """
    address = f"address: str = {string_literal(port.address)}" if port.address else "address: str"
    return split_call(4, f"def {name}(", f"{address}, **options: Any", f") -> {port.name}{suffix}:")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _clean(text: str) -> list[str]:
    text = _CONTROL.sub("", text.replace("\r\n", "\n"))
    lines = [line.rstrip() for line in text.replace("\t", "    ").strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    if len(out) > 1:
        rest = [line for line in out[1:] if line]
        cut = min((len(line) - len(line.lstrip(" ")) for line in rest), default=0)
        out = [out[0], *(line[cut:] for line in out[1:])]
    return out


@functools.lru_cache(maxsize=4096)
def docstring(text: str | None, indent: int, fallback: str) -> str:
    """A docstring from WSDL/XSD documentation, escaped so no text can end it early."""
    lines = _clean(text or "") or _clean(fallback)
    if not lines:
        return '""""""'
    escaped = [line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in lines]
    if escaped[-1].endswith('"'):
        escaped[-1] += " "
    pad = " " * indent
    if len(escaped) == 1:
        return f'"""{escaped[0]}"""'
    body = "\n".join(f"{pad}{line}" if line else "" for line in escaped[1:])
    return f'"""{escaped[0]}\n{body}\n{pad}"""'


def comment(text: str) -> str:
    """Documentation as ``#`` comment lines (over a codec, which has no docstring)."""
    return "\n".join(f"# {line}".rstrip() for line in _clean(text))


def inline(text: str) -> str:
    """A name placed inside a docstring line."""
    return text.replace("\\", "\\\\").replace('"', "'")
