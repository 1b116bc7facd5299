"""Constants a ``.x`` file takes from the C headers it ``%#include``s.

rpcgen copies ``%#include <libvirt/libvirt.h>`` into its C output, so a ``.x``
file may use the header's ``#define``s and enumerators as array bounds and
case labels (``opaque uuid[VIR_UUID_BUFLEN]``, ``case VIR_TYPED_PARAM_INT:``)
and the C compiler resolves them. idlgen does the same for the names the file
uses but does not declare: it finds each such header as the C compiler would
(a quoted one in the including file's folder first, then ``-I`` folders, then
the system include path), runs the C preprocessor over them with the C
front-end's settings, and evaluates the macros and enumerators with C's rules
(:mod:`idlgen.frontends.cheader.macros`). Only values cross over: a *type*
declared only in a C header has no XDR encoding, so using one stays an error,
which says where the C type is.

Nothing here runs unless the file uses a name it does not declare.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from idlgen import ir
from idlgen.diagnostics import CompileError
from idlgen.preprocess import _cpp_diagnostics

if TYPE_CHECKING:
    from idlgen.frontends.cheader.preprocess import Macro

#: ``#include <a/b.h>`` or ``#include "b.h"`` on a ``%`` line (the ``%`` is gone).
_C_INCLUDE = re.compile(r'^\s*#\s*include\s*(?:<([^>]+)>|"([^"]+)")')
_LINEMARKER = re.compile(r'^#\s*(\d+)\s+"((?:[^"\\]|\\.)*)"', re.M)
#: An enum body in preprocessed C (enumerator lists hold no braces).
_ENUM_BODY = re.compile(r"\benum\b\s*(?:[A-Za-z_]\w*\s*)?\{([^{}]*)\}")
_SEARCH_LIST = re.compile(r"#include <\.\.\.> search starts here:\n(.*?)\nEnd of search list", re.S)
_ENUMERATOR = re.compile(r"\s*([A-Za-z_]\w*)\s*(?:=\s*(.+?))?\s*$", re.S)


@dataclass(frozen=True)
class Header:
    """One ``%#include`` of a C header and what became of it."""

    written: str  # as in the source: ``<libvirt/libvirt.h>`` or ``"internal.h"``
    path: Path | None  # None: not found


@dataclass
class HeaderValues:
    """What the C headers of a ``.x`` file say about the names it lacks."""

    headers: list[Header] = field(default_factory=list)
    #: Integer constants found: name → (value, where it is defined).
    consts: dict[str, tuple[int, ir.Loc]] = field(default_factory=dict)
    #: Names found that are not integer constants idlgen can evaluate: why.
    unusable: dict[str, str] = field(default_factory=dict)
    #: C types (typedef names and struct/union/enum tags) among the names: where.
    types: dict[str, ir.Loc] = field(default_factory=dict)
    #: Why the headers (or some of them) could not be preprocessed.
    failures: list[str] = field(default_factory=list)

    def searched(self) -> str:
        """The headers, each with where it was found (or not): for messages."""
        return ", ".join(
            f"{h.written} ({_shown(str(h.path))})" if h.path else f"{h.written} (not found)"
            for h in self.headers
        )

    def constant_hint(self, name: str) -> str:
        """The explanation of an undefined constant still missing after the search."""
        if name in self.unusable:
            return f"{self.unusable[name]}; give it with -D {name}=VALUE"
        text = f"not defined in the C headers searched: {self.searched()}"
        if self.failures:
            text += f"; the C preprocessor said: {'; '.join(self.failures)}"
        if self.failures or any(not h.path for h in self.headers):
            return text + f"; give the folders they need with -I, or the value with -D {name}=VALUE"
        return text + f"; give it with -D {name}=VALUE"

    def type_hint(self, name: str) -> str:
        """The explanation of a type that only a C header declares."""
        loc = self.types[name]
        return (
            f"'{name}' is a C type, declared in {_place(loc)}; a C header gives a "
            f".x file constants, not types: declare the type in XDR"
        )


def c_includes(decls: Iterable[ir.Decl]) -> list[tuple[str, bool, Path]]:
    """The ``%#include`` lines: (name, quoted, folder of the file that includes it)."""
    found = []
    for decl in decls:
        if not isinstance(decl, ir.Passthrough):
            continue
        m = _C_INCLUDE.match(decl.text)
        if m:
            quoted = m.group(2) is not None
            found.append((m.group(2) or m.group(1), quoted, Path(decl.loc.file).parent))
    return found


def find_header(name: str, quoted: bool, folder: Path, include_dirs: Sequence[str]) -> Path | None:
    """Where the C compiler would find ``name``: as C11 6.10.2 and gcc search."""
    bases = [folder] if quoted else []
    bases += [Path(d) for d in include_dirs]
    bases += [Path(d) for d in system_include_dirs()]
    bases.append(Path(TIRPC))
    for base in bases:
        candidate = base / name
        if candidate.is_file():
            return candidate
    return None


@functools.cache
def system_include_dirs() -> tuple[str, ...]:
    """The C compiler's own search list for ``<...>`` (``gcc -v``), or the usual folders."""
    compiler = shutil.which("gcc") or shutil.which("cc") or shutil.which("clang")
    if compiler is not None:
        proc = subprocess.run(
            [compiler, "-xc", "-E", "-v", "-"],
            input="",
            capture_output=True,
            text=True,
            check=False,
        )
        m = _SEARCH_LIST.search(proc.stderr)
        if m:
            return tuple(line.strip() for line in m.group(1).splitlines() if line.strip())
    machine = subprocess.run(["uname", "-m"], capture_output=True, text=True, check=False)
    triplet = f"/usr/include/{machine.stdout.strip()}-linux-gnu"
    return tuple(d for d in ("/usr/local/include", triplet, "/usr/include") if Path(d).is_dir())


#: Where libtirpc keeps <rpc/rpc.h>, which rpcgen's C always includes (glibc no
#: longer ships it): searched after the system folders, as its pkg-config says.
TIRPC = "/usr/include/tirpc"


def read_headers(
    includes: Sequence[tuple[str, bool, Path]],
    include_dirs: Sequence[str],
    defines: Sequence[str],
    undefines: Sequence[str],
    consts: set[str],
    types: set[str],
) -> HeaderValues:
    """Look up ``consts`` and ``types`` in the C headers ``includes`` name.

    What the preprocessor read is used even when it reported errors (an
    ``#error`` for a platform macro the project's configure defines, a
    dependency not on the path): values found are then still C's, and the
    errors are kept in :attr:`HeaderValues.failures` for the messages.
    """
    values = HeaderValues()
    paths: list[Path] = []
    for name, quoted, folder in includes:
        path = find_header(name, quoted, folder, include_dirs)
        header = Header(f'"{name}"' if quoted else f"<{name}>", path)
        if header not in values.headers:
            values.headers.append(header)
        if path is not None and path not in paths:
            paths.append(path)
    if not paths:
        return values
    # Absolute folders: the C front-end's reading of cpp's output wants absolute names.
    include_dirs = [str(Path(d).resolve()) for d in include_dirs]
    texts: list[str] = []
    macros: list[Macro] = []
    with tempfile.TemporaryDirectory(prefix="idlgen-stubs-") as stubs:
        # All of them together, as the C compiler sees them after one another. A
        # dependency not found (glib.h, without its folder) is read as empty, so
        # cpp goes on to the library's own headers; each one is said in the messages.
        for _ in range(_MAX_STUBS):
            text, macros, errors, missing = _preprocess(
                paths, include_dirs, defines, undefines, stubs
            )
            if missing is None:
                break
            stub = Path(stubs) / missing
            if stub.exists():  # cannot be stubbed (an absolute name): take what was read
                break
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text("")
            values.failures.append(f"{missing} was not found and was read as empty")
        texts = [text]
        values.failures += [e for e in errors if "No such file" not in e]
    _evaluate(values, texts, macros, consts)
    if types:
        _find_types(values, texts, types)
    return values


#: At most this many missing dependencies are read as empty headers.
_MAX_STUBS = 32
_MISSING = re.compile(r"^\S+?:\d+:\d+: fatal error: (.+?): No such file or directory$", re.M)


def _preprocess(
    paths: Sequence[Path],
    include_dirs: Sequence[str],
    defines: Sequence[str],
    undefines: Sequence[str],
    stubs: str,
) -> tuple[str, list[Macro], list[str], str | None]:
    """The C front-end's preprocessing of ``paths``, errors or not.

    (text, macros, the errors as ``header:line: message``, the header whose
    absence stopped cpp). ``stubs`` is searched last: the empty headers.
    """
    from idlgen.frontends.cheader.preprocess import GNU_DEFINES, lift_macros, preprocess_header

    compiler = shutil.which("gcc") or shutil.which("cc") or shutil.which("clang")
    if compiler is None:  # pcpp, through the C front-end: all or nothing
        try:
            pre = preprocess_header(paths, include_dirs, defines, undefines)
        except CompileError as exc:
            return "", [], [_failure(d.loc, d.message) for d in exc.diagnostics], None
        return pre.text, pre.macros, [], None
    source = "".join(f'#include "{p.resolve()}"\n' for p in paths)
    args = [compiler, "-E", "-dD", "-std=gnu11", *(f"-D{d}" for d in GNU_DEFINES)]
    args += [f"-I{d}" for d in include_dirs] + [f"-D{d}" for d in defines]
    args += [f"-U{u}" for u in undefines]
    if Path(TIRPC).is_dir():
        args += ["-idirafter", TIRPC]
    args += ["-idirafter", stubs]
    proc = subprocess.run(
        [*args, "-x", "c", "-"], input=source, capture_output=True, text=True, check=False
    )
    pre = lift_macros(proc.stdout)
    if proc.returncode == 0:
        return pre.text, pre.macros, [], None
    errors = [_failure(d.loc, d.message) for d in _cpp_diagnostics(proc.stderr, "<C headers>")]
    missing = _MISSING.search(proc.stderr)
    return pre.text, pre.macros, errors, missing.group(1) if missing else None


def _failure(loc: ir.Loc, message: str) -> str:
    return f"{Path(loc.file).name}:{loc.line}: {message}" if loc.line else message


def _evaluate(
    values: HeaderValues, texts: list[str], macros: list[Macro], consts: set[str]
) -> None:
    """Enumerators first (in order, as C numbers them), then the macros asked for."""
    from idlgen.frontends.cheader.constants import KnownConstants
    from idlgen.frontends.cheader.macros import Cast, NotConstant, evaluate

    by_name = {m.name: m for m in macros if m.params is None and m.body}
    enumerators: dict[str, object] = {}
    where: dict[str, ir.Loc] = {}
    known = KnownConstants(enumerators, by_name, {})
    for text in texts:
        for body in _ENUM_BODY.finditer(text):
            next_value: object = 0
            offset = body.start(1)
            for item in _top_level_split(body.group(1)):
                m = _ENUMERATOR.match(item)
                if m is None:
                    break  # not an enumerator list idlgen can read: the rest is unknown
                if m.group(2) is not None:
                    try:
                        next_value = evaluate(m.group(2), known)  # type: ignore[arg-type]
                    except (NotConstant, TypeError, ValueError, ZeroDivisionError):
                        next_value = None
                if isinstance(next_value, int):
                    enumerators[m.group(1)] = next_value
                    if m.group(1) in consts:
                        where[m.group(1)] = _origin(text, offset + item.find(m.group(1)))
                    next_value = next_value + 1
                elif m.group(1) in consts:
                    values.unusable[m.group(1)] = (
                        f"enumerator '{m.group(1)}' of a C header has a value idlgen cannot "
                        "evaluate"
                    )
                offset += len(item) + 1
    for name in sorted(consts):
        if name in enumerators:
            values.consts[name] = (int(enumerators[name]), where[name])  # type: ignore[call-overload]
            continue
        macro = by_name.get(name)
        if macro is None:
            function_like = next((m for m in macros if m.name == name), None)
            if function_like is not None:
                values.unusable[name] = (
                    f"'{name}' is a function-like macro of {_place(function_like.loc)}"
                )
            continue
        try:
            value = known.evaluate(name)
        except NotConstant as exc:
            values.unusable[name] = (
                f"macro '{name}' of {_place(macro.loc)} is not a constant: {exc}"
            )
            continue
        if isinstance(value, Cast) or isinstance(value, bool) or not isinstance(value, int):
            values.unusable[name] = (
                f"macro '{name}' of {_place(macro.loc)} is not an integer: {macro.body.strip()}"
            )
            continue
        values.consts[name] = (int(value), macro.loc)


def _find_types(values: HeaderValues, texts: list[str], types: set[str]) -> None:
    """Where each of ``types`` is declared as a C type (typedef name or tag), if anywhere."""
    for name in sorted(types):
        pattern = re.compile(
            rf"\b(?:struct|union|enum)\s+{re.escape(name)}\s*\{{"  # a tag with a body
            rf"|\btypedef\b[^;{{}}]*(?:\{{[^{{}}]*(?:\{{[^{{}}]*\}}[^{{}}]*)*\}})?[^;{{}}]*"
            rf"\b{re.escape(name)}\s*(?:\[[^\]]*\]\s*)*;"  # the name a typedef declares
        )
        for text in texts:
            m = pattern.search(text)
            if m:
                at = m.start() + m.group(0).rfind(name)
                values.types[name] = _origin(text, at)
                break


def _top_level_split(body: str) -> list[str]:
    """``body`` cut at the commas outside parentheses (enumerator values may hold some)."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(body[start:i])
            start = i + 1
    if body[start:].strip():
        items.append(body[start:])
    return items


def _origin(text: str, offset: int) -> ir.Loc:
    """The header file and line that ``offset`` of preprocessed ``text`` came from."""
    line_start = text.rfind("\n", 0, offset) + 1
    marker = None
    for found in _LINEMARKER.finditer(text, 0, line_start):
        marker = found
    if marker is None:
        return ir.Loc("<C header>", 0, 0)
    lines_after = text.count("\n", marker.end(), line_start)
    col = offset - line_start + 1
    return ir.Loc(marker.group(2), int(marker.group(1)) + lines_after - 1, col)


def _place(loc: ir.Loc) -> str:
    return f"{_shown(loc.file)}:{loc.line}"


def _shown(file: str) -> str:
    """A header's path as the user would write it: relative to the working folder if inside."""
    try:
        return Path(file).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return file
