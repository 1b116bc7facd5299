"""Mutated responses never leak an untyped exception from the client side: a result, or
an error of the SoapError family (Fault, XmlError, XsdValueError, SchemaError)."""

from __future__ import annotations

import soap_calc as calc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from idlgen_runtime.soap import Fault, SoapError, envelope

ADA = calc.Person("Ada", 36, ["a@x"], calc.Address("S", "C", "Z"), id="p")
ADD11, ADD12 = calc.OPS11["add"], calc.OPS12["add"]
DETAIL = calc.AddFaultDetail("r", 1)
CASES = [
    (calc.OPS11["echo_person"], envelope.write_response(calc.OPS11["echo_person"], ADA)),
    (ADD12, envelope.write_response(ADD12, 7, {"trace": calc.Trace("t")})),
    (calc.OPS11["sum_all"], envelope.write_response(calc.OPS11["sum_all"], (5, "x"))),
    (ADD11, envelope.write_fault("1.1", calc.AddFault("no", "Client", detail=DETAIL), ADD11)),
    (ADD12, envelope.write_fault("1.2", calc.AddFault("no", "Sender", detail=DETAIL), ADD12)),
]


def read(op, data):
    try:
        return envelope.read_response(op, envelope.parse(data))
    except Fault:
        return None
    except SoapError:
        return None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=st.sampled_from(CASES),
    cuts=st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 30), st.binary(max_size=10)),
                  max_size=4),
)  # fmt: skip
def test_mutated_responses(case, cuts):
    op, seed = case
    data = bytearray(seed)
    for at, drop, insert in cuts:
        at %= len(data) + 1
        data[at : at + drop] = insert
    read(op, bytes(data))


@settings(max_examples=300, deadline=None)
@given(case=st.sampled_from(CASES), text=st.text(max_size=20), nth=st.integers(0, 30))
def test_any_text_anywhere(case, text, nth):
    op, seed = case
    parts = seed.split(b"><")
    i = nth % len(parts)
    parts[i] = parts[i] + b">" + text.encode("utf-8", "surrogatepass") + b"<"
    read(op, b"><".join(parts))


def test_the_unmutated_cases_read():
    assert read(*CASES[0])[0] == ADA
    assert read(*CASES[1]) == (7, {"trace": calc.Trace("t")})
