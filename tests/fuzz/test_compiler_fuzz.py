"""The compilers fed mutated input: a .x file and a C header with tokens inserted,
runs cut out and copied elsewhere. Each mutant either compiles or gives
diagnostics (CompileError) — never another exception — and a C mutant that
compiles has a cdef that cffi accepts.

The default run is bounded; `-m slow` runs the long one."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from cffi import FFI
from idlgen import driver
from idlgen.diagnostics import CompileError
from peers import need

HERE = Path(__file__).parents[1]
XDR_SOURCE = HERE / "unit" / "xdr" / "constructs.x"
C_SOURCE = HERE / "cheader" / "clib" / "ctest.h"

XDR_TOKENS = (
    "struct union switch case default void ; { } < > [ ] * = 0x - ( ) , : typedef enum const "
    "program version opaque string hyper unsigned 1 99999999999999999999 % #define /* */ \" ' "
    "bool TRUE quadruple x int"
).split()
C_TOKENS = [
    *"typedef struct union enum int char void unsigned const volatile".split(),
    *"( ) * [ ] { } ; , ...".split(),
    "#define Y (", "__attribute__((x))", "1 <<", "static inline", "_Bool", "long double",
    "sizeof(int)", "1.5", "x:3", "[2][3]", "(*f)(int)",
]  # fmt: skip


def mutate(text: str, tokens: list[str], rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        pos, op = rng.randrange(len(text)), rng.random()
        if op < 0.45:
            text = f"{text[:pos]}{rng.choice(tokens)} {text[pos:]}"
        elif op < 0.7:
            text = text[:pos] + text[pos + rng.randint(1, 20) :]
        else:
            start = rng.randrange(len(text))
            text = text[:pos] + text[start : start + rng.randint(1, 30)] + text[pos:]
    return text


def fuzz(source: Path, tokens: list[str], backend: str, runs: int, tmp: Path) -> int:
    """Compile ``runs`` mutants; returns how many compiled (the rest gave diagnostics)."""
    rng, good = random.Random(f"{source.name}-{runs}"), 0
    original = source.read_text()
    for i in range(runs):
        mutant = tmp / f"m{source.suffix}"
        mutant.write_text(mutate(original, tokens, rng))
        try:
            result = driver.compile_file(mutant, driver.Options(backend=backend))
        except CompileError:
            continue
        except Exception as exc:  # pragma: no cover - the failure this test exists for
            kept = tmp / f"crash{i}{source.suffix}"
            shutil.copy(mutant, kept)
            raise AssertionError(f"mutant {i} ({kept}) raised {exc!r}") from exc
        good += 1
        if backend == "cffi-abi":
            init = result.files["m_c/__init__.py"]
            FFI().cdef(init.split('ffi.cdef(r"""')[1].split('""")')[0])
    return good


def test_mutated_xdr_compiles_or_gives_diagnostics(tmp_path):
    assert fuzz(XDR_SOURCE, XDR_TOKENS, "xdr-python", 150, tmp_path) > 0


def test_mutated_c_header_compiles_or_gives_diagnostics(tmp_path):
    need(shutil.which("gcc") is not None, "gcc is needed (make deps)")
    assert fuzz(C_SOURCE, C_TOKENS, "cffi-abi", 40, tmp_path) > 0


@pytest.mark.slow
@pytest.mark.parametrize("runs", [3000])
def test_long_compiler_fuzz(tmp_path, runs):
    assert fuzz(XDR_SOURCE, XDR_TOKENS, "xdr-python", runs, tmp_path) > 0
    assert fuzz(C_SOURCE, C_TOKENS, "cffi-abi", runs // 5, tmp_path) > 0
