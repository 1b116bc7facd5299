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

from pycparser import c_parser
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
        found: list[ir.Const] = []
        deferred: list[tuple[Macro, NotConstant]] = []
        own, wanted = self.request.own, self.request.wanted
        #: What an expression may name: the header's own constants and enumerators.
        self._constant_names = (declared - functions) | {
            m.name
            for m in macros
            if m.params is None and m.body and m.loc.file in own and wanted(m.name)
        }
        for macro in macros:
            if macro.loc.file not in own or not wanted(macro.name):
                continue
            if macro.params is not None:
                self.report.warning(
                    macro.loc, f"function-like macro '{macro.name}' is not bound", "skipped"
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
                        macro.loc, f"macro '{macro.name}' is not bound: {exc}", "skipped"
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
                macro.loc, f"macro '{macro.name}' is not bound: {reason}", "skipped"
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

    def _expression(
        self, body: str, value: object, known: KnownConstants, loc: ir.Loc
    ) -> ir.Expr | None:
        """A macro's expression for FoldConstants (see :func:`~.foldable.foldable`), or None."""
        if not re.search(r"[A-Za-z_]", body) or "." in body or "'" in body or '"' in body:
            return None  # a plain number, a float or a string: nothing to fold
        try:
            tree = self._expression_parser.parse(f"int __idlgen_value = ({body});", "<macro>")
        except ParseError:
            return None

        def value_of(name: str) -> object:
            return known.evaluate(name) if name in known.macros else self.enumerators[name]

        return foldable(
            tree.ext[0].init, body, value, self._constant_names, value_of, known.value_of, loc
        )


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
