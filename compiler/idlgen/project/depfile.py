"""Make-syntax dependency files (``--depfile``), as gcc's ``-MD`` and protoc's ``--dependency_out``.

::

    out/simp/__init__.py out/simp/codecs.py ...: simp.x include/common.x

Every file the compilation read is listed: for ``.x`` inputs the files the
preprocessor opened (``#include``); for C headers every header the C
preprocessor reads (``gcc -M``, pre-included ones too). make, ninja and meson
then rebuild only what changed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from idlgen.pipeline import Options, Result


def files_read(path: Path, options: Options, result: Result) -> list[Path]:
    """Every file compiling ``path`` read, the input first (as the paths were given)."""
    read = [path]
    read += [Path(p) for p in sorted(result.sources) if Path(p) != path]
    if path.suffix.lower() == ".h":
        read += _c_dependencies(path, options)
    seen: set[Path] = set()
    unique = []
    for p in read:
        key = p.resolve()
        if key not in seen and p.is_file():
            seen.add(key)
            unique.append(p)
    return unique


def _c_dependencies(path: Path, options: Options) -> list[Path]:
    """The headers the C preprocessor reads for ``path`` (``gcc -M``), or [] without gcc."""
    compiler = shutil.which("gcc") or shutil.which("cc") or shutil.which("clang")
    if compiler is None:
        return []
    pre = options.preprocess
    prelude = []
    for header in options.c.pre_includes:
        prelude += ["-include", header]
    proc = subprocess.run(
        [
            compiler,
            "-M",
            "-std=gnu11",
            *(f"-I{d}" for d in pre.include_dirs),
            *(f"-D{d}" for d in pre.defines),
            *(f"-U{u}" for u in pre.undefines),
            *prelude,
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return []
    _, _, deps = proc.stdout.replace("\\\n", " ").partition(": ")
    return [Path(d.replace("\x00", " ")) for d in deps.replace("\\ ", "\x00").split()]


def escape(path: str) -> str:
    """A path as Make reads it: spaces and ``#`` escaped, ``$`` doubled."""
    return path.replace("$", "$$").replace("#", "\\#").replace(" ", "\\ ")


def render(targets: Iterable[str], deps: Iterable[str]) -> str:
    """``targets: deps`` with one dependency per continued line, and an empty rule per dependency.

    The empty rules (gcc's ``-MP``) keep make from failing when a header is removed.
    """
    dep_list = list(deps)
    head = " ".join(escape(t) for t in targets) + ":"
    body = "".join(f" \\\n  {escape(d)}" for d in dep_list)
    phony = "".join(f"\n{escape(d)}:\n" for d in dep_list[1:])
    return f"{head}{body}\n{phony}"


def write(depfile: Path, targets: Iterable[Path], deps: Iterable[Path]) -> bool:
    """Write ``depfile`` unless it already says the same; True when it was written."""
    text = render((str(t) for t in targets), (str(d) for d in deps))
    try:
        if depfile.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    depfile.parent.mkdir(parents=True, exist_ok=True)
    depfile.write_text(text, encoding="utf-8")
    return True
