"""Parse preprocessed OMG IDL with Lark and build IR with locations.

One Transformer method per grammar rule (grammars/omgidl.lark); each returns
IR, or a small value the parent rule consumes. Structs, unions and enums
written in place (a member ``struct Inner { ... } x;``, an enum in a union's
``switch``) are named in IDL already: they are hoisted out of their owner,
placed before it, and marked with :class:`~idlgen.ir.Hoisted` (``owner``, the
struct, union or exception they were written in), because the IR's structs
hold fields only. ``#pragma`` lines and ``typeid``/``typeprefix``
declarations come out as :class:`Directive` entries among the declarations;
:mod:`idlgen.frontends.omgidl.directives` applies and removes them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
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
from idlgen.diagnostics import CompileError, Diagnostic, Severity
from idlgen.frontends.expressions import binary, unary
from idlgen.frontends.omgidl.lexing import identifier, int_literal, unescape
from idlgen.preprocess import Preprocessed


@functools.cache
def _parser() -> Lark:
    grammar = resources.files("idlgen.grammars").joinpath("omgidl.lark").read_text(encoding="utf-8")
    return Lark(
        grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True, cache=True
    )


@dataclass(frozen=True, slots=True)
class Directive(ir.Decl):
    """A ``#pragma`` line or a ``typeid``/``typeprefix`` declaration, before it is applied.

    ``kind`` is ``prefix``, ``ID``, ``version`` or ``typeprefix`` (``typeid``
    is an ``ID``); ``target`` the scoped name it names (None for ``prefix``).
    Never left in the IR the front-end returns.
    """

    kind: str
    target: ir.ScopedName | None
    value: str


def parse_idl(
    text: str, pre: Preprocessed, main_file: str, warnings: list[Diagnostic] | None = None
) -> ir.Spec:
    """Parse one preprocessed ``.idl`` text (annotations blanked) into an :class:`ir.Spec`.

    Warnings (identifiers that are CORBA 3 keywords) are added to ``warnings``.
    """
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise CompileError([_syntax_error(exc, pre)]) from None
    try:
        decls = _Builder(pre, warnings if warnings is not None else []).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, CompileError):
            raise exc.orig_exc from None
        raise
    return ir.Spec(main_file, tuple(decls), loc=pre.loc(1, 1))


# --- syntax errors in IDL's words ---------------------------------------------------

_TOKEN_WORDS = {
    "IDENT": "an identifier", "INTEGER_LIT": "a number", "FLOAT_LIT": "a number",
    "FIXED_LIT": "a fixed-point number", "CHAR_LIT": "a character", "WCHAR_LIT": "a character",
    "STRING_LIT": "a string", "WSTRING_LIT": "a string", "SEMICOLON": "';'", "LBRACE": "'{'",
    "RBRACE": "'}'", "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'",
    "LESSTHAN": "'<'", "MORETHAN": "'>'", "COMMA": "','", "EQUAL": "'='", "COLON": "':'",
    "SCOPE": "'::'", "PRAGMA": "a #pragma", "MINUS": "'-'", "PLUS": "'+'", "TILDE": "'~'",
}  # fmt: skip


def _word(name: str) -> str:
    if name in _TOKEN_WORDS:
        return _TOKEN_WORDS[name]
    if name.isupper() and name.isalnum():
        pattern = _keyword_text(name)
        return f"'{pattern}'"
    return name


@functools.cache
def _keyword_text(name: str) -> str:
    for term in _parser().terminals:
        if term.name == name:
            return str(term.pattern.value)
    return name.lower()


_OPERATORS = {
    "AMPERSAND", "CIRCUMFLEX", "MINUS", "PERCENT", "PLUS", "SLASH", "STAR", "VBAR", "_SHL", "_SHR",
}  # fmt: skip


def _expected(names: set[str]) -> str:
    if len(names & _OPERATORS) >= 4:  # after an operand (LALR merges what may follow one)
        more = ""
        if "STRING_LIT" in names or "WSTRING_LIT" in names:
            more = (
                ', or another wide string (L"...")'
                if "WSTRING_LIT" in names
                else ", or another string"
            )
        return f"an operator or the end of the expression{more}"
    words = sorted({_word(n) for n in names if not n.startswith("_")})
    types = {"'long'", "'short'", "'string'", "'sequence'", "'octet'"}
    if types <= set(words):
        words = sorted({w for w in words if w not in _TYPE_WORDS} | {"a type"})
    if "'module'" in words and "'interface'" in words:
        return "a definition"
    if "'attribute'" in words and "'readonly'" in words:
        return "an operation, attribute or declaration"
    if len(words) > 6:
        return "an expression" if "a number" in words else "something else"
    return " or ".join(words) if len(words) <= 2 else ", ".join(words[:-1]) + " or " + words[-1]


_TYPE_WORDS = {
    "'long'", "'short'", "'string'", "'wstring'", "'sequence'", "'octet'", "'float'", "'double'",
    "'char'", "'wchar'", "'boolean'", "'any'", "'Object'", "'ValueBase'", "'unsigned'", "'fixed'",
    "'int8'", "'uint8'", "'int16'", "'uint16'", "'int32'", "'uint32'", "'int64'", "'uint64'",
    "'struct'", "'union'", "'enum'", "an identifier", "'::'",
}  # fmt: skip


_UNREAD_WORDS = {
    "bitmask": "IDL 4 'bitmask'", "bitset": "IDL 4 'bitset'", "import": "CORBA 3 'import'",
    "component": "CORBA 3 'component'", "home": "CORBA 3 'home'",
    "eventtype": "CORBA 3 'eventtype'", "porttype": "IDL 4 'porttype'",
    "connector": "IDL 4 'connector'",
}  # fmt: skip


def _unread(before: str, token: str) -> str | None:
    """The unread IDL 4 or CORBA 3 construct a syntax error is met in, if any.

    The DDS vendors' IDL uses them; naming one beats a list of expected tokens.
    """
    if token in _UNREAD_WORDS:
        return _UNREAD_WORDS[token]
    if token == "<" and re.search(r"\bmap\s*$", before):
        return "IDL 4 'map'"
    if token == ":" and re.search(r"\bstruct\s+\w+\s*$", before):
        return "IDL 4 struct inheritance"
    return None


def _syntax_error(exc: UnexpectedInput, pre: Preprocessed) -> Diagnostic:
    """A syntax error in words a user of OMG IDL knows."""
    if isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        last = pre.last_line()
        loc = pre.loc(last, len(pre.text_lines[last - 1].rstrip()) + 1)
        expected = getattr(exc, "expected", None)
        tail = f", expected {_expected(set(expected))}" if expected else ""
        return Diagnostic(loc, f"unexpected end of file{tail}", "syntax")
    line, col = exc.line, exc.column
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "IDENT" and _KEYWORDS.get(str(token).lower()) == str(token):
            what = f"keyword '{token}'"  # lexed as a name where no keyword fits
        elif token.type == "IDENT" or token.type.endswith("_LIT"):
            what = f"'{token}'"
        elif token.type.isupper() and token.type.isalnum() and token.type not in _TOKEN_WORDS:
            what = f"keyword '{token}'"
        else:
            what = f"'{token}'"
        loc = pre.loc(line, col, line, col + len(str(token)))
        message = f"unexpected {what}, expected {_expected(exc.expected)}"
        unread = _unread(pre.text_lines[line - 1][: col - 1], str(token))
        if unread:
            message = (
                f"unexpected {what}: {unread} is not read by idlgen (docs/omgidl.md, Known limits)"
            )
        return Diagnostic(loc, message, "syntax")
    if isinstance(exc, UnexpectedCharacters):
        char = pre.text_lines[line - 1][col - 1 : col]
        return Diagnostic(
            pre.loc(line, col, line, col + 1), f"unexpected character {char!r}", "syntax"
        )
    return Diagnostic(pre.loc(line, col), str(exc), "syntax")


# --- the builder ----------------------------------------------------------------------

_PRIMS = {
    "float": ir.Prim.FLOAT32, "double": ir.Prim.FLOAT64, "long double": ir.Prim.LONGDOUBLE,
    "short": ir.Prim.INT16, "long": ir.Prim.INT32, "long long": ir.Prim.INT64,
    "unsigned short": ir.Prim.UINT16, "unsigned long": ir.Prim.UINT32,
    "unsigned long long": ir.Prim.UINT64, "char": ir.Prim.CHAR, "wchar": ir.Prim.WCHAR,
    "boolean": ir.Prim.BOOL, "octet": ir.Prim.OCTET, "any": ir.Prim.ANY,
    "Object": ir.Prim.OBJECT, "ValueBase": ir.Prim.VALUEBASE, "int8": ir.Prim.INT8,
    "uint8": ir.Prim.UINT8, "int16": ir.Prim.INT16, "uint16": ir.Prim.UINT16,
    "int32": ir.Prim.INT32, "uint32": ir.Prim.UINT32, "int64": ir.Prim.INT64,
    "uint64": ir.Prim.UINT64,
}  # fmt: skip

#: OMG IDL 3.5's keywords (Table 7-6), by their lower case: an identifier equal
#: to one but for case collides with it.
_KEYWORDS = {
    k.lower(): k
    for k in (
        "abstract any attribute boolean case char const context custom default double enum"
        " exception factory FALSE fixed float getraises in inout interface local long module"
        " native Object octet oneway out private public raises readonly sequence setraises"
        " short string struct supports switch TRUE truncatable typedef typeid typeprefix"
        " unsigned union ValueBase valuetype void wchar wstring"
    ).split()
}
#: CORBA 3 component keywords idlgen does not read: a warning, as omniidl gives.
_CORBA3_KEYWORDS = {
    k: k
    for k in (
        "component consumes emits eventtype finder home import multiple primarykey provides"
        " publishes uses"
    ).split()
}

_PRAGMA = re.compile(r"#\s*pragma\s+(\w+)\s*(.*?)\s*$")
_PRAGMA_ID = re.compile(r'((?:::)?\s*[A-Za-z_]\w*(?:\s*::\s*[A-Za-z_]\w*)*)\s+"((?:[^"\\]|\\.)*)"$')
_PRAGMA_VERSION = re.compile(r"((?:::)?\s*[A-Za-z_]\w*(?:\s*::\s*[A-Za-z_]\w*)*)\s+(\d+\.\d+)$")


@dataclass
class _Member:
    """``type_spec declarators ;`` inside a struct, exception or valuetype."""

    type: Any  # an ir.Type, or a list [*nested, decl] for a type written in place
    declarators: list[tuple[str, ir.Loc, tuple[ir.Expr, ...]]]
    loc: ir.Loc
    public: bool = True


@dataclass
class _Scoped:
    name: ir.ScopedName
    loc: ir.Loc


@dataclass
class _Header:
    kind: str | None
    name: str
    loc: ir.Loc
    bases: tuple[ir.Named, ...] = ()
    supports: tuple[ir.Named, ...] = ()
    truncatable: bool = False
    custom: bool = False


@dataclass
class _Raises:
    kind: str  # raises, getraises, setraises
    names: tuple[ir.Named, ...]
    loc: ir.Loc


@dataclass
class _Context:
    names: tuple[str, ...]


@dataclass
class _Label:
    value: ir.Expr | None  # None: default
    loc: ir.Loc


def _fail(loc: ir.Loc, message: str, code: str = "syntax") -> CompileError:
    return CompileError([Diagnostic(loc, message, code)])


@v_args(meta=True, inline=True)
class _Builder(Transformer[Token, Any]):
    """Grammar rules to IR nodes (see grammars/omgidl.lark)."""

    def __init__(self, pre: Preprocessed, warnings: list[Diagnostic]) -> None:
        super().__init__()
        self.pre = pre
        self.warnings = warnings

    # -- helpers

    def _loc(self, meta: Any) -> ir.Loc:
        if getattr(meta, "empty", False):
            return ir.NOWHERE
        return self.pre.loc(meta.line, meta.column, meta.end_line, meta.end_column)

    def _tok(self, tok: Token) -> ir.Loc:
        assert tok.line is not None and tok.column is not None
        return self.pre.loc(tok.line, tok.column, tok.end_line, tok.end_column)

    def _id(self, tok: Token, use: bool = False) -> str:
        """An identifier; declaring one that is a keyword but for case is an error (§7.2.3).

        ``use``: a name used, not declared (omniidl takes those).
        """
        text = str(tok)
        if not text.startswith("_") and not use:  # omniidl takes `Factory` where it is used
            keyword = _KEYWORDS.get(text.lower())
            if keyword is not None:
                raise _fail(
                    self._tok(tok),
                    f"identifier '{text}' collides with the keyword '{keyword}'"
                    f" (write _{text} to use it as a name)",
                    "keyword",
                )
            keyword = _CORBA3_KEYWORDS.get(text.lower())
            if keyword is not None:
                self.warnings.append(
                    Diagnostic(
                        self._tok(tok),
                        f"identifier '{text}' collides with the CORBA 3 keyword '{keyword}'",
                        "keyword",
                        Severity.WARNING,
                    )
                )
        return identifier(text)

    def _type(self, t: Any, out: list[ir.Decl], owner: str | None) -> ir.Type:
        """A type spec as a type; a struct/union/enum written in place goes to ``out``.

        ``owner`` is the struct, union or exception it is written in (None when
        it is declared in the enclosing scope itself, as in a typedef).
        """
        if not isinstance(t, list):
            return t  # type: ignore[no-any-return]
        after = [x for x in t if isinstance(x, Directive)]  # pragmas inside an enum
        *nested, decl = [x for x in t if not isinstance(x, Directive)]
        if owner is not None:
            decl = replace(decl, annotations=(*decl.annotations, ir.Hoisted(owner, loc=decl.loc)))
            # They name the enum from inside its owner, where it is declared.
            after = [
                (
                    replace(x, target=ir.ScopedName((owner, *x.target.parts)))
                    if x.target is not None and not x.target.absolute
                    else x
                )
                for x in after
            ]
        out.extend([*nested, decl, *after])
        return ir.Named(ir.name(decl.name), loc=decl.loc)

    def _fields(
        self, members: tuple[Any, ...], owner: str, out: list[ir.Decl]
    ) -> tuple[list[ir.Field], list[bool]]:
        fields: list[ir.Field] = []
        public: list[bool] = []
        for m in members:
            if m is None:  # a pragma idlgen ignores
                continue
            if isinstance(m, Directive):
                # A prefix given in a struct's body ends with it (it would only
                # reach types nested after it, which are rare); the rest name
                # declarations and move out with the hoisted types.
                if m.kind != "prefix":
                    out.append(m)
                continue
            assert isinstance(m, _Member)
            t = self._type(m.type, out, owner)
            for name, loc, dims in m.declarators:
                ft = ir.Array(t, dims, loc=loc) if dims else t
                fields.append(ir.Field(name, ft, loc=loc))
                public.append(m.public)
        return fields, public

    @staticmethod
    def _flat(items: tuple[Any, ...]) -> list[ir.Decl]:
        out: list[ir.Decl] = []
        for item in items:
            if isinstance(item, list):
                out.extend(item)
            elif item is not None:
                out.append(item)
        return out

    # -- specification, modules

    def start(self, meta: Any, *definitions: Any) -> list[ir.Decl]:
        return self._flat(definitions)

    def module(self, meta: Any, _kw: Token, name: Token, *definitions: Any) -> ir.Module:
        return ir.Module(self._id(name), tuple(self._flat(definitions)), loc=self._tok(name))

    def pragma(self, meta: Any, tok: Token) -> Directive | None:
        loc = self._tok(tok)
        m = _PRAGMA.match(str(tok))
        if m is None:
            return None
        kind, rest = m.group(1), m.group(2)
        if kind == "prefix":
            if not (len(rest) >= 2 and rest[0] == rest[-1] == '"'):
                raise _fail(loc, '#pragma prefix needs a string: #pragma prefix "example.com"')
            return Directive("", "prefix", None, self._unescape(rest[1:-1], loc), loc=loc)
        if kind == "ID":
            found = _PRAGMA_ID.match(rest)
            if found is None:
                raise _fail(loc, '#pragma ID needs a name and a string: #pragma ID T "IDL:T:1.0"')
            target = ir.name(re.sub(r"\s+", "", found.group(1)))
            return Directive("", "ID", target, self._unescape(found.group(2), loc), loc=loc)
        if kind == "version":
            found = _PRAGMA_VERSION.match(rest)
            if found is None:
                raise _fail(
                    loc, "#pragma version needs a name and major.minor: #pragma version T 1.2"
                )
            target = ir.name(re.sub(r"\s+", "", found.group(1)))
            return Directive("", "version", target, found.group(2), loc=loc)
        return None  # other pragmas (omniidl's `hh`, `javaPackage`) mean nothing here

    def type_id_dcl(self, meta: Any, _kw: Token, target: _Scoped, text: Token) -> Directive:
        return Directive("", "ID", target.name, self._string_body(text), loc=self._loc(meta))

    def type_prefix_dcl(self, meta: Any, _kw: Token, target: _Scoped, text: Token) -> Directive:
        body = self._string_body(text)
        return Directive("", "typeprefix", target.name, body, loc=self._loc(meta))

    # -- interfaces

    def interface_kind(self, meta: Any, tok: Token | None) -> str | None:
        return str(tok) if tok is not None else None

    def forward_dcl(self, meta: Any, kind: str | None, _kw: Token, name: Token) -> ir.Forward:
        word = f"{kind} interface" if kind else "interface"
        return ir.Forward(self._id(name), word, loc=self._tok(name))

    def interface_header(
        self, meta: Any, kind: str | None, _kw: Token, name: Token, bases: Any
    ) -> _Header:
        return _Header(kind, self._id(name), self._tok(name), tuple(bases or ()))

    def scoped_name_list(self, meta: Any, *names: _Scoped) -> list[ir.Named]:
        return [ir.Named(n.name, loc=n.loc) for n in names]

    def interface_dcl(self, meta: Any, header: _Header, *exports: Any) -> ir.Interface:
        decls: list[ir.Decl] = []
        operations: list[ir.Operation] = []
        attributes: list[ir.Attribute] = []
        for item in self._flat(exports):
            if isinstance(item, ir.Operation):
                operations.append(item)
            elif isinstance(item, ir.Attribute):
                attributes.append(item)
            else:
                decls.append(item)
        return ir.Interface(
            header.name,
            tuple(operations),
            header.bases,
            tuple(attributes),
            decls=tuple(decls),
            local=header.kind == "local",
            abstract=header.kind == "abstract",
            loc=header.loc,
        )

    # -- names

    def scoped_name(self, meta: Any, *toks: Token | None) -> _Scoped:
        absolute = toks[0] is not None
        parts = tuple(
            self._id(t, use=True) for t in toks[1:] if t is not None and t.type == "IDENT"
        )
        return _Scoped(ir.ScopedName(parts, absolute), self._loc(meta))

    # -- value types

    def value_forward_dcl(self, meta: Any, abstract: Token | None, _kw: Token, name: Token) -> Any:
        word = "abstract valuetype" if abstract is not None else "valuetype"
        return ir.Forward(self._id(name), word, loc=self._tok(name))

    def value_box_dcl(self, meta: Any, _kw: Token, name: Token, t: Any) -> list[ir.Decl]:
        out: list[ir.Decl] = []
        boxed = self._type(t, out, None)
        loc = self._tok(name)
        if isinstance(boxed, ir.Primitive) and boxed.kind is ir.Prim.VALUEBASE:
            raise _fail(boxed.loc, "a value box cannot box ValueBase", "bad-valuetype")
        return [*out, ir.ValueBox(self._id(name), boxed, loc=loc)]

    def value_inherits(
        self,
        meta: Any,
        truncatable: Token | None,
        bases: list[ir.Named],
        supports_kw: Token | None,
        supports: list[ir.Named] | None,
    ) -> _Header:
        return _Header(
            None,
            "",
            ir.NOWHERE,
            tuple(bases),
            tuple(supports or ()),
            truncatable=truncatable is not None,
        )

    def value_supports(self, meta: Any, _kw: Token, supports: list[ir.Named]) -> _Header:
        return _Header(None, "", ir.NOWHERE, (), tuple(supports))

    def value_header(
        self, meta: Any, custom: Token | None, _kw: Token, name: Token, inh: _Header | None
    ) -> _Header:
        header = inh or _Header(None, "", ir.NOWHERE)
        return replace(header, name=self._id(name), loc=self._tok(name), custom=custom is not None)

    def value_abs_dcl(
        self, meta: Any, _abs: Token, _kw: Token, name: Token, inh: _Header | None, *exports: Any
    ) -> ir.ValueType:
        header = replace(
            inh or _Header(None, "", ir.NOWHERE),
            kind="abstract",
            name=self._id(name),
            loc=self._tok(name),
        )
        if header.truncatable:
            raise _fail(header.loc, "an abstract valuetype cannot be truncatable", "bad-valuetype")
        return self._value(header, exports)

    def value_dcl(self, meta: Any, header: _Header, *elements: Any) -> ir.ValueType:
        return self._value(header, elements)

    def _value(self, header: _Header, elements: tuple[Any, ...]) -> ir.ValueType:
        decls: list[ir.Decl] = []
        operations: list[ir.Operation] = []
        attributes: list[ir.Attribute] = []
        initializers: list[ir.Initializer] = []
        members: list[ir.Field] = []
        public: list[bool] = []
        for item in elements:
            if isinstance(item, _Member):  # state members: nested types stay in the value's scope
                found, flags = self._fields((item,), header.name, decls)
                members += found
                public += flags
                continue
            for one in item if isinstance(item, list) else [item]:
                if isinstance(one, ir.Operation):
                    operations.append(one)
                elif isinstance(one, ir.Attribute):
                    attributes.append(one)
                elif isinstance(one, ir.Initializer):
                    initializers.append(one)
                elif one is not None:
                    decls.append(one)
        decls = [
            replace(d, annotations=tuple(a for a in d.annotations if not isinstance(a, ir.Hoisted)))
            for d in decls
        ]
        if header.truncatable and header.custom:
            raise _fail(header.loc, "a custom valuetype cannot be truncatable", "bad-valuetype")
        return ir.ValueType(
            header.name,
            tuple(members),
            tuple(public),
            tuple(operations),
            tuple(attributes),
            tuple(initializers),
            header.bases,
            header.supports,
            decls=tuple(decls),
            abstract=header.kind == "abstract",
            custom=header.custom,
            truncatable=header.truncatable,
            loc=header.loc,
        )

    def state_member(self, meta: Any, vis: Token, t: Any, declarators: Any) -> _Member:
        return _Member(t, declarators, self._loc(meta), public=str(vis) == "public")

    def init_dcl(self, meta: Any, _kw: Token, name: Token, *rest: Any) -> ir.Initializer:
        params = tuple(p for p in rest if isinstance(p, ir.Param))
        for p in params:
            if p.direction is not ir.Direction.IN:
                raise _fail(
                    p.loc, f"factory parameter '{p.name}' must be 'in', not '{p.direction.value}'"
                )
        raises = next((r.names for r in rest if isinstance(r, _Raises)), ())
        return ir.Initializer(self._id(name), params, raises, loc=self._tok(name))

    # -- constants

    def const_dcl(self, meta: Any, _kw: Token, t: ir.Type, name: Token, value: ir.Expr) -> Any:
        return ir.Const(self._id(name), t, value, loc=self._tok(name))

    def t_fixed_const(self, meta: Any, kw: Token) -> ir.Fixed:
        return ir.Fixed(loc=self._tok(kw))

    def positive_int_const(self, meta: Any, e: ir.Expr) -> ir.Expr:
        return e

    def const_ref(self, meta: Any, n: _Scoped) -> ir.ConstRef:
        return ir.ConstRef(n.name, loc=n.loc)

    def integer(self, meta: Any, tok: Token) -> ir.Literal:
        try:
            return ir.Literal(int_literal(str(tok)), loc=self._tok(tok))
        except ValueError:
            raise _fail(self._tok(tok), f"'{tok}' is not a valid integer") from None

    def floating(self, meta: Any, tok: Token) -> ir.Literal:
        return ir.Literal(float(str(tok)), loc=self._tok(tok))

    def fixed(self, meta: Any, tok: Token) -> ir.Literal:
        try:
            value = Decimal(str(tok)[:-1] or "0")
        except InvalidOperation:
            raise _fail(self._tok(tok), f"'{tok}' is not a valid fixed-point number") from None
        if len(value.as_tuple().digits) > 31:
            raise _fail(self._tok(tok), f"'{tok}' has more than 31 digits", "const-overflow")
        return ir.Literal(value, loc=self._tok(tok))

    def char(self, meta: Any, tok: Token) -> ir.Literal:
        text = str(tok)
        wide = text.startswith("L")
        loc = self._tok(tok)
        value = self._unescape(text[2 if wide else 1 : -1], loc)
        if len(value) != 1:
            raise _fail(loc, f"a character literal holds one character, not {len(value)}")
        if not wide and ord(value) > 0xFF:
            raise _fail(loc, "a char literal must be in ISO 8859-1 (use L'...' for wchar)")
        return ir.Literal(value, char=True, wide=wide, loc=loc)

    def string(self, meta: Any, *toks: Token) -> ir.Literal:
        wide = str(toks[0]).startswith("L")
        text = "".join(self._string_body(t) for t in toks)
        loc = self._loc(meta)
        if "\0" in text:
            raise _fail(loc, "a string literal cannot contain a NUL character")
        return ir.Literal(text, wide=wide, loc=loc)

    def _string_body(self, tok: Token) -> str:
        text = str(tok)
        return self._unescape(text[2 if text.startswith("L") else 1 : -1], self._tok(tok))

    def _unescape(self, body: str, loc: ir.Loc) -> str:
        try:
            return unescape(body)
        except ValueError as exc:
            raise _fail(loc, str(exc)) from None

    def boolean(self, meta: Any, tok: Token) -> ir.Literal:
        return ir.Literal(str(tok) == "TRUE", loc=self._tok(tok))

    neg, pos, inv = unary("-"), unary("+"), unary("~")
    bin_or, bin_xor, bin_and = binary("|"), binary("^"), binary("&")
    bin_shl, bin_shr = binary("<<"), binary(">>")
    bin_add, bin_sub = binary("+"), binary("-")
    bin_mul, bin_div, bin_mod = binary("*"), binary("/"), binary("%")

    # -- types

    def base_type_spec(self, meta: Any, *toks: Token) -> ir.Primitive:
        return ir.Primitive(_PRIMS[" ".join(str(t) for t in toks)], loc=self._loc(meta))

    def t_named(self, meta: Any, n: _Scoped) -> ir.Named:
        return ir.Named(n.name, loc=n.loc)

    def t_void(self, meta: Any, kw: Token) -> ir.Primitive:
        return ir.Primitive(ir.Prim.VOID, loc=self._tok(kw))

    def sequence_type(self, meta: Any, kw: Token, elem: Any, bound: ir.Expr | None) -> Any:
        return ir.Sequence(elem, bound, loc=self._loc(meta))

    def string_type(self, meta: Any, kw: Token, bound: ir.Expr | None) -> ir.String:
        return ir.String(bound, loc=self._loc(meta))

    def wide_string_type(self, meta: Any, kw: Token, bound: ir.Expr | None) -> ir.String:
        return ir.String(bound, wide=True, loc=self._loc(meta))

    def fixed_pt_type(self, meta: Any, kw: Token, digits: ir.Expr, scale: ir.Expr) -> ir.Fixed:
        return ir.Fixed(digits, scale, loc=self._loc(meta))

    def declarators(self, meta: Any, *ds: Any) -> list[Any]:
        return list(ds)

    def declarator(
        self, meta: Any, name: Token, *dims: ir.Expr
    ) -> tuple[str, ir.Loc, tuple[ir.Expr, ...]]:
        return self._id(name), self._tok(name), tuple(dims)

    def typedef(self, meta: Any, _kw: Token, t: Any, declarators: Any) -> list[ir.Decl]:
        out: list[ir.Decl] = []
        base = self._type(t, out, None)
        for name, loc, dims in declarators:
            out.append(ir.Typedef(name, ir.Array(base, dims, loc=loc) if dims else base, loc=loc))
        return out

    def native(self, meta: Any, _kw: Token, name: Token) -> ir.Native:
        return ir.Native(self._id(name), loc=self._tok(name))

    def struct_forward(self, meta: Any, kw: Token, name: Token) -> ir.Forward:
        return ir.Forward(self._id(name), str(kw), loc=self._tok(name))

    union_forward = struct_forward

    def member(self, meta: Any, t: Any, declarators: Any) -> _Member:
        return _Member(t, declarators, self._loc(meta))

    def struct_type(self, meta: Any, _kw: Token, name: Token, *members: Any) -> list[ir.Decl]:
        owner = self._id(name)
        out: list[ir.Decl] = []
        fields, _ = self._fields(members, owner, out)
        return [*out, ir.Struct(owner, tuple(fields), loc=self._tok(name))]

    def except_dcl(self, meta: Any, _kw: Token, name: Token, *members: Any) -> list[ir.Decl]:
        owner = self._id(name)
        out: list[ir.Decl] = []
        fields, _ = self._fields(members, owner, out)
        return [*out, ir.Exception_(owner, tuple(fields), loc=self._tok(name))]

    def enum_type(self, meta: Any, _kw: Token, name: Token, *items: list[Any]) -> Any:
        # Pragmas between enumerators name declarations: they move out after the enum.
        flat = [x for item in items for x in item]
        members = tuple(x for x in flat if isinstance(x, ir.EnumMember))
        directives = [x for x in flat if isinstance(x, Directive) and x.kind != "prefix"]
        return [ir.Enum_(self._id(name), members, loc=self._tok(name)), *directives]

    def enum_item(self, meta: Any, *parts: Any) -> list[Any]:
        return [p for p in parts if p is not None]

    def enumerator(self, meta: Any, name: Token) -> ir.EnumMember:
        return ir.EnumMember(self._id(name), None, loc=self._tok(name))

    def case_label(self, meta: Any, _kw: Token, value: ir.Expr) -> _Label:
        return _Label(value, self._loc(meta))

    def default_label(self, meta: Any, kw: Token) -> _Label:
        return _Label(None, self._tok(kw))

    def case(self, meta: Any, *items: Any) -> tuple[list[_Label], Any, Any, ir.Loc]:
        *labels, t, declarator = items
        return labels, t, declarator, self._loc(meta)

    def union_type(
        self, meta: Any, _kw: Token, name: Token, _sw: Token, disc: Any, *cases: Any
    ) -> list[ir.Decl]:
        owner = self._id(name)
        out: list[ir.Decl] = []
        disc_type = self._type(disc, out, owner)
        arms: list[ir.Case] = []
        default: ir.Case | None = None
        default_loc: ir.Loc | None = None
        for labels, t, (field_name, loc, dims), case_loc in cases:
            ft = self._type(t, out, owner)
            field = ir.Field(field_name, ir.Array(ft, dims, loc=loc) if dims else ft, loc=loc)
            values = tuple(lab.value for lab in labels if lab.value is not None)
            defaults = [lab for lab in labels if lab.value is None]
            if defaults:
                if default_loc is not None or len(defaults) > 1:
                    first = default_loc or defaults[0].loc
                    note = Diagnostic(first, "the first one is here", "note", Severity.NOTE)
                    message = f"union '{owner}' has more than one default label"
                    raise CompileError(
                        [Diagnostic(defaults[-1].loc, message, "bad-union", notes=(note,))]
                    )
                default_loc = defaults[0].loc
                # Labels beside `default:` select the default arm too.
                default = ir.Case(values, field, loc=case_loc)
            else:
                arms.append(ir.Case(values, field, loc=case_loc))
        discriminator = ir.Field("discriminator", disc_type, loc=disc_type.loc)
        union = ir.Union_(owner, discriminator, tuple(arms), default, loc=self._tok(name))
        return [*out, union]

    # -- operations and attributes

    def op_dcl(self, meta: Any, oneway: Token | None, result: Any, name: Token, *rest: Any) -> Any:
        params = tuple(p for p in rest if isinstance(p, ir.Param))
        raises = next((r.names for r in rest if isinstance(r, _Raises)), ())
        context = next((c.names for c in rest if isinstance(c, _Context)), ())
        return ir.Operation(
            self._id(name),
            params,
            result,
            raises,
            oneway is not None,
            context=context,
            loc=self._tok(name),
        )

    def param_dcl(self, meta: Any, direction: Token, t: ir.Type, name: Token) -> ir.Param:
        return ir.Param(self._id(name), t, ir.Direction(str(direction)), loc=self._tok(name))

    def raises_expr(self, meta: Any, kw: Token, names: list[ir.Named]) -> _Raises:
        return _Raises("raises", tuple(names), self._loc(meta))

    def context_expr(self, meta: Any, _kw: Token, *names: Token) -> _Context:
        return _Context(tuple(self._string_body(n) for n in names))

    def attr_raises(self, meta: Any, kw: Token, names: list[ir.Named]) -> _Raises:
        return _Raises(str(kw), tuple(names), self._loc(meta))

    def attr_dcl(
        self, meta: Any, readonly: Token | None, _kw: Token, t: ir.Type, *rest: Any
    ) -> list[ir.Attribute]:
        names = [r for r in rest if isinstance(r, Token)]
        raises = [r for r in rest if isinstance(r, _Raises)]
        kinds = [r.kind for r in raises]
        if raises and len(names) > 1:
            raise _fail(raises[0].loc, f"'{raises[0].kind}' needs an attribute of its own")
        if readonly is not None and any(k != "raises" for k in kinds):
            bad = next(r for r in raises if r.kind != "raises")
            raise _fail(bad.loc, f"a readonly attribute takes 'raises', not '{bad.kind}'")
        if readonly is None and "raises" in kinds:
            bad = next(r for r in raises if r.kind == "raises")
            raise _fail(bad.loc, "an attribute takes 'getraises' and 'setraises', not 'raises'")
        if len(set(kinds)) != len(kinds) or kinds == ["setraises", "getraises"]:
            raise _fail(raises[-1].loc, "write 'getraises' once, then 'setraises' once")
        get = next((r.names for r in raises if r.kind in ("raises", "getraises")), ())
        set_ = next((r.names for r in raises if r.kind == "setraises"), ())
        return [
            ir.Attribute(
                self._id(n),
                t,
                readonly is not None,
                get_raises=get,
                set_raises=set_,
                loc=self._tok(n),
            )
            for n in names
        ]
