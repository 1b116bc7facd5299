"""C preprocessing with positions kept.

RPC language files (like C headers) are written for cpp: ``#include``,
``#define``, ``#ifdef``. idlgen runs the system's ``cpp`` as rpcgen does, then
turns cpp's linemarkers into a map from each output line back to the user's
file and line, so a diagnostic points into the file the user wrote, through
any depth of ``#include``. The linemarker lines themselves are blanked, which
keeps output line numbers 1:1 with the map.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.ir import Loc

_LINEMARKER = re.compile(r'^#\s*(\d+)\s+"((?:[^"\\]|\\.)*)"(.*)$')
_CPP_DIAGNOSTIC = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+):(?:(?P<col>\d+):)?\s*"
    r"(?:fatal )?(?P<sev>error|warning): (?P<msg>.*)$"
)


@dataclass
class Preprocessed:
    """cpp's output text plus, per output line, the (file, line) it came from."""

    text: str
    origins: list[tuple[str, int]]
    sources: dict[str, str] = field(default_factory=dict)
    text_lines: list[str] = field(init=False)
    _split_sources: dict[str, list[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.text_lines = self.text.split("\n")

    def last_line(self) -> int:
        """The last line that holds text of the user's files (where input ended)."""
        return max(
            (i for i, (_, n) in enumerate(self.origins, 1) if n and self.text_lines[i - 1].strip()),
            default=1,
        )

    def loc(
        self, line: int, col: int, end_line: int | None = None, end_col: int | None = None
    ) -> Loc:
        """Map a (line, col) of the preprocessed text back to the user's file."""
        if not 1 <= line <= len(self.origins):
            return Loc(self.origins[-1][0] if self.origins else "<input>", line, col)
        file, orig_line = self.origins[line - 1]
        col, end_col = self._column(line, file, orig_line, col, end_col)
        same_line = end_line == line
        return Loc(
            file, orig_line, col, orig_line if same_line else None, end_col if same_line else None
        )

    def _column(
        self, line: int, file: str, orig_line: int, col: int, end_col: int | None
    ) -> tuple[int, int | None]:
        """Cpp rewrites leading white space (a tab becomes a space): undo that shift."""
        lines = self.source_lines(file)
        if not 1 <= orig_line <= len(lines):
            return col, end_col
        produced = self.text_lines[line - 1]
        original = lines[orig_line - 1]
        if produced.strip() != original.strip():
            return col, end_col
        shift = (len(original) - len(original.lstrip())) - (len(produced) - len(produced.lstrip()))
        return col + shift, None if end_col is None else end_col + shift

    def original_line(self, line: int) -> str:
        """The user's source line that output line ``line`` came from ('' if unknown)."""
        if not 1 <= line <= len(self.origins):
            return ""
        file, orig_line = self.origins[line - 1]
        lines = self.source_lines(file)
        return lines[orig_line - 1] if 1 <= orig_line <= len(lines) else ""

    def source_lines(self, file: str) -> list[str]:
        """The lines of one of the user's files (empty if it could not be read)."""
        if file not in self._split_sources:
            self._split_sources[file] = self.sources.get(file, "").splitlines()
        return self._split_sources[file]


def find_cpp() -> list[str] | None:
    """The system preprocessor command, or None when there is none."""
    for name in ("cpp", "gcc", "cc", "clang"):
        path = shutil.which(name)
        if path:
            return [path] if name == "cpp" else [path, "-E"]
    return None


def preprocess(
    path: Path,
    include_dirs: Sequence[str] = (),
    defines: Sequence[str] = (),
    undefines: Sequence[str] = (),
    extra_args: Sequence[str] = (),
    language: str = "c",
) -> Preprocessed:
    """Run cpp on ``path`` and return its output with the line map.

    ``-undef`` drops cpp's own predefined names (``unix``, ``linux``) that would
    otherwise silently rewrite identifiers in an interface file.
    """
    cpp = find_cpp()
    if cpp is None:
        raise CompileError(
            [
                Diagnostic(
                    Loc(str(path), 0, 0), "no C preprocessor found (install cpp or gcc)", "no-cpp"
                )
            ]
        )
    args = [*cpp, "-undef", "-x", language]
    args += [f"-I{d}" for d in include_dirs]
    args += [f"-D{d}" for d in defines]
    args += [f"-U{u}" for u in undefines]
    args += [*extra_args, str(path)]
    proc = subprocess.run(
        args, capture_output=True, text=True, errors="surrogateescape", check=False
    )
    if proc.returncode != 0:
        raise CompileError(_cpp_diagnostics(proc.stderr, str(path)))
    return map_lines(proc.stdout, str(path))


def map_lines(output: str, main_file: str) -> Preprocessed:
    """Blank cpp's linemarkers out of ``output`` and record each line's origin."""
    lines = output.split("\n")
    origins: list[tuple[str, int]] = []
    file, line = main_file, 1
    files: set[str] = set()
    for i, text in enumerate(lines):
        marker = _LINEMARKER.match(text) if text.startswith("#") else None
        if marker:
            line = int(marker.group(1))
            file = marker.group(2).encode("latin-1", "backslashreplace").decode("unicode_escape")
            lines[i] = ""
            origins.append((file, 0))
            continue
        origins.append((file, line))
        files.add(file)
        line += 1
    sources: dict[str, str] = {}
    for name in files:
        try:
            sources[name] = Path(name).read_text(encoding="utf-8", errors="surrogateescape")
        except OSError:
            continue
    return Preprocessed("\n".join(lines), origins, sources)


def _cpp_diagnostics(stderr: str, main_file: str) -> list[Diagnostic]:
    """Cpp's own ``file:line:col: error:`` lines, as idlgen diagnostics."""
    found = []
    for text in stderr.splitlines():
        m = _CPP_DIAGNOSTIC.match(text)
        if m and m.group("sev") == "error":
            loc = Loc(m.group("file"), int(m.group("line")), int(m.group("col") or 1))
            found.append(Diagnostic(loc, m.group("msg"), "preprocessor"))
    if not found:
        message = stderr.strip().splitlines()[-1] if stderr.strip() else "the C preprocessor failed"
        found.append(Diagnostic(Loc(main_file, 0, 0), message, "preprocessor"))
    return found
