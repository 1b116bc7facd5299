"""The IR of representative XML Schema and WSDL constructs (tests/wsdl/data/constructs.wsdl
and corpus files for what real services use)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from idlgen import ir
from idlgen.ir import soap
from wsdl_support import CORPUS, DATA, check, decls

T = "urn:example:constructs"
C = "urn:example:common"
S = ir.Space


@pytest.fixture(scope="module")
def spec():
    return check(DATA / "constructs.wsdl")


@pytest.fixture(scope="module")
def d(spec):
    return decls(spec)


def named(space, ns, local):
    return ir.Named(ir.QName(ns, local), space)


def test_modules_per_namespace(spec):
    spaces = [(m.name, m.namespace) for m in spec.decls]
    assert ("constructs.types", T) in spaces and ("constructs", T) in spaces
    assert ("common", C) in spaces
    assert ("chameleon", C) in spaces  # an included schema without a namespace takes C
    assert ("soap-encoding", "http://schemas.xmlsoap.org/soap/encoding/") in spaces
    assert ("xml", "http://www.w3.org/XML/1998/namespace") in spaces  # xml:lang, not imported


def test_sequence_elements_and_attributes(d):
    person = d[(S.TYPE, "Person")]
    assert isinstance(person, ir.Struct) and person.base is None
    f = {x.name: x for x in person.fields}
    assert f["name"].type == ir.String() and f["name"].namespace == T  # elementFormDefault
    assert (f["age"].type, f["age"].min_occurs, f["age"].max_occurs) == (
        ir.Primitive(ir.Prim.INT32), 0, 1)  # fmt: skip
    assert f["emails"].max_occurs is None
    assert f["address"].nillable and f["address"].type == named(S.TYPE, C, "Address")
    assert f["id"].kind is ir.MemberKind.ATTRIBUTE and f["id"].min_occurs == 1
    assert f["id"].namespace is None  # attributeFormDefault unqualified
    group = f[""]
    assert group.kind is ir.MemberKind.ATTRIBUTE
    assert group.type == named(S.ATTRIBUTE_GROUP, C, "Audit")
    assert person.loc.line == 16 and person.loc.file.endswith("constructs.wsdl")


def test_extension(d):
    employee = d[(S.TYPE, "Employee")]
    assert employee.base == named(S.TYPE, T, "Person")
    assert employee.derivation is ir.Derivation.EXTENSION
    assert [(x.name, x.type) for x in employee.fields] == [
        ("salary", ir.Primitive(ir.Prim.DECIMAL))
    ]


def test_choice(d):
    (field,) = d[(S.TYPE, "Contact")].fields
    assert field.name == "" and isinstance(field.type, ir.Group)
    assert field.type.kind is ir.GroupKind.CHOICE
    assert [m.name for m in field.type.members] == ["phone", "email"]


def test_simple_restriction_list_union(d):
    phone = d[(S.TYPE, "Phone")]
    assert isinstance(phone, ir.Typedef) and isinstance(phone.type, ir.Restricted)
    assert phone.type.base == ir.String()
    assert phone.type.facets.patterns == (r"\+[0-9]+",) and phone.type.facets.max_length == 16
    assert d[(S.TYPE, "Sizes")].type == ir.Sequence(ir.Primitive(ir.Prim.INT32))
    assert d[(S.TYPE, "SizeOrName")].type == ir.UnionOf(
        (ir.Primitive(ir.Prim.INT32), named(S.TYPE, T, "Color"))
    )


def test_enumeration(d):
    color = d[(S.TYPE, "Color")]
    assert isinstance(color, ir.Enum_) and color.base == ir.String()
    assert [(m.name, m.value) for m in color.members] == [
        ("red", ir.Literal("red")), ("green", ir.Literal("green"))]  # fmt: skip


def test_simple_content_and_wildcards(d):
    price = d[(S.TYPE, "Price")]
    text, currency = price.fields
    assert text.kind is ir.MemberKind.TEXT and text.type == ir.Primitive(ir.Prim.DECIMAL)
    assert currency.kind is ir.MemberKind.ATTRIBUTE and currency.default == ir.Literal("EUR")
    any_el, any_attr = d[(S.TYPE, "Bag")].fields
    assert any_el.type == ir.Wildcard("##other", "lax") and any_el.max_occurs is None
    assert any_attr.kind is ir.MemberKind.ATTRIBUTE and isinstance(any_attr.type, ir.Wildcard)


def test_chameleon_include_and_facets(spec):
    country = decls(spec, C)[(S.TYPE, "Country")]
    assert country.type == ir.Restricted(named(S.TYPE, C, "CountryCode"), ir.Facets(length=2))


def test_substitution_groups(d):
    shape, square = d[(S.ELEMENT, "shape")], d[(S.ELEMENT, "square")]
    assert shape.abstract
    assert square.substitution_group == named(S.ELEMENT, T, "shape")
    assert square.type == ir.String()  # no type of its own: the head's


def test_anonymous_types_are_hoisted(d):
    echo = d[(S.ELEMENT, "EchoPerson")]
    assert echo.type == named(S.TYPE, T, "EchoPerson")
    hoisted = d[(S.TYPE, "EchoPerson")]
    assert ir.annotation(hoisted, ir.Hoisted) == ir.Hoisted("EchoPerson")


def test_rpc_encoded_array(d):
    array = d[(S.TYPE, "ArrayOfPerson")]
    assert array.base == named(S.TYPE, "http://schemas.xmlsoap.org/soap/encoding/", "Array")
    assert array.derivation is ir.Derivation.RESTRICTION
    assert ir.annotation(array, soap.EncodedArray) == soap.EncodedArray(
        named(S.TYPE, T, "Person"), "[]"
    )


def test_messages_faults_and_wrapped_operations(d):
    people = d[(S.INTERFACE, "PeoplePort")]
    (echo,) = people.operations
    assert [(p.name, p.type, p.direction) for p in echo.params] == [
        ("parameters", named(S.ELEMENT, T, "EchoPerson"), ir.Direction.IN)
    ]
    assert echo.result == named(S.ELEMENT, T, "EchoPersonResponse")
    assert echo.raises == (named(S.ORDINARY, T, "NotFoundFault"),)
    assert echo.doc == "Returns the person it is given."
    fault = d[(S.ORDINARY, "NotFoundFault")]
    assert isinstance(fault, ir.Exception_)
    assert fault.fields[0].type == named(S.ELEMENT, T, "NotFound")
    message = d[(S.MESSAGE, "EchoPersonIn")]
    assert message.parts == (ir.MessagePart("parameters", named(S.ELEMENT, T, "EchoPerson")),)


def test_soap11_and_soap12_bindings(d):
    people = d[(S.INTERFACE, "PeoplePort")]
    versions = {b.name: b.soap_version for b in people.annotations if isinstance(b, soap.Binding)}
    assert versions == {"PeopleSoap11": "1.1", "PeopleSoap12": "1.2"}
    (echo,) = people.operations
    by = {b.binding: b for b in echo.annotations if isinstance(b, soap.OperationBinding)}
    assert by["PeopleSoap11"].action == "urn:EchoPerson" and by["PeopleSoap11"].wrapped
    (header,) = by["PeopleSoap11"].soap_headers
    assert (header.message, header.part) == (named(S.MESSAGE, T, "SessionHeader"), "session")
    assert by["PeopleSoap12"].soap_headers == ()
    assert [f.name for f in by["PeopleSoap12"].faults] == ["NotFound"]


def test_rpc_encoded_operations(d):
    calc = d[(S.INTERFACE, "CalcPort")]
    add, store = calc.operations
    assert [(p.name, p.type) for p in add.params] == [
        ("a", ir.Primitive(ir.Prim.INT32)), ("b", ir.Primitive(ir.Prim.INT32))]  # fmt: skip
    assert add.result == ir.Primitive(ir.Prim.INT32)
    binding = ir.annotation(add, soap.OperationBinding)
    assert (binding.style, binding.use, binding.namespace) == ("rpc", "encoded", "urn:example:calc")
    assert store.oneway and ir.annotation(store, soap.Messages).pattern == "one-way"


def test_services_and_ports(d):
    service = d[(S.SERVICE, "ConstructsService")]
    ports = {p.name: p for p in service.ports}
    assert ports["People12"].interface == named(S.INTERFACE, T, "PeoplePort")
    assert ports["People12"].address == "http://127.0.0.1:8000/people12"
    pb = ir.annotation(ports["People12"], soap.PortBinding)
    assert (pb.binding, pb.soap_version) == ("PeopleSoap12", "1.2")


# -- real services -------------------------------------------------------------------


def test_wsdl20_primer():
    spec = check(CORPUS / "axis2" / "wsdl20" / "HotelReservationService.wsdl")
    d = decls(spec)
    iface = d[(S.INTERFACE, "reservationInterface")]
    (op,) = iface.operations
    ns = "http://greath.example.com/2004/schemas/resSvc"
    assert op.name == "opCheckAvailability"
    assert op.params[0].type == named(S.ELEMENT, ns, "checkAvailability")
    assert op.result == named(S.ELEMENT, ns, "checkAvailabilityResponse")
    assert len(op.raises) == 1 and isinstance(d[(S.ORDINARY, "invalidDataFault")], ir.Exception_)
    (binding,) = [a for a in iface.annotations if isinstance(a, soap.Binding)]
    assert binding.soap_version == "1.2"
    ob = ir.annotation(op, soap.OperationBinding)
    assert ob.binding == "reservationSOAPBinding"
    assert [(f.name, f.code) for f in ob.faults] == [("invalidDataFault", "soap:Sender")]
    (service,) = [x for x in d.values() if isinstance(x, ir.Service)]
    assert service.ports[0].address == "http://greath.example.com/2004/reservation"


def test_soap12_only_onvif():
    spec = check(CORPUS / "pypi-onvif" / "devicemgmt.wsdl")
    ifaces = [x for x in decls(spec).values() if isinstance(x, ir.Interface)]
    bindings = [b for i in ifaces for b in i.annotations if isinstance(b, soap.Binding)]
    assert bindings and {b.soap_version for b in bindings} == {"1.2"}


def test_rpc_encoded_corpus_arrays():
    spec = check(CORPUS / "wasabi" / "tradetracker.wsdl")
    arrays = [
        x for x in decls(spec).values()
        if isinstance(x, ir.Struct) and ir.annotation(x, soap.EncodedArray)
    ]  # fmt: skip
    assert arrays
    ops = [o for x in decls(spec).values() if isinstance(x, ir.Interface) for o in x.operations]
    uses = {b.use for o in ops for b in o.annotations if isinstance(b, soap.OperationBinding)}
    assert uses == {"encoded"}


def test_substitution_groups_across_schemas():
    spec = check(CORPUS / "xsd-dcmi" / "dcterms.xsd", catalogs=())
    title = decls(spec, "http://purl.org/dc/terms/")[(S.ELEMENT, "title")]
    assert title.substitution_group == named(S.ELEMENT, "http://purl.org/dc/elements/1.1/", "title")


def test_integer_enumerations_and_decimal_bounds(tmp_path):
    xsd = tmp_path / "n.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:n">'
        '<xs:simpleType name="Level"><xs:restriction base="xs:int">'
        '<xs:enumeration value="1"/><xs:enumeration value="2"/></xs:restriction></xs:simpleType>'
        '<xs:simpleType name="Rate"><xs:restriction base="xs:decimal">'
        '<xs:minInclusive value="0.5"/></xs:restriction></xs:simpleType></xs:schema>'
    )
    d = decls(check(xsd))
    assert [m.value for m in d[(S.TYPE, "Level")].members] == [ir.Literal(1), ir.Literal(2)]
    assert d[(S.TYPE, "Rate")].type.facets.min_inclusive == ir.Literal(Decimal("0.5"))


def test_rpc_parameter_order_and_out_parameters(tmp_path):
    wsdl = tmp_path / "order.wsdl"
    wsdl.write_text(
        '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:o"\n'
        '    xmlns:tns="urn:o" xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
        '  <message name="In"><part name="a" type="xs:int"/><part name="b" type="xs:string"/>'
        "</message>\n"
        '  <message name="Out"><part name="b" type="xs:string"/><part name="q" type="xs:int"/>'
        '<part name="r" type="xs:int"/></message>\n'
        '  <portType name="P"><operation name="div" parameterOrder="b a q">'
        '<input message="tns:In"/><output message="tns:Out"/></operation></portType>\n'
        "</definitions>\n"
    )
    (op,) = decls(check(wsdl))[(S.INTERFACE, "P")].operations
    assert [(p.name, p.direction) for p in op.params] == [
        ("b", ir.Direction.INOUT), ("a", ir.Direction.IN), ("q", ir.Direction.OUT),
        ("r", ir.Direction.OUT),
    ]  # fmt: skip
    assert op.result == ir.Primitive(ir.Prim.VOID)


def test_wsdl20_constructs():
    d = decls(check(DATA / "wsdl20.wsdl"))
    w = "urn:example:w2"
    derived = d[(S.INTERFACE, "Derived")]
    assert derived.bases == (named(S.INTERFACE, w, "Base"),)
    anything, nothing = derived.operations
    assert anything.oneway and anything.params[0].type == ir.Primitive(ir.Prim.ANYTYPE)
    assert nothing.params == () and nothing.result == named(S.ELEMENT, w, "pong")
    (ping,) = d[(S.INTERFACE, "Base")].operations
    assert ping.raises == (named(S.ORDINARY, w, "Oops"),)
    oops = d[(S.ORDINARY, "Oops")]
    assert isinstance(oops, ir.Exception_) and oops.fields[0].type == named(S.ELEMENT, w, "oops")
    soap11, http = [a for a in derived.annotations if isinstance(a, soap.Binding)]
    assert (soap11.protocol, soap11.soap_version) == ("soap", "1.1")
    assert (http.protocol, http.verb) == ("http", "GET")
    assert ir.annotation(anything, soap.OperationBinding).action == "urn:anything"
    ports = {p.name: p for p in d[(S.SERVICE, "DerivedService")].ports}
    assert ir.annotation(ports["soap"], soap.PortBinding).soap_version == "1.1"
    assert ir.annotation(ports["http"], soap.PortBinding).protocol == "http"
