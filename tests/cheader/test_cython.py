"""The Cython back-end: def wrappers called from Python, and the generated
``_decls.pxd`` cimported by Cython code compiled in the test (zlib, sqlite3,
stdio), so every declaration crosses the Cython compiler for real."""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from cbind_support import idlgen, load
from peers import need

USE = Path(__file__).parent / "cython_use"

pytest.importorskip  # noqa: B018 - Cython is a dev dependency; its absence fails below

# The cimport path as docs/c-headers.md shows it: the generated package's
# build_info says where the .pxd is and what the compiler and linker need.
BUILD = """
import importlib, sys
from Cython.Build import cythonize
from setuptools import Extension, setup
build_info = importlib.import_module(sys.argv[3] + ".build_info")
extension = Extension(sys.argv[1], [sys.argv[2]], **build_info.EXTENSION)
setup(ext_modules=cythonize([extension], include_path=build_info.INCLUDE_PATH, quiet=True,
                            compiler_directives={"language_level": 3}),
      script_args=["build_ext", "--inplace", "--build-temp", "build"])
"""


@pytest.fixture(scope="module")
def cython_bindings(tmp_path_factory):
    """Generate and build the three bindings, then build the Cython users of them."""
    try:
        import Cython  # noqa: F401
    except ImportError:
        need(False, "Cython is not installed (make setup)")
    out = tmp_path_factory.mktemp("cython")
    for header, lib, name, extra in (
        ("/usr/include/zlib.h", "z", "zlib_cy", ()),
        ("/usr/include/sqlite3.h", "sqlite3", "sqlite3_cy", ()),
        ("/usr/include/stdio.h", "c", "cstdio_cy", ("--symbols", "fopen|fputs|fgets|fclose")),
    ):
        proc = idlgen(
            "-q",
            "-b",
            "cython",
            header,
            "-l",
            lib,
            "--name",
            name,
            "-o",
            str(out),
            "--build",
            *extra,
            cwd=out,
        )
        assert proc.returncode == 0, proc.stderr
    users = out / "users"  # elsewhere than the bindings: build_info says where they are
    users.mkdir()
    for module, package in (
        ("use_zlib", "zlib_cy"),
        ("use_sqlite", "sqlite3_cy"),
        ("use_stdio", "cstdio_cy"),
    ):
        (users / f"{module}.pyx").write_text((USE / f"{module}.pyx").read_text())
        proc = subprocess.run(
            [sys.executable, "-c", BUILD, module, f"{module}.pyx", package],
            cwd=users,
            env={**os.environ, "PYTHONPATH": str(out)},
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_def_wrappers_take_bytes_and_buffers(cython_bindings):
    z = load(cython_bindings, "zlib_cy")
    data = bytes(range(16))
    assert z.crc32(0, data, 16) == zlib.crc32(data)
    assert z.crc32(0, bytearray(data), 16) == zlib.crc32(data)
    assert z.crc32(0, memoryview(data), 16) == zlib.crc32(data)
    assert z.adler32(1, b"abc", 3) == zlib.adler32(b"abc")
    assert z.zlibVersion() == z.ZLIB_VERSION and z.Z_OK == 0
    assert z.zError(z.Z_DATA_ERROR) == "data error"
    s = load(cython_bindings, "sqlite3_cy")
    assert s.sqlite3_libversion().startswith("3.") and s.SQLITE_ROW == 100
    # a pointer cast: a pointer object, as under cffi (which passes as a destructor)
    assert repr(s.SQLITE_TRANSIENT) == "<sqlite3_destructor_type 0xffffffffffffffff>"


def test_pxd_declarations_from_cython_code(cython_bindings, tmp_path):
    use_zlib = load(cython_bindings / "users", "use_zlib")
    data = b"idlgen and Cython " * 200
    packed, unpacked = use_zlib.round_trip(data)
    assert unpacked == data and zlib.decompress(packed) == data
    assert zlib.decompress(use_zlib.stream(data, 64)) == data

    use_sqlite = load(cython_bindings / "users", "use_sqlite")
    rows, found = use_sqlite.run(
        b"create table t(a, b); insert into t values (1, 'x'), (2, 'y'); select * from t", 2
    )
    assert rows == [["1", "x"], ["2", "y"]] and found == "y"

    use_stdio = load(cython_bindings / "users", "use_stdio")
    target = tmp_path / "hello.txt"
    assert use_stdio.write(str(target).encode(), b"hello from Cython\n") == 0
    assert target.read_text() == "hello from Cython\n"
    assert use_stdio.read_line(str(target).encode()) == b"hello from Cython\n"


def test_own_library_declarations_compile_in_cython(tmp_path, libctest):
    """Every construct of clib/ctest.h through Cython's compiler: anonymous members,
    bitfields, flexible arrays, function-pointer typedefs, enums, constants."""
    from cbind_support import CLIB

    flags = (
        "-L",
        str(libctest),
        "-l",
        "ctest",
        "--name",
        "ctest_cy",
        "-o",
        str(tmp_path),
        "--build",
    )
    proc = idlgen("-q", "-b", "cython", str(CLIB / "ctest.h"), *flags, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    ct = load(tmp_path, "ctest_cy")
    assert ct.ct_mix(1, 2, 3, 4) == 10 and ct.ct_is_large(ct.ct_size.CT_LARGE) is True
    assert ct.ct_color_name(ct.ct_color.CT_BLUE) == "blue" and ct.CT_VERSION == "1.0"
    assert not hasattr(ct, "ct_add")  # struct arguments: for Cython code via _decls.pxd
    assert "def ct_mix(" in (tmp_path / "ctest_cy" / "__init__.pyi").read_text()
