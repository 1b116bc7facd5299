"""The OMG IDL front-end fed mutated input: constructs.idl with IDL tokens
inserted, runs cut out and copied elsewhere. Each mutant either checks clean
or gives diagnostics (CompileError), never another exception.

The default run is bounded; `-m slow` runs the long one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from idlgen import driver
from idlgen.diagnostics import CompileError
from idlgen.pipeline import Options, PreprocessOptions

HERE = Path(__file__).parent
SOURCE = HERE / "constructs.idl"
TOKENS = (
    "module interface valuetype struct union switch case default enum exception typedef const "
    "sequence string wstring fixed any Object ValueBase native oneway in out inout raises "
    "context readonly attribute getraises setraises factory supports truncatable custom "
    "abstract local public private typeid typeprefix ; { } < > [ ] ( ) , : :: = | ^ & << >> "
    "+ - * / % ~ 0x 1.5d 1e400 'a' L'b' \"s\" L\"w\" TRUE FALSE @key @range(min=0) "
    '#pragma\\ prefix\\ "p" #pragma\\ ID\\ X\\ "IDL:x:1.0" #pragma\\ version\\ X\\ 1.2 '
    "long short unsigned double char wchar boolean octet int8 _x Types::Node ::Consts::L"
).split()


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        pos, op = rng.randrange(len(text)), rng.random()
        if op < 0.45:
            token = rng.choice(TOKENS).replace("\\ ", " ")
            if token.startswith("#"):
                token = f"\n{token}\n"
            text = f"{text[:pos]} {token} {text[pos:]}"
        elif op < 0.8:
            text = text[:pos] + text[pos + rng.randint(1, 40) :]
        else:
            start = rng.randrange(len(text))
            text = text[:pos] + text[start : start + rng.randint(1, 60)] + text[pos:]
    return text


def run(tmp_path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    base = SOURCE.read_text()
    options = Options(preprocess=PreprocessOptions([str(HERE)]))
    for i in range(count):
        path = tmp_path / f"m{i}.idl"
        path.write_text(mutate(base, rng))
        try:
            driver.check(path, options)
        except CompileError as exc:
            assert exc.diagnostics, path.read_text()


def test_mutants_give_diagnostics_not_crashes(tmp_path: Path):
    run(tmp_path, 100, seed=9)


@pytest.mark.slow
def test_many_mutants(tmp_path: Path):
    run(tmp_path, 5000, seed=11)
