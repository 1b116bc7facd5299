"""Declarations that other headers' authors write and that once came out wrong
(tests/cheader/shapes): two declarators of one anonymous struct, a pointer
typedef of a struct defined in place, a typedef under the struct's own name,
``const char *`` behind a typedef; and the options a build needs — -D and
-I/-L folders given relative to where idlgen runs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cbind_support import idlgen, load
from peers import need

SHAPES = Path(__file__).parent / "shapes"


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A project: src/ with the header and its library, gen/ for the bindings."""
    need(shutil.which("gcc") is not None, "gcc is needed (make deps)")
    root = tmp_path_factory.mktemp("shapes")
    (root / "src").mkdir()
    shutil.copy(SHAPES / "shapes.h", root / "src")
    shutil.copy(SHAPES / "shapes_part.h", root / "src")
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-Wall", "-Werror", "-DSHAPES_WIDTH=7",
         "-o", str(root / "src" / "libshapes.so"), str(SHAPES / "shapes.c"), f"-I{root / 'src'}"],
        check=True,
    )  # fmt: skip
    return root


@pytest.mark.parametrize("backend", ["cffi", "cffi-abi", "cython"])
def test_shapes_through_every_backend(work: Path, backend: str):
    name = "shapes_" + backend.replace("-", "_")
    build = () if backend == "cffi-abi" else ("--build",)
    # relative folders, from the project's root; the package goes to gen/
    flags = ["-I", "src", "-L", "src", "-l", "shapes", "-D", "SHAPES_WIDTH=7"]
    proc = idlgen("-q", "-b", backend, "src/shapes.h", *flags, "--name", name, "-o", "gen", *build,
                  cwd=work)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    env_path = os.environ.get("LD_LIBRARY_PATH")
    shapes = load(work / "gen", name)
    assert env_path == os.environ.get("LD_LIBRARY_PATH")  # found through -L, not the env
    assert shapes.sh_width() == 7
    assert shapes.SH_UNSIGNED_MAX == 2**64 - 1 == shapes.SH_UNSET
    assert shapes.sh_part(1) == 2 and shapes.SH_PART_VERSION == 3  # the umbrella's part
    assert shapes.sh_part_alias(2) == 3 and shapes.SH_HALF_INT_MAX == 2**30 - 1
    assert shapes.sh_part_pasted(3) == 4 and shapes.SH_PASTED_TEN == 10
    if backend == "cython":
        assert shapes.sh_length("héllo") == 6
        return
    ffi = shapes.ffi
    before = shapes.lib.sh_counter  # a global, through lib (one library: shared by the tests)
    assert shapes.sh_bump() == before + 1 == shapes.lib.sh_counter
    shapes.lib.sh_counter = 100
    assert shapes.sh_bump() == 101
    pair = ffi.new("sh_pair *", [5])
    assert shapes.sh_pair_get(pair) == 5  # sh_pairp and sh_pair * are one type
    assert shapes.sh_node_get(ffi.new("struct sh_node *", [6])) == 6
    any_ = ffi.new("union sh_any *")
    any_.list.value = 8
    assert shapes.sh_any_get(any_) == 8
    assert shapes.sh_length("héllo") == 6  # str through a typedef of const char *
    assert ffi.sizeof("struct sh_sized") == shapes.sh_sized_bytes()  # sizes computed as C does
