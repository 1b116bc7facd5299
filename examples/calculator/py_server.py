"""The calculator service, implemented on the generated server base.

idlgen examples/calculator/calculator.wsdl -o gen/
PYTHONPATH=gen python examples/calculator/py_server.py 8000
"""

from __future__ import annotations

import sys

from calculator import server, types  # type: ignore[import-not-found]
from idlgen_runtime.soap import server as srv


class Calculator(server.CalculatorService):  # type: ignore[misc]
    """add and echo_person; an int32 overflow is the WSDL's AddFault."""

    def add(self, a: int, b: int) -> int:
        if not -(2**31) <= a + b < 2**31:
            detail = types.AddFault(reason="overflow", a=a, b=b)
            raise types.AddFaultError("overflow", "Client", detail=detail)
        return a + b

    def echo_person(self, person: types.Person) -> types.Person:
        return person


if __name__ == "__main__":
    srv.serve(Calculator(), port=int(sys.argv[1]) if len(sys.argv) > 1 else 8000)
