"""Real .x files written by other projects: Debian's /usr/include/rpcsvc/*.x and
libtirpc's rpcb_prot.x.

Each compiles, its package imports (every module), every named type
round-trips sample values, and the output is deterministic and exactly what
black makes of it.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import black
import pytest
from idlgen import driver, ir, render
from xdr_support import Samples, compile_package

CORPUS = sorted(Path("/usr/include/rpcsvc").glob("*.x")) + sorted(
    Path("/usr/include/tirpc/rpc").glob("*.x")  # rpcbind's own rpcb_prot.x (libtirpc-dev)
)
MODULES = ("const", "types", "codecs", "client", "server", "aioclient", "aioserver")


def test_corpus_is_installed():
    if not CORPUS:
        message = "no /usr/include/rpcsvc/*.x: install rpcsvc-proto (make deps)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert len(CORPUS) >= 15


@pytest.mark.parametrize("source", CORPUS, ids=lambda p: p.stem)
def test_compiles_imports_and_round_trips(source: Path, tmp_path: Path):
    pkg, spec, ctx = compile_package(source, tmp_path)
    for name in MODULES:
        if (tmp_path / pkg.__name__ / f"{name}.py").exists():
            importlib.import_module(f"{pkg.__name__}.{name}")
    named = [
        d.name for d in spec.decls if isinstance(d, (ir.Struct, ir.Union_, ir.Enum_, ir.Typedef))
    ]
    assert named, "every rpcsvc file declares types"
    for seed in range(3):
        samples = Samples(pkg.types, ctx, seed=seed)
        for name in named:
            value = samples.of_decl(name)
            codec = getattr(pkg.codecs, name)
            assert codec.decode(codec.encode(value)) == value, name


@pytest.mark.parametrize("source", CORPUS, ids=lambda p: p.stem)
def test_output_is_deterministic_and_black_stable(source: Path):
    first = driver.compile_file(source, driver.Options()).files
    second = driver.compile_file(source, driver.Options()).files
    assert first == second
    mode = black.Mode(target_versions={black.TargetVersion.PY310})
    for path, text in first.items():
        assert black.format_str(text, mode=mode) == text, path


@pytest.mark.parametrize("source", CORPUS, ids=lambda p: p.stem)
def test_templates_write_blacks_layout_themselves(source: Path, monkeypatch):
    """Black is never run on these: starting it costs ~0.3 s of a command."""

    def no_black(source: str, line_length: int = 88) -> str:
        raise AssertionError(f"black was needed for:\n{source[:500]}")

    monkeypatch.setattr(render, "_black", no_black)
    driver.compile_file(source, driver.Options())
