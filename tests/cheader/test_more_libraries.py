"""Libraries beyond the ones the issue names, from their Debian -dev headers:
expat, libyaml, libmagic, libuuid, libpng, libjpeg and libxml2 — generated,
built where the back-end compiles, and called."""

from __future__ import annotations

import uuid


def test_expat_parses_with_a_python_callback(bind):
    e = bind("/usr/include/expat.h", "cffi", "expat_api", "-l", "expat")
    parser = e.XML_ParserCreate(None)  # None is NULL; XML_Char is a typedef of char
    assert parser != e.ffi.NULL
    names = []

    @e.ffi.callback("void(void *, const XML_Char *, const XML_Char **)")
    def start(user_data, name, attributes):
        names.append(e.ffi.string(name).decode())

    e.XML_SetStartElementHandler(parser, start)
    doc = b"<a><b x='1'/><c/></a>"
    assert e.XML_Parse(parser, doc, len(doc), 1) == e.XML_STATUS_OK
    assert names == ["a", "b", "c"]
    e.XML_ParserFree(parser)
    utf8 = e.XML_ParserCreate("UTF-8")  # str where C reads an XML_Char string
    assert utf8 != e.ffi.NULL
    e.XML_ParserFree(utf8)


def test_libyaml_reports_its_version(bind):
    y = bind("/usr/include/yaml.h", "cffi-abi", "yaml_abi", "-l", "yaml")
    parts = [y.ffi.new("int *") for _ in range(3)]
    y.yaml_get_version(*parts)
    version = ".".join(str(p[0]) for p in parts)
    assert y.yaml_get_version_string() == version


def test_libmagic_recognizes_a_pdf(bind):
    m = bind("/usr/include/magic.h", "cffi-abi", "magic_abi", "-l", "magic")
    cookie = m.magic_open(m.MAGIC_MIME_TYPE)
    assert m.magic_load(cookie, None) == 0
    assert m.magic_buffer(cookie, b"%PDF-1.4\n", 9) == "application/pdf"
    m.magic_close(cookie)


def test_libuuid_generates_what_python_parses(bind):
    u = bind("/usr/include/uuid/uuid.h", "cffi-abi", "uuid_abi", "-l", "uuid")
    raw, text = u.ffi.new("uuid_t"), u.ffi.new("char[37]")
    u.uuid_generate_random(raw)
    u.uuid_unparse(raw, text)
    parsed = uuid.UUID(u.ffi.string(text).decode())
    assert parsed.bytes == bytes(u.ffi.buffer(raw)) and parsed.version == 4


def test_libpng_through_a_jmp_buf_it_brings_along(bind):
    png = bind("/usr/include/png.h", "cffi", "png_api", "-l", "png16")
    version = png.png_get_libpng_ver(png.ffi.NULL)
    assert version == png.PNG_LIBPNG_VER_STRING
    assert png.png_access_version_number() == png.PNG_LIBPNG_VER


def test_libjpeg_needs_stdio_first(bind):
    j = bind("/usr/include/jpeglib.h", "cffi-abi", "jpeg_abi", "-l", "jpeg", "--include", "stdio.h")
    err = j.ffi.new("struct jpeg_error_mgr *")
    assert j.jpeg_std_error(err) == err
    assert err.jpeg_message_table != j.ffi.NULL and err.last_jpeg_message > 0
    assert not hasattr(j, "fopen")  # stdio.h was read first, not bound


def test_libxml2_builds_a_tree(bind):
    x = bind("/usr/include/libxml2/libxml/tree.h", "cffi", "xml_api", "-l", "xml2",
             "-I", "/usr/include/libxml2")  # fmt: skip
    doc = x.xmlNewDoc(b"1.0")
    root = x.xmlNewNode(x.ffi.NULL, b"root")
    x.xmlDocSetRootElement(doc, root)
    x.xmlNewChild(root, x.ffi.NULL, b"child", b"text")
    assert x.ffi.string(x.xmlDocGetRootElement(doc).name) == b"root"
    assert x.ffi.string(x.xmlNodeGetContent(root)) == b"text"
    x.xmlFreeDoc(doc)
