"""rpc/encoded: what the runtime writes (xsi:type on every accessor, SOAP-ENC arrays with
arrayType) and what it reads from the toolkits of the time (multiRef/href, xsi:type
overriding the declared type, parts by position)."""

from __future__ import annotations

import pytest
import soap_calc as calc
from idlgen_runtime.soap import XmlError, envelope, xsd
from idlgen_runtime.soap import schema as s
from lxml import etree

ENC = "http://schemas.xmlsoap.org/soap/encoding/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OP = calc.OPS11["sum_all"]


def test_written_with_types_and_array_type():
    data = envelope.write_request(OP, ([1, 2, 3], calc.Person("Ada", 36, ["a@x"])))
    root = etree.fromstring(data)
    assert root.get(f"{{{envelope.ENV11}}}encodingStyle") == ENC
    call = root.find(f"{{{envelope.ENV11}}}Body/{{urn:calc}}sumAll")
    values, owner = list(call)
    assert values.tag == "values" and owner.tag == "owner"
    assert values.get(f"{{{XSI}}}type").endswith(":Array")
    prefix, rest = values.get(f"{{{ENC}}}arrayType").split(":")
    assert values.nsmap[prefix] == xsd.XSD_NS and rest == "int[3]"
    assert [i.get(f"{{{XSI}}}type").split(":")[1] for i in values] == ["int"] * 3
    t = owner.get(f"{{{XSI}}}type")
    assert owner.nsmap[t.split(":")[0]] == "urn:calc" and t.endswith(":Person")
    assert owner.find("name").get(f"{{{XSI}}}type").endswith(":string")


AXIS_RESPONSE = b"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <ns1:sumAllResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"
      xmlns:ns1="urn:calc">
   <sumAllReturn href="#id0"/>
   <who href="#id1"/>
  </ns1:sumAllResponse>
  <multiRef id="id0" soapenc:root="0" xsi:type="xsd:long"
      xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">9000000000</multiRef>
  <multiRef id="id1" soapenc:root="0" xsi:type="xsd:string"
      xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">Ada</multiRef>
 </soapenv:Body>
</soapenv:Envelope>"""


def test_axis_multiref_response_by_position():
    result, _ = envelope.read_response(OP, envelope.parse(AXIS_RESPONSE))
    assert result == (9000000000, "Ada")


NESTED = b"""<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:c="urn:calc">
 <s:Body>
  <c:sumAll>
   <values href="#arr"/>
   <owner href="#p"/>
  </c:sumAll>
  <enc:Array id="arr" enc:arrayType="xsd:int[2]"><v href="#one"/><v>2</v></enc:Array>
  <multiRef id="one" xsi:type="xsd:int">1</multiRef>
  <multiRef id="p" xsi:type="c:Employee"><name>Bo</name><age>3</age><emails>e</emails>
    <address href="#a"/><salary>1.5</salary></multiRef>
  <multiRef id="a" xsi:type="c:Address"><street>S</street><city>C</city></multiRef>
 </s:Body>
</s:Envelope>"""


def test_request_with_nested_references_and_derived_types():
    env = envelope.parse(NESTED)
    values = envelope.read_body(OP, OP.input, env.body, False)
    assert values[0] == [1, 2]
    owner = values[1]
    assert type(owner) is calc.Employee and owner.address == calc.Address("S", "C")
    assert owner.emails == ["e"] and str(owner.salary) == "1.5"


def test_reference_loops_and_dangling_references_are_errors():
    loop = NESTED.replace(b'<values href="#arr"/>', b'<values href="#x"/>').replace(
        b"</s:Body>", b'<m id="x" href="#y"/><m id="y" href="#x"/></s:Body>'
    )
    with pytest.raises(XmlError):
        envelope.read_body(OP, OP.input, envelope.parse(loop).body, False)
    dangling = NESTED.replace(b'href="#p"', b'href="#nowhere"')
    with pytest.raises(XmlError, match="nowhere"):
        envelope.read_body(OP, OP.input, envelope.parse(dangling).body, False)


def test_round_trip_through_the_encoded_writer_and_reader():
    arr = s.soap_array(calc.Address, "{urn:calc}ArrayOfAddress")
    op = s.operation(
        "moveAll",
        style="rpc",
        use="encoded",
        namespace="urn:calc",
        input=s.message(parts=(s.part("to", type=s.ref("{urn:calc}ArrayOfAddress")),)),
        output=s.message(parts=(s.part("count", type=xsd.int_),)),
    )
    addrs = [calc.Address("a", "b"), calc.Address("c", "d", "z")]
    env = envelope.parse(envelope.write_request(op, (addrs,)))
    assert envelope.read_body(op, op.input, env.body, False) == [addrs]
    assert arr.qname == "{urn:calc}ArrayOfAddress"
