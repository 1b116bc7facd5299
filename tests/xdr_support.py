"""Test support for the XDR back-end: compile a .x into a temporary package and
build sample values of any of its types from the checked IR."""

from __future__ import annotations

import importlib
import random
import sys
from pathlib import Path
from types import ModuleType

from idlgen import driver, ir
from idlgen.naming.xdr import member_name, type_name
from idlgen.passes.context import Context
from idlgen.render import write_files


def compile_package(
    source: Path, out_dir: Path, name: str | None = None
) -> tuple[ModuleType, ir.Spec, Context]:
    """Compile ``source`` into ``out_dir`` and import the package (fresh)."""
    options = driver.Options(name=name)
    result = driver.compile_file(source, options)
    write_files(result.files, out_dir)
    spec, ctx, _ = driver.check(source, options)
    pkg = name or next(iter(result.files)).split("/")[0]
    for mod in [m for m in sys.modules if m == pkg or m.startswith(pkg + ".")]:
        del sys.modules[mod]
    sys.path.insert(0, str(out_dir))
    try:
        module = importlib.import_module(pkg)
        importlib.import_module(pkg + ".types")
    finally:
        sys.path.remove(str(out_dir))
    return module, spec, ctx


class Samples:
    """Random but valid values of the types of one compiled Spec."""

    def __init__(self, types: ModuleType, ctx: Context, seed: int = 0, max_len: int = 3) -> None:
        self.types = types
        self.ctx = ctx
        self.rng = random.Random(seed)
        self.max_len = max_len

    def of_decl(self, name: str, depth: int = 0) -> object:
        decl = self.ctx.symbols.get(ir.Space.ORDINARY, ir.name(name))
        cls = getattr(self.types, type_name(name))
        if isinstance(decl, ir.Enum_):
            return cls(self.rng.choice([m.value.value for m in decl.members]))  # type: ignore[union-attr]
        if isinstance(decl, ir.Typedef):
            return self.of(decl.type, depth)
        if isinstance(decl, ir.Struct):
            return cls(*(self.of(f.type, depth + 1) for f in decl.fields))
        assert isinstance(decl, ir.Union_) and decl.discriminator is not None
        arms = [(label.value, c.field) for c in decl.cases for label in c.labels]  # type: ignore[union-attr]
        disc_decl = self.ctx.decl_of(decl.discriminator.type)
        if decl.default is not None:
            taken = {v for v, _ in arms}
            if isinstance(disc_decl, ir.Enum_):
                free = [m.value.value for m in disc_decl.members if m.value.value not in taken]  # type: ignore[union-attr]
            else:
                free = [v for v in (7777, 0, 1) if v not in taken]
            if free:
                arms.append((free[0], decl.default.field))
        value, field = self.rng.choice(arms)
        disc = (
            getattr(self.types, type_name(disc_decl.name))(value)
            if isinstance(disc_decl, ir.Enum_)
            else value
        )
        resolved = self.ctx.resolve(decl.discriminator.type)
        if isinstance(resolved, ir.Primitive) and resolved.kind is ir.Prim.BOOL:
            disc = bool(value)
        if field is None:
            return cls(disc)
        return cls(disc, **{member_name(field.name): self.of(field.type, depth + 1)})

    def of(self, t: ir.Type, depth: int = 0) -> object:
        rng = self.rng
        r = self.ctx.resolve(t)
        if isinstance(r, ir.Primitive):
            k = r.kind
            if k is ir.Prim.BOOL:
                return rng.random() < 0.5
            if k in (ir.Prim.FLOAT32,):
                return float(rng.randint(-1000, 1000)) / 4
            if k in (ir.Prim.FLOAT64, ir.Prim.FLOAT128):
                return rng.uniform(-1e6, 1e6)
            low, high = ir.INTEGER_RANGES[k]
            return rng.choice([low, high, 0, rng.randint(low, high)])
        if isinstance(r, ir.String):
            n = min(_bound(r.bound), rng.randint(0, 8))
            alphabet = "abcxyz_" if r.bound is not None else "abcxyz_é\udcff"
            return "".join(rng.choice(alphabet) for _ in range(n))
        if isinstance(r, ir.Opaque):
            n = _bound(r.bound) if r.fixed else min(_bound(r.bound), rng.randint(0, 9))
            return bytes(rng.randrange(256) for _ in range(n))
        if isinstance(r, ir.Array):
            return [self.of(r.elem, depth + 1) for _ in range(_bound(r.dims[0]))]
        if isinstance(r, ir.Sequence):
            n = 0 if depth > 6 else min(_bound(r.bound), rng.randint(0, self.max_len))
            return [self.of(r.elem, depth + 1) for _ in range(n)]
        if isinstance(r, ir.Optional):
            if depth > 6 or rng.random() < 0.4:
                return None
            return self.of(r.elem, depth + 1)
        assert isinstance(r, ir.Named)
        return self.of_decl(str(r.name), depth)


def _bound(e: ir.Expr | None) -> int:
    return 0xFFFFFFFF if e is None else int(e.value)  # type: ignore[union-attr,arg-type]
