"""`make demo`, the SOAP part: calculator.wsdl end to end.

1. idlgen compiles calculator.wsdl into a Python package (in a temporary gen/);
2. a server implementing the generated CalculatorService runs on 127.0.0.1
   (stdlib wsgiref, a free port, in this process's thread; stopped at the end);
3. the generated client calls it: add, echo_person (a Person with a list and a
   nested Address), the AddFault, over SOAP 1.1 and 1.2, sync and asyncio
   (the server is py_server.py's Calculator, and py_client.py runs too);
4. zeep, reading the served ``?wsdl``, calls the same server.

The exit status is 1 on any failure.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run the demo; 0 when every step worked."""
    with tempfile.TemporaryDirectory() as tmp:
        gen = Path(tmp) / "gen"
        subprocess.run(
            [sys.executable, "-m", "idlgen", str(HERE / "calculator.wsdl"), "-o", str(gen)],
            check=True,
        )
        sys.path.insert(0, str(gen))
        from calculator import client, types  # type: ignore[import-not-found]
        from idlgen_runtime.soap import server as srv
        from py_client import main as py_client  # type: ignore[import-not-found]
        from py_server import Calculator  # type: ignore[import-not-found]

        httpd = srv.serve_in_thread(Calculator(), port=0)
        url = f"http://127.0.0.1:{httpd.server_port}/"
        try:
            ada = types.Person(
                name="Ada",
                age=36,
                emails=["ada@example.org"],
                address=types.Address(street="1 Loop", city="London"),
            )
            with client.CalculatorService.connect(url) as c:
                assert c.add(a=3, b=4) == 7
                assert c.echo_person(person=ada) == ada
                try:
                    c.add(a=2**31 - 1, b=1)
                    raise AssertionError("no AddFault")
                except types.AddFaultError as fault:
                    assert fault.detail.reason == "overflow"
            print("generated client -> generated server (SOAP 1.1): add, echo_person, AddFault: ok")
            py_client(url)  # the example's own client script
            with client.CalculatorServiceSoap12(url) as c12:
                assert c12.add(a=40, b=2) == 42
            print("generated client -> generated server (SOAP 1.2): ok")

            async def twin() -> None:
                async with client.CalculatorService.aconnect(url) as ac:
                    assert await ac.add(a=1, b=2) == 3

            asyncio.run(twin())
            print("generated asyncio client -> generated server: ok")

            import zeep

            zs = zeep.Client(url + "?wsdl").create_service(
                "{urn:idlgen:calculator}CalculatorSoap", url
            )
            assert zs.add(a=5, b=6) == 11
            echoed = zs.echo_person(person={"name": "Bob", "age": 7, "emails": ["b@x", "c@y"]})
            assert echoed.name == "Bob" and echoed.emails == ["b@x", "c@y"]
            print("zeep -> generated server: add, echo_person: ok")
        finally:
            httpd.shutdown()
            httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
