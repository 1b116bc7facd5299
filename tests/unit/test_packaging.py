"""pyproject.toml lists the packages by hand (grammars/ and templates/ ship inside
idlgen): every folder with an __init__.py must be on the list."""

from __future__ import annotations

from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_listed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = set()
    for name, path in config["package-dir"].items():
        for init in (ROOT / path).rglob("__init__.py"):
            found.add(".".join((name, *init.parent.relative_to(ROOT / path).parts)))
    missing = sorted(found - set(config["packages"]))
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
