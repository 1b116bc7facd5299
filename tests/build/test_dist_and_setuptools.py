"""`idlgen FILE -o DIR --dist NAME` writes a project that builds; a setuptools project with
the documented two-line setup.py builds the same wheel as the hatchling hook."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from build_support import copy_example, run

NFS_LIKE = """\
/*
 * A small status protocol.
 *
 * Its stubs are published as their own wheel.
 */
struct status { int code; string text<64>; };
program STATUS_PROG { version STATUS_V1 { status GET(void) = 1; } = 1; } = 0x20000123;
"""


def idlgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "idlgen", *args], cwd=cwd, capture_output=True, text=True
    )


def wheel_of(project: Path, out: Path) -> Path:
    """``python -m build --wheel --no-isolation``: this environment's back-ends and idlgen."""
    run([sys.executable, "-m", "build", "-n", "-w", "-o", str(out), str(project)])
    (wheel,) = out.glob("*.whl")
    return wheel


def test_dist_project_of_xdr_stubs(tmp_path: Path):
    (tmp_path / "status.x").write_text(NFS_LIKE)
    dist = ["--dist", "status-stubs==2.1"]
    out = idlgen("-q", "status.x", "-o", "status-stubs", *dist, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    project = tmp_path / "status-stubs"
    pyproject = (project / "pyproject.toml").read_text()
    assert 'name = "status-stubs"' in pyproject and 'version = "2.1"' in pyproject
    assert 'dependencies = ["idlgen-runtime>=0.1.0,<0.2"]' in pyproject
    readme = (project / "README.md").read_text()
    assert "A small status protocol." in readme and "published as their own wheel" in readme
    wheel = wheel_of(project, tmp_path / "dist")
    assert wheel.name == "status_stubs-2.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        assert "status/client.py" in zf.namelist()
        metadata = zf.read("status_stubs-2.1.dist-info/METADATA").decode()
    assert "Requires-Dist: idlgen-runtime<0.2,>=0.1.0" in metadata or (
        "Requires-Dist: idlgen-runtime>=0.1.0,<0.2" in metadata
    )


def test_dist_project_of_a_compiled_binding(tmp_path: Path):
    out = idlgen(
        "-q",
        "-b",
        "cffi",
        "/usr/include/zlib.h",
        "-l",
        "z",
        "--symbols",
        "^crc32$",
        "--name",
        "zcrc",
        "-o",
        "zcrc",
        "--dist",
        "zcrc",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    setup = (tmp_path / "zcrc" / "setup.py").read_text()
    assert "cffi_modules=['zcrc/_build.py:ffibuilder']" in setup
    wheel = wheel_of(tmp_path / "zcrc", tmp_path / "dist")
    assert "-cp3" in wheel.name and "none-any" not in wheel.name
    with zipfile.ZipFile(wheel) as zf:
        assert [n for n in zf.namelist() if n.startswith("zcrc/_zcrc.") and n.endswith(".so")]


def test_dist_refuses_what_it_cannot_build(tmp_path: Path):
    (tmp_path / "a.x").write_text("const A = 1;\n")
    out = idlgen("-q", "a.x", "-o", "o", "--dist", "not a name", cwd=tmp_path)
    assert out.returncode == 2 and "is not a distribution name" in out.stderr
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mine"\n')
    out = idlgen("-q", "a.x", "--dist", "a-stubs", cwd=tmp_path)  # -o . is a project already
    assert out.returncode == 2 and "exists and was not written by idlgen" in out.stderr
    assert (tmp_path / "pyproject.toml").read_text() == '[project]\nname = "mine"\n'
    assert idlgen("-q", "a.x", "-o", "o", "--dist", "a-stubs", cwd=tmp_path).returncode == 0
    assert idlgen("-q", "a.x", "-o", "o", "--dist", "a-stubs==2", cwd=tmp_path).returncode == 0
    assert 'version = "2"' in (tmp_path / "o" / "pyproject.toml").read_text()


def as_setuptools(project: Path, dependencies: str) -> Path:
    text = (project / "pyproject.toml").read_text()
    text = text.replace('["hatchling", "idlgen"]', '["setuptools>=68", "idlgen"]')
    text = text.replace('"hatchling.build"', '"setuptools.build_meta"')
    text = text.replace("dependencies = []", f"dependencies = {dependencies}")
    (project / "pyproject.toml").write_text(text)
    (project / "setup.py").write_text(
        "from idlgen.project.setuptools import cmdclass\n"
        "from setuptools import setup\n\n"
        "setup(cmdclass=cmdclass())\n"
    )
    return project


def test_setuptools_builds_the_same_packages(tmp_path: Path):
    deps = '["idlgen-runtime>=0.1.0,<0.2", "cffi>=1.17"]'
    project = as_setuptools(copy_example(tmp_path / "consumer"), deps)
    run([sys.executable, "-m", "build", "-n", "-o", str(tmp_path / "dist"), str(project)])
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert "none-any" not in wheel.name  # the zlib binding is compiled
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert {"consumer/store.py", "consumer/kv/types.py", "consumer/_zlib/__init__.py"} <= names
    assert not [n for n in names if n.endswith(("_build.py", ".c", ".o"))]
    assert not [n for n in names if ".data/" in n]
    (sdist,) = (tmp_path / "dist").glob("*.tar.gz")
    import tarfile

    with tarfile.open(sdist) as tar:
        assert "build_consumer-1.0.0/interfaces/limits.x" in tar.getnames()


@pytest.mark.parametrize("deps", ['["cffi>=1.17"]'])
def test_setuptools_names_the_runtime_dependency_it_lacks(tmp_path: Path, deps: str):
    project = as_setuptools(copy_example(tmp_path / "consumer"), deps)
    out = subprocess.run(
        [sys.executable, "-m", "build", "-n", "-w", "-o", str(tmp_path / "dist"), str(project)],
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert 'the generated code needs "idlgen-runtime>=0.1.0,<0.2" in [project] dependencies' in (
        out.stdout + out.stderr
    )


def test_dist_project_of_a_cython_binding(tmp_path: Path):
    args = ["-q", "-b", "cython", "/usr/include/zlib.h", "-l", "z", "--symbols", "^crc32$"]
    out = idlgen(*args, "--name", "zcy", "-o", "zcy", "--dist", "zcy", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert '"cython>=3.0"' in (tmp_path / "zcy" / "pyproject.toml").read_text()
    wheel = wheel_of(tmp_path / "zcy", tmp_path / "dist")
    assert "none-any" not in wheel.name
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "zcy/_decls.pxd" in names and "zcy/__init__.pyi" in names
    assert [n for n in names if n.startswith("zcy/_zcy.") and n.endswith(".so")]
    assert not [n for n in names if n.endswith((".c", ".o"))]
