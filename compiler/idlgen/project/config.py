"""``[tool.idlgen]`` in a project's pyproject.toml: read, validated, turned into Options.

::

    [tool.idlgen]
    output = "src"                    # where `idlgen build` writes (default: src/ if it exists)
    I = ["interfaces"]                # any input key but file/name: a default for every input

    [[tool.idlgen.inputs]]
    file = "interfaces/nfs_prot.x"
    name = "mypkg.nfs"                # also `package`

    [[tool.idlgen.inputs]]
    file = "/usr/include/zlib.h"
    backend = "cffi"
    name = "mypkg._zlib"
    library = ["z"]                   # also `libraries`

Every command-line option has a key of the same name (``I``, ``D``, ``U``,
``L``, ``library``, ``symbols``, ``exclude``, ``include``, ``backend``,
``name``, ``output``). Paths are relative to the project root. A mistake is a
:class:`ConfigError` that names the line of pyproject.toml it is on.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from idlgen import driver
from idlgen.diagnostics import CompileError
from idlgen.pipeline import Options

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: Keys of one input (and, but ``file`` and ``name``, of the [tool.idlgen] table):
#: the kind of value each takes.
_LIST = "a list of strings"
_STR = "a string"
INPUT_KEYS: dict[str, str] = {
    "file": _STR,
    "name": _STR,
    "backend": _STR,
    "output": _STR,
    "I": _LIST,
    "D": "a list of strings or a table",
    "U": _LIST,
    "library": _LIST,
    "L": _LIST,
    "symbols": _STR,
    "exclude": _STR,
    "include": _LIST,
}
#: Other spellings a user may reach for first (the long option, a plural).
ALIASES: dict[str, str] = {
    "package": "name",
    "libraries": "library",
    "l": "library",
    "b": "backend",
    "o": "output",
    "include-dirs": "I",
    "include_dirs": "I",
    "defines": "D",
    "undefines": "U",
    "library-dirs": "L",
    "library_dirs": "L",
}
#: Only [[tool.idlgen.inputs]] entries say these.
_PER_INPUT = frozenset({"file", "name"})


class ConfigError(Exception):
    """A mistake in ``[tool.idlgen]``: ``pyproject.toml:LINE: error: ...``."""

    def __init__(self, file: Path, line: int, message: str, source: str = "") -> None:
        self.file, self.line, self.message, self.source = file, line, message, source
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        text = f"{where}: error: {self.message}"
        lines = self.source.splitlines()
        if 0 < self.line <= len(lines):
            text += f"\n    {lines[self.line - 1]}"
        return text


@dataclass
class Input:
    """One ``[[tool.idlgen.inputs]]`` entry, with the table's defaults applied."""

    #: As written (relative to the project root, or absolute).
    file: str
    #: The dotted name of the generated package or module (``mypkg.nfs``).
    name: str | None = None
    backend: str | None = None
    #: The folder ``idlgen build`` writes the package's top level under.
    output: str | None = None
    include_dirs: list[str] = field(default_factory=list)
    defines: list[str] = field(default_factory=list)
    undefines: list[str] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)
    library_dirs: list[str] = field(default_factory=list)
    symbols: str | None = None
    exclude: str | None = None
    pre_includes: list[str] = field(default_factory=list)
    #: The line of pyproject.toml the entry starts on (for messages about it).
    line: int = 0


@dataclass
class Config:
    """A project's ``[tool.idlgen]``: where it is and what it builds."""

    root: Path
    pyproject: Path
    inputs: list[Input]
    #: Where ``idlgen build`` writes packages: ``src`` when the project has one, else ``.``.
    output: str
    #: The project's distribution name and its declared dependencies ([project]).
    dist_name: str
    dependencies: list[str]


def find_pyproject(start: Path) -> Path | None:
    """The pyproject.toml of the project ``start`` is in (it, or the nearest parent's)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(pyproject: Path) -> Config:
    """Read and validate ``[tool.idlgen]``; raises :class:`ConfigError`."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(pyproject, 0, f"cannot read it: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else 0
        raise ConfigError(pyproject, line, f"not valid TOML: {exc}", text) from None
    lines = _Lines(pyproject, text)
    table = data.get("tool", {}).get("idlgen")
    if table is None:
        raise ConfigError(pyproject, 0, "no [tool.idlgen] table (see docs/build-integration.md)")
    if not isinstance(table, dict):
        raise lines.error(lines.table("tool.idlgen"), "[tool.idlgen] must be a table")
    root = pyproject.parent.resolve()
    defaults: dict[str, Any] = {}
    output: str | None = None
    head = lines.table("tool.idlgen")
    for key, value in table.items():
        key = str(key)
        if key == "inputs":
            continue
        canonical: str = ALIASES.get(key, key)
        where = lines.key(head, key)
        if canonical in _PER_INPUT:
            raise lines.error(where, f"'{key}' belongs in a [[tool.idlgen.inputs]] entry")
        _check_key(lines, where, key, canonical, value, "[tool.idlgen]", extra=("inputs",))
        if canonical == "output":
            output = str(value)
        else:
            defaults[canonical] = _defines(value) if canonical == "D" else value
    raw_inputs = table.get("inputs")
    if raw_inputs is None:
        raise lines.error(head, "[tool.idlgen] has no inputs: add [[tool.idlgen.inputs]] entries")
    if not isinstance(raw_inputs, list) or not all(isinstance(e, dict) for e in raw_inputs):
        raise lines.error(lines.key(head, "inputs"), "'inputs' must be a list of tables")
    inputs = [
        _input(lines, root, lines.entry("tool.idlgen.inputs", i), entry, defaults)
        for i, entry in enumerate(raw_inputs)
    ]
    _check_unique(lines, inputs)
    if output is None:
        output = "src" if (root / "src").is_dir() else "."
    project = data.get("project", {})
    return Config(
        root=root,
        pyproject=pyproject,
        inputs=inputs,
        output=output,
        dist_name=str(project.get("name", root.name)),
        dependencies=[str(d) for d in project.get("dependencies", [])],
    )


def _check_key(
    lines: _Lines,
    line: int,
    key: str,
    canonical: str,
    value: object,
    where: str,
    extra: tuple[str, ...] = (),
) -> None:
    kind = INPUT_KEYS.get(canonical)
    if kind is None:
        known = ", ".join(sorted({*INPUT_KEYS, *extra} - (_PER_INPUT if extra else set())))
        hint = _close(key, [*INPUT_KEYS, *ALIASES, *extra])
        raise lines.error(
            line, f"unknown key '{key}' in {where}{hint} (known: {known})", code="config"
        )
    ok = (
        isinstance(value, str)
        if kind == _STR
        else (
            isinstance(value, list)
            and all(isinstance(v, str) for v in value)
            or (canonical == "D" and isinstance(value, dict))
        )
    )
    if canonical == "D" and isinstance(value, dict):
        bad = [k for k, v in value.items() if not isinstance(v, (str, int, bool))]
        ok = not bad
    if not ok:
        raise lines.error(line, f"'{key}' must be {kind}, not {_kind(value)}")


def _input(
    lines: _Lines, root: Path, start: int, entry: dict[str, Any], defaults: dict[str, Any]
) -> Input:
    values: dict[str, Any] = {}
    for key, value in entry.items():
        canonical: str = ALIASES.get(key, key)
        where = lines.key(start, key)
        _check_key(lines, where, key, canonical, value, "[[tool.idlgen.inputs]]")
        if canonical in values:
            raise lines.error(where, f"'{key}' says again what another key of this entry says")
        values[canonical] = _defines(value) if canonical == "D" else value
    if "file" not in values:
        raise lines.error(start, "this [[tool.idlgen.inputs]] entry has no 'file'")
    merged = {**defaults}
    for key, value in values.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *value]
        else:
            merged[key] = value
    file = str(values["file"])
    path = Path(file) if Path(file).is_absolute() else root / file
    if not path.is_file():
        raise lines.error(lines.key(start, "file"), f"input file '{file}' does not exist")
    name = merged.get("name")
    if name is not None and not _dotted(name):
        raise lines.error(
            lines.key(start, "name", "package"),
            f"'{name}' is not a dotted Python name (as mypkg.nfs)",
        )
    problem = check_backend(path, merged.get("backend"))
    if problem:
        raise lines.error(lines.key(start, "backend", "b", "file"), problem)
    return Input(
        file=file,
        name=name,
        backend=merged.get("backend"),
        output=merged.get("output"),
        include_dirs=list(merged.get("I", [])),
        defines=list(merged.get("D", [])),
        undefines=list(merged.get("U", [])),
        libraries=list(merged.get("library", [])),
        library_dirs=list(merged.get("L", [])),
        symbols=merged.get("symbols"),
        exclude=merged.get("exclude"),
        pre_includes=list(merged.get("include", [])),
        line=start,
    )


def _check_unique(lines: _Lines, inputs: list[Input]) -> None:
    seen: dict[str, Input] = {}
    for entry in inputs:
        name = dotted_name(entry)
        if name in seen:
            raise lines.error(
                entry.line,
                f"two inputs make the package '{name}' (the other is on line "
                f"{seen[name].line}): give one a different 'name'",
            )
        seen[name] = entry


def _defines(value: list[str] | dict[str, object]) -> list[str]:
    """``D`` as -D arguments: a table's ``NAME = true`` is ``NAME``, ``false`` is ``NAME=0``."""
    if isinstance(value, list):
        return value
    return [
        name if v is True else f"{name}=0" if v is False else f"{name}={v}"
        for name, v in value.items()
    ]


def _dotted(name: str) -> bool:
    """Whether ``name`` is a dotted Python name whose parts are not keywords."""
    import keyword

    parts = name.split(".")
    return all(p.isidentifier() and not keyword.iskeyword(p) for p in parts)


def _kind(value: object) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "a list" + (" with a non-string item" if isinstance(value, list) else ""),
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _close(key: str, known: list[str]) -> str:
    import difflib

    match = difflib.get_close_matches(key, known, n=1)
    return f"; did you mean '{match[0]}'?" if match else ""


def check_backend(path: Path, backend: str | None) -> str | None:
    """Why ``backend`` cannot render ``path`` (or its kind is unknown), or None."""
    try:
        driver.backend_for(path, Options(backend=backend))
    except CompileError as exc:
        return exc.diagnostics[0].message
    return None


def backend_name(entry: Input) -> str:
    """The back-end an input is rendered by: the one it names, or its language's own."""
    return driver.backend_for(Path(entry.file), Options(backend=entry.backend)).name


def dotted_name(entry: Input) -> str:
    """The generated package's dotted name: ``name``, or from the input file's name."""
    if entry.name:
        return entry.name
    stem = Path(entry.file).stem
    if driver.LANGUAGES.get(Path(entry.file).suffix.lower()) == "c":
        from idlgen.naming.c import module_name

        return module_name(stem)
    from idlgen.naming.xdr import package_name

    return package_name(stem)


class _Lines:
    """Where tables and keys are in pyproject.toml's text (tomllib keeps no positions)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.lines = text.splitlines()
        #: (line, header) of every [table] and [[array]] header, 1-based lines.
        self.headers: list[tuple[int, str]] = []
        for i, raw in enumerate(self.lines, 1):
            m = re.match(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", raw)
            if m:
                name = re.sub(r"\s*\.\s*", ".", m.group(2)).replace('"', "")
                self.headers.append((i, ("[[" if m.group(1) == "[[" else "[") + name))

    def table(self, name: str) -> int:
        return next((i for i, h in self.headers if h == f"[{name}"), 0)

    def entry(self, name: str, index: int) -> int:
        found = [i for i, h in self.headers if h == f"[[{name}"]
        if index < len(found):
            return found[index]
        # inline: inputs = [{...}, ...] — the line of the key
        parent, _, key = name.rpartition(".")
        return self.key(self.table(parent), key) or self.table(parent)

    def key(self, start: int, *keys: str) -> int:
        """The line of the first of ``keys`` set in the table whose header is on line ``start``.

        The header's line when none is (or the table is inline).
        """
        for key in keys:
            found = self._key(start, key)
            if found:
                return found
        return start

    def _key(self, start: int, key: str) -> int:
        if start == 0:
            return 0
        ends = [i for i, _ in self.headers if i > start]
        end = ends[0] if ends else len(self.lines) + 1
        pattern = re.compile(rf"""\s*["']?{re.escape(key)}["']?\s*=""")
        for i in range(start, end):
            if i == start:
                line = self.lines[i - 1]
                if "{" in line and re.search(rf"\b{re.escape(key)}\s*=", line):
                    return i
                continue
            if pattern.match(self.lines[i - 1]):
                return i
        return 0

    def error(self, line: int, message: str, code: str = "config") -> ConfigError:
        return ConfigError(self.path, line, message, self.text)
