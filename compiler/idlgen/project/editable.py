"""Editable installs whose generated packages follow their inputs.

An editable wheel built by the hatchling hook carries the generated packages in
a folder of their own (``_idlgen_<dist>/``), a ``.pth`` file and a small
import hook. When a generated package is first imported in a process, the hook
compares the files its compilation read (modification time and size, recorded
in ``_idlgen_<dist>/stamp.json``) with the disk; when one changed, it runs
:func:`regenerate` (idlgen is installed beside an editable install) and then
imports the fresh package. A failure to regenerate is an ImportError that
carries idlgen's diagnostics.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from idlgen.project.compile import Staged, stage
from idlgen.project.config import Config, load

#: The import hook, written beside the .pth file (standard library only).
_FINDER = '''\
"""Import hook of the editable install of {dist}: regenerates idlgen's packages.

Written by idlgen {version}; see idlgen.project.editable.
"""

import importlib.abc
import importlib.util
import json
import os
import sys
import warnings

_HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), {folder!r})
_ROOT = {root!r}
_PACKAGES = {packages!r}
_checked = []


def _stale():
    """{{package: the first file it read that changed}}, for the packages to regenerate."""
    try:
        with open(os.path.join(_HERE, "stamp.json"), encoding="utf-8") as f:
            stamp = json.load(f)
    except (OSError, ValueError):
        return dict.fromkeys(_PACKAGES, "stamp.json")
    changed = {{}}
    for package, read in stamp["packages"].items():
        for path, (mtime, size) in read.items():
            try:
                st = os.stat(path)
            except OSError:
                changed[package] = path
                break
            if (st.st_mtime_ns, st.st_size) != (mtime, size):
                changed[package] = path
                break
    return changed


def _refresh():
    if _checked:
        return
    _checked.append(True)
    changed = _stale()
    if not changed:
        return
    first = next(iter(changed.values()))
    try:
        from idlgen.project.editable import regenerate
    except ImportError:
        warnings.warn(
            f"{{first}} changed since the editable install of {dist}, and idlgen is not "
            f"installed here to regenerate: run pip install -e {{_ROOT}} again",
            stacklevel=3,
        )
        return
    problem = regenerate(_ROOT, _HERE, sorted(changed))
    if problem:
        raise ImportError(f"regenerating after {{first}} changed failed:\\n{{problem}}")


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _PACKAGES:
            return None
        _refresh()
        folder = os.path.join(_HERE, *fullname.split("."))
        return importlib.util.spec_from_file_location(
            fullname,
            os.path.join(folder, "__init__.py"),
            submodule_search_locations=[folder],
        )


if not any(isinstance(f, _Finder) for f in sys.meta_path):
    sys.meta_path.insert(0, _Finder())
'''


def folder_name(config: Config) -> str:
    """``_idlgen_<dist>``: where an editable wheel keeps the generated packages."""
    return "_idlgen_" + re.sub(r"\W", "_", config.dist_name).lower()


def write_stamp(into: Path, staged: Staged) -> Path:
    """Record what each package's generation read, with modification times and sizes.

    Packages regenerated earlier keep their record (``staged`` may hold only some).
    """
    stamp = into / "stamp.json"
    try:
        packages = json.loads(stamp.read_text(encoding="utf-8"))["packages"]
    except (OSError, ValueError, KeyError):
        packages = {}
    for gen in staged.generated:
        read = {}
        for path in gen.read:
            st = path.stat()
            read[str(path)] = [st.st_mtime_ns, st.st_size]
        packages[gen.unit.name] = read
    text = json.dumps({"packages": packages}, indent=1, sort_keys=True)
    stamp.write_text(text, encoding="utf-8")
    return stamp


def write_finder(config: Config, staging: Path, into: Path, staged: Staged) -> dict[Path, str]:
    """Write the ``.pth``, the import hook and the stamp; their places in the wheel."""
    folder = folder_name(config)
    packages = sorted(g.unit.name for g in staged.generated)
    finder = staging / f"{folder}_finder.py"
    finder.write_text(
        _FINDER.format(
            dist=config.dist_name,
            version=_version(),
            folder=folder,
            root=str(config.root),
            packages=packages,
        ),
        encoding="utf-8",
    )
    pth = staging / f"{folder}.pth"
    pth.write_text(f"import {folder}_finder\n", encoding="utf-8")
    stamp = write_stamp(into, staged)
    return {finder: finder.name, pth: pth.name, stamp: f"{folder}/stamp.json"}


def _version() -> str:
    from idlgen import __version__

    return __version__


def regenerate(root: str, into: str, packages: list[str] | None = None) -> str | None:
    """Generate the project's ``packages`` (default: all) into ``into`` again.

    Returns the errors as text, or None.
    """
    import contextlib
    import io

    from idlgen.diagnostics import CompileError
    from idlgen.project.commands import print_errors
    from idlgen.project.config import ConfigError

    err = io.StringIO()
    try:
        config = load(Path(root) / "pyproject.toml")
        with contextlib.redirect_stderr(err):
            staged = stage(config, Path(into), only=packages)
        write_stamp(Path(into), staged)
    except ConfigError as exc:
        return str(exc)
    except CompileError as exc:
        with contextlib.redirect_stderr(err):
            print_errors(exc, Path(root))
        return err.getvalue()
    return None
