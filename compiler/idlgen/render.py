"""Templates to files: Jinja rendering, black formatting, verification, writing.

Every generated Python file is rendered from ``templates/<backend>/``, formatted
with black, and compiled before anything is written, so a mistake in a
template is caught as idlgen's own bug rather than shipped. Files are written
in sorted order with no timestamps: the same input gives the same bytes.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from idlgen import __version__


class InternalError(Exception):
    """A bug in idlgen (a template produced invalid Python), not in the user's input."""


@functools.cache
def environment(backend: str) -> jinja2.Environment:
    """The Jinja environment of one back-end's template folder."""
    root = Path(str(resources.files("idlgen.templates"))) / backend
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals["idlgen_version"] = __version__
    return env


def render(
    backend: str, template: str, filters: Mapping[str, Callable[..., Any]], **context: Any
) -> str:
    """Render one template with the back-end's filters."""
    env = environment(backend)
    env.filters.update(filters)
    return env.get_template(template).render(**context)


#: black's default line length, which generated code is formatted to.
LINE_LENGTH = 88


def format_python(source: str, filename: str) -> str:
    """black-format and compile generated code; failure is idlgen's bug.

    Templates already write black's layout, so black runs only on the top-level
    blocks that still have a line too long; formatting a whole large module with
    black costs seconds, this costs milliseconds. The tests check that every
    generated module is exactly what black makes of it.
    """
    try:
        blocks = _top_level_blocks(source)
        formatted = "".join(_black(b) if _too_long(b) else b for b in blocks)
        compile(formatted, filename, "exec")
    except Exception as exc:  # black.InvalidInput, SyntaxError
        raise InternalError(f"idlgen generated invalid Python for {filename}: {exc}") from exc
    return formatted


def _too_long(block: str) -> bool:
    return any(len(line) > LINE_LENGTH for line in block.split("\n"))


def _black(block: str) -> str:
    import black  # only when needed: importing black alone takes ~0.1 s
    from black.mode import TargetVersion

    stripped = block.rstrip("\n")
    trailing = block[len(stripped) :]
    mode = black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)
    return black.format_str(stripped + "\n", mode=mode).rstrip("\n") + trailing


def _top_level_blocks(source: str) -> list[str]:
    """Split a module into its top-level statements (decorators and trailing blank lines kept)."""
    starts = sorted(
        {
            min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
            for node in ast.parse(source).body
        }
    )
    lines = source.splitlines(keepends=True)
    bounds = [0, *(n - 1 for n in starts[1:]), len(lines)]
    return ["".join(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def write_files(files: Mapping[str, str], out_dir: Path) -> list[Path]:
    """Write ``files`` (relative path → text) under ``out_dir`` in sorted order."""
    written = []
    for rel in sorted(files):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = files[rel].encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written
