"""examples/build-consumer, built as its users build it: `python -m build` (an sdist and a
platform wheel from it), installed into a fresh virtual environment with only the
runtime beside it, its own tests run there; `pip install .`; `pip install -e .`, which
regenerates when an input changes. Everything comes from the session's wheelhouse."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from build_support import EXAMPLE, copy_example, make_venv, run


@pytest.fixture(scope="module")
def built(
    wheelhouse: Path, offline: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """The example's sdist and wheel, from `python -m build` (the wheel is built from the sdist)."""
    base = tmp_path_factory.mktemp("consumer")
    project = copy_example(base / "build-consumer")
    run([sys.executable, "-m", "build", "-o", str(base / "dist"), str(project)], env=offline)
    (sdist,) = (base / "dist").glob("*.tar.gz")
    (wheel,) = (base / "dist").glob("*.whl")
    return sdist, wheel


def test_the_sdist_carries_the_inputs_not_generated_code(built):
    sdist, _ = built
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"interfaces/kv.x", "interfaces/limits.x", "src/consumer/store.py"} <= names
    assert not [n for n in names if "/kv/" in n or "_zlib" in n]


def test_the_wheel_is_a_platform_wheel_with_the_generated_packages(built):
    _, wheel = built
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    assert wheel.name.endswith(f"-{platform}.whl"), wheel.name
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read("build_consumer-1.0.0.dist-info/METADATA").decode()
    assert {"consumer/__init__.py", "consumer/store.py", "consumer/kv/types.py"} <= names
    assert {"consumer/kv/client.py", "consumer/_zlib/__init__.py"} <= names
    assert [n for n in names if n.startswith("consumer/_zlib/__zlib") and n.endswith(".so")]
    assert not [n for n in names if n.endswith(("_build.py", ".c", ".o"))]
    requires = sorted(line for line in metadata.splitlines() if line.startswith("Requires-Dist"))
    assert requires == [
        "Requires-Dist: cffi>=1.17",
        "Requires-Dist: idlgen-runtime>=0.1.0,<0.2",
    ]


def test_installed_with_only_the_runtime_it_passes_its_own_tests(built, offline, tmp_path):
    _, wheel = built
    python = make_venv(tmp_path / "venv")
    run([str(python), "-m", "pip", "install", "-q", str(wheel), "pytest"], env=offline)
    listed = run([str(python), "-m", "pip", "list", "--format=freeze"], env=offline).stdout
    installed = {line.split("==")[0].lower() for line in listed.split()}
    assert "idlgen-runtime" in installed and "cffi" in installed
    assert not installed & {"idlgen", "lark", "jinja2", "black"}, installed
    tests = shutil.copytree(EXAMPLE / "tests", tmp_path / "tests")  # no src/ beside them
    pytest = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)]
    out = run(pytest, tests, env=offline)  # offline: PYTHONPATH is empty
    assert "6 passed" in out.stdout
    check = [str(python), "-c", "import importlib.util as u; print(u.find_spec('idlgen'))"]
    assert run(check, tests, env=offline).stdout.strip() == "None"  # no compiler anywhere


def test_pip_install_dot_then_editable_regenerating(wheelhouse, offline, tmp_path):
    project = copy_example(tmp_path / "build-consumer")
    python = make_venv(tmp_path / "venv")
    pip = [str(python), "-m", "pip", "install", "-q"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def py(code: str) -> subprocess.CompletedProcess[str]:
        args = [str(python), "-c", code]
        env = {**os.environ, **offline}
        return subprocess.run(args, cwd=elsewhere, env=env, capture_output=True, text=True)

    run([*pip, str(project)], env=offline)
    out = py("import consumer; print(consumer.unpack(consumer.pack('k', b'v' * 300))[0])")
    assert out.stdout.strip() == "k", out.stderr

    run([*pip, "-e", str(project)], env=offline)
    out = py("import consumer.kv.const as c; print(c.MAX_KEY)")
    assert out.stdout.strip() == "64", out.stderr
    limits = project / "interfaces" / "limits.x"
    limits.write_text(limits.read_text().replace("MAX_KEY = 64", "MAX_KEY = 32") + "const X = 7;\n")
    out = py("import consumer, consumer.kv.const as c; print(c.MAX_KEY, c.X)")
    assert out.stdout.strip() == "32 7", out.stderr  # regenerated on import
    assert py("import consumer.kv.const as c; print(c.X)").stdout.strip() == "7"

    (project / "interfaces" / "kv.x").write_text("struct broken {\n")
    out = py("import consumer")
    assert out.returncode == 1
    assert "regenerating after" in out.stderr and "interfaces/kv.x:1:16: error:" in out.stderr


def test_the_compiler_and_runtime_wheels_split_the_packages(wheelhouse):
    (compiler,) = wheelhouse.glob("idlgen-*.whl")
    (runtime,) = wheelhouse.glob("idlgen_runtime-*.whl")
    with zipfile.ZipFile(compiler) as zf:
        names = zf.namelist()
        entry_points = zf.read("idlgen-0.1.0.dist-info/entry_points.txt").decode()
        metadata = zf.read("idlgen-0.1.0.dist-info/METADATA").decode()
    assert not [n for n in names if n.startswith("idlgen_runtime/")]
    assert {"idlgen/grammars/xdr.lark", "idlgen/templates/xdr/package.py.j2"} <= set(names)
    assert "idlgen/project/hatch.py" in names
    assert "[hatch]\nidlgen = idlgen.project.hatch" in entry_points
    assert "Requires-Dist: idlgen-runtime==0.1.0" in metadata
    with zipfile.ZipFile(runtime) as zf:
        names = zf.namelist()
        metadata = zf.read("idlgen_runtime-0.1.0.dist-info/METADATA").decode()
    assert {"idlgen_runtime/py.typed", "idlgen_runtime/version.py"} <= set(names)
    assert "idlgen_runtime/oncrpc/rpcb/client.py" in names
    assert not [n for n in names if n.startswith("idlgen/")]
    requires = sorted(line for line in metadata.splitlines() if line.startswith("Requires-Dist"))
    assert requires == ["Requires-Dist: httpx>=0.27", "Requires-Dist: lxml>=5.2"]  # soap's only
