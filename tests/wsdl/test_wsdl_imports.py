"""Imports and includes, offline: relative paths, -I, --catalog, the bundled standard
schemas; a missing one is a diagnostic at the import's line that names --catalog."""

from __future__ import annotations

from idlgen import ir
from wsdl_support import CORPUS, check, decls, errors_of, idlgen

XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"'


def schema(ns: str, body: str) -> str:
    return f'<xs:schema {XS} xmlns:o="urn:other" targetNamespace="{ns}">\n{body}\n</xs:schema>\n'


OTHER = schema("urn:other", '  <xs:complexType name="T"><xs:sequence/></xs:complexType>')
USES_T = '  <xs:element name="e" type="o:T"/>'


def test_relative_import(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "other.xsd").write_text(OTHER)
    main = tmp_path / "main.xsd"
    main.write_text(
        schema(
            "urn:m",
            '  <xs:import namespace="urn:other" schemaLocation="sub/other.xsd"/>\n' + USES_T,
        )
    )
    assert (ir.Space.TYPE, "T") in decls(check(main), "urn:other")


def test_include_dirs_serve_paths_and_urls(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "other.xsd").write_text(OTHER)
    main = tmp_path / "main.xsd"
    url = "http://example.invalid/schemas/other.xsd"
    main.write_text(
        schema("urn:m", f'  <xs:import namespace="urn:other" schemaLocation="{url}"/>\n' + USES_T)
    )
    assert (ir.Space.TYPE, "T") in decls(check(main, include_dirs=[tmp_path / "lib"]), "urn:other")


def test_missing_import_names_the_catalog(tmp_path):
    main = tmp_path / "main.xsd"
    url = "http://example.invalid/Service.svc?xsd=xsd0"
    main.write_text(
        schema("urn:m", f'  <xs:import namespace="urn:other" schemaLocation="{url}"/>\n' + USES_T)
    )
    (error,) = errors_of(main)
    assert error.code == "missing-import"
    assert (error.loc.line, error.loc.col) == (2, 36)  # the schemaLocation attribute
    assert url in error.message and "--catalog" in error.message
    assert "never fetches" in error.message


def test_catalog_maps_urls_to_files(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "xsd0.xsd").write_text(OTHER)
    catalog = tmp_path / "urls.txt"
    url = "http://example.invalid/Service.svc?xsd=xsd0"
    catalog.write_text(f"# WCF schemas\n{url}  local/xsd0.xsd\n")
    main = tmp_path / "main.wsdl"
    inline = schema("urn:m", f'<xs:import namespace="urn:other" schemaLocation="{url}"/>' + USES_T)
    main.write_text(
        '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:m">\n'
        f"  <types>{inline}</types>\n"
        "</definitions>\n"
    )
    assert (ir.Space.TYPE, "T") in decls(check(main, catalogs=[catalog]), "urn:other")
    proc = idlgen("--check", "--catalog", str(catalog), str(main))
    assert proc.returncode == 0, proc.stderr
    proc = idlgen("--check", str(main))
    assert proc.returncode == 1 and "--catalog" in proc.stderr


def test_bad_catalog_line(tmp_path):
    catalog = tmp_path / "urls.txt"
    catalog.write_text("http://a.invalid/x.xsd\n")
    main = tmp_path / "main.xsd"
    main.write_text(schema("urn:m", ""))
    proc = idlgen("--check", "--catalog", str(catalog), str(main))
    assert proc.returncode == 1
    assert f"{catalog}:1:1: error: a catalog line is 'URL PATH'" in proc.stderr


def test_standard_schemas_are_bundled(tmp_path):
    main = tmp_path / "main.xsd"
    main.write_text(
        schema(
            "urn:m",
            '  <xs:import namespace="http://www.w3.org/XML/1998/namespace"\n'
            '             schemaLocation="https://www.w3.org/2001/xml.xsd"/>\n'
            '  <xs:import namespace="http://schemas.xmlsoap.org/soap/encoding/"/>\n'
            '  <xs:complexType name="C"><xs:attribute ref="xml:lang"/></xs:complexType>\n'
            '  <xs:element name="a" xmlns:enc="http://schemas.xmlsoap.org/soap/encoding/"'
            ' type="enc:Array"/>',
        )
    )
    spaces = {m.namespace for m in check(main).decls}
    assert "http://www.w3.org/XML/1998/namespace" in spaces
    assert "http://schemas.xmlsoap.org/soap/encoding/" in spaces


def test_wsdl_import_of_another_wsdl():
    spec = check(CORPUS / "pypi-onvif" / "events.wsdl")
    files = {m.loc.file.rsplit("/", 1)[-1] for m in spec.decls}
    assert {"events.wsdl", "bw-2.wsdl", "rw-2.wsdl", "b-2.xsd", "onvif.xsd"} <= files


def test_missing_wsdl_import(tmp_path):
    main = tmp_path / "main.wsdl"
    main.write_text(
        '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:m">\n'
        '  <import namespace="urn:o" location="other.wsdl"/>\n</definitions>\n'
    )
    (error,) = errors_of(main)
    assert error.loc.line == 2 and "imported WSDL 'other.wsdl'" in error.message


def test_undefined_names_are_said_in_xsd_words(tmp_path):
    main = tmp_path / "main.xsd"
    main.write_text(
        schema(
            "urn:m",
            '  <xs:complexType name="C">\n'
            '    <xs:sequence><xs:element ref="m:nothing" xmlns:m="urn:m"/></xs:sequence>\n'
            '    <xs:attribute name="a" type="o:Missing"/>\n'
            "  </xs:complexType>",
        )
    )
    first, second = errors_of(main)
    assert first.message.startswith("undefined element '{urn:m}nothing', used by complex type 'C'")
    assert second.loc.line == 4
    assert "undefined type '{urn:other}Missing' (no schema of namespace 'urn:other' was read)" in (
        second.message
    )
    assert "used by attribute 'a' of complex type 'C'" in second.message


def test_every_bundled_schema_checks():
    from idlgen.frontends.wsdl import schemas

    for namespace, path in schemas.BY_NAMESPACE.items():
        spec = check(path)
        assert namespace in {m.namespace for m in spec.decls}, path.name


def test_schema_without_a_namespace(tmp_path):
    main = tmp_path / "plain.xsd"
    main.write_text(
        f"<xs:schema {XS}>\n"
        '  <xs:element name="cron" type="cron-Type"/>\n'
        '  <xs:complexType name="cron-Type"><xs:all>'
        '<xs:element name="url" type="xs:string"/></xs:all></xs:complexType>\n'
        "</xs:schema>\n"
    )
    cron = decls(check(main), "")[(ir.Space.ELEMENT, "cron")]
    assert cron.type == ir.Named(ir.QName("", "cron-Type"), ir.Space.TYPE)


def test_columns_on_a_minified_line(tmp_path):
    main = tmp_path / "one.xsd"
    main.write_text(
        f'<xs:schema {XS} targetNamespace="urn:m"><!-- <xs:element name="c"/> -->'
        '<xs:element name="a" type="xs:string"/><xs:element name="b" type="m:x" xmlns:m="urn:m"/>'
        "</xs:schema>"
    )
    (error,) = errors_of(main)
    text = main.read_text()
    assert (error.loc.line, error.loc.col) == (1, text.index('type="m:x"') + 1)
