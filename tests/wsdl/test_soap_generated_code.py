"""The soap-python back-end on its hard cases (data/soap_edge.wsdl) and the quality of
what it writes: mypy --strict accepts the generated packages; names Python holds,
one name in two namespaces and text with quotes and backslashes come out safe; and
the edge service answers its generated client in process: bare document/literal
with two parts, one-way operations, rpc/literal with two outputs, a repeated choice,
xsd:any, simpleContent, lists, unions, extension and recursion."""

from __future__ import annotations

import decimal
import importlib
import os
import subprocess
import sys

import httpx
import pytest
from idlgen import driver
from idlgen.render import write_files
from lxml import etree
from wsdl_support import DATA, ROOT

SOURCES = {
    "soap_edge": DATA / "soap_edge.wsdl",
    "constructs": DATA / "constructs.wsdl",
    "calculator": ROOT / "examples" / "calculator" / "calculator.wsdl",
    "interop": ROOT / "tests" / "interop" / "soap" / "data" / "interop.wsdl",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("soapgen")
    for source in SOURCES.values():
        write_files(driver.compile_file(source, driver.Options()).files, out)
    return out


def test_mypy_strict_accepts_generated_packages(out):
    env = dict(os.environ, MYPYPATH=str(ROOT / "runtime"))
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    for pkg in SOURCES:
        args += ["-p", pkg]
    done = subprocess.run(args, cwd=out, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.fixture(scope="module")
def edge(out):
    for mod in [m for m in sys.modules if m.startswith("soap_edge")]:
        del sys.modules[mod]
    sys.path.insert(0, str(out))
    try:
        yield {m: importlib.import_module(f"soap_edge.{m}") for m in ("types", "client", "server")}
    finally:
        sys.path.remove(str(out))


def test_names_are_safe_and_follow_the_rule(edge):
    types = edge["types"]
    # the WSDL's own namespace keeps the plain name; the other one is prefixed
    assert types.Item.__dataclass_fields__.keys() >= {"class_", "import_", "self_", "def_"}
    assert "code" in types.OtherItem.__dataclass_fields__
    assert types.s.type_info(types.OtherItem).qname == "{urn:other:v2}Item"
    # Python's words get a trailing underscore, clashing ones a number
    assert {"value_with_dash", "value_with_dash_2", "field_", "type_"} <= set(
        types.Item.__dataclass_fields__
    )
    assert types.Field_.__dataclass_fields__.keys() == {"any_"}  # not dataclasses.Field
    import dataclasses

    assert types.Field is dataclasses.Field
    assert [m.value for m in types.Mode] == ["on", "off", "None", 'a"b', "1st", "name", ""]
    assert '"""' in types.Item.__doc__ and types.Item.__doc__.endswith("\\")
    client = edge["client"]
    assert {"close_", "ping", "bare"} <= set(vars(client.Def))
    assert client.Class.connect.__defaults__ == ('http://127.0.0.1:8000/"x',)


def test_edge_service_answers_in_process(edge):
    types, client, server = edge["types"], edge["client"], edge["server"]
    calls = []

    class Impl(server.Class):
        def bare(self, item, money):
            calls.append(("bare", item, money))
            other = etree.fromstring('<x:note xmlns:x="urn:notes">hi</x:note>')
            return types.Drawing(
                choice=[
                    ("circle", types.Circle(label="c", radius=1.5)),
                    ("square", types.Square(label="s", side=2.0)),
                ],
                any_=[other],
                mode=types.Mode.A_B,
                codes=[1, 2, 3],
                either=7,
                code="AB12",
            )

        def ping(self):
            calls.append(("ping",))

        def close_(self):
            calls.append(("close",))

        def divmod_(self, from_, by):
            return divmod(from_, by)

    def port(cls):
        app = server.Class.wsgi_app(Impl())
        return cls("http://edge.test/", transport=httpx.WSGITransport(app=app))

    leaf = types.Item(class_="leaf", def_=2)
    item = types.Item(
        class_="root",
        def_=1,
        type_="t",
        other=types.OtherItem(code="x"),
        children=[leaf, types.Item(class_="leaf2", def_=3, self_="me")],
        next_=leaf,
    )
    money = types.Money(value=decimal.Decimal("9.99"), currency="EUR")
    with port(client.Def) as c:
        drawing = c.bare(item=item, money=money)
        c.ping()
        c.close_()
    assert calls[0] == ("bare", item, money)
    assert [name for name, _ in drawing.choice] == ["circle", "square"]
    assert drawing.choice[0][1] == types.Circle(label="c", radius=1.5)
    assert drawing.mode is types.Mode.A_B and drawing.codes == [1, 2, 3]
    assert drawing.either == 7 and drawing.code == "AB12"
    assert [etree.QName(e).text for e in drawing.any_] == ["{urn:notes}note"]
    assert calls[1:] == [("ping",), ("close",)]
    with port(client.Rpc) as c:
        assert c.divmod_(from_=17, by=5) == (3, 2)
