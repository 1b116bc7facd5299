"""One Python face on all three back-ends: the same program, the same answers
(docs/c-headers.md, "The same on every back-end")."""

from __future__ import annotations

import zlib

import pytest
from cbind_support import CLIB, idlgen, load

BACKENDS = ["cffi", "cffi-abi", "cython"]


def _zlib(bind, backend):
    return bind("/usr/include/zlib.h", backend, f"zface_{backend.replace('-', '_')}", "-l", "z")


def _sqlite3(bind, backend):
    return bind(
        "/usr/include/sqlite3.h", backend, f"sface_{backend.replace('-', '_')}", "-l", "sqlite3"
    )


def zlib_program(z) -> tuple[object, ...]:
    return (
        z.zlibVersion(),
        z.zError(z.Z_DATA_ERROR),
        z.crc32(0, b"idlgen", 6),
        z.compressBound(1000),
        z.ZLIB_VERSION,
    )


def sqlite3_program(s) -> tuple[object, ...]:
    return (
        s.sqlite3_libversion(),
        s.sqlite3_sourceid(),
        s.sqlite3_errstr(s.SQLITE_BUSY),
        s.sqlite3_libversion_number(),
        s.sqlite3_compileoption_get(100000),  # NULL: None
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_const_char_results_are_str(bind, backend):
    z = _zlib(bind, backend)
    version, message, crc, bound, header = zlib_program(z)
    assert version == header and type(version) is str
    assert message == "data error" and crc == zlib.crc32(b"idlgen") and bound > 1000
    s = _sqlite3(bind, backend)
    version, source, busy, number, missing = sqlite3_program(s)
    assert type(version) is str and version.startswith("3.") and type(source) is str
    assert busy == "database is locked" and number >= 3_000_000 and missing is None


def test_the_same_answers_on_every_backend(bind):
    answers = {
        b: (zlib_program(_zlib(bind, b)), sqlite3_program(_sqlite3(bind, b))) for b in BACKENDS
    }
    assert answers["cffi"] == answers["cffi-abi"] == answers["cython"]


@pytest.mark.parametrize("backend", ["cffi", "cffi-abi"])
def test_only_text_functions_are_wrapped(bind, backend):
    z = _zlib(bind, backend)
    assert z.crc32 is z.lib.crc32 or z.crc32 == z.lib.crc32  # cffi's own object: no cost
    assert z.zlibVersion is not z.lib.zlibVersion  # converts its result
    c = bind("/usr/include/string.h", backend, f"cstring_{backend.replace('-', '_')}", "-l", "c",
             "--symbols", "strerror|strlen")  # fmt: skip
    # a non-const char * result keeps the pointer (the caller may own it)
    message = c.strerror(2)
    assert isinstance(message, c.ffi.CData) and "char *" in repr(message)
    assert c.string(message) == b"No such file or directory"


@pytest.mark.parametrize("backend", BACKENDS)
def test_globals_are_module_attributes(bind, backend, libctest):
    ct = bind(str(CLIB / "ctest.h"), backend, f"ctglobals_{backend.replace('-', '_')}",
              "-L", str(libctest), "-l", "ctest")  # fmt: skip
    assert ct.ct_greeting == "hello"  # const char *: str, as a result is
    before = ct.ct_counter
    assert isinstance(before, int)
    assert ct.ct_last == ct.ct_last  # a handle compares
    handle = ct.ct_open(b"x")
    assert ct.ct_counter == before + 1  # read when asked: C changed it
    assert ct.ct_last == handle
    ct.ct_close(handle)
    with pytest.raises(AttributeError):
        _ = ct.no_such_global


@pytest.mark.parametrize("backend", BACKENDS)
def test_stdio_streams(bind, backend):
    st = bind("/usr/include/stdio.h", backend, f"streams_{backend.replace('-', '_')}", "-l", "c",
              "--symbols", "stdin|stdout|stderr|fflush")  # fmt: skip
    assert "FILE" in repr(st.stdout) and st.stdout == st.stdout and st.stdout != st.stderr
    assert st.stdin is not None


def test_whole_stdio_has_its_streams(bind):
    cstdio = bind("/usr/include/stdio.h", "cffi", "cstdio_whole", "-l", "c")
    assert cstdio.fflush(cstdio.stdout) == 0
    assert "stdout" in dir(cstdio.lib)


@pytest.mark.parametrize("backend", BACKENDS)
def test_varargs_take_python_values(bind, backend):
    c = bind("/usr/include/stdio.h", backend, f"cformat_{backend.replace('-', '_')}", "-l", "c",
             "--symbols", "snprintf")  # fmt: skip
    buf = c.new("char", 128)

    def formatted(fmt, *args):
        n = c.snprintf(buf, 128, fmt, *args)
        assert n == len(c.string(buf))
        return c.string(buf).decode()

    assert formatted("n=%d\n", 5) == "n=5\n"
    assert formatted(b"%d %d", -7, True) == "-7 1"
    assert formatted("%lld %llu", 2**40, 2**64 - 1) == f"{2**40} {2**64 - 1}"
    assert formatted("%.2f %g", 2.5, 1e10) == "2.50 1e+10"
    assert formatted("%s|%s|%c", "héllo", b"bytes", ord("x")) == "héllo|bytes|x"
    assert formatted("%p", None) == "(nil)"
    assert formatted("%ld|%s", 2**40, bytearray(b"buf")) == f"{2**40}|buf"
    if backend != "cython":
        assert formatted("%d", c.ffi.cast("int", 42)) == "42"  # cdata as it is


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_missing_library_is_an_error_at_generation(backend, tmp_path):
    proc = idlgen("-b", backend, "/usr/include/zlib.h", "-l", "nosuchlib", "--name", "zmissing",
                  "-o", str(tmp_path / "out"), cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 1
    assert "library 'nosuchlib' not found (-l nosuchlib)" in proc.stderr
    assert not (tmp_path / "out" / "zmissing").exists()


def test_cffi_reads_the_cdef_before_success():
    from idlgen.backends.cbind import check_cdef
    from idlgen.diagnostics import CompileError

    check_cdef("int f(int);", "ok")
    with pytest.raises(CompileError, match="cffi rejects the declarations"):
        check_cdef("int f(int);\nlong f(double);", "twice")


@pytest.mark.parametrize("backend", ["cffi", "cython"])
def test_build_leaves_only_the_package(backend, tmp_path):
    name = f"zclean_{backend}"
    proc = idlgen("-b", backend, "/usr/include/zlib.h", "-l", "z", "--name", name,
                  "-o", "out", "--build", cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    assert [p.name for p in out.iterdir()] == [name]  # no build/
    left = sorted(p.name for p in (out / name).iterdir())
    assert not [n for n in left if n.endswith((".c", ".o"))], left
    assert [n for n in left if n.endswith(".so")], left
    # the message counts what is there, the extension included
    assert f"wrote {sum(1 for p in (out / name).rglob('*') if p.is_file())} files" in proc.stderr
    assert load(out, name).crc32(0, b"abc", 3) == zlib.crc32(b"abc")
