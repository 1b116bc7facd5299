"""One program, three back-ends, on libraries the C path was not written against
(docs/c-headers.md, "Tried on other libraries"): curl (a callback with user data
set through a variadic call, ``callback()``), lzma (out-parameters), pcre2
(out-parameters, ``const unsigned char *`` takes bytes only), libmagic (a handle,
str results), libsodium, libyaml (a struct allocated by ``new``), libpng
(typedefs of pointers), jansson and libarchive. The slow ones build a large
Cython module and run with ``-m slow``."""

from __future__ import annotations

import io
import lzma
import tarfile
from pathlib import Path

import pytest
from test_one_program import _each, _same


def curl_program(c, folder: Path) -> tuple[object, ...]:
    source = folder / "page.txt"
    source.write_bytes(b"hello curl " * 100)
    assert c.curl_global_init(c.CURL_GLOBAL_DEFAULT) == 0
    easy = c.curl_easy_init()
    assert easy is not None and easy == easy  # CURL is void: a void *
    chunks: list[bytes] = []

    def write(data, size, count, user_data):  # curl_write_callback
        c.from_handle(user_data).append(c.string(data, size * count))
        return size * count

    keep = c.new_handle(chunks)
    option = c.CURLoption
    # curl_easy_setopt is variadic: the binding cannot see a callback's type there
    codes = (
        c.curl_easy_setopt(easy, option.CURLOPT_URL, source.as_uri()),
        c.curl_easy_setopt(
            easy, option.CURLOPT_WRITEFUNCTION, c.callback("curl_write_callback", write)
        ),
        c.curl_easy_setopt(easy, option.CURLOPT_WRITEDATA, keep),
        c.curl_easy_perform(easy),
    )
    size = c.new("curl_off_t")  # an out-parameter through a variadic call
    got = c.curl_easy_getinfo(easy, c.CURLINFO.CURLINFO_SIZE_DOWNLOAD_T, size)
    c.curl_easy_cleanup(easy)
    version = c.string(c.curl_version())  # char *, not const: a pointer
    return (
        codes,
        got,
        size[0],
        b"".join(chunks) == source.read_bytes(),
        c.curl_easy_strerror(c.CURLcode.CURLE_UNSUPPORTED_PROTOCOL),
        version.startswith(b"libcurl/"),
    )


def lzma_program(x) -> tuple[object, ...]:
    data = b"lzma through three back-ends " * 40
    out = bytearray(len(data) + 1024)
    written = x.new("size_t")  # out-parameter
    check = x.lzma_check.LZMA_CHECK_CRC64
    assert x.lzma_easy_buffer_encode(6, check, None, data, len(data), out, written, len(out)) == 0
    packed = bytes(out[: written[0]])
    limit = x.new("uint64_t")
    limit[0] = 2**40
    in_pos, out_pos = x.new("size_t"), x.new("size_t")
    back = bytearray(len(data))
    decoded = x.lzma_stream_buffer_decode(
        limit, 0, None, packed, in_pos, len(packed), back, out_pos, len(back)
    )
    return (
        lzma.decompress(packed) == data,
        decoded,
        (in_pos[0], out_pos[0]),
        bytes(back) == data,
        x.lzma_version_string().count("."),
        x.lzma_check_is_supported(x.lzma_check.LZMA_CHECK_SHA256),
    )


def pcre2_program(p) -> tuple[object, ...]:
    error, offset = p.new("int"), p.new("size_t")  # out-parameters
    pattern = rb"(\d+)-(\w+)"  # PCRE2_SPTR is const unsigned char *: bytes, not str
    code = p.pcre2_compile(pattern, len(pattern), 0, error, offset, None)
    assert code is not None and code == code
    with pytest.raises(TypeError):
        p.pcre2_compile("(a", 2, 0, error, offset, None)
    assert p.pcre2_compile(b"(a", 2, 0, error, offset, None) is None
    message = p.new("unsigned char", 256)
    p.pcre2_get_error_message(error[0], message, 256)
    match = p.pcre2_match_data_create_from_pattern(code, None)
    subject = b"abc 42-xyz"
    found = p.pcre2_match(code, subject, len(subject), 0, 0, match, None)
    vector = p.pcre2_get_ovector_pointer(match)
    spans = [(vector[2 * i], vector[2 * i + 1]) for i in range(found)]
    p.pcre2_match_data_free(match)
    p.pcre2_code_free(code)
    return error[0], offset[0], p.string(message), spans


def magic_program(m) -> tuple[object, ...]:
    cookie = m.magic_open(m.MAGIC_MIME_TYPE)
    assert cookie is not None and cookie == cookie
    assert m.magic_load(cookie, None) == 0
    pdf = m.magic_buffer(cookie, b"%PDF-1.4\n", 9)
    text = m.magic_buffer(cookie, bytearray(b"plain words\n"), 12)
    error = m.magic_error(cookie)
    m.magic_close(cookie)
    return pdf, text, error, m.magic_version() > 500


def sodium_program(s) -> tuple[object, ...]:
    assert s.sodium_init() >= 0
    digest = bytearray(32)
    s.crypto_generichash(digest, 32, b"hello sodium", 12, None, 0)
    text = s.new("char", 65)
    s.sodium_bin2hex(text, 65, bytes(digest), 32)
    back, length = bytearray(32), s.new("size_t")  # an out-parameter
    parsed = s.sodium_hex2bin(back, 32, s.string(text), 64, None, length, None)
    return s.string(text), parsed, length[0], back == digest, s.crypto_secretbox_keybytes()


def yaml_program(y) -> list[int]:
    parser = y.new("yaml_parser_t")  # a struct, allocated by new on every back-end
    assert y.yaml_parser_initialize(parser) == 1
    document = b"a: 1\nb: [x, y]\n"
    y.yaml_parser_set_input_string(parser, document, len(document))
    event = y.new("yaml_event_t")
    kinds = []
    while not kinds or kinds[-1] != y.yaml_event_type_t.YAML_STREAM_END_EVENT:
        assert y.yaml_parser_parse(parser, event) == 1
        kinds.append(y.cast("int *", event)[0])  # the event's type: its first member
        y.yaml_event_delete(event)
    y.yaml_parser_delete(parser)
    return kinds


def test_curl_callback_through_a_variadic_call(bind, tmp_path):
    libs = _each(bind, "/usr/include/x86_64-linux-gnu/curl/curl.h", "curlface", "-l", "curl")
    answers = {}
    for b, c in libs.items():
        (tmp_path / b).mkdir()
        answers[b] = curl_program(c, tmp_path / b)
    assert _same(answers) == (
        (0, 0, 0, 0),
        0,
        1100,
        True,
        "Unsupported protocol",
        True,
    )


def test_callback_needs_a_function_pointer_type(bind):
    libs = _each(bind, "/usr/include/x86_64-linux-gnu/curl/curl.h", "curlface", "-l", "curl")
    for c in libs.values():
        with pytest.raises(TypeError):
            c.callback("CURLcode", print)


def test_lzma_out_parameters(bind):
    libs = _each(bind, "/usr/include/lzma.h", "lzface", "-l", "lzma")
    result = _same({b: lzma_program(x) for b, x in libs.items()})
    assert result[:2] == (True, 0) and result[2][1] == 1160 and result[3:] == (True, 2, 1)


def test_pcre2_out_parameters_and_unsigned_text(bind):
    libs = _each(bind, "/usr/include/pcre2.h", "pcface", "-l", "pcre2-8",
                 "-D", "PCRE2_CODE_UNIT_WIDTH=8")  # fmt: skip
    assert _same({b: pcre2_program(p) for b, p in libs.items()}) == (
        114,
        2,
        b"missing closing parenthesis",
        [(4, 10), (4, 6), (7, 10)],
    )


@pytest.mark.slow
def test_magic(bind):
    libs = _each(bind, "/usr/include/magic.h", "mgface", "-l", "magic")
    answers = {b: magic_program(m) for b, m in libs.items()}
    assert _same(answers) == ("application/pdf", "text/plain", None, True)


@pytest.mark.slow
def test_sodium(bind):
    libs = _each(bind, "/usr/include/sodium.h", "naface", "-l", "sodium")
    text, parsed, length, same, keybytes = _same({b: sodium_program(s) for b, s in libs.items()})
    assert len(text) == 64 and (parsed, length, same, keybytes) == (0, 32, True, 32)


@pytest.mark.slow
def test_yaml_structs_by_new(bind):
    libs = _each(bind, "/usr/include/yaml.h", "yface", "-l", "yaml")
    kinds = _same({b: yaml_program(y) for b, y in libs.items()})
    assert kinds[0] == 1 and kinds[-1] == 2 and len(kinds) == 13


def png_program(p) -> tuple[object, ...]:
    warnings: list[bytes | None] = []

    def on_error(png, message):  # png_error_ptr; never called here
        raise RuntimeError(p.string(message))

    def on_warning(png, message):
        p.from_handle(p.png_get_error_ptr(png)).append(p.string(message))

    keep = p.new_handle(warnings)
    png = p.png_create_read_struct(p.PNG_LIBPNG_VER_STRING, keep, on_error, on_warning)
    assert png is not None and png == png
    info = p.png_create_info_struct(png)
    structs = p.new("png_structp")  # a typedef of a pointer: the png_struct * C writes
    structs[0] = png
    infos = p.new("png_infop")
    infos[0] = info
    p.png_destroy_read_struct(structs, infos, None)
    version = p.png_get_libpng_ver(None)
    return version == p.PNG_LIBPNG_VER_STRING, not structs[0], not infos[0], warnings


def jansson_program(j) -> tuple[object, ...]:
    error = j.new("json_error_t")  # an out-parameter struct
    doc = j.json_loads('{"a": [1, 2, 3], "b": "é"}', 0, error)
    assert doc is not None and doc == doc
    assert j.json_loads("{", 0, error) is None
    line = j.cast("int *", error)[0]  # json_error_t starts with its line
    a = j.json_object_get(doc, "a")
    numbers = j.json_array_size(a), j.json_integer_value(j.json_array_get(a, 2))
    text = j.json_string_value(j.json_object_get(doc, "b"))
    packed = j.json_pack("{s:i, s:s, s:f}", "x", 7, "y", "z", "w", 1.5)  # variadic
    dumped = j.string(j.json_dumps(packed, j.JSON_SORT_KEYS | j.JSON_COMPACT))
    pieces: list[bytes] = []

    def dump(buffer, size, data):  # json_dump_callback_t, with user data
        j.from_handle(data).append(j.string(buffer, size))
        return 0

    keep = j.new_handle(pieces)
    assert j.json_dump_callback(doc, dump, keep, j.JSON_SORT_KEYS | j.JSON_COMPACT) == 0
    j.json_delete(doc)  # json_decref is inline: no symbol to bind
    j.json_delete(packed)
    return line, numbers, text, dumped, b"".join(pieces), j.jansson_version_str().count(".")


@pytest.mark.slow
def test_png_pointer_typedefs(bind):
    libs = _each(bind, "/usr/include/png.h", "pngface", "-l", "png")
    assert _same({b: png_program(p) for b, p in libs.items()}) == (True, True, True, [])


@pytest.mark.slow
def test_jansson(bind):
    libs = _each(bind, "/usr/include/jansson.h", "jsface", "-l", "jansson")
    assert _same({b: jansson_program(j) for b, j in libs.items()}) == (
        1,
        (3, 3),
        "é",
        b'{"w":1.5,"x":7,"y":"z"}',
        '{"a":[1,2,3],"b":"é"}'.encode(),
        1,
    )


def archive_program(a) -> tuple[object, ...]:
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w") as tar:
        member = tarfile.TarInfo("hello.txt")
        member.size = 8
        tar.addfile(member, io.BytesIO(b"hi there"))
    blob = packed.getvalue()
    reader = a.archive_read_new()
    assert reader is not None and reader == reader
    a.archive_read_support_format_all(reader)
    assert a.archive_read_open_memory(reader, blob, len(blob)) == a.ARCHIVE_OK
    entry = a.new("struct archive_entry *")  # an out-parameter of an opaque handle
    contents = []
    while a.archive_read_next_header(reader, entry) == a.ARCHIVE_OK:
        out = bytearray(64)
        contents.append(bytes(out[: a.archive_read_data(reader, out, len(out))]))
    found = a.archive_format_name(reader)
    assert a.archive_read_free(reader) == a.ARCHIVE_OK
    return contents, found, a.archive_version_string().startswith("libarchive 3")


@pytest.mark.slow
def test_libarchive(bind):
    libs = _each(bind, "/usr/include/archive.h", "arface", "-l", "archive")
    assert _same({b: archive_program(a) for b, a in libs.items()}) == (
        [b"hi there"],
        "POSIX ustar format",
        True,
    )
