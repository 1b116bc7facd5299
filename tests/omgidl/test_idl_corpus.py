"""Every IDL file of Debian's omniorb-idl (/usr/share/idl/omniORB) checks clean
with ``-I /usr/share/idl/omniORB``, except the ten that omniidl rejects too:
those get a ``file:line:col`` diagnostic naming the same cause (a type the
package never defines, an IOP.idl it does not ship).

With ``CI=true`` a missing omniorb-idl is a failure (scripts/install-system-deps
installs it), elsewhere a skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from idlgen import driver
from idlgen.diagnostics import CompileError, Severity
from idlgen.pipeline import Options, PreprocessOptions
from peers import need

OMNIORB_IDL = Path("/usr/share/idl/omniORB")
FILES = sorted(OMNIORB_IDL.rglob("*.idl")) if OMNIORB_IDL.is_dir() else []

#: Files omniidl 4.3 rejects too, with the diagnostic idlgen gives (file, line, message).
REJECTED = {
    "COS/CosTSPortability.idl": (
        "CosTSPortability.idl", 25, "undefined type 'CORBA::Environment'"
    ),
    "COS/DCE_CIOPSecurity.idl": ("DCE_CIOPSecurity.idl", 10, "IOP.idl: No such file"),
    "COS/SECIOP.idl": ("SECIOP.idl", 15, "IOP.idl: No such file"),
    "COS/SSLIOP.idl": ("SSLIOP.idl", 10, "IOP.idl: No such file"),
    **{
        f"COS/{name}.idl": ("Security.idl", 28, "undefined type 'CORBA::ServiceOption'")
        for name in (
            "NRService", "Security", "SecurityAdmin", "SecurityLevel1", "SecurityLevel2",
            "SecurityReplaceable",
        )
    },
}  # fmt: skip


def check(path: Path) -> None:
    options = Options(preprocess=PreprocessOptions([str(OMNIORB_IDL)]))
    driver.check(path, options)


def test_the_corpus_is_there():
    need(len(FILES) >= 70, "omniorb-idl is not installed (apt-get install omniorb-idl)")


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(OMNIORB_IDL)))
def test_omniorb_idl_file(path: Path):
    name = str(path.relative_to(OMNIORB_IDL))
    if name not in REJECTED:
        check(path)
        return
    file, line, message = REJECTED[name]
    with pytest.raises(CompileError) as caught:
        check(path)
    errors = [d for d in caught.value.diagnostics if d.severity is Severity.ERROR]
    assert errors, caught.value.diagnostics
    first = errors[0]
    assert Path(first.loc.file).name == file and first.loc.line == line, first
    assert first.loc.col > 0 and message in first.message, first
