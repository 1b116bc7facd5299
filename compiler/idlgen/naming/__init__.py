"""Naming policies: how names from an input become names in generated Python.

One module per language mapping — :mod:`.xdr` (Sun RPC), :mod:`.omgidl` (the
OMG IDL-to-Python mapping), :mod:`.soap` (WSDL/XSD), :mod:`.c` (C bindings) —
each built on what is here: the fixed lists of Python's keywords and builtins
(the same whichever Python runs the compiler, so output never changes with
it) and :class:`Names`, which hands out Python names in one namespace and
reports two input names that would become one.

Back-ends and templates call their policy for every name they write; nothing
else invents names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from idlgen import ir
from idlgen.diagnostics import Diagnostic, Severity

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Python 3.10–3.14 keywords, and the soft keywords (``match``, ``case``, ``type``, ``_``).
KEYWORDS = frozenset(
    "False None True and as assert async await break class continue def del elif else except "
    "finally for from global if import in is lambda nonlocal not or pass raise return try "
    "while with yield".split()
)
SOFT_KEYWORDS = frozenset({"_", "case", "match", "type"})

#: The builtins of Python 3.10–3.14 (as of 3.13), a fixed list.
BUILTINS = frozenset("""
    ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup
    BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError
    ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError
    DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception
    ExceptionGroup FileExistsError FileNotFoundError FloatingPointError FutureWarning
    GeneratorExit IOError ImportError ImportWarning IndentationError IndexError InterruptedError
    IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError
    NameError NotADirectoryError NotImplemented NotImplementedError OSError OverflowError
    PendingDeprecationWarning PermissionError ProcessLookupError PythonFinalizationError
    RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration
    StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError
    TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError
    UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError abs
    aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod
    compile complex copyright credits delattr dict dir divmod enumerate eval exec exit filter
    float format frozenset getattr globals hasattr hash help hex id input int isinstance
    issubclass iter len license list locals map max memoryview min next object oct open ord pow
    print property quit range repr reversed round set setattr slice sorted staticmethod str sum
    super tuple type vars zip
    """.split())

#: What every generated module may import or define for itself.
GENERATED_NAMES = frozenset(
    {"annotations", "dataclass", "field", "IntEnum", "TypeAlias", "ClassVar", "Final", "Any"}
)


def is_identifier(name: str) -> bool:
    """Whether ``name`` is an ASCII identifier (front-ends produce nothing else)."""
    return bool(_IDENT.match(name))


def trailing_underscore(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """PEP 8's rule: a name Python holds (keyword, soft keyword, builtin) gets a ``_``."""
    if not is_identifier(name):
        raise ValueError(f"not an identifier: {name!r}")  # the front-ends never produce one
    if name in KEYWORDS or name in SOFT_KEYWORDS or name in BUILTINS or name in reserved:
        return name + "_"
    return name


@dataclass
class Names:
    """One Python namespace (a module, a class, a parameter list) being filled.

    :meth:`claim` gives each input name its Python name; a second input name
    that becomes the same Python name is a clash, reported at its place with a
    note at the first one.
    """

    what: str
    taken: dict[str, tuple[str, ir.Loc]] = field(default_factory=dict)
    clashes: list[Diagnostic] = field(default_factory=list)
    #: (second, first) source names already reported: one clash each.
    reported: set[tuple[str, str]] = field(default_factory=set)

    def claim(self, source: str, python: str, loc: ir.Loc) -> str:
        """Record that ``source`` becomes ``python``; returns ``python``."""
        first = self.taken.get(python)
        if first is None:
            self.taken[python] = (source, loc)
        elif first[0] != source and (source, first[0]) not in self.reported:
            self.reported.add((source, first[0]))
            note = Diagnostic(first[1], f"'{first[0]}' is declared here", "note", Severity.NOTE)
            self.clashes.append(
                Diagnostic(
                    loc,
                    f"'{source}' and '{first[0]}' both become '{python}' in {self.what}",
                    "name-clash",
                    notes=(note,),
                )
            )
        return python
