"""Constructs found by compiling WSDLs of other projects (docs/wsdl.md, "Tried on
other projects"), each reduced to a minimal WSDL here: compiled, imported, exercised."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import black
import httpx
import pytest
from idlgen import driver
from idlgen.render import write_files

#: ONVIF's and the WS-* specifications' shape: a SOAP 1.2 binding and no service.
PORTLESS = """<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="urn:portless" targetNamespace="urn:portless">
  <types>
    <xs:schema targetNamespace="urn:portless" elementFormDefault="qualified">
      <xs:element name="GetLevel">
        <xs:complexType><xs:sequence>
          <xs:element name="Token" type="xs:string"/>
        </xs:sequence></xs:complexType>
      </xs:element>
      <xs:element name="GetLevelResponse">
        <xs:complexType><xs:sequence>
          <xs:element name="Level" type="xs:int"/>
        </xs:sequence></xs:complexType>
      </xs:element>
    </xs:schema>
  </types>
  <message name="GetLevelRequest"><part name="parameters" element="tns:GetLevel"/></message>
  <message name="GetLevelReply"><part name="parameters" element="tns:GetLevelResponse"/></message>
  <portType name="Meter">
    <operation name="GetLevel">
      <input message="tns:GetLevelRequest"/><output message="tns:GetLevelReply"/>
    </operation>
  </portType>
  <binding name="MeterBinding" type="tns:Meter">
    <soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="GetLevel">
      <soap12:operation soapAction="urn:portless/GetLevel"/>
      <input><soap12:body use="literal"/></input>
      <output><soap12:body use="literal"/></output>
    </operation>
  </binding>
</definitions>
"""


def _package(tmp_path: Path, name: str, text: str) -> dict[str, object]:
    source = tmp_path / f"{name}.wsdl"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "gen"
    write_files(driver.compile_file(source, driver.Options()).files, out)
    sys.path.insert(0, str(out))
    try:
        return {m: importlib.import_module(f"{name}.{m}") for m in ("types", "client", "server")}
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[mod]


def test_binding_without_a_port_gets_a_client_and_a_server(tmp_path: Path) -> None:
    gen = _package(tmp_path, "portless", PORTLESS)
    client, server = gen["client"], gen["server"]

    class Meter(server.MeterBindingService):  # type: ignore[attr-defined,name-defined,misc]
        def get_level(self, token: str) -> int:
            return len(token)

    app = server.MeterBindingService.wsgi_app(Meter())  # type: ignore[attr-defined]
    seen: list[str] = []

    def soap12_only(environ: dict[str, object], start: object) -> object:
        seen.append(str(environ.get("CONTENT_TYPE")))
        return app(environ, start)

    transport = httpx.WSGITransport(app=soap12_only)
    with client.MeterBindingService.connect(  # type: ignore[attr-defined]
        "http://meter.test/", transport=transport
    ) as c:
        assert isinstance(c, client.MeterBinding)  # type: ignore[attr-defined]
        assert c.get_level(token="abcd") == 4
    assert seen and all(ct.startswith("application/soap+xml") for ct in seen)
    # no address in the WSDL: connect() requires one
    with pytest.raises(TypeError):
        client.MeterBindingService.connect()  # type: ignore[attr-defined]


def test_invalid_soap_style_is_a_warning_and_the_default(tmp_path: Path) -> None:
    # CXF's swa-mime_jms.wsdl writes style="literal" on soap:operation
    text = PORTLESS.replace(
        '<soap12:operation soapAction="urn:portless/GetLevel"/>',
        '<soap12:operation soapAction="urn:portless/GetLevel" style="literal"/>',
    ).replace("urn:portless", "urn:styled")
    source = tmp_path / "styled.wsdl"
    source.write_text(text, encoding="utf-8")
    result = driver.compile_file(source, driver.Options())
    warnings = [d for d in result.warnings if d.code == "soap-style"]
    line = next(n for n, t in enumerate(text.splitlines(), 1) if 'style="literal"' in t)
    assert [(w.loc.line, "'literal'" in w.message) for w in warnings] == [(line, True)]
    # the operation is read as the binding's document style: bindings.py imports
    # (style='literal' there made the runtime refuse the module)
    gen = _package(tmp_path, "styled", text)
    assert hasattr(gen["client"], "MeterBinding")


def test_long_list_fields_are_in_blacks_layout(tmp_path: Path) -> None:
    # ONVIF's PTZSpaces: `name: list[LongTypeName] = field(default_factory=list)` past 88
    long_name = "Space2DDescription"
    text = PORTLESS.replace(
        '<xs:element name="Level" type="xs:int"/>',
        f'<xs:element name="ContinuousPanTiltVelocitySpace" type="tns:{long_name}"'
        ' maxOccurs="unbounded"/>',
    ).replace(
        '<xs:element name="GetLevelResponse">',
        f'<xs:complexType name="{long_name}"><xs:sequence>'
        '<xs:element name="X" type="xs:int"/></xs:sequence></xs:complexType>'
        '<xs:element name="GetLevelResponse">',
    )
    source = tmp_path / "spaces.wsdl"
    source.write_text(text, encoding="utf-8")
    files = driver.compile_file(source, driver.Options()).files
    types_py = files["spaces/types.py"]
    assert "= field(\n        default_factory=list\n    )" in types_py
    mode = black.Mode(target_versions={black.TargetVersion.PY310})
    for name, code in files.items():
        if name.endswith(".py"):
            assert black.format_str(code, mode=mode) == code, name


def test_long_type_names_are_in_blacks_layout(tmp_path: Path) -> None:
    # ONVIF's RecordingTargetConfiguration: `name: LongType | None = None` past 88
    long_name = "RecordingTargetConfigurationSegmentDurationOverrideExtension"
    members = (
        f'<xs:element name="SegmentDurationOverride" type="tns:{long_name}" minOccurs="0"/>'
        f'<xs:element name="SegmentDurationRequiredHere" type="tns:{long_name}"/>'
        f'<xs:element name="SegmentDurationOverrides" type="tns:{long_name}"'
        ' maxOccurs="unbounded"/>'
    )
    text = PORTLESS.replace('<xs:element name="Level" type="xs:int"/>', members).replace(
        '<xs:element name="GetLevelResponse">',
        f'<xs:complexType name="{long_name}"><xs:sequence>'
        '<xs:element name="X" type="xs:int"/></xs:sequence></xs:complexType>'
        '<xs:element name="GetLevelResponse">',
    )
    source = tmp_path / "longnames.wsdl"
    source.write_text(text, encoding="utf-8")
    files = driver.compile_file(source, driver.Options()).files
    mode = black.Mode(target_versions={black.TargetVersion.PY310})
    code = files["longnames/types.py"]
    assert black.format_str(code, mode=mode) == code
    assert f"segment_duration_override: (\n        {long_name} | None\n    ) = None" in (
        files["longnames/types.py"]
    )


def test_long_defaults_and_enum_values_are_in_blacks_layout(tmp_path: Path) -> None:
    # Travelport's `provider_reservation_info: LongType | None = (None)` and
    # GBS's enumeration value "http://www.w3.org/2005/08/addressing/reply"
    long_name = "BaseAirExchangeQuoteReqProviderReservationInfo"
    url = "http://www.w3.org/2005/08/addressing/reply/and/some/more"
    members = (
        f'<xs:element name="ProviderReservationInfo" type="tns:{long_name}" minOccurs="0"/>'
        '<xs:element name="Kind" type="tns:Kind"/>'
    )
    text = PORTLESS.replace('<xs:element name="Level" type="xs:int"/>', members).replace(
        '<xs:element name="GetLevelResponse">',
        f'<xs:complexType name="{long_name}"><xs:sequence>'
        '<xs:element name="X" type="xs:int"/></xs:sequence></xs:complexType>'
        '<xs:simpleType name="Kind"><xs:restriction base="xs:string">'
        f'<xs:enumeration value="{url}"/></xs:restriction></xs:simpleType>'
        '<xs:element name="GetLevelResponse">',
    )
    source = tmp_path / "longdefaults.wsdl"
    source.write_text(text, encoding="utf-8")
    code = driver.compile_file(source, driver.Options()).files["longdefaults/types.py"]
    mode = black.Mode(target_versions={black.TargetVersion.PY310})
    assert black.format_str(code, mode=mode) == code
    assert f"{long_name} | None = (\n        None\n    )" in code
    assert f' = (\n        "{url}"\n    )' in code
