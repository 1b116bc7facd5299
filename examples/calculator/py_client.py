"""The generated client calling the calculator service.

PYTHONPATH=gen python examples/calculator/py_client.py http://127.0.0.1:8000/
"""

from __future__ import annotations

import sys

from calculator import client, types  # type: ignore[import-not-found]


def main(url: str) -> None:
    """Call add and echo_person, and show the AddFault."""
    with client.CalculatorService.connect(url) as c:
        print("add(3, 4) =", c.add(a=3, b=4))
        ada = types.Person(
            name="Ada",
            age=36,
            emails=["ada@example.org"],
            address=types.Address(street="1 Loop", city="London"),
        )
        print("echo_person ->", c.echo_person(person=ada))
        try:
            c.add(a=2**31 - 1, b=1)
        except types.AddFaultError as fault:
            print("AddFault:", fault.detail)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/")
