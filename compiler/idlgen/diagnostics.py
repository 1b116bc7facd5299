"""Diagnostics: what passes raise and what only the CLI turns into text.

Passes never print. They raise :class:`CompileError` carrying one or more
:class:`Diagnostic` objects, each with the :class:`~idlgen.ir.Loc` of the node
that is wrong; :func:`render` formats them mypy-style::

    simp.x:12:5: error: undefined type 'operand' [undefined-name]
        operand x;
        ^~~~~~~
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from idlgen.ir import Loc


class Severity(str, Enum):
    """How bad a diagnostic is; errors make the exit status 1."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One message about one place in the user's input."""

    loc: Loc
    message: str
    code: str = "error"
    severity: Severity = Severity.ERROR
    notes: tuple[Diagnostic, ...] = ()
    #: For a warning about something left out: what it is, as the plural phrase
    #: of a one-line summary ("take a va_list"); the CLI lists each only with -v.
    group: str = ""


class CompileError(Exception):
    """Raised with the diagnostics that stop a compilation."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("; ".join(d.message for d in self.diagnostics))


def error(loc: Loc, message: str, code: str = "error") -> CompileError:
    """Make a CompileError of one diagnostic at ``loc``."""
    return CompileError([Diagnostic(loc, message, code)])


@dataclass
class Reporter:
    """Collects diagnostics so a pass can report every problem, not only the first."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Loc, message: str, code: str = "error") -> None:
        """Record an error; :meth:`check` raises once the pass is done."""
        self.diagnostics.append(Diagnostic(loc, message, code))

    def warning(self, loc: Loc, message: str, code: str = "warning", group: str = "") -> None:
        """Record a warning; warnings are printed but do not fail the compile.

        ``group``: the warning says something was left out (see
        :attr:`Diagnostic.group`), summarized with the others of its kind.
        """
        self.diagnostics.append(Diagnostic(loc, message, code, Severity.WARNING, group=group))

    @property
    def has_errors(self) -> bool:
        """Whether any error (not warning) was recorded."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def check(self) -> None:
        """Raise the recorded errors (with the warnings beside them), if any."""
        if self.has_errors:
            raise CompileError(self.diagnostics)


def render(diag: Diagnostic, sources: Mapping[str, str]) -> str:
    """Format one diagnostic with its source line and a caret under the place."""
    loc = diag.loc
    code = "" if diag.severity is Severity.NOTE else f" [{diag.code}]"
    where = str(loc) if loc.line > 0 else loc.file  # no position: the file (or "idlgen") alone
    head = f"{where}: {diag.severity.value}: {diag.message}{code}"
    lines = [head]
    text = sources.get(loc.file)
    if text is not None and loc.line >= 1:
        source_lines = text.splitlines()
        if loc.line <= len(source_lines):
            raw = source_lines[loc.line - 1]
            col = max(loc.col, 1)
            same_line = loc.end_line in (None, loc.line) and loc.end_col is not None
            width = max(loc.end_col - col, 1) if same_line and loc.end_col else 1
            width = min(width, max(len(raw) - col + 1, 1))
            indent = len(raw[: col - 1].expandtabs(8))
            lines.append(f"    {raw.expandtabs(8)}")
            lines.append("    " + " " * indent + "^" + "~" * (width - 1))
    lines.extend(render(note, sources) for note in diag.notes)
    return "\n".join(lines)


def summary(diagnostics: Iterable[Diagnostic]) -> str | None:
    """One line for the warnings that say something was left out, or None.

    ``skipped 12 declarations that cannot be bound: 9 take a va_list, 3 are
    function-like macros``: the most frequent kind first.
    """
    counts: dict[str, int] = {}
    for d in diagnostics:
        if d.group and d.severity is Severity.WARNING:
            counts[d.group] = counts.get(d.group, 0) + 1
    if not counts:
        return None
    total = sum(counts.values())
    kinds = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    what = "declaration" if total == 1 else "declarations"
    return f"skipped {total} {what} that cannot be bound: " + ", ".join(
        f"{n} {group.rpartition('|')[2] if n > 1 else _singular(group)}" for group, n in kinds
    )


def _singular(group: str) -> str:
    """The phrase for one: given before a ``|``, else the verb made singular ("takes")."""
    if "|" in group:  # "is a macro that is not a constant|are macros that are not constants"
        return group.partition("|")[0]
    verb, _, rest = group.partition(" ")
    return f"{ {'are': 'is', 'take': 'takes', 'pass': 'passes'}.get(verb, verb)} {rest}"
