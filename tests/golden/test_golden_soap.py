"""Golden files of the SOAP back-end (tests/golden/soap/<case>/, `make regen` rewrites
them): the output is exactly what is committed and exactly what black makes of it.
Each case is also imported from the committed files and exercised: its bindings,
clients and servers agree, and the calculator and constructs services answer
their generated clients in process (httpx's WSGI transport, no socket)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import black
import httpx
import pytest
from idlgen import driver

ROOT = Path(__file__).parent / "soap"
CASES = sorted(p for p in ROOT.iterdir() if (p / "SOURCE").exists())
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from regen_soap import source_of  # noqa: E402

MODE = black.Mode(target_versions={black.TargetVersion.PY310})


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_output_matches_golden(case: Path):
    files = driver.compile_file(source_of(case), driver.Options()).files
    expected = case / "expected"
    committed = {
        p.relative_to(expected).as_posix(): p.read_text(encoding="utf-8")
        for p in expected.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert sorted(files) == sorted(committed), "run `make regen` and review the diff"
    for rel, text in files.items():
        assert committed[rel] == text, f"{rel} differs from its golden: run `make regen`"
        if rel.endswith(".py"):
            assert black.format_str(text, mode=MODE) == text, f"{rel} is not black's layout"


def _load(case: Path):
    pkg = next(p.name for p in (case / "expected").iterdir() if p.is_dir())
    for mod in [m for m in sys.modules if m == pkg or m.startswith(pkg + ".")]:
        del sys.modules[mod]
    sys.path.insert(0, str(case / "expected"))
    try:
        modules = {"types": importlib.import_module(f"{pkg}.types")}
        for name in ("bindings", "client", "server"):
            if (case / "expected" / pkg / f"{name}.py").exists():
                modules[name] = importlib.import_module(f"{pkg}.{name}")
    finally:
        sys.path.remove(str(case / "expected"))
    return modules


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden_package_imports_and_agrees(case: Path):
    from idlgen_runtime.soap import schema as s

    m = _load(case)
    for obj in vars(m["types"]).values():
        if isinstance(obj, type) and hasattr(obj, "__dataclass_fields__"):
            assert s.type_info(obj).cls is obj  # every dataclass is described
    if "server" not in m:
        return
    ops = {
        (cls.__name__, name): op
        for cls in vars(m["bindings"]).values()
        if isinstance(cls, type)
        for name, op in vars(cls).items()
        if isinstance(op, s.Operation)
    }
    assert ops
    for cls in vars(m["server"]).values():
        if (
            isinstance(cls, type)
            and hasattr(cls, "_soap_ops")
            and cls.__module__.endswith("server")
        ):
            for key, (method, op) in cls._soap_ops.items():
                assert callable(getattr(cls, method)), (key, method)
                assert op in ops.values()
                assert key in (op.action, op.request_element) or key.endswith("#" + method)
    ports = [c for c in vars(m["client"]).values() if isinstance(c, type) and "_binding" in vars(c)]
    for binding, attr in ops:
        target = getattr(m["bindings"], binding)
        assert any(
            p._binding is target and callable(getattr(p, attr, None)) for p in ports
        ), f"no client calls {binding}.{attr}"


def _client(port_cls, service_cls, impl):
    app = service_cls.wsgi_app(impl)
    return port_cls("http://golden.test/", transport=httpx.WSGITransport(app=app))


def test_calculator_answers_in_process():
    m = _load(ROOT / "calculator")
    types, server, client = m["types"], m["server"], m["client"]

    class Impl(server.CalculatorService):
        def add(self, a, b):
            if a < 0:
                raise types.AddFaultError("negative", detail=types.AddFault(reason="neg", a=a, b=b))
            return a + b

        def echo_person(self, person):
            return person

    ada = types.Person(
        name="Ada", age=36, emails=["a@x"], address=types.Address(street="s", city="c")
    )
    for port in (client.CalculatorServiceSoap, client.CalculatorServiceSoap12):
        with _client(port, server.CalculatorService, Impl()) as c:
            assert c.add(a=2, b=3) == 5
            assert c.echo_person(person=ada) == ada
            with pytest.raises(types.AddFaultError) as info:
                c.add(a=-1, b=0)
            assert info.value.detail == types.AddFault(reason="neg", a=-1, b=0)


def test_constructs_answer_in_process():
    m = _load(ROOT / "constructs")
    types, server, client = m["types"], m["server"], m["client"]
    seen = {}

    class Impl(server.ConstructsService):
        def echo_person(self, person, session=None):
            seen["session"] = session
            return person

        def add(self, a, b):
            return a + b

        def store(self, people):
            seen["people"] = people

    ada = types.Person(name="Ada", age=36, emails=["a@x", "b@y"], id_="p1")
    with _client(client.People11, server.ConstructsService, Impl()) as c:  # doc/lit + header
        assert c.echo_person(person=ada, session="s-1") == ada
        assert seen["session"] == "s-1"
    with _client(client.People12, server.ConstructsService, Impl()) as c:  # SOAP 1.2 only
        assert c.echo_person(person=ada) == ada
    with _client(client.Calc, server.ConstructsService, Impl()) as c:  # rpc/literal, rpc/encoded
        assert c.add(a=40, b=2) == 42
        c.store(people=[ada, types.Person(name="Bob", id_="p2")])
        assert [p.name for p in seen["people"]] == ["Ada", "Bob"]


def test_calculator_asgi_app_answers_the_async_client():
    import asyncio

    m = _load(ROOT / "calculator")
    types, server, client = m["types"], m["server"], m["client"]

    class Impl(server.CalculatorService):
        def add(self, a, b):
            return a + b

        def echo_person(self, person):
            return person

    app = server.CalculatorService.asgi_app(Impl())
    ada = types.Person(name="Ada", age=36, emails=["a@x", "b@y"])

    async def calls():
        for port in (client.CalculatorServiceSoapAsync, client.CalculatorServiceSoap12Async):
            transport = httpx.ASGITransport(app=app)
            async with port("http://golden.test/", transport=transport) as c:
                assert await c.add(a=20, b=22) == 42
                assert await c.echo_person(person=ada) == ada

    asyncio.run(calls())
