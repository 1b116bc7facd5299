"""SOAP codec work per call: serialize an echoPerson request + parse its response.

idlgen_runtime.soap's compiled plans against zeep's own serializer and parser, on
the same Person (name, age, a list of three emails, a nested Address, an id
attribute) and the same response bytes. zeep is driven below its HTTP layer, as
FIELD-NOTES measured it: ``binding._create`` for the request envelope (+
``etree.tostring``) and ``parse_xml`` + ``operation.process_reply`` for the reply.
Both sides start from bytes/objects and end at bytes/objects. Goal: >= 5x.

    .venv/bin/python bench/soap/bench_codec.py
"""

from __future__ import annotations

import sys
import timeit
from dataclasses import dataclass, field
from pathlib import Path

from idlgen_runtime.soap import envelope, xsd
from idlgen_runtime.soap import schema as s

HERE = Path(__file__).resolve().parent
WSDL = HERE / "person.wsdl"


# --- what the WSDL back-end generates for person.wsdl (hand-written here) ----------------


@dataclass
class Address:
    street: str
    city: str
    zip: str | None = None


@dataclass
class Person:
    name: str
    age: int
    emails: list[str] = field(default_factory=list)
    address: Address | None = None
    id: str | None = None


@dataclass
class echoPerson:
    person: Person


@dataclass
class echoPersonResponse:
    person: Person


s.complex_type(
    Address,
    "{urn:calc}Address",
    (
        s.element("street", "{urn:calc}street", xsd.string),
        s.element("city", "{urn:calc}city", xsd.string),
        s.element("zip", "{urn:calc}zip", xsd.string, min_occurs=0),
    ),
)
s.complex_type(
    Person,
    "{urn:calc}Person",
    (
        s.element("name", "{urn:calc}name", xsd.string),
        s.element("age", "{urn:calc}age", xsd.int_),
        s.element("emails", "{urn:calc}emails", xsd.string, min_occurs=0, max_occurs=None),
        s.element("address", "{urn:calc}address", Address, min_occurs=0, nillable=True),
        s.attribute("id", "id", xsd.string),
    ),
)
s.complex_type(
    echoPerson, "{urn:calc}echoPerson", (s.element("person", "{urn:calc}person", Person),)
)
s.complex_type(
    echoPersonResponse,
    "{urn:calc}echoPersonResponse",
    (s.element("person", "{urn:calc}person", Person),),
)
_in = s.element_decl("{urn:calc}echoPerson", echoPerson)
_out = s.element_decl("{urn:calc}echoPersonResponse", echoPersonResponse)
ECHO = s.operation(
    "echoPerson",
    action="urn:calc#echoPerson",
    input=s.message(parts=(s.part("parameters", element=_in),), wrapper=_in),
    output=s.message(parts=(s.part("parameters", element=_out),), wrapper=_out),
)

PERSON = Person(
    "Ada Lovelace",
    36,
    ["ada@example.org", "countess@example.org", "a.l@example.net"],
    Address("12 St James's Square", "London", "SW1Y 4JH"),
    id="p-1815",
)


def idlgen_round(response: bytes) -> Person:
    envelope.write_request(ECHO, (PERSON,))
    result, _ = envelope.read_response(ECHO, envelope.parse(response))
    return result


def idlgen_response() -> bytes:
    return envelope.write_response(ECHO, PERSON)


# --- zeep ---------------------------------------------------------------------------------


def zeep_setup():
    import zeep
    from lxml import etree
    from zeep.loader import parse_xml

    client = zeep.Client(str(WSDL))
    binding = client.service._binding
    operation = binding.get("echoPerson")
    person = {
        "name": PERSON.name,
        "age": PERSON.age,
        "emails": list(PERSON.emails),
        "address": {"street": PERSON.address.street, "city": PERSON.address.city,
                    "zip": PERSON.address.zip},
        "id": PERSON.id,
    }  # fmt: skip

    def serialize() -> bytes:
        env, _headers = binding._create("echoPerson", (), {"person": person}, client=client)
        return etree.tostring(env)

    def parse(response: bytes):
        return operation.process_reply(
            parse_xml(response, client.transport, settings=client.settings)
        )

    return serialize, parse


def best(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def main() -> int:
    response = idlgen_response()
    got = idlgen_round(response)
    assert got == PERSON, got
    ours = best(lambda: idlgen_round(response), 2000)
    ours_ser = best(lambda: envelope.write_request(ECHO, (PERSON,)), 2000)
    print("SOAP codec: serialize echoPerson request + parse its response (per call)")
    print(f"  idlgen_runtime.soap   {ours * 1e6:8.1f} us   (serialize {ours_ser * 1e6:.1f} us)")
    try:
        serialize, parse = zeep_setup()
    except ImportError:
        print("  zeep                  not installed (pip install zeep): no ratio")
        return 0
    reply = parse(response)
    assert reply.name == PERSON.name and list(reply.emails) == PERSON.emails, reply
    theirs_ser = best(serialize, 300)
    theirs_parse = best(lambda: parse(response), 300)
    theirs = theirs_ser + theirs_parse
    print(f"  zeep {__import__('zeep').__version__:<16} {theirs * 1e6:8.1f} us   "
          f"(serialize {theirs_ser * 1e6:.1f} us, parse {theirs_parse * 1e6:.1f} us)")  # fmt: skip
    ratio = theirs / ours
    print(f"  idlgen is {ratio:.1f}x faster (goal >= 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
