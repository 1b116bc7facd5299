"""Helpers of the WSDL tests: compile in process, find declarations by name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from idlgen import driver, ir
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.pipeline import Options, WsdlOptions

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ROOT = HERE.parents[1]
#: The shared corpus (beside the clone, as CI lays it out).
CORPUS = ROOT.parent / "shared" / "corpus" / "wsdl"


def check(path: Path, include_dirs=(), catalogs=()) -> ir.Spec:
    options = Options(wsdl=WsdlOptions(catalogs=[Path(c) for c in catalogs]))
    options.preprocess.include_dirs = [str(d) for d in include_dirs]
    spec, _, _ = driver.check(path, options)
    return spec


def errors_of(path: Path, **kw) -> list[Diagnostic]:
    try:
        check(path, **kw)
    except CompileError as exc:
        return [d for d in exc.diagnostics if d.severity.value == "error"]
    raise AssertionError(f"{path} compiled without errors")


def idlgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idlgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def decls(spec: ir.Spec, namespace: str | None = None) -> dict[tuple[ir.Space, str], ir.Decl]:
    """Every module-level declaration by (space, local name)."""
    out: dict[tuple[ir.Space, str], ir.Decl] = {}
    for m in spec.decls:
        assert isinstance(m, ir.Module)
        if namespace is not None and m.namespace != namespace:
            continue
        for d in m.decls:
            out.setdefault((d.space, d.name), d)
    return out
