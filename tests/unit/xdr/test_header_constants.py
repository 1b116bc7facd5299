"""Constants a .x file takes from the C headers it ``%#include``s (libvirt's shape).

cheaders/ holds a library's public headers (include/libvirt/*.h, an umbrella
whose parts refuse to be included alone), a project's private header
(src/internal.h) and protocol files beside them (src/remote/*.x), compiled with
the include folders the project's own build gives: ``-I include -I src``.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "cheaders"


def idlgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idlgen", *args], cwd=HERE, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    out = tmp_path_factory.mktemp("remote")
    proc = idlgen("-q", "-Iinclude", "-Isrc", "src/remote/remote_protocol.x", "-o", str(out))
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    sys.path.insert(0, str(out))
    try:
        for mod in [m for m in sys.modules if m.split(".")[0] == "remote_protocol"]:
            del sys.modules[mod]
        return importlib.import_module("remote_protocol")
    finally:
        sys.path.remove(str(out))


def test_bounds_and_values_come_from_the_headers_with_c_rules(remote):
    c = remote.const
    assert c.VIR_UUID_BUFLEN == 16  # `(16)`
    assert c.REMOTE_SECURITY_MODEL_MAX == 257 and c.REMOTE_SECURITY_LABEL_MAX == 4097
    assert c.REMOTE_DOMAIN_LAST_STATE == 7  # an enumerator numbered implicitly
    assert c.REMOTE_AFFECT_BOTH == 3  # enumerators of `1 << n`
    assert c.REMOTE_ALL_CPUS == -1 and c.REMOTE_ERR_MAX == 1024  # the private header too
    assert c.REMOTE_MEMORY_UNLIMITED == 9007199254740991  # a long long literal
    text = (Path(remote.__file__).parent / "const.py").read_text()
    assert "VIR_UUID_BUFLEN: Final = 16  # libvirt-host.h:12" in text  # where it is defined


def test_system_headers_are_searched_too(remote):
    assert remote.const.INET6_ADDRSTRLEN == 46  # <arpa/inet.h> → <netinet/in.h>
    assert remote.const.PATH_MAX == 4096  # <limits.h>, through internal.h
    t = remote.types
    with pytest.raises(Exception, match="too long|46"):
        t.remote_addr(b"x" * 47, "/").to_xdr()


def test_an_enum_of_the_c_library_numbers_the_union_arms(remote):
    t = remote.types
    value = t.remote_typed_param("name", t.remote_typed_param_value(7, s="text"))
    assert value.to_xdr()[8:12] == b"\x00\x00\x00\x07"  # VIR_TYPED_PARAM_STRING
    assert t.remote_typed_param.from_xdr(value.to_xdr()) == value
    domain = t.remote_nonnull_domain("vm", bytes(range(16)), 3)
    assert t.remote_nonnull_domain.from_xdr(domain.to_xdr()) == domain
    with pytest.raises(Exception, match="16"):
        t.remote_nonnull_domain("vm", b"short", 3).to_xdr()


def _errors(proc: subprocess.CompletedProcess[str]) -> dict[int, str]:
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    found = {}
    for line in proc.stderr.splitlines():
        if line.startswith("src/remote/bad.x:") and ": error: " in line:
            found[int(line.split(":")[1])] = line.split(": error: ", 1)[1]
    return found


def test_what_the_headers_cannot_give_is_an_error_at_its_place():
    proc = idlgen("--check", "-I", "include", "-I", "src", "src/remote/bad.x")
    errors = _errors(proc)
    assert 4 not in errors  # VIR_UUID_BUFLEN is found
    assert errors[5].startswith(
        "undefined constant 'VIR_NOPE' (not defined in the C headers searched: "
        '<libvirt/libvirt.h> (include/libvirt/libvirt.h), "internal.h" (src/internal.h), '
        '"needs_glib.h" (src/needs_glib.h); the C preprocessor said: glib.h was not found '
        "and was read as empty; give the folders they need with -I, "
        "or the value with -D VIR_NOPE=VALUE)"
    )
    assert errors[6].startswith(
        "undefined constant 'VIR_NODE_CPU_STATS_KERNEL' (macro 'VIR_NODE_CPU_STATS_KERNEL' of "
        'include/libvirt/libvirt-host.h:21 is not an integer: "kernel"'
    )
    assert "is a function-like macro of include/libvirt/libvirt-domain.h:34" in errors[7]
    # a header whose dependency is missing still gives its own constants, with a warning
    assert 8 not in errors
    assert (
        "src/remote/bad.x:1:1: warning: VIR_GLIB_ONLY, VIR_UUID_BUFLEN taken from C headers "
        "that did not preprocess cleanly (glib.h was not found and was read as empty)"
    ) in proc.stderr
    for line, name, where in [
        (10, "virNodeInfo", "libvirt-host.h:32"),
        (11, "_virNodeInfo", "libvirt-host.h:33"),
        (12, "virConnectPtr", "libvirt-host.h:9"),
    ]:
        assert errors[line] == (
            f"undefined type '{name}' ('{name}' is a C type, declared in "
            f"include/libvirt/{where}; a C header gives a .x file constants, not types: "
            "declare the type in XDR) [undefined-name]"
        )
    assert 13 not in errors


def test_without_the_include_folder_the_error_says_which_headers_were_not_found():
    errors = _errors(idlgen("--check", "-I", "src", "src/remote/bad.x"))
    assert '<libvirt/libvirt.h> (not found), "internal.h" (src/internal.h)' in errors[4]
    assert "libvirt/libvirt.h was not found and was read as empty" in errors[4]
    assert "give the folders they need with -I" in errors[4]


def test_rpc_rpc_h_comes_from_libtirpc(tmp_path):
    """rpcgen's C includes <rpc/rpc.h>, which only libtirpc has now: it is searched too."""
    if not Path("/usr/include/tirpc/rpc/rpc.h").exists():
        pytest.skip("needs libtirpc-dev")
    (tmp_path / "uses_rpc.h").write_text("#include <rpc/rpc.h>\n#define MY_BOUND 12\n")
    (tmp_path / "p.x").write_text('%#include "uses_rpc.h"\ntypedef opaque o<MY_BOUND>;\n')
    proc = subprocess.run(
        [sys.executable, "-m", "idlgen", "--check", "p.x"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
