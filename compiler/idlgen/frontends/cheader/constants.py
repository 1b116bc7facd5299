"""The header's object-like ``#define`` macros as Consts.

A value, another name of a function (:class:`~idlgen.ir.c.Alias`), or a
number cast to a pointer type (:class:`~idlgen.ir.c.Cast`). A body's value is
computed as C computes it (:mod:`.macros`); the body is also kept as an IR
expression for FoldConstants where folding gives the same value
(:mod:`.foldable`). A macro may name any object-like macro of the translation
unit (:class:`KnownConstants`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace

from pycparser import c_ast, c_parser
from pycparser.c_parser import ParseError

from idlgen import ir
from idlgen.diagnostics import Reporter
from idlgen.frontends.cheader.foldable import foldable
from idlgen.frontends.cheader.macros import INT_TYPES, Cast, NotConstant, evaluate, int_spelling
from idlgen.frontends.cheader.preprocess import Macro
from idlgen.frontends.cheader.selection import Request


class KnownConstants(Mapping[str, object]):
    """What a macro may name: enumerators, and every object-like macro.

    The macros of the whole translation unit, each evaluated when first used
    (with its C type), so a header's ``#define MINE (BASE + 1)`` works when
    BASE comes from a header it includes.
    """

    def __init__(
        self,
        values: dict[str, object],
        macros: Mapping[str, Macro],
        int_typedefs: Mapping[str, tuple[int, bool]],
    ) -> None:
        self.known, self.macros, self.int_typedefs = values, macros, int_typedefs
        self.failed: dict[str, NotConstant] = {}
        self.active: set[str] = set()

    def evaluate(self, name: str) -> object:
        """The value of macro ``name`` (raises NotConstant, remembered)."""
        if name in self.known:
            return self.known[name]
        if name in self.failed:
            raise self.failed[name]
        if name in self.active:
            raise NotConstant(f"{name} refers to itself")
        self.active.add(name)
        try:
            value = evaluate(self.macros[name].body, self, self.int_typedefs)  # type: ignore[arg-type]
        except NotConstant as exc:
            self.failed[name] = exc
            raise
        finally:
            self.active.discard(name)
        if not isinstance(value, Cast):
            self.known[name] = value
        return value

    def value_of(self, body: str) -> object:
        """The value of a macro body given as text (one the preprocessor expanded)."""
        return evaluate(body, self, self.int_typedefs)  # type: ignore[arg-type]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if name in self.known:
            return True
        if name not in self.macros:
            return False
        try:
            return not isinstance(self.evaluate(name), Cast)
        except NotConstant:
            return False

    def __getitem__(self, name: str) -> object:
        if name not in self:
            raise KeyError(name)
        return self.known[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


class Constants:
    """The constants of one header (see module docstring); what they say of its enumerators."""

    def __init__(
        self,
        request: Request,
        enumerators: Mapping[str, int],
        int_typedefs: Mapping[str, tuple[int, bool]],
        report: Reporter,
    ) -> None:
        self.request = request
        self.enumerators = enumerators
        self.int_typedefs = int_typedefs
        self.report = report
        #: Enumerators that a ``#define`` of their own name makes constants too.
        self.defined_enumerators: set[str] = set()
        #: Reads a macro body as a C expression (see :meth:`_expression`).
        self._expression_parser = c_parser.CParser()
        #: Bodies read by pycparser (None: it cannot), see :meth:`read_expressions`.
        self._trees: dict[str, c_ast.Node | None] = {}
        self._constant_names: set[str] = set()
        #: Values of the macros kept as expressions.
        self._values: dict[str, int | float | str] = {}

    def of_macros(
        self,
        macros: Iterable[Macro],
        decls: list[ir.Decl],
        operations: list[ir.Operation],
        expand: Callable[[list[str]], dict[str, str]] | None = None,
    ) -> list[ir.Decl]:
        """The header's object-like macros as constants, or as other names of functions.

        A body that calls a function-like macro (pcre2's ``PCRE2_SUFFIX(...)``)
        is given to ``expand`` (the real preprocessor) and read again. A macro
        named like a function or enumerator it stands for (glibc's
        ``#define SEEK_SET SEEK_SET``) is that declaration already. For the
        values, see :meth:`_expression`.
        """
        macros = list(macros)
        everything = {m.name: m for m in macros if m.params is None and m.body}
        int_types = dict(self.int_typedefs)
        for m in everything.values():  # pcre2's `#define PCRE2_SIZE size_t`, used in casts
            spelled = int_spelling(m.body.split())
            if spelled in INT_TYPES or spelled in int_types:
                int_types[m.name] = INT_TYPES.get(spelled) or int_types[spelled]
        known = KnownConstants(dict(self.enumerators), everything, int_types)
        functions = {d.name for d in operations}
        declared = functions | {m.name for d in decls if isinstance(d, ir.Enum_) for m in d.members}
        function_like = {m.name for m in macros if m.params is not None}
        by_name = {m.name: m for m in macros}
        variables = {a.name for d in decls if isinstance(d, ir.Interface) for a in d.attributes}
        found: list[ir.Const] = []
        deferred: list[tuple[Macro, NotConstant]] = []
        own, wanted = self.request.own, self.request.wanted
        #: What an expression may name: the header's own constants and enumerators.
        self._constant_names = (declared - functions) | {
            m.name
            for m in macros
            if m.params is None and m.body and m.loc.file in own and wanted(m.name, m.loc.file)
        }
        self.read_expressions(
            m.body.strip()
            for m in macros
            if m.params is None and m.loc.file in own and wanted(m.name, m.loc.file)
        )
        for macro in macros:
            if macro.loc.file not in own or not wanted(
                macro.name, macro.loc.file, macro.name in declared
            ):
                continue
            if macro.params is None and macro.body.strip() == macro.name in variables:
                continue  # glibc's `#define stdin stdin`: the variable is bound
            if decorates(macro.body, by_name):
                continue  # `__attribute__((visibility("default")))`: decoration, no value
            if macro.params is not None:
                self.report.warning(
                    macro.loc,
                    f"function-like macro '{macro.name}' is not bound",
                    "skipped",
                    "is a function-like macro|are function-like macros",
                )
                continue
            if macro.name in declared and macro.body.strip() == macro.name:
                self.defined_enumerators.add(macro.name)
            if not macro.body or macro.name in declared:
                continue  # a flag such as an include guard: nothing to bind
            try:
                found.append(self._constant(macro, macro.body.strip(), functions, known))
            except NotConstant as exc:
                calls = set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", macro.body)) & function_like
                if calls and expand is not None:
                    deferred.append((macro, exc))
                else:
                    self.report.warning(
                        macro.loc,
                        f"macro '{macro.name}' is not bound: {exc}",
                        "skipped",
                        "is a macro that is not a constant|are macros that are not constants",
                    )
        expanded = expand([m.name for m, _ in deferred]) if deferred and expand else {}
        for macro, first in deferred:
            reason: NotConstant = first
            if macro.name in expanded:
                try:
                    found.append(self._constant(macro, expanded[macro.name], functions, known))
                    continue
                except NotConstant as again:
                    reason = again
            self.report.warning(
                macro.loc,
                f"macro '{macro.name}' is not bound: {reason}",
                "skipped",
                "is a macro that is not a constant|are macros that are not constants",
            )
        names = declared | {c.name for c in found}
        return [  # an expression naming a macro left unbound: its value instead
            (
                replace(c, value=ir.Literal(self._values[c.name], loc=c.loc))
                if any(
                    isinstance(n, ir.ConstRef) and str(n.name) not in names
                    for n in ir.walk(c.value)
                )
                else c
            )
            for c in found
        ]

    def _constant(
        self, macro: Macro, body: str, functions: set[str], known: KnownConstants
    ) -> ir.Const:
        """One macro as a Const: another name of a function, a pointer cast, or a value."""
        if body in functions:  # gmp's `#define mpz_add __gmpz_add`
            return ir.Const(
                macro.name, None, ir.Literal(body), annotations=(ir.c.Alias(body),), loc=macro.loc
            )
        value = known.evaluate(macro.name) if body == macro.body.strip() else known.value_of(body)
        if not isinstance(value, Cast):
            plain_value = int(value) if isinstance(value, int) else value
            assert isinstance(plain_value, (int, float, str))
            expr = self._expression(body, value, known, macro.loc)
            if expr is not None:
                self._values[macro.name] = plain_value  # should a name in it stay unbound
                return ir.Const(macro.name, None, expr, loc=macro.loc)
        if isinstance(value, Cast):
            return ir.Const(
                macro.name,
                None,
                ir.Literal(value.value),
                annotations=(ir.c.Cast(value.ctype),),
                loc=macro.loc,
            )
        plain = int(value) if isinstance(value, int) else value
        assert isinstance(plain, (int, float, str))
        return ir.Const(macro.name, None, ir.Literal(plain), loc=macro.loc)

    def read_expressions(self, bodies: Iterable[str]) -> None:
        """Have pycparser read the macro bodies that may fold, all in one parse.

        A parse per body cost sqlite3.h more than the header itself (hundreds
        of ``#define SQLITE_IOERR_READ (SQLITE_IOERR | (1<<8))``); one unit of
        ``int v0 = (body0); int v1 = (body1); ...`` costs one. A body pycparser
        rejects (a cast to an unknown type name) is dropped from the unit by
        the line its error names, and has no expression.
        """
        todo = [b for b in dict.fromkeys(bodies) if _may_fold(b) and b not in self._trees]
        for _ in range(8):  # a few bodies it rejects; beyond that, one by one
            if not todo:
                return
            text = "\n".join(f"int __idlgen_{i} = ({b});" for i, b in enumerate(todo))
            try:
                unit = self._expression_parser.parse(text, "<macros>")
            except ParseError as exc:
                m = re.match(r"<macros>:(\d+):", str(exc))
                if m is None or not 1 <= int(m.group(1)) <= len(todo):
                    break
                self._trees[todo.pop(int(m.group(1)) - 1)] = None
                continue
            for body, decl in zip(todo, unit.ext, strict=True):
                self._trees[body] = decl.init
            return
        for body in todo:
            self._trees[body] = self._parse_one(body)

    def _parse_one(self, body: str) -> c_ast.Node | None:
        try:
            tree = self._expression_parser.parse(f"int __idlgen_value = ({body});", "<macro>")
        except ParseError:
            return None
        return tree.ext[0].init

    def _expression(
        self, body: str, value: object, known: KnownConstants, loc: ir.Loc
    ) -> ir.Expr | None:
        """A macro's expression for FoldConstants (see :func:`~.foldable.foldable`), or None."""
        if not _may_fold(body):
            return None  # a plain number, a float or a string: nothing to fold
        if body not in self._trees:
            self._trees[body] = self._parse_one(body)
        init = self._trees[body]
        if init is None:
            return None

        def value_of(name: str) -> object:
            return known.evaluate(name) if name in known.macros else self.enumerators[name]

        return foldable(init, body, value, self._constant_names, value_of, known.value_of, loc)


def _may_fold(body: str) -> bool:
    """Whether a body can be an expression of names (not a number, float, string, block)."""
    return bool(re.search(r"[A-Za-z_]", body)) and not re.search(r"[.'\";{}]", body)


#: Words that only decorate a declaration: GNU and MSVC attributes, storage
#: classes, qualifiers. A macro made of them (zlib's ``ZEXTERN``, curl's
#: ``CURL_EXTERN``, glibc's ``__attr_dealloc_fclose``) has no value to bind.
_DECORATION = frozenset(
    "__attribute__ __attribute __declspec __asm__ __asm asm __extension__ __restrict "
    "__restrict__ restrict __inline __inline__ inline static extern const volatile _Noreturn "
    "noreturn __cdecl __stdcall __fastcall __thiscall __vectorcall _Alignas alignas __thread "
    "_Thread_local __typeof__ __typeof typeof __volatile__ __const __signed__".split()
)
_WORD = re.compile(r'[A-Za-z_]\w*|"(?:[^"\\]|\\.)*"|\S')


def decorates(body: str, macros: Mapping[str, Macro], seen: frozenset[str] = frozenset()) -> bool:
    """Whether a macro body only decorates a declaration (see :data:`_DECORATION`).

    Its words are decoration or macros that are (an empty one included),
    each with its parenthesized arguments: ``__attr_dealloc (fclose, 1)``.
    An empty body is no decoration itself (an include guard is a flag).
    """
    words = _WORD.findall(body)
    if not words:
        return False
    i = 0
    while i < len(words):
        word = words[i]
        inner = macros.get(word)
        if word not in _DECORATION and not (
            inner is not None
            and word not in seen
            and (not inner.body.strip() or decorates(inner.body, macros, seen | {word}))
        ):
            return False
        i += 1
        if i < len(words) and words[i] == "(":  # its arguments, to the matching ")"
            depth = 0
            while i < len(words):
                depth += {"(": 1, ")": -1}.get(words[i], 0)
                i += 1
                if depth == 0:
                    break
    return True


def mark_defined(decl: ir.Decl, defined_enumerators: set[str]) -> ir.Decl:
    """An enum whose enumerators a ``#define`` of their own name makes constants too."""
    if not isinstance(decl, ir.Enum_) or not defined_enumerators & {m.name for m in decl.members}:
        return decl
    members = tuple(
        (
            replace(m, annotations=(*m.annotations, ir.c.Defined(loc=m.loc)))
            if m.name in defined_enumerators
            else m
        )
        for m in decl.members
    )
    return replace(decl, members=members)
