"""Compiled complex-type plans: every content model round-trips and the XML is what
another parser reads as the schema says (checked through lxml, not our own reader)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import soap_calc as calc
from idlgen_runtime.soap import SchemaError, XsdValueError, xsd
from idlgen_runtime.soap import schema as s
from lxml import etree

NS = "urn:schema-test"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"


def q(local):
    return f"{{{NS}}}{local}"


def write(decl, value):
    return s.to_string(decl, value)


def round_trip(decl, value):
    text = write(decl, value)
    return s.from_element(decl, etree.fromstring(text)), etree.fromstring(text)


# --- types used below ------------------------------------------------------------------


@dataclass
class Shape:
    name: str


@dataclass
class Circle(Shape):
    radius: float


@dataclass
class Square(Shape):
    side: float
    unit: str | None = None


s.complex_type(Shape, q("Shape"), (s.element("name", q("name"), xsd.string),), abstract=True)
s.complex_type(Circle, q("Circle"), (s.element("radius", q("radius"), xsd.double),), base=Shape)
s.complex_type(
    Square,
    q("Square"),
    (s.element("side", q("side"), xsd.double), s.attribute("unit", "unit", xsd.string)),
    base=Square.__mro__[1],
)


@dataclass
class Drawing:
    shapes: list[Shape] = field(default_factory=list)
    main: Shape | None = None


s.complex_type(
    Drawing,
    q("Drawing"),
    (
        s.element("shapes", q("shape"), s.ref(q("Shape")), min_occurs=0, max_occurs=None),
        s.element("main", q("main"), s.ref(q("Shape")), min_occurs=0),
    ),
)
drawing_el = s.element_decl(q("drawing"), Drawing)


def test_xsi_type_polymorphism_and_abstract_types():
    d = Drawing([Circle("c", 1.5), Square("s", 2.0, unit="cm")], Circle("m", 3.0))
    got, root = round_trip(drawing_el, d)
    assert got == d and type(got.shapes[1]) is Square
    first = root.find(q("shape"))
    assert first.get(f"{{{XSI}}}type").endswith(":Circle")
    prefix = first.get(f"{{{XSI}}}type").split(":")[0]
    assert first.nsmap[prefix] == NS
    with pytest.raises(SchemaError, match="abstract"):
        write(drawing_el, Drawing([Shape("plain")]))
    bad = etree.fromstring(f'<drawing xmlns="{NS}"><shape><name>x</name></shape></drawing>')
    with pytest.raises(XsdValueError, match="abstract"):
        s.from_element(drawing_el, bad)


@dataclass
class Money:
    value: Decimal
    currency: str
    extra: dict | None = None


s.complex_type(
    Money,
    q("Money"),
    (
        s.text("value", xsd.decimal),
        s.attribute("currency", "currency", xsd.string, required=True),
        s.any_attribute("extra"),
    ),
)
money_el = s.element_decl(q("price"), Money)


def test_simple_content_attributes_and_any_attribute():
    m = Money(Decimal("12.50"), "EUR", {"{urn:other}note": 'a "quoted" <note>', "plain": "x"})
    got, root = round_trip(money_el, m)
    assert got == m
    assert root.text == "12.50" and root.get("currency") == "EUR"
    assert root.get("{urn:other}note") == 'a "quoted" <note>'
    with pytest.raises(XsdValueError, match="required"):
        write(money_el, Money(Decimal(1), None))


@dataclass
class Bag:
    label: str
    items: list[tuple[str, object]] = field(default_factory=list)
    rest: list = field(default_factory=list)


s.complex_type(
    Bag,
    q("Bag"),
    (
        s.element("label", "label", xsd.string),  # unqualified
        s.choice(
            "items",
            (s.element("number", q("number"), xsd.int_), s.element("word", q("word"), xsd.string)),
            min_occurs=0,
            max_occurs=None,
        ),
        s.any_element("rest"),
    ),
)
bag_el = s.element_decl(q("bag"), Bag)


def test_repeated_choice_any_and_unqualified_elements():
    extra = etree.fromstring('<x:ext xmlns:x="urn:ext" a="1"><x:y>t</x:y></x:ext>')
    b = Bag("l", [("number", 1), ("word", "two"), ("number", 3)], [extra])
    got, root = round_trip(bag_el, b)
    assert got.label == "l" and got.items == b.items
    assert len(got.rest) == 1 and got.rest[0].tag == "{urn:ext}ext"
    assert got.rest[0].find("{urn:ext}y").text == "t"
    assert root.find("label") is not None  # no namespace, inside a default-namespace parent
    assert [c.tag for c in root][1:4] == [q("number"), q("word"), q("number")]


@dataclass
class Opt:
    req: str | None
    maybe: int | None = None
    nil: str | None = None
    many: list[int] = field(default_factory=list)
    when: object = None
    code: xsd.QNameValue | None = None


s.complex_type(
    Opt,
    q("Opt"),
    (
        s.element("req", q("req"), xsd.string, nillable=True),
        s.element("maybe", q("maybe"), xsd.int_, min_occurs=0),
        s.element("nil", q("nil"), xsd.string, nillable=True),
        s.element("many", q("many"), xsd.int_, min_occurs=1, max_occurs=3),
        s.element("when", q("when"), xsd.dateTime, min_occurs=0),
        s.element("code", q("code"), xsd.QName, min_occurs=0),
    ),
)
opt_el = s.element_decl(q("opt"), Opt)


def test_nillable_occurs_and_qname_values():
    o = Opt(None, None, None, [1, 2], xsd.dateTime.from_text("2024-01-02T03:04:05-07:00"),
            xsd.QNameValue("urn:codes", "Bad"))  # fmt: skip
    got, root = round_trip(opt_el, o)
    assert got == o and got.when.utcoffset() is not None
    assert root.find(q("req")).get(f"{{{XSI}}}nil") == "true"
    assert root.find(q("maybe")) is None
    code = root.find(q("code"))
    prefix, local = code.text.split(":")
    assert code.nsmap[prefix] == "urn:codes" and local == "Bad"
    local = Opt("x", many=[1], code=xsd.QNameValue("", "plain"))
    got, root = round_trip(opt_el, local)  # a QName in no namespace, under a default one
    assert got == local and root.find(q("code")).text == "plain"
    with pytest.raises(XsdValueError):
        write(opt_el, Opt("x", many=[]))
    with pytest.raises(XsdValueError):
        write(opt_el, Opt("x", many=[1, 2, 3, 4]))


@dataclass
class Label:
    value: str
    lang: str | None = None


s.complex_type(
    Label,
    q("Label"),
    (s.text("value", xsd.string), s.attribute("lang", f"{{{XML}}}lang", xsd.language)),
)


def test_xml_lang_uses_the_reserved_prefix():
    got, root = round_trip(s.element_decl(q("label"), Label), Label("bonjour", "fr"))
    assert got == Label("bonjour", "fr") and root.get(f"{{{XML}}}lang") == "fr"


def test_escaping_and_characters_xml_cannot_carry():
    p = calc.Person('<a & "b">\r\n', 1, ["x]]>y"], None, id='q"\t\n<')
    decl = s.element_decl(q("who"), calc.Person)
    got, root = round_trip(decl, p)
    assert got == p
    assert root.find("{urn:calc}name").text == '<a & "b">\r\n'
    with pytest.raises(XsdValueError, match="cannot carry"):
        write(decl, calc.Person("bell\x07", 1))


@dataclass
class Head:
    v: str


@dataclass
class Doc:
    item: Head | None = None


s.complex_type(Head, q("Head"), (s.element("v", q("v"), xsd.string),))
s.complex_type(Doc, q("Doc"), (s.element("item", q("item"), Head, min_occurs=0),))
s.element_decl(q("item"), Head, abstract=False)
s.element_decl(q("special"), Head, substitution_group=q("item"))
s.element_decl(q("extraSpecial"), Head, substitution_group=q("special"))
doc_el = s.element_decl(q("doc"), Doc)


def test_substitution_group_members_are_read_into_the_head_field():
    for tag in ("special", "extraSpecial"):
        root = etree.fromstring(f'<doc xmlns="{NS}"><{tag}><v>x</v></{tag}></doc>')
        assert s.from_element(doc_el, root) == Doc(Head("x"))


@dataclass
class Tail(Head):
    w: int = 0


@dataclass
class Holder:
    thing: Head | None = None


s.complex_type(Tail, q("Tail"), (s.element("w", q("w"), xsd.int_),), base=Head)
s.element_decl(q("thing"), Head, abstract=True)
s.element_decl(q("tailThing"), Tail, substitution_group=q("thing"))
s.complex_type(Holder, q("Holder"), (s.element("thing", q("thing"), Head, min_occurs=0),))
holder_el = s.element_decl(q("holder"), Holder)


def test_a_member_type_is_written_as_its_substitution_group_member():
    got, root = round_trip(holder_el, Holder(Tail("x", 2)))
    assert got == Holder(Tail("x", 2))
    assert root[0].tag == q("tailThing") and root[0].get(f"{{{XSI}}}type") is None


def test_lenient_reading_strict_writing():
    root = etree.fromstring(
        '<p xmlns="urn:calc" id="1"><name>n</name><unknown>u</unknown><age>5</age></p>'
    )
    decl = s.element_decl("{urn:calc}p", calc.Person)
    assert s.from_element(decl, root) == calc.Person("n", 5, [], None, id="1")
    with pytest.raises(XsdValueError, match="required"):
        write(decl, calc.Person(None, 5))
    with pytest.raises(XsdValueError):
        write(decl, calc.Person("n", 2**31))


def test_unknown_types_are_reported_by_name():
    decl = s.element_decl(q("dangling"), s.ref(q("NoSuchType")))
    with pytest.raises(SchemaError, match="NoSuchType"):
        write(decl, 1)


def test_recursive_types_through_refs():
    @dataclass
    class Node:
        value: int
        children: list = field(default_factory=list)

    s.complex_type(
        Node,
        q("Node"),
        (
            s.element("value", q("value"), xsd.int_),
            s.element("children", q("child"), s.ref(q("Node")), min_occurs=0, max_occurs=None),
        ),
    )
    tree = Node(1, [Node(2), Node(3, [Node(4)])])
    got, _ = round_trip(s.element_decl(q("tree"), Node), tree)
    assert got == tree
