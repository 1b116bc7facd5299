"""One program, three back-ends: for each library, the same Python function runs
on the package ``-b cffi``, ``-b cffi-abi`` and ``-b cython`` wrote, and gets the
same answers: handles opened, used and closed, a string result, an out-parameter
(``new``), a callback with user data (``new_handle``), a variadic call
(docs/c-headers.md, "The same on every back-end")."""

from __future__ import annotations

import bz2
import gzip
import signal
import zlib
from pathlib import Path

import pytest

BACKENDS = ["cffi", "cffi-abi", "cython"]


def _each(bind, header: str, name: str, *flags: str) -> dict[str, object]:
    return {b: bind(header, b, f"{name}_{b.replace('-', '_')}", *flags) for b in BACKENDS}


def zlib_program(z, folder: Path) -> tuple[object, ...]:
    data = b"one face, three back-ends " * 20
    size = z.new("uLongf")  # an out-parameter: one uLongf, read and written with [0]
    size[0] = z.compressBound(len(data))
    dest = bytearray(size[0])  # a buffer C writes into
    assert z.compress(dest, size, data, len(data)) == z.Z_OK
    packed = bytes(dest[: size[0]])
    path = str(folder / "z.gz")
    gz = z.gzopen(path, "wb")  # a handle: compares, prints its type
    assert gz == gz and "gz" in repr(gz) and len({gz, gz}) == 1
    written = z.gzprintf(gz, "%s=%d %.2f %ld\n", "n", 42, 2.5, 2**40)  # variadic
    assert z.gzclose(gz) == z.Z_OK
    assert z.gzopen(str(folder / "no" / "such"), "rb") is None  # NULL is None
    return (
        zlib.decompress(packed) == data,
        written,
        gzip.decompress(Path(path).read_bytes()),
        z.zlibVersion() == z.ZLIB_VERSION,
        z.zError(z.Z_BUF_ERROR),
    )


def sqlite3_program(s, folder: Path) -> tuple[object, ...]:
    out = s.new("sqlite3 *")
    assert s.sqlite3_open(str(folder / "t.db"), out) == s.SQLITE_OK
    db = out[0]  # the handle C wrote
    assert db == out[0] and "sqlite3" in repr(db)
    rows: list[object] = []

    def row(user_data, count, values, names):  # sqlite3_callback
        seen = s.from_handle(user_data)
        seen.append([(s.string(names[i]), s.string(values[i])) for i in range(count)])
        return 0

    keep = s.new_handle(rows)  # the void * user data: kept alive while C may use it
    error = s.new("char *")
    sql = "create table t(a, b); insert into t values (1, 'x'), (2, NULL); select * from t"
    assert s.sqlite3_exec(db, sql, row, keep, error) == s.SQLITE_OK
    assert error[0] == s.cast("char *", None) or not error[0]

    def failing(*args):
        raise LookupError("from the callback")

    with pytest.raises(LookupError, match="from the callback"):
        s.sqlite3_exec(db, "select 1", failing, None, None)  # not lost; C saw 0
    message = s.sqlite3_errmsg(db)
    stmt = s.new("sqlite3_stmt *")
    assert s.sqlite3_prepare_v2(db, "select b from t where a = ?", -1, stmt, None) == 0
    assert s.sqlite3_bind_int(stmt[0], 1, 1) == 0 and s.sqlite3_step(stmt[0]) == s.SQLITE_ROW
    column = s.string(s.sqlite3_column_text(stmt[0], 0))
    assert s.sqlite3_finalize(stmt[0]) == 0
    printed = s.sqlite3_mprintf("%d|%s|%.1f|%lld", 7, "é", 1.5, 2**40)  # variadic
    text = s.string(printed)
    s.sqlite3_free(printed)
    assert s.sqlite3_close(db) == s.SQLITE_OK
    return rows, message, column, text, s.sqlite3_libversion().startswith("3.")


def stdio_program(c, folder: Path) -> tuple[object, ...]:
    path = str(folder / "out.txt")
    f = c.fopen(path, "w")
    assert f is not None and "FILE" in repr(f)
    assert c.fputs("line one\n", f) >= 0
    assert c.fprintf(f, "%d %s %.3f %c\n", -5, b"bytes", 0.125, ord("z")) > 0
    assert c.fclose(f) == 0
    assert c.fopen(str(folder / "no" / "such"), "r") is None
    f = c.fopen(path, "r")
    line = c.new("char", 64)
    back = c.fgets(line, 64, f)  # char *: the pointer into our buffer
    assert back == line
    first = c.string(line)
    c.fclose(f)
    buf = c.new("char", 32)
    n = c.snprintf(buf, 32, "%ld-%s", 2**33, "x")
    return first, Path(path).read_text(), n, c.string(buf), c.stdout != c.stderr


def qsort_r_program(c) -> list[int]:
    values = [5, -3, 12, 0, 7]
    array = c.new("int", len(values))
    for i, v in enumerate(values):
        array[i] = v
    calls = []

    def compare(a, b, user_data):  # __compar_d_fn_t: the user data comes along
        c.from_handle(user_data).append(1)
        x, y = c.cast("int *", a)[0], c.cast("int *", b)[0]
        return (x > y) - (x < y)

    keep = c.new_handle(calls)
    c.qsort_r(array, len(values), 4, compare, keep)
    assert calls
    return [array[i] for i in range(len(values))]


def expat_program(x) -> tuple[object, ...]:
    events: list[tuple[str, ...]] = []

    def start(user_data, name, attributes):
        seen = x.from_handle(user_data)
        pairs = []
        i = 0
        while attributes[i]:  # NULL-terminated, as C reads it
            pairs.append(x.string(attributes[i]).decode())
            i += 1
        seen.append(("start", x.string(name).decode(), *pairs))

    def end(user_data, name):
        x.from_handle(user_data).append(("end", x.string(name).decode()))

    def text(user_data, data, length):  # not NUL-terminated: its length comes along
        x.from_handle(user_data).append(("text", x.string(data, length).decode()))

    parser = x.XML_ParserCreate(None)
    keep = x.new_handle(events)
    x.XML_SetUserData(parser, keep)
    x.XML_SetElementHandler(parser, start, end)
    x.XML_SetCharacterDataHandler(parser, text)
    document = b"<doc kind='t'><a x='1' y='2'>hi</a></doc>"
    assert x.XML_Parse(parser, document, len(document), 1) == x.XML_STATUS_OK
    x.XML_ParserFree(parser)

    def broken(user_data, name, attributes):
        raise RuntimeError("bad element")

    parser = x.XML_ParserCreate("UTF-8")
    x.XML_SetStartElementHandler(parser, broken)
    with pytest.raises(RuntimeError, match="bad element"):
        x.XML_Parse(parser, b"<a/>", 4, 1)
    x.XML_ParserFree(parser)
    syntax = x.XML_ErrorString(x.XML_Error.XML_ERROR_SYNTAX)
    return events, syntax, x.XML_ExpatVersion().startswith("expat_")


def bzip2_program(b, folder: Path) -> tuple[object, ...]:
    data = b"bzip2 through every back-end " * 30
    size = b.new("unsigned int")
    size[0] = len(data) + 600
    dest = bytearray(size[0])
    assert b.BZ2_bzBuffToBuffCompress(dest, size, data, len(data), 9, 0, 0) == b.BZ_OK
    path = str(folder / "x.bz2")
    f = b.BZ2_bzopen(path, "wb")
    assert f is not None and f == f
    assert b.BZ2_bzwrite(f, data, len(data)) == len(data)
    errnum = b.new("int")
    message = b.BZ2_bzerror(f, errnum)  # a str and an out-parameter
    b.BZ2_bzclose(f)
    return (
        bz2.decompress(bytes(dest[: size[0]])) == data,
        bz2.decompress(Path(path).read_bytes()) == data,
        message,
        errnum[0],
        b.BZ2_bzlibVersion().split(",")[0].count(".") == 2,
    )


def zstd_program(z) -> tuple[object, ...]:
    data = b"zstd through every back-end " * 30
    bound = z.ZSTD_compressBound(len(data))
    dest = bytearray(bound)
    cctx = z.ZSTD_createCCtx()
    assert cctx is not None and cctx == cctx
    level_param = z.ZSTD_cParameter.ZSTD_c_compressionLevel
    assert not z.ZSTD_isError(z.ZSTD_CCtx_setParameter(cctx, level_param, 7))
    written = z.ZSTD_compressCCtx(cctx, dest, bound, data, len(data), 7)
    assert not z.ZSTD_isError(written)
    z.ZSTD_freeCCtx(cctx)
    back = bytearray(len(data))
    got = z.ZSTD_decompress(back, len(back), bytes(dest[:written]), written)
    simple = z.ZSTD_compress(bytearray(bound), bound, data, len(data), 1)
    # (zstd's stable API has no out-parameter of a number: its streams are structs)
    return (
        got == len(data) and bytes(back) == data,
        z.ZSTD_getErrorName(z.ZSTD_compress(bytearray(1), 1, data, len(data), 1)),
        z.ZSTD_isError(simple),
        z.ZSTD_versionString().count("."),
    )


def _same(answers: dict[str, object]) -> object:
    first = answers["cffi"]
    assert answers["cffi-abi"] == first and answers["cython"] == first, answers
    return first


def test_zlib(bind, tmp_path):
    libs = _each(bind, "/usr/include/zlib.h", "zface", "-l", "z")
    result = _same({b: zlib_program(z, tmp_path) for b, z in libs.items()})
    assert result == (True, 24, b"n=42 2.50 1099511627776\n", True, "buffer error")


def test_sqlite3(bind, tmp_path):
    libs = _each(bind, "/usr/include/sqlite3.h", "sface", "-l", "sqlite3")
    answers = {}
    for b, s in libs.items():
        (tmp_path / b).mkdir()
        answers[b] = sqlite3_program(s, tmp_path / b)
    rows, message, column, text, ok = _same(answers)
    assert rows == [[(b"a", b"1"), (b"b", b"x")], [(b"a", b"2"), (b"b", None)]]
    assert message == "not an error" and column == b"x" and ok
    assert text == "7|é|1.5|1099511627776".encode()


def test_stdio(bind, tmp_path):
    libs = _each(bind, "/usr/include/stdio.h", "ioface", "-l", "c", "--symbols",
                 "fopen|fclose|fputs|fgets|fprintf|snprintf|stdout|stderr")  # fmt: skip
    answers = {}
    for b, c in libs.items():
        (tmp_path / b).mkdir()
        answers[b] = stdio_program(c, tmp_path / b)
    assert _same(answers) == (
        b"line one\n",
        "line one\n-5 bytes 0.125 z\n",
        12,
        b"8589934592-x",
        True,
    )


def test_qsort_r_callback_with_user_data(bind):
    libs = _each(bind, "/usr/include/stdlib.h", "sortface", "-l", "c", "-D", "_GNU_SOURCE",
                 "--symbols", "qsort_r")  # fmt: skip
    assert _same({b: qsort_r_program(c) for b, c in libs.items()}) == [-3, 0, 5, 7, 12]


def test_expat(bind):
    libs = _each(bind, "/usr/include/expat.h", "xface", "-l", "expat")
    events, syntax, version = _same({b: expat_program(x) for b, x in libs.items()})
    assert events == [
        ("start", "doc", "kind", "t"),
        ("start", "a", "x", "1", "y", "2"),
        ("text", "hi"),
        ("end", "a"),
        ("end", "doc"),
    ]
    assert syntax == "syntax error" and version


def test_bzip2(bind, tmp_path):
    libs = _each(bind, "/usr/include/bzlib.h", "bzface", "-l", "bz2")
    answers = {}
    for b, lib in libs.items():
        (tmp_path / b).mkdir()
        answers[b] = bzip2_program(lib, tmp_path / b)
    assert _same(answers) == (True, True, "OK", 0, True)


def test_zstd(bind):
    libs = _each(bind, "/usr/include/zstd.h", "zsface", "-l", "zstd")
    assert _same({b: zstd_program(z) for b, z in libs.items()}) == (
        True,
        "Destination buffer is too small",
        0,
        2,
    )


def _functions(module) -> set[str]:
    cdata = getattr(getattr(module, "ffi", None), "CData", ())
    return {
        n
        for n in dir(module)
        if not n.startswith("_")
        and n not in ("Any", "Final")  # typing's
        and callable(f := getattr(module, n))
        and not isinstance(f, type)
        and not (cdata and isinstance(f, cdata))  # a pointer constant (SQLITE_TRANSIENT)
    }


@pytest.mark.parametrize(
    ("header", "name", "flags", "by_value"),
    [
        ("/usr/include/sqlite3.h", "sface", ("-l", "sqlite3"), set()),
        ("/usr/include/zstd.h", "zsface", ("-l", "zstd"),
         {"ZSTD_cParam_getBounds", "ZSTD_dParam_getBounds"}),  # return a struct
        ("/usr/include/expat.h", "xface", ("-l", "expat"), {"XML_ExpatVersionInfo"}),
    ],
)  # fmt: skip
def test_cython_binds_every_function_cffi_does(bind, header, name, flags, by_value):
    libs = _each(bind, header, name, *flags)
    cffi, cython = _functions(libs["cffi"]), _functions(libs["cython"])
    assert len(cffi) > 60 and _functions(libs["cffi-abi"]) <= cffi
    assert cffi - cython == by_value and cython <= cffi


def uuid_program(u) -> tuple[object, ...]:
    raw = bytearray(16)  # uuid_t is unsigned char[16]: an array parameter takes a buffer
    u.uuid_generate(raw)
    text = u.new("char", 37)
    u.uuid_unparse(raw, text)
    back = u.new("unsigned char", 16)
    assert u.uuid_parse(text, back) == 0
    return u.uuid_compare(raw, back), len(u.string(text)), u.uuid_is_null(bytes(16))


def test_uuid_array_parameters(bind):
    libs = _each(bind, "/usr/include/uuid/uuid.h", "uuface", "-l", "uuid")
    assert _same({b: uuid_program(u) for b, u in libs.items()}) == (0, 36, 1)


def test_a_tag_named_as_a_function(bind):
    """``struct sigaction`` and ``sigaction()``: two C namespaces, one to Cython."""
    libs = _each(bind, "/usr/include/signal.h", "sigface", "-l", "c",
                 "--symbols", "sigaction|sigemptyset")  # fmt: skip

    def program(s) -> tuple[int, int]:
        mask = s.new("sigset_t")  # (struct sigaction is opaque: only pointed to)
        return s.sigaction(signal.SIGUSR1, None, None), s.sigemptyset(mask)

    assert _same({b: program(s) for b, s in libs.items()}) == (0, 0)
