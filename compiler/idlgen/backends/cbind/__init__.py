"""C bindings back-ends: cffi API mode (compiled), cffi ABI mode (dlopen), Cython.

Each writes a package ``NAME/`` whose ``__init__`` is the Pythonic layer —
functions, ``IntEnum``s, ``#define`` constants, the raw ``ffi``/``lib`` — over
what cffi or Cython generate from the declarations, printed from the IR
(:mod:`.cdecl` for cffi's cdef, :mod:`.cython` for the ``.pxd``). Functions
are cffi's own objects (no Python wrapper in between), so the layer costs
nothing per call, except where it converts something: a function reading a
``const char *`` is wrapped to take ``str`` as UTF-8 (cffi takes only bytes), one
returning a ``const char *`` to give ``str``, as the Cython wrappers do.
Other buffers go through ``ffi.from_buffer``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from idlgen import ir
from idlgen.backends.cbind.cdecl import CPrinter
from idlgen.backends.cbind.filters import CFilters
from idlgen.diagnostics import CompileError, Diagnostic
from idlgen.naming.c import bound, enum_classes, module_enumerators, module_name
from idlgen.passes.context import Context
from idlgen.pipeline import Options, Result
from idlgen.render import format_python, render


def _unit(spec: ir.Spec) -> tuple[ir.Module, ir.c.Header]:
    module = spec.decls[0]
    assert isinstance(module, ir.Module)
    header = ir.annotation(module, ir.c.Header)
    assert header is not None
    return module, header


def _functions(module: ir.Module) -> ir.Interface:
    """The header's function set (empty when it declares no function or variable)."""
    for d in module.decls:
        if isinstance(d, ir.Interface):
            return d
    return ir.Interface(module.name, ())


def _defined_enumerators(kept: list[ir.Decl]) -> list[ir.Const]:
    """Enumerators that a ``#define`` of their name makes constants of the package too."""
    return [
        ir.Const(m.name, None, m.value, loc=m.loc)
        for d in kept
        if isinstance(d, ir.Enum_)
        for m in d.members
        if ir.annotation(m, ir.c.Defined) is not None and m.value is not None
    ]


def _context(
    spec: ir.Spec, ctx: Context, options: Options, source: Path, mode: str
) -> dict[str, object]:
    module, unit = _unit(spec)
    name = options.name or module_name(source.stem)
    interface = _functions(module)
    functions = [op for op in interface.operations if bound(op)]
    variables = [a for a in interface.attributes if bound(a)]
    if options.output_dir is not None:  # writing for real: the import would fail later
        check_found(options)
    exported = exported_symbols(options)
    if exported is not None:
        for op in [d for d in (*functions, *variables) if d.name not in exported]:
            kind = "function" if isinstance(op, ir.Operation) else "variable"
            ctx.reporter.warning(
                op.loc,
                f"{kind} '{op.name}' is declared but not in the library; not bound",
                "skipped",
                "are not in the library",
            )
        functions = [op for op in functions if op.name in exported]
        variables = [a for a in variables if a.name in exported]
    # what the library really has goes to the cdef (an Interface is C's function set)
    declared = replace(interface, operations=tuple(functions), attributes=tuple(variables))
    decls = [declared if d is interface else d for d in module.decls]
    cdef = CPrinter(ctx).cdef(decls)
    if mode == "abi":
        for op in [d for d in functions if ir.annotation(d, ir.c.ByValue) is not None]:
            what = ir.annotation(op, ir.c.ByValue)
            assert what is not None
            reason = f"passes {what.type or 'a union or bitfield struct'} by value"
            ctx.reporter.warning(
                op.loc,
                f"function '{op.name}' {reason}, which cffi's ABI mode cannot; not bound",
                "skipped",
                "pass a union, bitfield struct or complex by value (ABI mode cannot)",
            )
            functions.remove(op)
    kept = [d for d in module.decls if bound(d)]
    enums = enum_classes(module)
    consts = [
        d for d in kept if isinstance(d, ir.Const) and ir.annotation(d, ir.c.Alias) is None
    ] + _defined_enumerators(kept)
    aliases = [
        (d.name, alias.target)
        for d in kept
        if isinstance(d, ir.Const)
        and (alias := ir.annotation(d, ir.c.Alias)) is not None
        and any(f.name == alias.target for f in functions)
    ]
    taken = {d.name for d in (*functions, *variables, *consts)} | {a for a, _ in aliases}
    return {
        "pkg": name,
        "mode": mode,
        "source": source.name,
        "include": include_line(
            Path(spec.file).parent / unit.headers[0], options.preprocess.include_dirs
        ),
        # --include headers, which the C code must see first too
        "prelude": [
            (
                include_line(Path(h), options.preprocess.include_dirs)
                if Path(h).is_file()
                else f"#include <{h}>"
            )
            for h in options.c.pre_includes
        ],
        "cdef": cdef,
        "decls": decls,
        "functions": functions,
        # extern globals: module attributes read when asked (C may change them)
        "variables": variables,
        "enums": enums,
        # enumerators in the module's namespace too, as C has them
        "enumerators": module_enumerators(enums, taken),
        "consts": consts,
        # `#define mpz_add __gmpz_add`: other names of the functions still bound
        "aliases": aliases,
        "libraries": options.c.libraries,
        "library_dirs": [_rebased(d, options) for d in options.c.library_dirs],
        # the extension finds the library there at import time too: a relative folder
        # from the extension's own place ($ORIGIN is NAME/, the output folder is its parent)
        "runtime_library_dirs": [
            d if Path(d).is_absolute() else f"$ORIGIN/../{d}"
            for d in (_rebased(d, options) for d in options.c.library_dirs)
        ],
        "include_dirs": [_rebased(d, options) for d in options.preprocess.include_dirs],
        # -D reaches the C compiler of --build too (pcre2.h wants its code unit width)
        "define_macros": [
            (d.partition("=")[0], d.partition("=")[2] or None) for d in options.preprocess.defines
        ],
    }


def _rebased(folder: str, options: Options) -> str:
    """A -I/-L folder as the generated files see it: from the output folder.

    A relative one was given from where idlgen ran; the build script (and the
    ABI module's library lookup) start from the folder that holds the package.
    """
    if Path(folder).is_absolute() or options.output_dir is None:
        return folder
    return os.path.relpath(Path(folder).resolve(), options.output_dir.resolve())


def library_path(name: str, directories: list[str]) -> str | None:
    """``-l NAME`` as the linker finds it: the -L folders first, then the system's."""
    import ctypes.util

    for folder in map(Path, directories):
        for candidate in sorted(folder.glob(f"lib{name}.so*")):
            return str(candidate)
    return ctypes.util.find_library(name)


def _library_error(lib: str) -> CompileError:
    return CompileError(
        [Diagnostic(ir.Loc("idlgen", 0, 0), f"library '{lib}' not found (-l {lib})", "build")]
    )


def check_found(options: Options) -> None:
    """Every ``-l`` library can be found (the -L folders, then the system's), or an error.

    Checked when idlgen writes files, for every back-end: without it the ABI
    module's import, not idlgen, would say the library is missing.
    """
    for name in options.c.libraries:
        if library_path(name, options.c.library_dirs) is None:
            raise _library_error(name)


def check_cdef(cdef: str, pkg: str) -> None:
    """Have cffi read the cdef as idlgen wrote it, before idlgen reports success."""
    from cffi import FFI

    try:
        FFI().cdef(cdef)
    except Exception as exc:  # cffi.CDefError, cffi.FFIError, pycparser's ParseError
        raise CompileError(
            [
                Diagnostic(
                    ir.Loc(f"{pkg}/__init__.py", 0, 0),
                    f"cffi rejects the declarations idlgen wrote: {exc}",
                    "cdef",
                )
            ]
        ) from exc


def exported_symbols(options: Options) -> set[str] | None:
    """The functions the -l libraries export (None when no library can be opened).

    Headers declare functions that a build of the library leaves out (sqlite3's
    snapshot API); binding one would fail at import time, so they are skipped.
    """
    import ctypes

    if not options.c.libraries:
        return None
    handles = []
    for name in options.c.libraries:
        path = library_path(name, options.c.library_dirs)
        if path is None:
            return None
        try:
            handles.append(ctypes.CDLL(path))
        except OSError:
            return None

    class _Exports(set[str]):
        def __contains__(self, symbol: object) -> bool:
            return any(hasattr(h, str(symbol)) for h in handles)

    return _Exports()


def include_line(header: Path, include_dirs: list[str]) -> str:
    """``#include <zlib.h>`` when the header is on an include path, else by its path."""
    for base in (*map(Path, include_dirs), Path("/usr/local/include"), Path("/usr/include")):
        try:
            return f"#include <{header.resolve().relative_to(base.resolve()).as_posix()}>"
        except ValueError:
            continue
    return f'#include "{header.resolve().as_posix()}"'


def _package(
    pkg: str, ctx: Context, context: dict[str, object], stubs: dict[str, object]
) -> dict[str, str]:
    """The Pythonic layer every back-end writes: ``__init__.py`` and its ``.pyi``.

    ``package_<mode>.py.j2`` extends ``package_base.py.j2`` with what differs.
    """
    groups = _function_groups(ctx, context)
    filters = CFilters(ctx, cython=context["mode"] == "cython")
    callback_types = filters.callback_types(groups["text_functions"])
    named = [d.name for d in filters.face.named_callbacks(context["decls"])]  # type: ignore[arg-type]
    table = filters.table()
    variables: list[ir.Attribute] = context["variables"]  # type: ignore[assignment]
    # Cython's _variable converts in C; the cffi layer turns const char * into str
    text_variables = (
        []
        if context["mode"] == "cython"
        else [a.name for a in variables if filters.is_text(a.type)]
    )
    wrapped = groups["text_functions"]
    imports = {
        **context,
        "stdlib_imports": stdlib_imports(ctx, context, bool(callback_types)),
        "final": _final(context) or bool(callback_types),
        **groups,
        "text_variables": text_variables,
        "reads_text": any(filters.reads_text(op) for op in wrapped),
        "returns_text": bool(text_variables) or any(filters.returns_text(op) for op in wrapped),
        "callbacks": callback_types,
        "named_callbacks": named,
    }
    # callback() is there where C takes a function pointer (docs/c-headers.md)
    helper = bool(callback_types or named or context.get("signatures"))
    init = render("cffi", f"package_{context['mode']}.py.j2", table, **imports)
    return {
        f"{pkg}/__init__.py": format_python(init, "__init__.py"),
        f"{pkg}/__init__.pyi": render(
            "cffi", "stubs.pyi.j2", table, **stubs, final=_final(stubs), callback_helper=helper
        ),
    }


def _final(context: dict[str, object]) -> bool:
    """Whether any constant is a plain ``Final`` one (not an ``ffi.cast``)."""
    consts: list[ir.Const] = context["consts"]  # type: ignore[assignment]
    return any(ir.annotation(c, ir.c.Cast) is None for c in consts)


def _function_groups(ctx: Context, context: dict[str, object]) -> dict[str, list[ir.Operation]]:
    """The cffi layer's functions, in two groups.

    ``raw_functions`` (numbers and const buffers in, a number out) are
    re-exported from ``lib`` as they are; ``text_functions`` are wrapped to
    convert text, pointers, callbacks or varargs (:mod:`.face`). Cython's own
    wrappers do that, so its layer has neither.
    """
    functions: list[ir.Operation] = context["functions"]  # type: ignore[assignment]
    if context["mode"] == "cython":
        return {"raw_functions": [], "text_functions": []}
    wrapped = CFilters(ctx).wrapped
    return {
        "raw_functions": [op for op in functions if not wrapped(op)],
        "text_functions": [op for op in functions if wrapped(op)],
    }


def stdlib_imports(ctx: Context, context: dict[str, object], final: bool = False) -> list[str]:
    """The standard-library imports of ``__init__.py``, in isort's order: only those used.

    ``final``: a ``Final`` is used beyond the constants' (the callback types).
    """
    lines = ["import ctypes.util", "import os"] if context["mode"] == "abi" else []
    if context["enums"]:
        lines.append("from enum import IntEnum")
    typing = ["Any"] if context["mode"] != "cython" or context["variables"] else []
    typing += ["Final"] if final or _final(context) else []
    if typing:
        lines.append(f"from typing import {', '.join(typing)}")
    return lines


def _built(files: dict[str, str], pkg: str, options: Options) -> Result:
    after = (lambda out: build_extension(out, pkg, options)) if options.c.build else None
    return Result(files=files, after_write=after)


def generate_cffi(spec: ir.Spec, ctx: Context, options: Options, source: Path) -> Result:
    """Cffi API mode: ``NAME/_build.py`` compiles ``NAME/_NAME``; ``NAME/__init__`` wraps it."""
    context = _context(spec, ctx, options, source, "api")
    pkg = str(context["pkg"])
    check_cdef(str(context["cdef"]), pkg)
    build = render("cffi", "build.py.j2", CFilters(ctx).table(), **context)
    files = {
        **_package(pkg, ctx, context, context),
        f"{pkg}/_build.py": format_python(build, "_build.py"),
    }
    return _built(files, pkg, options)


def generate_cffi_abi(spec: ir.Spec, ctx: Context, options: Options, source: Path) -> Result:
    """Cffi ABI mode: ``NAME/__init__`` opens the library with ``ffi.dlopen`` (no compiler)."""
    context = _context(spec, ctx, options, source, "abi")
    check_cdef(str(context["cdef"]), str(context["pkg"]))
    return Result(files=_package(str(context["pkg"]), ctx, context, context))


def check_libraries(options: Options) -> None:
    """A library missing at --build time is a one-line error naming it."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        raise CompileError(
            [Diagnostic(ir.Loc("idlgen", 0, 0), "no C compiler found for --build", "build")]
        )
    with tempfile.TemporaryDirectory() as tmp:
        for lib in options.c.libraries:
            args = [
                compiler,
                "-shared",
                "-o",
                f"{tmp}/probe.so",
                *(f"-L{d}" for d in options.c.library_dirs),
                f"-l{lib}",
            ]
            if subprocess.run(args, capture_output=True, check=False).returncode != 0:
                raise _library_error(lib)


def _tree(folder: Path) -> set[Path]:
    return set(folder.rglob("*")) if folder.is_dir() else set()


def build_extension(out_dir: Path, pkg: str, options: Options) -> list[Path]:
    """Run ``NAME/_build.py`` so that ``import NAME`` works from ``out_dir``.

    Only the package stays, its extension inside: the compilers' leftovers (the
    generated ``.c``, ``.o`` files, Cython's ``build/``) are removed. Returns the
    files the build added (the extension).
    """
    check_libraries(options)
    package, temp = out_dir / pkg, out_dir / "build"
    before, temp_existed = _tree(package), temp.exists()
    try:
        _run_build(out_dir, pkg)
    finally:
        stale = {package / f"_{pkg}{suffix}" for suffix in (".c", ".o")}
        for left in sorted((_tree(package) - before) | (stale & before), reverse=True):
            if left.is_file() and not left.name.endswith((".so", ".pyd")):
                left.unlink()
            elif left.is_dir() and not any(left.iterdir()):
                left.rmdir()
        if not temp_existed and temp.is_dir():
            shutil.rmtree(temp)
    return sorted(p for p in _tree(package) - before if p.is_file())


def _run_build(out_dir: Path, pkg: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(Path(pkg) / "_build.py")],
        cwd=out_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        output = (proc.stderr + proc.stdout).strip().splitlines()
        # the C compiler's own errors say what went wrong; a Python traceback's end does not
        tail = [line for line in output if ": error:" in line or "fatal error" in line][:3]
        tail = tail or output[-3:]
        raise CompileError(
            [
                Diagnostic(
                    ir.Loc(f"{pkg}/_build.py", 0, 0),
                    "building the extension failed: " + " | ".join(tail),
                    "build",
                )
            ]
        )


def generate_cython(spec: ir.Spec, ctx: Context, options: Options, source: Path) -> Result:
    """Cython: ``NAME/_decls.pxd``, ``NAME/_NAME.pyx`` wrappers, ``NAME/_build.py``."""
    from idlgen.backends.cbind.cython import CythonPrinter
    from idlgen.backends.cbind.cython_layer import CythonLayer

    context = _context(spec, ctx, options, source, "cython")
    pkg = str(context["pkg"])
    functions: list[ir.Operation] = context["functions"]  # type: ignore[assignment]
    variables: list[ir.Attribute] = context["variables"]  # type: ignore[assignment]
    decls: list[ir.Decl] = context["decls"]  # type: ignore[assignment]
    tags = {d.name for d in decls if isinstance(d, (ir.Struct, ir.Union_, ir.Enum_, ir.Forward))}
    printer = CythonPrinter(
        ctx, renamed=frozenset(tags & {d.name for d in (*functions, *variables)})
    )
    include = str(context["include"]).removeprefix("#include ").strip('<>"')
    table = CFilters(ctx).table()
    consts: list[ir.Const] = context["consts"]  # type: ignore[assignment]
    cython = {
        **context,
        "header": include,
        "lines": printer.pxd_lines(decls) + printer.macro_lines(consts),
    }
    cython["consts"] = [c for c in consts if ir.annotation(c, ir.c.Cast) is None]
    for owner, member, loc in printer.skipped:
        ctx.reporter.warning(
            loc,
            f"member '{member}' of '{owner}' has an unnamed type Cython cannot declare; "
            "left out of the .pxd",
            "skipped",
            "is a member of an unnamed type (not in the .pxd)"
            "|are members of unnamed types (not in the .pxd)",
        )
    layer = CythonLayer(printer)
    readable = layer.variables(variables)
    for var in variables:
        if var.name not in {name for name, _, _ in readable}:
            ctx.reporter.warning(
                var.loc,
                f"variable '{var.name}' has a type the Cython module's Python layer cannot "
                "hold; reachable from Cython code (_decls.pxd) only",
                "skipped",
                "is a variable the Cython layer cannot hold (the .pxd has it)"
                "|are variables the Cython layer cannot hold (the .pxd has them)",
            )
    cython["readable"] = readable
    cython["variables"] = [v for v in variables if v.name in {name for name, _, _ in readable}]
    plan = layer.plan(functions, decls)
    for op in plan.skipped:
        ctx.reporter.warning(
            op.loc,
            f"function '{op.name}' passes a struct, a union or a long double by value (or "
            "takes a callback that does), which the Cython module's Python layer cannot; "
            "reachable from Cython code (_decls.pxd) only",
            "skipped",
            "passes a struct, union or long double by value (the .pxd has it)"
            "|pass structs, unions or long doubles by value (the .pxd has them)",
        )
    cython.update(
        wrappers=plan.wrappers,
        signatures=plan.signatures,
        named_callbacks=plan.named,
        scalars=plan.scalars,
        pointers=plan.pointers,
        records=plan.records,
        casts=[c for c in consts if ir.annotation(c, ir.c.Cast) is not None],
    )
    wrapped = {w.name for w in plan.wrappers}
    aliases: list[tuple[str, str]] = context["aliases"]  # type: ignore[assignment]
    cython["aliases"] = [(a, t) for a, t in aliases if t in wrapped]
    stubs = {**cython, "functions": [f for f in functions if f.name in wrapped]}
    # the stubs' hints: as the cffi layer's (str for const char *)
    files = {
        **_package(pkg, ctx, cython, stubs),
        f"{pkg}/_decls.pxd": render("cython", "decls.pxd.j2", table, **cython),
        f"{pkg}/_{pkg}.pyx": render("cython", "module.pyx.j2", table, **cython),
        f"{pkg}/_build.py": format_python(
            render("cython", "build.py.j2", table, **cython), "_build.py"
        ),
        # the cimport path: where the .pxd is, what compiling against it needs
        f"{pkg}/build_info.py": format_python(
            render("cython", "build_info.py.j2", table, **cython), "build_info.py"
        ),
    }
    return _built(files, pkg, options)
