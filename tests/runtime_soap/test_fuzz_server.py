"""Mutated requests never break the dispatcher: every answer is a 200 or a SOAP fault
with HTTP 500 (Client/Sender for the sender's mistakes), never an exception."""

from __future__ import annotations

import soap_calc as calc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from idlgen_runtime.soap import envelope
from idlgen_runtime.soap import server as srv
from lxml import etree

DISPATCHER = srv.Dispatcher(calc.Impl(), calc.CalculatorService._soap_ops, calc.WSDL)
SEEDS = [
    envelope.write_request(calc.OPS11["echo_person"], (calc.Person("Ada", 3, ["a"], None),)),
    envelope.write_request(calc.OPS12["add"], (1, 2), {"trace": calc.Trace("t")}),
    envelope.write_request(calc.OPS11["sum_all"], ([1, 2], calc.Person("B", 1))),
    envelope.write_request(calc.OPS11["mul"], (3, 4)),
]


def answer_is_sound(body: bytes) -> None:
    resp = DISPATCHER.handle("POST", "", {"content-type": "text/xml"}, body)
    assert resp.status in (200, 500)
    root = etree.fromstring(resp.body)
    if resp.status == 500:
        fault = envelope.read_fault(envelope.VERSION_OF[etree.QName(root).namespace],
                                    root[-1][0])  # fmt: skip
        assert fault.code.rpartition("}")[2] in (
            "Client", "Sender", "Server", "Receiver", "MustUnderstand", "VersionMismatch"
        )  # fmt: skip
        assert "Traceback" not in fault.string


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    cuts=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 40), st.binary(max_size=12)),
                  max_size=4),
)  # fmt: skip
def test_mutated_requests(seed, cuts):
    data = bytearray(seed)
    for at, drop, insert in cuts:
        at %= len(data) + 1
        data[at : at + drop] = insert
    answer_is_sound(bytes(data))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=30))
def test_any_text_in_a_value(text):
    body = SEEDS[3].replace(b">3<", b">" + text.encode("utf-8", "surrogatepass") + b"<", 1)
    answer_is_sound(body)
