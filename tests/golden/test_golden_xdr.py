"""Golden files: the XDR back-end's output for a few inputs, committed and
reviewed as diffs (`make regen` rewrites them). Each case is also imported
from the committed files and exercised, so a golden can never be dead text."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from idlgen import driver, ir
from xdr_support import Samples

ROOT = Path(__file__).parent / "xdr"
CASES = sorted(p for p in ROOT.iterdir() if p.is_dir())
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from regen import golden_source  # noqa: E402


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_output_matches_golden(case: Path):
    files = driver.compile_file(golden_source(case), driver.Options()).files
    expected_dir = case / "expected"
    committed = {
        p.relative_to(expected_dir).as_posix(): p.read_text() for p in expected_dir.rglob("*.py")
    }
    assert sorted(files) == sorted(committed), "run `make regen` and review the diff"
    for rel, text in files.items():
        assert committed[rel] == text, f"{rel} differs from its golden: run `make regen`"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden_package_imports_and_round_trips(case: Path):
    spec, ctx, _ = driver.check(golden_source(case), driver.Options())
    pkg_name = next((case / "expected").iterdir()).name
    for mod in [m for m in sys.modules if m == pkg_name or m.startswith(pkg_name + ".")]:
        del sys.modules[mod]
    sys.path.insert(0, str(case / "expected"))
    try:
        pkg = importlib.import_module(pkg_name)
        types = importlib.import_module(f"{pkg_name}.types")
        for module in ("client", "server", "aioclient", "aioserver"):
            if (case / "expected" / pkg_name / f"{module}.py").exists():
                importlib.import_module(f"{pkg_name}.{module}")
    finally:
        sys.path.remove(str(case / "expected"))
    samples = Samples(types, ctx, seed=1)
    for decl in spec.decls:
        if isinstance(decl, (ir.Struct, ir.Union_, ir.Enum_, ir.Typedef)):
            value = samples.of_decl(decl.name)
            codec = getattr(pkg.codecs, decl.name)
            assert codec.decode(codec.encode(value)) == value
    for prog in (d for d in spec.decls if isinstance(d, ir.Module)):
        for version in prog.decls:
            client_cls = getattr(getattr(pkg.client, prog.name), version.name)
            server_cls = getattr(getattr(pkg.server, prog.name), version.name)
            assert client_cls.program == server_cls.program == getattr(pkg.const, prog.name)
            assert client_cls.version == server_cls.version == getattr(pkg.const, version.name)
            for op in version.operations:
                assert callable(getattr(client_cls, op.name))
