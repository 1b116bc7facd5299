"""Bindings of real C libraries, through cffi API mode (compiled) and ABI mode
(dlopen): libc's stdio, zlib, sqlite3, bzip2 and xz — generated, built and used."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pytest

MODES = ["cffi", "cffi-abi"]


@pytest.mark.parametrize("backend", MODES)
def test_stdio_the_classic_example(bind, backend, tmp_path: Path):
    cstdio = bind("/usr/include/stdio.h", backend, f"cstdio_{backend.replace('-', '_')}", "-l", "c",
                  "--symbols", "fopen|fputs|fgets|fclose")  # fmt: skip
    target = tmp_path / "out.txt"
    f = cstdio.fopen(str(target), "w")  # const char *: str goes in as UTF-8
    cstdio.fputs("hello from C ✓\n", f)
    cstdio.fputs(b"and bytes\n", f)
    cstdio.fclose(f)
    assert target.read_text(encoding="utf-8") == "hello from C ✓\nand bytes\n"
    f = cstdio.fopen(str(target).encode(), b"r")  # and read back through C
    line = cstdio.ffi.new("char[]", 64)
    assert cstdio.fgets(line, 64, f) == line
    assert cstdio.ffi.string(line) == "hello from C ✓\n".encode()
    assert cstdio.fclose(f) == 0
    assert not hasattr(cstdio, "printf")  # --symbols keeps only what was asked
    assert cstdio.fopen is not cstdio.lib.fopen  # converts text in, NULL out


@pytest.mark.parametrize("backend", MODES)
def test_text_arguments_round_trip_file_names(bind, backend, tmp_path: Path):
    """A name os.listdir gives as str (undecodable bytes as surrogates) opens the same file;
    NULL and cdata pass through; what is not text is cffi's TypeError, not ours."""
    cstdio = bind("/usr/include/stdio.h", backend, f"cstdio_text_{backend.replace('-', '_')}",
                  "-l", "c", "--symbols", "fopen|fclose|puts|strlen")  # fmt: skip
    raw = bytes(tmp_path) + b"/caf\xe9.txt"  # Latin-1, not UTF-8
    with open(raw, "wb") as handle:
        handle.write(b"x")
    (listed,) = os.listdir(tmp_path)
    f = cstdio.fopen(str(tmp_path / listed), "r")
    assert f is not None and f != cstdio.ffi.NULL
    assert cstdio.fclose(f) == 0
    mode = cstdio.ffi.new("char[]", b"r")
    assert cstdio.fopen(str(tmp_path / "missing"), mode) is None  # NULL is None
    with pytest.raises(TypeError):
        cstdio.fopen(42, "r")


@pytest.mark.parametrize("backend", MODES)
def test_zlib(bind, backend):
    z = bind("/usr/include/zlib.h", backend, f"zlib_{backend.replace('-', '_')}", "-l", "z")
    ffi = z.ffi
    data = b"idlgen " * 1000
    assert z.crc32(0, data, len(data)) == zlib.crc32(data)
    assert z.Z_OK == 0 and z.ZLIB_VERSION == z.zlibVersion()
    # compress / uncompress round trip, with out-parameters
    dest, dest_len = ffi.new("unsigned char[]", 10000), ffi.new("uLongf *", 10000)
    assert z.compress(dest, dest_len, data, len(data)) == z.Z_OK
    packed = ffi.buffer(dest, dest_len[0])[:]
    assert zlib.decompress(packed) == data
    out, out_len = ffi.new("unsigned char[]", len(data)), ffi.new("uLongf *", len(data))
    assert z.uncompress(out, out_len, packed, len(packed)) == z.Z_OK
    assert ffi.buffer(out, out_len[0])[:] == data
    # streaming deflate / inflate with a z_stream, in small pieces
    stream = ffi.new("z_stream *")
    assert z.deflateInit_(stream, 9, z.ZLIB_VERSION.encode(), ffi.sizeof("z_stream")) == z.Z_OK
    chunks = []
    source = ffi.from_buffer(data)
    buf = ffi.new("unsigned char[]", 64)
    stream.next_in, stream.avail_in = source, len(data)
    while True:
        stream.next_out, stream.avail_out = buf, 64
        rc = z.deflate(stream, z.Z_FINISH)
        chunks.append(ffi.buffer(buf, 64 - stream.avail_out)[:])
        if rc == z.Z_STREAM_END:
            break
        assert rc == z.Z_OK
    assert z.deflateEnd(stream) == z.Z_OK
    assert zlib.decompress(b"".join(chunks)) == data
    inflater = ffi.new("z_stream *")
    assert z.inflateInit_(inflater, z.ZLIB_VERSION.encode(), ffi.sizeof("z_stream")) == z.Z_OK
    packed = ffi.from_buffer(b"".join(chunks))
    inflater.next_in, inflater.avail_in = packed, len(packed)
    result = ffi.new("unsigned char[]", len(data))
    inflater.next_out, inflater.avail_out = result, len(data)
    assert z.inflate(inflater, z.Z_FINISH) == z.Z_STREAM_END
    assert z.inflateEnd(inflater) == z.Z_OK
    assert ffi.buffer(result, len(data))[:] == data


@pytest.mark.parametrize("backend", MODES)
def test_sqlite3(bind, backend):
    s = bind(
        "/usr/include/sqlite3.h", backend, f"sqlite3_{backend.replace('-', '_')}", "-l", "sqlite3"
    )
    ffi = s.ffi
    db = ffi.new("sqlite3 **")
    assert s.sqlite3_open(b":memory:", db) == s.SQLITE_OK
    rows = []

    @ffi.callback("int(void *, int, char **, char **)")
    def collect(_user, n, values, _names):
        rows.append([ffi.string(values[i]).decode() for i in range(n)])
        return 0

    sql = (
        b"create table t(a, b); insert into t values (1, 'x'), (2, 'y'); select * from t order by a"
    )
    assert s.sqlite3_exec(db[0], sql, collect, ffi.NULL, ffi.NULL) == s.SQLITE_OK
    assert rows == [["1", "x"], ["2", "y"]]
    stmt = ffi.new("sqlite3_stmt **")
    assert (
        s.sqlite3_prepare_v2(db[0], b"select b, a * 10 from t where a = ?", -1, stmt, ffi.NULL) == 0
    )
    assert s.sqlite3_bind_int(stmt[0], 1, 2) == s.SQLITE_OK
    assert s.sqlite3_step(stmt[0]) == s.SQLITE_ROW
    assert ffi.string(s.sqlite3_column_text(stmt[0], 0)) == b"y"
    assert s.sqlite3_column_int64(stmt[0], 1) == 20
    assert s.sqlite3_step(stmt[0]) == s.SQLITE_DONE
    assert s.sqlite3_finalize(stmt[0]) == s.SQLITE_OK
    # SQLITE_TRANSIENT is ((sqlite3_destructor_type)-1): bound as a cast, not dropped
    assert int(ffi.cast("intptr_t", s.SQLITE_TRANSIENT)) == -1
    insert = ffi.new("sqlite3_stmt **")
    assert s.sqlite3_prepare_v2(db[0], b"insert into t values (3, ?)", -1, insert, ffi.NULL) == 0
    assert s.sqlite3_bind_text(insert[0], 1, b"zed", -1, s.SQLITE_TRANSIENT) == s.SQLITE_OK
    assert s.sqlite3_step(insert[0]) == s.SQLITE_DONE
    s.sqlite3_finalize(insert[0])
    assert s.sqlite3_close(db[0]) == s.SQLITE_OK


def test_other_dev_headers(bind):
    """Libraries beyond the named ones, from their Debian -dev headers."""
    bz = bind("/usr/include/bzlib.h", "cffi", "bz2_c", "-l", "bz2")
    assert bz.BZ2_bzlibVersion().startswith("1.")
    assert bz.BZ_OK == 0 and bz.BZ_STREAM_END == 4
    xz = bind("/usr/include/lzma.h", "cffi", "lzma_c", "-l", "lzma")
    assert xz.lzma_version_string().startswith("5.")
    assert xz.lzma_ret.LZMA_OK == 0 and xz.lzma_check.LZMA_CHECK_CRC64 == 4
