"""A hand-written module shaped like the WSDL back-end's output (the contract's example):
a Calculator with add, echo_person (nested types), a typed fault, a header, and
rpc/literal, rpc/encoded and SOAP 1.2 variants."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from idlgen_runtime.soap import Fault, xsd
from idlgen_runtime.soap import client as c
from idlgen_runtime.soap import schema as s
from idlgen_runtime.soap import server as srv

NS = "urn:calc"


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
class Employee(Person):
    salary: Decimal | None = None


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
        s.element(
            "address", "{urn:calc}address", s.ref("{urn:calc}Address"), min_occurs=0, nillable=True
        ),
        s.attribute("id", "id", xsd.string),
    ),
)
s.complex_type(
    Employee,
    "{urn:calc}Employee",
    (s.element("salary", "{urn:calc}salary", xsd.decimal, min_occurs=0),),
    base=Person,
)


@dataclass
class add:
    a: int
    b: int


@dataclass
class addResponse:
    result: int


@dataclass
class echoPerson:
    person: Person


@dataclass
class echoPersonResponse:
    person: Person


@dataclass
class AddFaultDetail:
    reason: str
    a: int


@dataclass
class Trace:
    id: str


s.complex_type(
    add,
    "{urn:calc}add",
    (s.element("a", "{urn:calc}a", xsd.int_), s.element("b", "{urn:calc}b", xsd.int_)),
)
s.complex_type(
    addResponse, "{urn:calc}addResponse", (s.element("result", "{urn:calc}result", xsd.int_),)
)
s.complex_type(
    echoPerson, "{urn:calc}echoPerson", (s.element("person", "{urn:calc}person", Person),)
)
s.complex_type(
    echoPersonResponse,
    "{urn:calc}echoPersonResponse",
    (s.element("person", "{urn:calc}person", Person),),
)
s.complex_type(
    AddFaultDetail,
    "{urn:calc}AddFaultDetail",
    (s.element("reason", "{urn:calc}reason", xsd.string), s.element("a", "{urn:calc}a", xsd.int_)),
)
s.complex_type(Trace, "{urn:calc}Trace", (s.element("id", "{urn:calc}id", xsd.string),))

add_el = s.element_decl("{urn:calc}add", add)
add_response_el = s.element_decl("{urn:calc}addResponse", addResponse)
echo_el = s.element_decl("{urn:calc}echoPerson", echoPerson)
echo_response_el = s.element_decl("{urn:calc}echoPersonResponse", echoPersonResponse)
add_fault_el = s.element_decl("{urn:calc}AddFaultDetail", AddFaultDetail)
trace_el = s.element_decl("{urn:calc}Trace", Trace)


class AddFault(Fault):
    detail: AddFaultDetail


def ops(version: str) -> dict[str, s.Operation]:
    sfx = "" if version == "1.1" else "12"
    return {
        "add": s.operation(
            "add",
            soap_version=version,
            action="urn:calc#add" + sfx,
            input=s.message(
                parts=(s.part("parameters", element=add_el),),
                wrapper=add_el,
                headers=(s.header_part("trace", trace_el),),
            ),
            output=s.message(
                parts=(s.part("parameters", element=add_response_el),),
                wrapper=add_response_el,
                headers=(s.header_part("trace", trace_el),),
            ),
            faults=(s.fault("AddFault", AddFault, add_fault_el),),
        ),
        "echo_person": s.operation(
            "echoPerson",
            soap_version=version,
            action="urn:calc#echoPerson" + sfx,
            input=s.message(parts=(s.part("parameters", element=echo_el),), wrapper=echo_el),
            output=s.message(
                parts=(s.part("parameters", element=echo_response_el),), wrapper=echo_response_el
            ),
        ),
        "mul": s.operation(
            "mul",
            soap_version=version,
            action="urn:calc#mul" + sfx,
            style="rpc",
            namespace=NS,
            input=s.message(parts=(s.part("a", type=xsd.int_), s.part("b", type=xsd.int_))),
            output=s.message(parts=(s.part("return", type=xsd.int_),)),
        ),
        "sum_all": s.operation(
            "sumAll",
            soap_version=version,
            action="urn:calc#sumAll" + sfx,
            style="rpc",
            use="encoded",
            namespace=NS,
            input=s.message(
                parts=(
                    s.part("values", type=s.soap_array(xsd.int_)),
                    s.part("owner", type=Person),
                )
            ),
            output=s.message(
                parts=(s.part("total", type=xsd.long), s.part("who", type=xsd.string))
            ),
        ),
    }


OPS11 = ops("1.1")
OPS12 = ops("1.2")


class CalculatorSoap(c.Client):
    def add(self, a: int, b: int, *, trace: Trace | None = None) -> int:
        return self._call(OPS11["add"], (a, b), {"trace": trace})

    def echo_person(self, person: Person) -> Person:
        return self._call(OPS11["echo_person"], (person,))

    def mul(self, a: int, b: int) -> int:
        return self._call(OPS11["mul"], (a, b))

    def sum_all(self, values: list[int], owner: Person) -> tuple[int, str]:
        return self._call(OPS11["sum_all"], (values, owner))


class CalculatorSoap12(c.Client):
    def add(self, a: int, b: int, *, trace: Trace | None = None) -> int:
        return self._call(OPS12["add"], (a, b), {"trace": trace})

    def echo_person(self, person: Person) -> Person:
        return self._call(OPS12["echo_person"], (person,))


class CalculatorSoapAsync(c.AsyncClient):
    async def add(self, a: int, b: int, *, trace: Trace | None = None) -> int:
        return await self._acall(OPS11["add"], (a, b), {"trace": trace})

    async def echo_person(self, person: Person) -> Person:
        return await self._acall(OPS11["echo_person"], (person,))


def _table(ops: dict[str, s.Operation]) -> dict[str, tuple[str, s.Operation]]:
    table: dict[str, tuple[str, s.Operation]] = {}
    for method, op in ops.items():
        table[op.action or ""] = (method, op)
        table[op.request_element] = (method, op)
    return table


WSDL = '<?xml version="1.0"?><definitions xmlns="http://schemas.xmlsoap.org/wsdl/" name="calc"/>'


class CalculatorService(srv.Service):
    _soap_ops = {**_table(OPS12), **_table(OPS11)}
    _wsdl = WSDL

    def add(self, a: int, b: int, trace: Trace | None = None) -> int:
        raise NotImplementedError

    def echo_person(self, person: Person) -> Person:
        raise NotImplementedError

    def mul(self, a: int, b: int) -> int:
        raise NotImplementedError

    def sum_all(self, values: list[int], owner: Person) -> tuple[int, str]:
        raise NotImplementedError


class Impl(CalculatorService):
    """The implementation the tests serve."""

    def add(self, a: int, b: int, trace: Trace | None = None) -> int:
        if a < 0:
            raise AddFault("negative", "Client", detail=AddFaultDetail("a must be >= 0", a))
        if a == 13:
            raise RuntimeError("secret internal detail")
        if trace is not None:
            srv.response_headers()["trace"] = Trace(trace.id + "-back")
        return a + b

    def echo_person(self, person: Person) -> Person:
        return person

    def mul(self, a: int, b: int) -> int:
        return a * b

    def sum_all(self, values: list[int], owner: Person) -> tuple[int, str]:
        return sum(values), owner.name
