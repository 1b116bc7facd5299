"""setuptools projects: ``[tool.idlgen]`` built by setuptools' own commands.

A project's ``setup.py`` is two lines::

    from idlgen.project.setuptools import cmdclass
    from setuptools import setup

    setup(cmdclass=cmdclass())

with ``requires = ["setuptools>=68", "idlgen"]`` in its ``[build-system]``. Then

- ``build_py`` generates every input into the build folder (and compiles the
  extensions of cffi API mode and Cython there), through the same code path as
  ``idlgen build`` and the hatchling hook; a compiled one makes ``bdist_wheel``
  a platform wheel;
- ``sdist`` carries the inputs and the files they include that lie in the
  project, not generated code;
- an editable install (``pip install -e .``) generates in place, where
  ``idlgen build`` writes (``output`` in ``[tool.idlgen]``); run it again after
  changing an input.

setuptools reads ``[project] dependencies`` as they are written, so the project
must list the runtime its generated code needs; the build stops with the line to
add when it does not.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from setuptools import Command
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

from idlgen.diagnostics import CompileError
from idlgen.project.config import Config, ConfigError, load

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel


def _config(root: Path) -> Config:
    try:
        return load(root / "pyproject.toml")
    except ConfigError as exc:
        exc.file = Path("pyproject.toml")
        print(exc, file=sys.stderr)
        raise SystemExit(1) from None


def _stop(exc: CompileError, root: Path) -> None:
    from idlgen.project.commands import print_errors

    print_errors(exc, root)
    raise SystemExit(1)


class BuildPy(build_py):  # type: ignore[misc]
    """``build_py``, then every ``[tool.idlgen]`` input generated into the build folder."""

    def run(self) -> None:
        """Copy the project's modules, then generate (in place for an editable install)."""
        super().run()
        from idlgen.project.compile import requirement_name, runtime_requirements, stage

        root = Path.cwd()
        config = _config(root)
        declared = {requirement_name(str(r)) for r in self.distribution.install_requires or []}
        missing = [r for r in runtime_requirements(config) if requirement_name(r) not in declared]
        if missing:
            print(
                "pyproject.toml: error: the generated code needs "
                + " and ".join(f'"{m}"' for m in missing)
                + " in [project] dependencies",
                file=sys.stderr,
            )
            raise SystemExit(1)
        editable = bool(getattr(self, "editable_mode", False))
        try:
            self._idlgen_outputs = stage(
                config, None if editable else Path(self.build_lib), ship_only=not editable
            )
        except CompileError as exc:
            _stop(exc, root)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """The copied modules and the generated ones."""
        outputs: list[str] = list(super().get_outputs(include_bytecode))
        staged = getattr(self, "_idlgen_outputs", None)
        if staged is not None and not getattr(self, "editable_mode", False):
            outputs += [str(Path(self.build_lib) / rel) for rel in staged.shipped]
        return outputs


class Sdist(sdist):  # type: ignore[misc]
    """``sdist``, with the inputs (and the files they include) that lie in the project."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        """Lay out setuptools' own list of files and the inputs."""
        from idlgen.project.compile import generate, units

        root = Path.cwd().resolve()
        config = _config(root)
        inputs = []
        try:
            for unit in units(config, root / "build", build=False):
                for path in generate(config, unit).read:
                    if path.is_relative_to(root):
                        inputs.append(path.relative_to(root).as_posix())
        except CompileError as exc:
            _stop(exc, root)
        super().make_release_tree(base_dir, [*files, *(f for f in inputs if f not in files)])


class BdistWheel(bdist_wheel):  # type: ignore[misc]
    """``bdist_wheel``: a platform wheel when an input is compiled into an extension."""

    def finalize_options(self) -> None:
        """Tag the wheel for the platform when cffi API mode or Cython builds an extension."""
        from idlgen.project.compile import COMPILED
        from idlgen.project.config import backend_name

        config = _config(Path.cwd())
        if any(backend_name(entry) in COMPILED for entry in config.inputs):
            # as a project with ext_modules: platlib, a platform tag
            self.distribution.has_ext_modules = lambda: True
        super().finalize_options()


def cmdclass() -> dict[str, type[Command]]:
    """The commands to give ``setup(cmdclass=...)``."""
    commands: dict[str, Any] = {"build_py": BuildPy, "sdist": Sdist, "bdist_wheel": BdistWheel}
    return commands
