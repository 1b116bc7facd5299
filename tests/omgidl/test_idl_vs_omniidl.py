"""Differential: idlgen's repository IDs equal omniidl's on the omniorb-idl corpus.

omniidl (Debian's ``omniidl``) runs the small back-end in omniidl_be/ on each
file it accepts; every declaration it lists must have the same ID in idlgen's
IR. omniidl gives the parts of a reopened module IDs of their own (a
``#pragma version`` in a later part changes only that part); idlgen gives a
name one ID, so for such names idlgen's must be one of omniidl's.

Also run on tests/omgidl/pragmas.idl (pragmas in every place) and
monservice.idl. Skipped when omniidl or omniorb-idl is not installed (neither is needed to
build or test idlgen otherwise).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from idlgen import driver, ir
from idlgen.pipeline import Options, PreprocessOptions
from idlgen.symbols import IDL_SCOPES, declarations
from peers import need
from test_idl_corpus import FILES, OMNIORB_IDL, REJECTED

HERE = Path(__file__).parent
BACKEND = HERE / "omniidl_be"
ACCEPTED = [p for p in FILES if str(p.relative_to(OMNIORB_IDL)) not in REJECTED]
#: Files of our own that omniidl takes: pragmas in every place.
OWN = [HERE / "pragmas.idl", HERE / "monservice.idl"]


def omniidl_ids(path: Path) -> dict[str, set[str]]:
    done = subprocess.run(
        ["omniidl", "-p", str(BACKEND), "-brepoids", f"-I{OMNIORB_IDL}", f"-I{OMNIORB_IDL}/COS",
         str(path)],
        capture_output=True, text=True, check=True, cwd=path.parent,
    )  # fmt: skip
    found: dict[str, set[str]] = {}
    for line in done.stdout.splitlines():
        name, repo_id = line.split(" ", 1)
        found.setdefault(name, set()).add(repo_id)
    return found


def idlgen_ids(path: Path) -> dict[str, str]:
    options = Options(preprocess=PreprocessOptions([str(OMNIORB_IDL)]))
    spec, _, _ = driver.check(path, options)
    found: dict[str, str] = {}
    for item in declarations(spec, IDL_SCOPES):
        repo_id = ir.annotation(item.decl, ir.omgidl.RepositoryId)
        if repo_id is not None and not isinstance(item.decl, ir.Forward):
            hoisted = ir.annotation(item.decl, ir.Hoisted)  # IDL names it inside its owner
            parts = (*item.scope, *([hoisted.owner] if hoisted else []), item.decl.name)
            found["::".join(parts)] = repo_id.id
    return found


def test_pragmas_match_the_recorded_omniidl_ids():
    """pragmas.omniidl-ids is omniidl 4.3's output on pragmas.idl, kept for machines without it.

    Regenerate: ``cd tests/omgidl && omniidl -p omniidl_be -brepoids pragmas.idl``.
    """
    recorded = dict(
        line.split(" ", 1) for line in (HERE / "pragmas.omniidl-ids").read_text().splitlines()
    )
    ours = idlgen_ids(HERE / "pragmas.idl")
    assert {name: ours.get(name) for name in recorded} == recorded


@pytest.mark.parametrize("path", [*OWN, *ACCEPTED], ids=lambda p: p.name)
def test_repository_ids_match_omniidl(path: Path):
    need(shutil.which("omniidl") is not None, "omniidl is not installed (make deps installs it)")
    theirs = omniidl_ids(path)
    ours = idlgen_ids(path)
    missing = sorted(set(theirs) - set(ours))
    assert not missing, f"omniidl has IDs for names idlgen lacks: {missing[:10]}"
    wrong = {n: (ours[n], sorted(ids)) for n, ids in theirs.items() if ours[n] not in ids}
    assert not wrong, wrong
