"""Fixtures of the build-integration tests: one wheelhouse and fresh virtual environments.

``wheelhouse`` holds wheels of this checkout's idlgen and idlgen-runtime, built
once per session, and of what a build or an install needs besides (hatchling,
setuptools, idlgen's own dependencies, pytest), taken from the package index once
(pip's cache serves later runs). Every build and install in these tests then runs
with ``--no-index --find-links`` on it: no idlgen checkout is on any path.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import pytest
from build_support import ROOT, run
from peers import need

#: Besides the two wheels built here: the build back-ends, idlgen's and idlgen-runtime's
#: own dependencies (as their pyproject.toml files list them), pytest.
THIRD_PARTY = [
    "hatchling",
    "editables",
    "setuptools",
    *(
        d
        for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
        if not d.startswith("idlgen-runtime")
    ),
    *tomllib.loads((ROOT / "runtime" / "pyproject.toml").read_text())["project"]["dependencies"],
    "pytest",
]


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of wheels every build and install of these tests takes from."""
    house = tmp_path_factory.mktemp("wheelhouse")
    # from a copy of what the sdists hold: no stale build/ folder of the checkout gets in
    src = tmp_path_factory.mktemp("idlgen-src")
    for part in ("pyproject.toml", "README.md", "compiler", "grammars", "templates", "runtime"):
        if (ROOT / part).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
            shutil.copytree(ROOT / part, src / part, ignore=ignore)
        else:
            shutil.copy(ROOT / part, src / part)
    pip = [sys.executable, "-m", "pip"]
    for project in (src, src / "runtime"):
        wheel = [*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(house)]
        run([*wheel, str(project)])
    got = subprocess.run(
        [*pip, "download", "-q", "-d", str(house), *THIRD_PARTY], capture_output=True, text=True
    )
    need(got.returncode == 0, f"cannot download the build's dependencies: {got.stderr[-300:]}")
    return house


@pytest.fixture(scope="session")
def offline(wheelhouse: Path) -> dict[str, str]:
    """Environment variables that make pip (and build's isolated environments) use only it."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # nothing of this checkout reaches the builds through the environment
        "PYTHONPATH": "",
    }
