"""Parse preprocessed RPC language text with Lark and build IR with locations.

One Transformer method per grammar rule; each returns IR (or a small tuple the
parent rule consumes). Types written in place (``struct { ... } x;``, an
anonymous union arm) are hoisted to top-level declarations named
``<owner>_<field>``, annotated with :class:`~idlgen.ir.Hoisted`, and placed
before their owner so that every type has one name and one codec.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import replace
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from idlgen import ir
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.frontends.expressions import binary, unary
from idlgen.preprocess import Preprocessed

_KEYWORD_TOKENS = {
    "BOOL", "CASE", "CHAR", "CONST", "DEFAULT", "DOUBLE", "ENUM", "FLOAT", "HYPER", "INT", "LONG",
    "OPAQUE", "PROGRAM", "QUADRUPLE", "SHORT", "STRING", "STRUCT", "SWITCH", "TYPEDEF", "UNION",
    "UNSIGNED", "VERSION", "VOID",
}  # fmt: skip


@functools.cache
def _parser() -> Lark:
    grammar = resources.files("idlgen.grammars").joinpath("xdr.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        start=["start", "define_value"],
        propagate_positions=True,
        maybe_placeholders=True,
        cache=True,
    )


def parse_xdr(pre: Preprocessed, main_file: str) -> ir.Spec:
    """Parse one preprocessed ``.x`` file into an :class:`ir.Spec`."""
    try:
        tree = _parser().parse(_join_passthrough_continuations(pre), start="start")
    except UnexpectedInput as exc:
        raise CompileError([_syntax_error(exc, pre)]) from None
    try:
        decls = _Builder(pre).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, CompileError):
            raise exc.orig_exc from None
        raise
    return ir.Spec(main_file, tuple(decls), loc=pre.loc(1, 1))


_DEFINE = re.compile(r"^%\s*#\s*define\s+([A-Za-z_]\w*)\s+(.+?)\s*$")


def passthrough_consts(
    spec: ir.Spec, pre: Preprocessed, builtin_consts: Iterable[str]
) -> list[ir.Const]:
    """Constants defined only on ``%#define NAME value`` lines (nlm_prot.x's bounds).

    rpcgen's C sees them through the generated header, so real files use them
    in array bounds. Values that are not constant expressions (function-like
    macros, C code) are left alone; names the file declares itself win.
    """
    if not any(isinstance(d, ir.Passthrough) and _DEFINE.match("%" + d.text) for d in spec.decls):
        return []  # (before walking the whole tree)
    declared = {d.name for d in spec.decls}
    values = {n.name for n in ir.walk(spec) if isinstance(n, (ir.Const, ir.EnumMember))} | set(
        builtin_consts
    )
    found: list[ir.Const] = []
    for decl in spec.decls:
        m = _DEFINE.match("%" + decl.text) if isinstance(decl, ir.Passthrough) else None
        if m is None or m.group(1) in declared:
            continue
        try:
            tree = _parser().parse(m.group(2), start="define_value")
            value = _Builder(pre).transform(tree)
        except (UnexpectedInput, VisitError):
            continue
        if any(isinstance(n, ir.ConstRef) and str(n.name) not in values for n in ir.walk(value)):
            continue  # refers to C macros idlgen cannot see: C code, not an interface constant
        values.add(m.group(1))
        found.append(ir.Const(m.group(1), None, _relocate(value, decl.loc), loc=decl.loc))
        declared.add(m.group(1))
    return found


def _relocate(expr: ir.Expr, loc: ir.Loc) -> ir.Expr:
    """Point every node of an expression parsed out of a ``%`` line at that line."""
    return ir.map_tree(expr, lambda n: replace(n, loc=loc))


def _join_passthrough_continuations(pre: Preprocessed) -> str:
    """Rejoin ``%`` lines continued with a backslash (nis.x), which cpp splits.

    cpp removes the backslash but keeps the line break (to keep line numbers),
    so the original file tells which ``%`` lines continue.
    """
    lines = list(pre.text_lines)
    i = 0
    while i < len(lines):
        if lines[i].startswith("%"):
            first = i
            while pre.original_line(i + 1).endswith("\\") and i + 1 < len(lines):
                i += 1
                lines[first] += "\\" + lines[i].strip()
                lines[i] = ""
        i += 1
    return "\n".join(lines)


def _syntax_error(exc: UnexpectedInput, pre: Preprocessed) -> Diagnostic:
    """A syntax error in words a user of the RPC language knows."""
    if isinstance(exc, UnexpectedEOF):
        last = pre.last_line()
        loc = pre.loc(last, len(pre.text_lines[last - 1]) + 1)
        return Diagnostic(loc, "unexpected end of file", "syntax")
    line, col = exc.line, exc.column
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            last = pre.last_line()
            loc = pre.loc(last, len(pre.text_lines[last - 1].rstrip()) + 1)
            return Diagnostic(
                loc, f"unexpected end of file, expected {_expected(exc.expected)}", "syntax"
            )
        what = f"keyword '{token}'" if token.type in _KEYWORD_TOKENS else f"'{token}'"
        end = col + len(str(token))
        loc = pre.loc(line, col, line, end)
        return Diagnostic(loc, f"unexpected {what}, expected {_expected(exc.expected)}", "syntax")
    if isinstance(exc, UnexpectedCharacters):
        char = pre.text_lines[line - 1][col - 1 : col]
        return Diagnostic(
            pre.loc(line, col, line, col + 1), f"unexpected character {char!r}", "syntax"
        )
    return Diagnostic(pre.loc(line, col), str(exc), "syntax")


_TOKEN_WORDS = {
    "IDENT": "an identifier", "INTEGER": "a number", "SEMICOLON": "';'", "LBRACE": "'{'",
    "RBRACE": "'}'", "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "LESSTHAN": "'<'",
    "MORETHAN": "'>'", "COMMA": "','", "EQUAL": "'='", "COLON": "':'", "STAR": "'*'",
    "STRING_LITERAL": "a string", "MINUS": "'-'", "PLUS": "'+'", "TILDE": "'~'",
}  # fmt: skip


def _expected(names: set[str]) -> str:
    words = sorted(
        {_TOKEN_WORDS.get(n, f"'{n.lower()}'" if n in _KEYWORD_TOKENS else n) for n in names}
    )
    if len(words) > 6:
        return (
            "a declaration" if "'struct'" in words or "an identifier" in words else "something else"
        )
    return " or ".join(words) if len(words) <= 2 else ", ".join(words[:-1]) + " or " + words[-1]


def _int_literal(text: str) -> int:
    """C integer literal: hex, octal (a leading 0, which Python 3 rejects verbatim) or decimal."""
    if text[:2] in ("0x", "0X"):
        return int(text, 16)
    if len(text) > 1 and text[0] == "0":
        return int(text, 8)
    return int(text)


@v_args(meta=True, inline=True)
class _Builder(Transformer[Token, Any]):
    """Grammar rules to IR nodes (see grammars/xdr.lark)."""

    def __init__(self, pre: Preprocessed) -> None:
        super().__init__()
        self.pre = pre
        self.hoisted: list[ir.Decl] = []

    # -- helpers

    def _loc(self, meta: Any) -> ir.Loc:
        if getattr(meta, "empty", False):
            return ir.NOWHERE
        return self.pre.loc(meta.line, meta.column, meta.end_line, meta.end_column)

    def _tok(self, tok: Token) -> ir.Loc:
        assert tok.line is not None and tok.column is not None
        return self.pre.loc(tok.line, tok.column, tok.end_line, tok.end_column)

    def _take_hoisted(self, decl: ir.Decl) -> list[ir.Decl]:
        """``decl`` after every in-place type it (transitively) contains."""
        decl = self._finish(decl)
        taken, self.hoisted = self.hoisted, []
        return [*taken, decl]

    def _finish(self, decl: ir.Decl) -> ir.Decl:
        """Replace the in-place types in ``decl``'s members by hoisted named ones."""
        if isinstance(decl, ir.Struct):
            return replace(decl, fields=tuple(self._name_inline(decl.name, f) for f in decl.fields))
        if isinstance(decl, ir.Union_):
            disc = decl.discriminator and self._name_inline(decl.name, decl.discriminator)
            cases = tuple(self._finish_case(decl.name, c) for c in decl.cases)
            default = decl.default and self._finish_case(decl.name, decl.default)
            return replace(decl, discriminator=disc, cases=cases, default=default)
        return decl

    def _finish_case(self, owner: str, case: ir.Case) -> ir.Case:
        return (
            case
            if case.field is None
            else replace(case, field=self._name_inline(owner, case.field))
        )

    def _name_inline(self, owner: str, field: ir.Field) -> ir.Field:
        """Give an in-place (anonymous) type of ``field`` a top-level name."""
        return replace(field, type=self._inline_type(f"{owner}_{field.name}", owner, field.type))

    def _inline_type(self, name: str, owner: str, t: Any) -> ir.Type:
        if isinstance(t, (ir.Sequence, ir.Array, ir.Optional)):
            return replace(t, elem=self._inline_type(name, owner, t.elem))
        if not isinstance(t, _Anonymous):
            return t  # type: ignore[no-any-return]
        self.hoisted.append(self._finish(t.named(name, owner)))
        return ir.Named(ir.name(name), loc=t.loc)

    # -- definitions

    def start(self, meta: Any, *definitions: Any) -> list[ir.Decl]:
        out: list[ir.Decl] = []
        for d in definitions:
            if isinstance(d, list):
                out.extend(d)
        return out

    def empty(self, meta: Any) -> None:
        return None

    def passthrough(self, meta: Any, tok: Token) -> list[ir.Decl]:
        return [ir.Passthrough("%", str(tok)[1:], loc=self._tok(tok))]

    def constant_def(self, meta: Any, _kw: Token, name: Token, value: ir.Expr) -> list[ir.Decl]:
        return [ir.Const(str(name), None, value, loc=self._tok(name))]

    def typedef(self, meta: Any, _kw: Token, field: ir.Field | None) -> list[ir.Decl]:
        if field is None:
            raise CompileError([Diagnostic(self._loc(meta), "typedef of void", "syntax")])
        if isinstance(field.type, ir.Named) and str(field.type.name) == field.name:
            return []  # `typedef struct X X;`: a C idiom that names nothing new
        if isinstance(field.type, _Anonymous):  # typedef struct { ... } name;
            return self._take_hoisted(field.type.named(field.name, None, field.loc))
        field = self._name_inline(field.name, field)
        return self._take_hoisted(ir.Typedef(field.name, field.type, loc=field.loc))

    def struct_def(self, meta: Any, _kw: Token, name: Token, body: _Anonymous) -> list[ir.Decl]:
        return self._take_hoisted(body.named(str(name), None, self._tok(name)))

    enum_def = union_def = struct_def

    # -- bodies (anonymous until a definition names them)

    def enum_body(self, meta: Any, *members: ir.EnumMember) -> _Anonymous:
        return _Anonymous("enum", members, self._loc(meta))

    def enum_member(self, meta: Any, name: Token, value: ir.Expr | None) -> ir.EnumMember:
        return ir.EnumMember(str(name), value, loc=self._tok(name))

    def struct_body(self, meta: Any, *fields: ir.Field | None) -> _Anonymous:
        if any(f is None for f in fields):
            raise CompileError(
                [Diagnostic(self._loc(meta), "a struct member cannot be void", "syntax")]
            )
        return _Anonymous("struct", tuple(fields), self._loc(meta))

    def union_body(self, meta: Any, _kw: Token, disc: ir.Field | None, *arms: Any) -> _Anonymous:
        if disc is None:
            raise CompileError(
                [Diagnostic(self._loc(meta), "a union needs a discriminant declaration", "syntax")]
            )
        *cases, default = arms
        return _Anonymous("union", (disc, tuple(cases), default), self._loc(meta))

    def case_spec(self, meta: Any, *items: Any) -> ir.Case:
        *labels, field = [i for i in items if not (isinstance(i, Token) and i.type == "CASE")]
        return ir.Case(tuple(labels), field, loc=self._loc(meta))

    def default_spec(self, meta: Any, _kw: Token, field: ir.Field | None) -> ir.Case:
        return ir.Case((), field, loc=self._loc(meta))

    def enum_type_spec(self, meta: Any, _kw: Token, body: _Anonymous) -> _Anonymous:
        return body

    struct_type_spec = enum_type_spec
    union_type_spec = enum_type_spec

    # -- declarations

    def decl_plain(self, meta: Any, t: ir.Type, name: Token) -> ir.Field:
        return ir.Field(str(name), t, loc=self._tok(name))

    def decl_fixed_array(self, meta: Any, t: ir.Type, name: Token, size: ir.Expr) -> ir.Field:
        return ir.Field(str(name), ir.Array(t, (size,), loc=self._loc(meta)), loc=self._tok(name))

    def decl_var_array(self, meta: Any, t: ir.Type, name: Token, bound: ir.Expr | None) -> ir.Field:
        return ir.Field(str(name), ir.Sequence(t, bound, loc=self._loc(meta)), loc=self._tok(name))

    def decl_fixed_opaque(self, meta: Any, kw: Token, name: Token, size: ir.Expr) -> ir.Field:
        return ir.Field(
            str(name), ir.Opaque(size, fixed=True, loc=self._tok(kw)), loc=self._tok(name)
        )

    def decl_var_opaque(self, meta: Any, kw: Token, name: Token, bound: ir.Expr | None) -> ir.Field:
        return ir.Field(str(name), ir.Opaque(bound, loc=self._tok(kw)), loc=self._tok(name))

    def decl_string(self, meta: Any, kw: Token, name: Token, bound: ir.Expr | None) -> ir.Field:
        return ir.Field(str(name), ir.String(bound, loc=self._tok(kw)), loc=self._tok(name))

    def decl_optional(self, meta: Any, t: ir.Type, name: Token) -> ir.Field:
        return ir.Field(str(name), ir.Optional(t, loc=self._loc(meta)), loc=self._tok(name))

    def decl_void(self, meta: Any, _kw: Token) -> None:
        return None

    # -- type specifiers

    def _prim(
        self, meta: Any, signed: ir.Prim, unsigned: ir.Prim, toks: tuple[Token, ...]
    ) -> ir.Primitive:
        kind = unsigned if toks[0].type == "UNSIGNED" else signed
        return ir.Primitive(kind, loc=self._loc(meta))

    def t_int(self, meta: Any, *toks: Token) -> ir.Primitive:
        return self._prim(meta, ir.Prim.INT32, ir.Prim.UINT32, toks)

    # rpcgen: `long` is XDR's 32-bit int (xdr_long), whatever C's long is.
    t_long = t_int

    def t_hyper(self, meta: Any, *toks: Token) -> ir.Primitive:
        return self._prim(meta, ir.Prim.INT64, ir.Prim.UINT64, toks)

    def t_short(self, meta: Any, *toks: Token) -> ir.Primitive:
        return self._prim(meta, ir.Prim.INT16, ir.Prim.UINT16, toks)

    def t_char(self, meta: Any, *toks: Token) -> ir.Primitive:
        return self._prim(meta, ir.Prim.INT8, ir.Prim.UINT8, toks)

    def t_unsigned(self, meta: Any, _kw: Token) -> ir.Primitive:
        return ir.Primitive(ir.Prim.UINT32, loc=self._loc(meta))

    def t_float(self, meta: Any, _kw: Token) -> ir.Primitive:
        return ir.Primitive(ir.Prim.FLOAT32, loc=self._loc(meta))

    def t_double(self, meta: Any, _kw: Token) -> ir.Primitive:
        return ir.Primitive(ir.Prim.FLOAT64, loc=self._loc(meta))

    def t_quadruple(self, meta: Any, _kw: Token) -> ir.Primitive:
        return ir.Primitive(ir.Prim.FLOAT128, loc=self._loc(meta))

    def t_bool(self, meta: Any, _kw: Token) -> ir.Primitive:
        return ir.Primitive(ir.Prim.BOOL, loc=self._loc(meta))

    def t_named(self, meta: Any, name: Token) -> ir.Named:
        return ir.Named(ir.name(str(name)), loc=self._tok(name))

    def t_named_struct(self, meta: Any, _kw: Token, name: Token) -> ir.Named:
        return ir.Named(ir.name(str(name)), loc=self._tok(name))

    t_named_union = t_named_struct
    t_named_enum = t_named_struct

    # -- programs

    def program_def(self, meta: Any, _kw: Token, name: Token, *rest: Any) -> list[ir.Decl]:
        *versions, number = rest
        annotations = (ir.xdr.RpcNumber(number, loc=number.loc),)
        return [ir.Module(str(name), tuple(versions), annotations=annotations, loc=self._tok(name))]

    def version_def(self, meta: Any, _kw: Token, name: Token, *rest: Any) -> ir.Interface:
        *procs, number = rest
        annotations = (ir.xdr.RpcNumber(number, loc=number.loc),)
        return ir.Interface(str(name), tuple(procs), annotations=annotations, loc=self._tok(name))

    def procedure_def(
        self, meta: Any, result: ir.Type, name: Token, args: tuple[ir.Param, ...], number: ir.Expr
    ) -> ir.Operation:
        annotations = (ir.xdr.RpcNumber(number, loc=number.loc),)
        return ir.Operation(str(name), args, result, annotations=annotations, loc=self._tok(name))

    def proc_return(self, meta: Any, t: ir.Type | Token, bound: ir.Expr | None = None) -> ir.Type:
        if isinstance(t, Token):
            loc = self._tok(t)
            if t.type == "STRING":
                return ir.String(bound, loc=loc)
            if t.type == "OPAQUE":
                return ir.Opaque(bound, loc=loc)
            return ir.Primitive(ir.Prim.VOID, loc=loc)
        if isinstance(t, _Anonymous):
            raise CompileError(
                [Diagnostic(t.loc, f"an anonymous {t.kind} cannot be a procedure result", "syntax")]
            )
        return t

    def proc_args(self, meta: Any, *args: ir.Param | None) -> tuple[ir.Param, ...]:
        params = tuple(a for a in args if a is not None)
        if len(params) != len(args) and len(args) > 1:
            raise CompileError(
                [Diagnostic(self._loc(meta), "void must be the only argument", "syntax")]
            )
        return tuple(
            replace(p, name=f"arg{i}" if len(params) > 1 else "arg")
            for i, p in enumerate(params, 1)
        )

    def proc_arg(self, meta: Any, t: Any, bound: Any = None) -> ir.Param | None:
        loc = self._loc(meta)
        if isinstance(t, Token):
            if t.type == "VOID":
                return None
            kind = ir.String(bound, loc=loc) if t.type == "STRING" else ir.Opaque(bound, loc=loc)
            return ir.Param("arg", kind, loc=loc)
        if isinstance(t, _Anonymous):
            raise CompileError(
                [
                    Diagnostic(
                        t.loc, f"an anonymous {t.kind} cannot be a procedure argument", "syntax"
                    )
                ]
            )
        return ir.Param("arg", t, loc=loc)

    # -- constant expressions

    def value(self, meta: Any, expr: ir.Expr) -> ir.Expr:
        return expr

    define_value = value

    def integer(self, meta: Any, tok: Token) -> ir.Literal:
        return ir.Literal(_int_literal(str(tok)), loc=self._tok(tok))

    def string_literal(self, meta: Any, tok: Token) -> ir.Literal:
        text = str(tok)[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        return ir.Literal(text, loc=self._tok(tok))

    def name_ref(self, meta: Any, tok: Token) -> ir.ConstRef:
        return ir.ConstRef(ir.name(str(tok)), loc=self._tok(tok))

    neg, pos, inv = unary("-"), unary("+"), unary("~")
    bin_or, bin_xor, bin_and = binary("|"), binary("^"), binary("&")
    bin_shl, bin_shr = binary("<<"), binary(">>")
    bin_add, bin_sub = binary("+"), binary("-")
    bin_mul, bin_div, bin_mod = binary("*"), binary("/"), binary("%")


class _Anonymous:
    """An enum/struct/union body not yet given a name by its definition."""

    def __init__(self, kind: str, body: Any, loc: ir.Loc) -> None:
        self.kind = kind
        self.body = body
        self.loc = loc

    def named(self, name: str, owner: str | None, loc: ir.Loc | None = None) -> ir.Decl:
        loc = loc or self.loc
        annotations: tuple[object, ...] = (ir.Hoisted(owner, loc=self.loc),) if owner else ()
        if self.kind == "enum":
            return ir.Enum_(name, self.body, annotations=annotations, loc=loc)
        if self.kind == "struct":
            return ir.Struct(name, self.body, annotations=annotations, loc=loc)
        disc, cases, default = self.body
        return ir.Union_(name, disc, cases, default, annotations=annotations, loc=loc)
