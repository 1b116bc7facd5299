"""Headers that need another one first (--include), and array sizes written with
sizeof (cffi reads only numbers there)."""

from __future__ import annotations

import ctypes
from pathlib import Path

from cbind_support import idlgen

BARE = Path(__file__).parent / "bad" / "bare_stdio.h"


def test_a_type_declared_nowhere_is_an_error_at_its_place(tmp_path):
    proc = idlgen("--check", str(BARE), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    first, source, caret = proc.stderr.splitlines()[:3]
    assert first.startswith(f"{BARE}:3:1: error: 'size_t' is not a type here")
    assert "--include" in first
    assert source.strip().startswith("size_t fwrite(") and caret.index("^") == 4


def test_include_reads_a_header_first_and_binds_only_the_named_one(bind, tmp_path):
    bare = bind(str(BARE), "cffi-abi", "bare_abi", "-l", "c", "--include", "stdio.h")
    assert not hasattr(bare, "printf")  # stdio.h's own declarations are not bound
    target = tmp_path / "out.bin"
    f = bare.fopen(str(target), "wb")
    assert bare.fwrite(b"abc", 1, 3, f) == 3
    assert bare.fclose(f) == 0
    assert target.read_bytes() == b"abc"


def test_array_sizes_with_sizeof_become_numbers(bind):
    bare = bind(str(BARE), "cffi", "bare_api", "-l", "c", "--include", "stdio.h")
    words = 1024 // (8 * ctypes.sizeof(ctypes.c_ulong))
    bits = bare.ffi.new("struct bare_bits *")
    assert len(bits.words) == words and len(bits.tail) == ctypes.sizeof(ctypes.c_short) + 2


def test_cython_sees_the_included_header_first(bind):
    bare = bind(str(BARE), "cython", "bare_cy", "-l", "c", "--include", "stdio.h")
    assert bare.__name__ == "bare_cy"  # built: its C code compiled with <stdio.h> first
