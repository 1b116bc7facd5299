"""The hatchling build hook: ``[tool.hatch.build.hooks.idlgen]`` in a project's pyproject.toml.

Registered as the ``hatch`` entry point ``idlgen``. What it does per target:

- **wheel**: every ``[tool.idlgen]`` input is generated (and compiled, for cffi
  API mode and Cython) in a temporary folder and put into the wheel at its
  dotted name; a compiled one makes the wheel a platform wheel. The wheel
  depends on ``idlgen-runtime`` (and cffi for cffi bindings), not on idlgen.
- **editable** (``pip install -e``): the same packages go into the editable
  wheel beside a small import hook (:mod:`idlgen.project.editable`) that
  regenerates them when an input changes; the editable install depends on
  idlgen too, which does that.
- **sdist**: nothing is generated; the inputs (and the files they include)
  that lie in the project are put in, so the sdist builds the same wheel.

A mistake in ``[tool.idlgen]`` or in an input stops the build with the
message ``idlgen`` itself prints, and no traceback.
"""

from __future__ import annotations

import functools
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from idlgen import __version__
from idlgen.diagnostics import CompileError
from idlgen.project.config import Config, ConfigError, load

#: hatchling's own keys of a hook's table; idlgen's options are in [tool.idlgen].
_HATCH_KEYS = frozenset(
    {
        "dependencies",
        "require-runtime-dependencies",
        "require-runtime-features",
        "enable-by-default",
    }
)


#: Folders with an __init__.py that are not a project's package to ship.
_NOT_SHIPPED = frozenset({"tests", "test", "docs", "examples", "benchmarks", "bench", "scripts"})


class IdlgenBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Generates the ``[tool.idlgen]`` inputs into the wheel."""

    PLUGIN_NAME = "idlgen"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Generate (wheel, editable) or gather the inputs (sdist)."""
        self._staging: Path | None = None
        unknown = sorted(set(self.config) - _HATCH_KEYS)
        if unknown:
            _fail(
                f"pyproject.toml: error: unknown key '{unknown[0]}' in "
                "[tool.hatch.build.hooks.idlgen]; idlgen's options go in [tool.idlgen] "
                "(docs/build-integration.md)"
            )
        config = _load(Path(self.root))
        if self.target_name == "sdist":
            self._sdist(config, build_data)
        elif self.target_name == "wheel":
            self._wheel(config, version, build_data)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary folder the packages were generated in."""
        if getattr(self, "_staging", None) is not None:
            shutil.rmtree(str(self._staging), ignore_errors=True)

    def _sdist(self, config: Config, build_data: dict[str, Any]) -> None:
        from idlgen.project.compile import generate, units

        root = config.root
        for unit in units(config, None, build=False):
            for path in _generated(functools.partial(generate, config, unit), root).read:
                if path.is_relative_to(root):
                    build_data["force_include"][str(path)] = path.relative_to(root).as_posix()

    def dependencies(self) -> list[str]:
        """What the build needs besides idlgen: a compiler driver for cffi API mode, Cython.

        cffi compiles through setuptools (Python 3.12 has no distutils); the
        Cython back-end needs Cython and setuptools.
        """
        from idlgen.project.config import backend_name

        if self.target_name != "wheel":
            return []  # an sdist compiles nothing
        try:
            config = load(Path(self.root) / "pyproject.toml")
        except ConfigError:
            return []  # initialize() reports it
        backends = {backend_name(entry) for entry in config.inputs}
        needs = []
        if backends & {"cffi", "cython"}:
            needs.append("setuptools>=68")
        if "cython" in backends:
            needs.append("cython>=3.0")
        return needs

    def _check_selection(self, config: Config) -> None:
        """Fail as hatchling would when the project's own package would be left out.

        Files the hook adds keep hatchling from complaining that it found no
        package to ship: a project whose package hatchling cannot find (a src/
        layout with another name) would get a wheel of generated code alone.
        """
        try:
            self.build_config.default_file_selection_options  # noqa: B018 - its check
        except AttributeError:  # a hatchling without it: nothing to check against
            return
        except ValueError as exc:
            root = Path(self.root)
            found = [
                place.parent.relative_to(root).as_posix()
                for base in (root, root / "src")
                for place in sorted(base.glob("*/__init__.py"))
                if place.parent.name not in _NOT_SHIPPED
            ]
            if found:  # the project's own packages would be left out
                listed = ", ".join(f'"{p}"' for p in found)
                _fail(
                    f"{exc}\n\nidlgen: the wheel would hold the generated packages but not "
                    f"{', '.join(found)}; add to pyproject.toml:\n\n"
                    f"[tool.hatch.build.targets.wheel]\npackages = [{listed}]"
                )
            # a project of generated packages alone: they are all there is to ship

    def _wheel(self, config: Config, version: str, build_data: dict[str, Any]) -> None:
        from idlgen.project.compile import requirement_name, runtime_requirements, stage

        self._check_selection(config)
        self._staging = Path(tempfile.mkdtemp(prefix="idlgen-hook-"))
        editable = version == "editable"
        into = self._staging / (_editable_folder(config) if editable else "")
        staged = _generated(lambda: stage(config, into), config.root)
        key = "force_include_editable" if editable else "force_include"
        if editable:  # hatchling uses these instead of the project's own force-include
            build_data[key].update(self.build_config.get_force_include())
        for rel in staged.shipped:
            target = f"{_editable_folder(config)}/{rel}" if editable else rel
            build_data[key][str(into / rel)] = target
        if staged.compiled:
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
        declared = {requirement_name(d) for d in config.dependencies}
        for requirement in runtime_requirements(config):
            if requirement_name(requirement) not in declared:
                build_data["dependencies"].append(requirement)
        if editable:
            from idlgen.project.editable import write_finder

            for source, target in write_finder(config, self._staging, into, staged).items():
                build_data[key][str(source)] = target
            # the import hook regenerates with the compiler that made the install
            build_data["dependencies"].append(f"idlgen=={__version__}")


def _editable_folder(config: Config) -> str:
    from idlgen.project.editable import folder_name

    return folder_name(config)


def _load(root: Path) -> Config:
    try:
        return load(root / "pyproject.toml")
    except ConfigError as exc:
        exc.file = Path("pyproject.toml")
        _fail(str(exc))


_T = TypeVar("_T")


def _generated(run: Callable[[], _T], root: Path) -> _T:
    """``run()``, with idlgen's diagnostics printed and the build stopped on errors."""
    try:
        return run()
    except CompileError as exc:
        from idlgen.project.commands import print_errors

        print_errors(exc, root)
        _fail(f"idlgen: {len(exc.diagnostics)} error(s); the build stopped")


def _fail(message: str) -> NoReturn:
    """Stop the build with ``message`` and exit status 1: a user's mistake, not a crash."""
    print(message, file=sys.stderr)
    raise SystemExit(1)


@hookimpl
def hatch_register_build_hook() -> type[IdlgenBuildHook]:
    """The hook hatchling finds through the ``hatch`` entry point."""
    return IdlgenBuildHook
