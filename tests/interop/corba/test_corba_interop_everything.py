"""Every IDL type both ways against omniORB C++ (everything.idl), value for value.

Both sides build the same known values (KNOWN_* here, everything_known.h in
C++) and check what the other side sends: the Python client calls the C++
server's ``known_*`` (omniORB encodes, idlgen decodes) and ``check_*``
(idlgen encodes, omniORB decodes and compares); the C++ client does the same
against a Python servant. Exceptions raised on either side, oneway,
attributes, object references, ``any``, wstring, long double and fixed too.
"""

from __future__ import annotations

import subprocess
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from corba_peers import running
from idlgen_runtime.corba import CORBA

pytestmark = pytest.mark.interop


def known() -> dict[str, Any]:
    """The known values, built from the generated classes (imported late: see ``generated``)."""
    import Everything as E

    def inner(l: int) -> Any:  # noqa: E741
        return E.Inner(
            -12345, 54321, l, 4000000000, -9000000000000000000, 18000000000000000000,
            1.5, -2.25e300, 3.25, True, "Z", "€", 200,
        )  # fmt: skip

    outer = E.Outer(
        "hello, omniORB",
        "wide € é",
        inner(-2000000000),
        [inner(1), inner(7)],
        E.BLUE,
        [[1, 2, 3], [4, 5, 6]],
        bytes(i * 25 for i in range(10)),
        [0.5, -1e-300, 12345.678],
    )
    shapes = [E.Shape(radius=5), E.Shape(E.GREEN, outer), E.Shape(E.BLUE, outer)]
    nums = [E.Num(small=-1), E.Num(2, 2), E.Num(text="ten"), E.Num(99, 0.5)]
    return {"outer": outer, "shapes": shapes, "nums": nums}


@pytest.fixture(scope="module")
def cxx_tester(cxx, generated, client_orb, tmp_path_factory) -> Any:
    import Everything as E

    ior_file = Path(tmp_path_factory.mktemp("everything")) / "ior"
    with running([str(cxx["everything_server"]), str(ior_file)], ior_file) as ior:
        tester = client_orb.string_to_object(ior)._narrow(E.Tester)
        assert tester is not None
        yield tester


def test_values_from_cxx_decode_as_known(cxx_tester):
    k = known()
    assert cxx_tester.known_outer() == k["outer"]
    assert cxx_tester.known_shapes() == k["shapes"]
    assert cxx_tester.known_nums() == k["nums"]
    a = cxx_tester.known_any()
    assert a.typecode().id() == "IDL:Everything/Outer:1.0" and a.value() == k["outer"]


def test_values_from_python_decode_as_known_in_cxx(cxx_tester):
    import Everything as E

    k = known()
    assert cxx_tester.check_outer(k["outer"]) is True
    assert cxx_tester.check_shapes(k["shapes"]) is True
    assert cxx_tester.check_nums(k["nums"]) is True
    assert cxx_tester.check_any(CORBA.Any(E._tc_Outer, k["outer"])) is True
    wrong = known()["outer"]
    wrong.first.ull -= 1
    assert cxx_tester.check_outer(wrong) is False


def test_echoes_out_inout_and_scalars(cxx_tester):
    k = known()
    back, copy, counter = cxx_tester.echo_outer(k["outer"], 41)
    assert back == k["outer"] and copy == k["outer"] and counter == 42
    assert cxx_tester.echo_wstring("€x\u00e9\u4e2d𝄞") == "€x\u00e9\u4e2d𝄞"
    assert cxx_tester.echo_ld(-7.5) == -7.5
    assert cxx_tester.echo_fixed(Decimal("-42.125")) == Decimal("-42.125")


def test_exceptions_oneway_attributes_and_objrefs(cxx_tester):
    import Everything as E

    with pytest.raises(E.Failure) as caught:
        cxx_tester.fail(7)
    assert (caught.value.why, caught.value.code) == ("because", 7)
    cxx_tester.note("from Python")
    deadline = time.monotonic() + 10
    while cxx_tester.last_note() != "from Python" and time.monotonic() < deadline:
        time.sleep(0.01)  # oneway: no reply to wait for
    assert cxx_tester.last_note() == "from Python"
    cxx_tester._set_counter(5)
    assert cxx_tester._get_counter() == 5
    assert cxx_tester._get_name() == "omniORB C++"
    me = cxx_tester.myself()
    assert isinstance(me, E.Tester) and me._get_name() == "omniORB C++"


class _Tester:
    """The Python servant the C++ client checks (built on first use: the class needs
    the generated skeleton)."""

    @staticmethod
    def make() -> Any:
        import Everything as E
        import Everything__POA

        class Tester_i(Everything__POA.Tester):
            def __init__(self) -> None:
                self.k = known()
                self.counter = 0
                self.last = ""

            def known_outer(self) -> Any:
                return self.k["outer"]

            def check_outer(self, v: Any) -> bool:
                return bool(v == self.k["outer"])

            def known_shapes(self) -> Any:
                return self.k["shapes"]

            def check_shapes(self, v: Any) -> bool:
                return bool(v == self.k["shapes"])

            def known_nums(self) -> Any:
                return self.k["nums"]

            def check_nums(self, v: Any) -> bool:
                return bool(v == self.k["nums"])

            def known_any(self) -> Any:
                return CORBA.Any(E._tc_Outer, self.k["outer"])

            def check_any(self, v: Any) -> bool:
                return bool(v.value() == self.k["outer"])

            def echo_outer(self, v: Any, counter: int) -> tuple[Any, Any, int]:
                return v, v, counter + 1

            def echo_wstring(self, v: str) -> str:
                return v

            def echo_ld(self, v: float) -> float:
                return v

            def echo_fixed(self, v: Decimal) -> Decimal:
                return v

            def fail(self, code: int) -> None:
                raise E.Failure("because", code)

            def note(self, text: str) -> None:
                self.last = text

            def last_note(self) -> str:
                return self.last

            def myself(self) -> Any:
                return self._this()

            def _get_counter(self) -> int:
                return self.counter

            def _set_counter(self, value: int) -> None:
                self.counter = value

            def _get_name(self) -> str:
                return "idlgen Python"

        return Tester_i()


def test_cxx_client_against_python_server(cxx, generated, server_orb):
    poa = server_orb.resolve_initial_references("RootPOA")
    servant = _Tester.make()
    poa.activate_object(servant)
    ior = server_orb.object_to_string(poa.servant_to_reference(servant))
    done = subprocess.run(
        [str(cxx["everything_client"]), ior], capture_output=True, text=True, timeout=60
    )
    failed = [line for line in done.stdout.splitlines() if not line.startswith("ok ")]
    assert done.returncode == 0 and not failed, done.stdout + done.stderr
    assert done.stdout.count("ok ") == 17
