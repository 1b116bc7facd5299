"""The cdef is read with the feature-test macros the compiled extension sees.

Python.h (first in every extension cffi or Cython compiles) turns on
``_GNU_SOURCE``/``_XOPEN_SOURCE``, and glibc's ``fd_set`` member is
``fds_bits`` then, ``__fds_bits`` without: curl's curl.h holds an fd_set by
value, as tests/cheader/features/waitset.h does. A cdef read without them
names a member the compile does not have, and the build fails.
"""

from __future__ import annotations

from pathlib import Path

from cbind_support import idlgen, load

WAITSET = Path(__file__).parent / "features" / "waitset.h"


def test_cdef_names_the_member_the_compile_sees(bind, tmp_path: Path) -> None:
    mod = bind(str(WAITSET), "cffi", "waitset_api")  # --build: fails on __fds_bits
    ws = mod.ffi.new("struct waitset *")
    ws.readable.fds_bits[0] = 1 << 3
    assert ws.readable.fds_bits[0] == 8
    assert mod.ffi.offsetof("struct waitset", "count") == mod.ffi.sizeof("fd_set")
    proc = idlgen(
        "-q", "-b", "cffi-abi", str(WAITSET), "--name", "waitset_abi", "-o", ".", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "waitset_abi" / "__init__.py").read_text()
    assert "fds_bits[" in text and "__fds_bits" not in text  # the same on every back-end
    abi = load(tmp_path, "waitset_abi")
    assert abi.ffi.sizeof("struct waitset") == mod.ffi.sizeof("struct waitset")
