"""Every decision the XDR templates need, as Jinja filters (templates stay dumb)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from idlgen import ir
from idlgen.naming.xdr import (
    decoder_name,
    encoder_name,
    enumerator_name,
    member_name,
    method_name,
    param_name,
    type_name,
)
from idlgen.passes.context import Context
from idlgen.render import commented, layout, string_literal

_PRIM_TYPES = {
    ir.Prim.VOID: "None", ir.Prim.BOOL: "bool", ir.Prim.FLOAT32: "float", ir.Prim.FLOAT64: "float",
    ir.Prim.FLOAT128: "float",
}  # fmt: skip


class Filters:
    """Names, type hints, literals and source references for one Spec."""

    def __init__(self, ctx: Context, source: Path) -> None:
        self.ctx = ctx
        self.source = source

    def py_type(self, t: ir.Type, qualifier: str = "") -> str:
        """The type hint of a value of ``t`` (``qualifier`` prefixes declared names)."""
        if isinstance(t, ir.Primitive):
            return _PRIM_TYPES.get(t.kind, "int")
        if isinstance(t, ir.String):
            return "str"
        if isinstance(t, ir.Opaque):
            return "bytes"
        if isinstance(t, (ir.Sequence, ir.Array)):
            return f"list[{self.py_type(t.elem, qualifier)}]"
        if isinstance(t, ir.Optional):
            return f"{self.py_type(t.elem, qualifier)} | None"
        assert isinstance(t, ir.Named), t
        return qualifier + type_name(t.name.local)

    def literal(self, value: object) -> str:
        """A Python literal for a folded constant (hex for flag-like values)."""
        if isinstance(value, ir.Literal):
            value = value.value
        if isinstance(value, str):
            return string_literal(value)
        if isinstance(value, bool) or not isinstance(value, int):
            return repr(value)
        return hex(value) if value >= 0x10000 and value & (value - 1) == 0 else str(value)

    def where(self, node: ir.Node) -> str:
        """``simp.x:12`` — the place in the user's file a generated line came from."""
        return f"{self._relative(node.loc.file)}:{node.loc.line}"

    @functools.cache  # noqa: B019 - one Filters per compilation, a handful of files
    def _relative(self, file: str) -> str:
        """``file`` relative to the main input's folder (just its name if outside)."""
        if file.startswith("<"):  # <rpc/rpc.h>, <builtin>
            return file
        try:
            return Path(file).resolve().relative_to(self.source.resolve().parent).as_posix()
        except ValueError:
            return Path(file).name

    def label(self, union: ir.Union_, value: ir.Expr) -> str:
        """A case label as Python: ``Color.RED`` for an enum discriminant, else the number."""
        assert union.discriminator is not None
        enum = self.ctx.decl_of(union.discriminator.type)
        if isinstance(enum, ir.Enum_):
            for m in enum.members:
                if (
                    isinstance(m.value, ir.Literal)
                    and isinstance(value, ir.Literal)
                    and m.value.value == value.value
                ):
                    return f"{type_name(enum.name)}.{enumerator_name(m.name)}"
        return self.literal(value)

    def params(self, op: ir.Operation, qualifier: str = "") -> str:
        """A method's parameter list: ``self, arg1: int, arg2: _t.point``."""
        return ", ".join(
            [
                "self",
                *(f"{param_name(p.name)}: {self.py_type(p.type, qualifier)}" for p in op.params),
            ]
        )

    def doc(self, text: str) -> str:
        """Text safe inside a triple-quoted docstring (no input can close it)."""
        return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')

    def docstring(self, summary: str, decl: ir.Decl, indent: int, *paragraphs: str) -> str:
        """A docstring in black's layout.

        The summary line, then the declaration's comment from the ``.x`` file,
        then the template's paragraphs.
        """
        texts = [*([self.doc(decl.doc)] if decl.doc else []), *paragraphs]
        if not texts:
            return f'"""{summary}"""'
        pad = " " * indent
        body = "\n".join(f"{pad}{line}" if line else "" for line in "\n\n".join(texts).split("\n"))
        return f'"""{summary}\n\n{body}\n{pad}"""'

    def comment_lines(self, decl: ir.Node) -> list[str]:
        """A declaration's doc comment as ``#:`` lines above a module attribute."""
        doc = decl.doc if isinstance(decl, ir.Decl) else None
        return [f"#: {line}" if line else "#:" for line in doc.split("\n")] if doc else []

    @staticmethod
    def encode_args(op: ir.Operation, encoder: str) -> str:
        """What ``_xdr.encode_args(`` takes: the encoder, ``out``, parameter names, arguments.

        The names are for the runtime's message about a value that does not fit.
        """
        names = [param_name(p.name) for p in op.params]
        quoted = ", ".join(string_literal(n) for n in names) + ("," if len(names) == 1 else "")
        qualified = encoder if encoder.startswith("_xdr.") else f"_t.{encoder}"
        return f"{qualified}, out, ({quoted}), {', '.join(names)}"

    def table(self) -> dict[str, Callable[..., Any]]:
        """The filters by the names templates use."""
        return {
            "py_type": self.py_type,
            "enumerator": enumerator_name,
            "param": param_name,
            "type_name": type_name,
            "member": member_name,
            "method": method_name,
            "literal": self.literal,
            "params": self.params,
            "where": self.where,
            "label": self.label,
            "doc": self.doc,
            "docstring": self.docstring,
            "layout": layout,
            "commented": commented,
            "comment_lines": self.comment_lines,
            "enc": lambda name: encoder_name(type_name(name)),
            "dec": lambda name: decoder_name(type_name(name)),
            "qualified": lambda fn: fn if fn.startswith("_xdr.") else f"_t.{fn}",
            "is_null": lambda pv: not pv.op.params and pv.result_encoder == "_xdr.enc_void",
            "encode_args": self.encode_args,
            "number": lambda d: self.literal(ir.annotation(d, ir.xdr.RpcNumber).value),  # type: ignore[union-attr]
        }
