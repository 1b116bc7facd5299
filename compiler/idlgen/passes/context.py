"""Per-compilation state handed explicitly to every pass (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field

from idlgen import ir
from idlgen.diagnostics import Reporter
from idlgen.symbols import FLAT, Scoping, SymbolTable


@dataclass(frozen=True)
class Language:
    """What the shared passes need to know of an input language: its rules and words.

    ``words`` names declaration kinds as the language's users say them (an XDR
    Module is a "program", an IDL one a "module"); messages use them.
    """

    name: str
    scoping: Scoping = FLAT
    words: dict[type[ir.Decl], str] = field(default_factory=dict)
    #: How to end a recursive type in this language, for the recursion error.
    recursion_hint: str = ""
    #: The range enumerator values must lie in (None: any value the type holds).
    enum_range: tuple[int, int] | None = (-(2**31), 2**31 - 1)
    #: Names the language knows without a declaration (``u_int`` in ``.x`` files).
    builtin_types: dict[str, ir.Type] = field(default_factory=dict)
    #: Constants it knows without a declaration (``TRUE`` in ``.x`` files).
    builtin_consts: dict[str, ir.Value] = field(default_factory=dict)
    #: What a name used as a type may declare (empty: every type-like declaration).
    type_kinds: tuple[type[ir.Decl], ...] = ()
    #: What else than consts and enumerators a constant expression may name
    #: (rpcgen's program, version and procedure #defines).
    value_kinds: tuple[type[ir.Decl], ...] = ()
    #: The error for a union discriminator of a type that cannot be one.
    discriminator_rule: str = "a union discriminator must be an integer, char, boolean or enum type"
    #: Said after "undefined constant 'X'" (``{name}`` is replaced by the name).
    undefined_constant_hint: str = ""

    def word(self, decl: ir.Decl) -> str:
        """The language's word for a declaration's kind (``struct``, ``program``)."""
        for kind in type(decl).__mro__:
            if kind in self.words:
                return self.words[kind]
        return _GENERIC_WORDS.get(type(decl), "declaration")


_GENERIC_WORDS: dict[type[ir.Decl], str] = {
    ir.Const: "constant",
    ir.EnumMember: "enumerator",
    ir.Struct: "struct",
    ir.Union_: "union",
    ir.Enum_: "enum",
    ir.Typedef: "typedef",
    ir.Module: "module",
    ir.Interface: "interface",
    ir.Operation: "operation",
    ir.Attribute: "attribute",
    ir.Exception_: "exception",
    ir.Forward: "forward declaration",
    ir.Native: "native type",
    ir.ValueType: "valuetype",
    ir.ValueBox: "value box",
    ir.Element: "element",
    ir.ModelGroup: "group",
    ir.Message: "message",
    ir.Service: "service",
}


@dataclass
class Context:
    """What passes share: the language, the symbol table, the reporter."""

    language: Language = field(default_factory=lambda: Language("generic"))
    reporter: Reporter = field(default_factory=Reporter)
    symbols: SymbolTable = field(default_factory=SymbolTable)
    #: What a front-end learnt about names its input uses but does not declare,
    #: said after ResolveNames' "undefined type/constant": ("type" or
    #: "constant", name) → explanation (an XDR file's C headers searched).
    undefined_hints: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.symbols = SymbolTable(self.language.scoping)

    def reindex(self, spec: ir.Spec) -> None:
        """Point the symbol table at the declarations of the current tree."""
        self.symbols.reindex(spec)

    def resolve(self, t: ir.Type) -> ir.Type:
        """Follow typedefs to the underlying type (:meth:`SymbolTable.resolve`)."""
        return self.symbols.resolve(t)

    def decl_of(self, t: ir.Type) -> ir.Decl | None:
        """The struct/union/enum declaration ``t`` finally names, if any."""
        return self.symbols.decl_of(t)
