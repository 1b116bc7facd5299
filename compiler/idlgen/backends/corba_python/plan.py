"""What each generated ``x_idl`` module holds: one view per IDL declaration, in order.

The IR of a compilation holds the main file's declarations and every included
file's. Each file gets a module of its own (``CosNaming.idl`` →
``CosNaming_idl.py``), so that output compiled from different files into one
folder agrees on who defines what; a module imports the modules of the files
whose declarations it uses. Views carry every decision as text (names, hints,
TypeCode expressions); the templates in ``templates/corba/`` place them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from idlgen import ir
from idlgen.backends.corba_python import filters as f
from idlgen.backends.corba_python.typecodes import (
    TypeWriter,
    decl_flag,
    python_literal,
    repository_id,
)
from idlgen.naming.omgidl import (
    FlatNames,
    aio_name,
    descriptor_name,
    file_module,
    getter,
    package_path,
    py_name,
    setter,
    skeleton_name,
    tc_name,
)
from idlgen.passes.context import Context
from idlgen.render import split_call, string_literal

Path_ = tuple[str, ...]


@dataclass
class Item:
    """One piece of a generated module: the template that places it and its view."""

    template: str
    view: object


@dataclass
class Export:
    """A name a package re-exports from a file's module: ``flat as public``."""

    public: str
    flat: str


@dataclass
class FileView:
    """One generated ``x_idl`` module and what it gives each package."""

    module: str
    source: str
    items: list[Item] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)
    stdlib: set[str] = field(default_factory=set)
    #: Package path (``("M", "N")``, ``()`` for file scope) → names for M, M__POA, M__aio.
    exports: dict[Path_, tuple[list[Export], list[Export], list[Export]]] = field(
        default_factory=dict
    )

    def export(self, scope: Path_, which: int, public: str, flat: str) -> None:
        """Give package ``scope`` (0: stubs and types, 1: skeletons, 2: asyncio) a name."""
        self.exports.setdefault(scope, ([], [], []))[which].append(Export(public, flat))


class Planner:
    """Builds the :class:`FileView` of every file of one compilation."""

    def __init__(self, spec: ir.Spec, ctx: Context) -> None:
        self.spec = spec
        self.ctx = ctx
        self.decls: dict[Path_, ir.Decl] = {}
        self.file_of: dict[Path_, str] = {}
        self.modules: set[Path_] = set()
        self.order: dict[str, list[Path_]] = {}
        self._index(spec.decls, ())
        self.flat: dict[str, FlatNames] = {}
        for file, paths in self.order.items():
            names = FlatNames()
            names.plan(paths)
            self.flat[file] = names

    # -- indexing --------------------------------------------------------------

    def _index(self, decls: tuple[ir.Decl, ...], scope: Path_) -> None:
        for decl in decls:
            path = (*scope, decl.name)
            if isinstance(decl, ir.Module):
                self.modules.add(path)
                self._index(decl.decls, path)
                continue
            if isinstance(decl, ir.Forward):
                self.decls.setdefault(path, decl)
                continue
            self.decls[path] = decl
            self._name(path, decl.loc.file)
            if isinstance(decl, ir.Enum_):
                for member in decl.members:
                    self._name((*scope, member.name), decl.loc.file)
            if isinstance(decl, (ir.Interface, ir.ValueType)):
                self._index(decl.decls, path)

    def _name(self, path: Path_, file: str) -> None:
        self.file_of[path] = file
        self.order.setdefault(file, []).append(path)

    def files(self) -> list[str]:
        """The files with declarations, the main file first (even when it has none)."""
        rest = sorted(f for f in self.order if f != self.spec.file)
        return [self.spec.file, *rest]

    # -- one file --------------------------------------------------------------

    def plan_file(self, file: str) -> FileView:
        """The view of one file's module."""
        module = file_module(PurePath(file).stem)
        view = FileView(module, PurePath(file).name)
        self.view = view
        self.file = file
        self.types = TypeWriter(self.ctx, self.decls, self.ref)
        self.descriptors = FlatNames(frozenset(self.flat.get(file, FlatNames()).taken))
        self._plan(self.spec.decls, (), view)
        if self.types.uses_decimal:
            view.stdlib.add("decimal")
        view.imports.discard(module)
        return view

    def ref(self, path: Path_, tc: bool = False) -> str:
        """The expression that names ``path``'s class (or TypeCode) in the current module."""
        file = self.file_of[path]
        flat = self.flat[file][path]
        name = tc_name(flat) if tc else flat
        if file == self.file:
            return name
        other = file_module(PurePath(file).stem)
        self.view.imports.add(other)
        return f"{other}.{name}"

    def _plan(self, decls: tuple[ir.Decl, ...], scope: Path_, view: FileView) -> None:
        for decl in decls:
            path = (*scope, decl.name)
            if isinstance(decl, ir.Module):
                if self._has_file_decls(decl):
                    view.items.append(Item("module.py.j2", "::".join(path)))
                    view.exports.setdefault(path, ([], [], []))
                    self._plan(decl.decls, path, view)
                continue
            if decl.loc.file != self.file:
                continue
            if isinstance(decl, ir.Forward):
                self._plan_forward(decl, path, view)
                continue
            self._plan_decl(decl, path, scope, view)

    def _plan_forward(self, decl: ir.Forward, path: Path_, view: FileView) -> None:
        """An interface declared ahead of its definition here: its TypeCode, for uses between."""
        target = self.decls.get(path)
        if not isinstance(target, ir.Interface) or path in self.types.built:
            return
        if self.file_of.get(path) != self.file:
            return
        tc = self.types.decl_typecode(path, target)
        view.items.append(Item("tc.py.j2", _call_line(f"{tc_name(self.ref(path))} = ", tc)))
        self.types.built.add(path)

    def _has_file_decls(self, module: ir.Module) -> bool:
        for decl in module.decls:
            if isinstance(decl, ir.Module):
                if self._has_file_decls(decl):
                    return True
            elif decl.loc.file == self.file and not isinstance(decl, ir.Forward):
                return True
        return False

    def _plan_decl(self, decl: ir.Decl, path: Path_, scope: Path_, view: FileView) -> None:
        flat = self.flat[self.file][path]
        public = py_name(decl.name)
        in_class = scope in self.decls  # declared inside an interface or valuetype
        export_scope = scope
        if isinstance(decl, ir.Native):
            view.items.append(Item("native.py.j2", decl.name))
            return
        if isinstance(decl, ir.Interface):
            self._plan_interface(decl, path, flat, view)
            return
        if isinstance(decl, ir.Const):
            view.items.append(Item("const.py.j2", ConstView(flat, self._const(decl), decl.doc)))
        elif isinstance(decl, ir.Enum_):
            view.items.append(Item("enum.py.j2", self._enum(decl, path, scope, flat)))
            if not in_class:
                for member in decl.members:
                    m_flat = self.flat[self.file][(*scope, member.name)]
                    view.export(export_scope, 0, py_name(member.name), m_flat)
        elif isinstance(decl, ir.Struct):
            view.items.append(Item("struct.py.j2", self._struct(decl, path, flat)))
        elif isinstance(decl, ir.Exception_):
            view.items.append(Item("exception.py.j2", self._exception(decl, path, flat)))
        elif isinstance(decl, ir.Union_):
            view.items.append(Item("union.py.j2", self._union(decl, path, flat)))
        elif isinstance(decl, ir.Typedef):
            view.items.append(Item("typedef.py.j2", self._typedef(decl, path, flat)))
        elif isinstance(decl, ir.ValueType):
            for inner in decl.decls:
                self._plan_decl(inner, (*path, inner.name), path, view)
            view.items.append(Item("value.py.j2", self._value(decl, path, flat)))
        elif isinstance(decl, ir.ValueBox):
            boxed = self.types.typecode(decl.type)
            tc = f.call(
                0,
                f"{tc_name(flat)} = tc.value_box(",
                [self._rid(decl), _lit(decl.name), "None", boxed],
            )
            hint = f"{self.types.hint(decl.type)} | None"
            view.items.append(Item("valuebox.py.j2", BoxView(flat, decl, hint, tc)))
        else:
            return
        if in_class:
            return
        view.export(export_scope, 0, public, flat)
        if isinstance(decl, (ir.Struct, ir.Union_, ir.Enum_, ir.Typedef, ir.Exception_)):
            view.export(export_scope, 0, tc_name(public), tc_name(flat))
        elif isinstance(decl, (ir.Interface, ir.ValueType, ir.ValueBox)):
            view.export(export_scope, 0, tc_name(public), tc_name(flat))

    # -- declarations ----------------------------------------------------------

    def _const(self, decl: ir.Const) -> str:
        assert isinstance(decl.value, ir.Literal), decl.value
        value = decl.value.value
        target = self.ctx.decl_of(decl.type) if decl.type is not None else None
        if isinstance(target, ir.Enum_) and isinstance(value, int):
            assert decl.type is not None
            enum_path = self.ctx.resolve(decl.type)
            assert isinstance(enum_path, ir.Named) and isinstance(enum_path.name, ir.ScopedName)
            member = py_name(target.members[value].name)
            return f"{self.ref(enum_path.name.parts)}.{member}"
        if isinstance(value, Decimal):
            self.types.uses_decimal = True
        return python_literal(value)

    def _enum(self, decl: ir.Enum_, path: Path_, scope: Path_, flat: str) -> EnumView:
        members = [py_name(m.name) for m in decl.members]
        bindings = [(self.flat[self.file][(*scope, m.name)], py_name(m.name)) for m in decl.members]
        self.view.stdlib.add("enum")
        names = [string_literal(m.name) for m in decl.members]
        head = f"{tc_name(flat)} = tc.enum("
        fixed = [self._rid(decl), _lit(decl.name), flat]
        tc = f.nested_call(
            0, head, [*fixed, f.tuple_of(None, names)], [*fixed, f.tuple_of(4, names)]
        )
        return EnumView(flat, decl.doc, members, bindings, tc)

    def _members(self, fields: tuple[ir.Field, ...]) -> list[tuple[str, str, str]]:
        """(Python name, hint, TypeCode member entry) of each member, in IDL order."""
        return [
            (
                py_name(m.name),
                self.types.hint(m.type),
                f.call(8, "(", [_lit(m.name), self.types.typecode(m.type)]),
            )
            for m in fields
        ]

    def _struct(self, decl: ir.Struct, path: Path_, flat: str) -> StructView:
        self.view.stdlib.add("dataclasses")
        members = self._members(decl.fields)
        self.types.built.add(path)
        tc = f.exploded(
            0,
            f"{tc_name(flat)} = tc.struct(",
            [self._rid(decl), _lit(decl.name), flat, f.exploded(4, "(", [m[2] for m in members])],
        )
        return StructView(flat, decl.doc, repository_id(decl), members, tc)

    def _exception(self, decl: ir.Exception_, path: Path_, flat: str) -> StructView:
        members = self._members(decl.fields)
        self.types.built.add(path)
        tc = f.exploded(
            0,
            f"{tc_name(flat)} = tc.exception(",
            [self._rid(decl), _lit(decl.name), flat, f.exploded(4, "(", [m[2] for m in members])],
        )
        view = StructView(flat, decl.doc, repository_id(decl), members, tc)
        params = [f"{_arg(n)}: {h}" for n, h, _ in members]
        view.signature = f.call(4, "def __init__(", ["self", *params], ") -> None:")
        view.args = ", ".join(_arg(n) for n, _, _ in members)
        view.names = f.assign_tuple(4, "_NP_members", [_lit(n) for n, _, _ in members])
        return view

    def _label(self, label: ir.Expr, disc: ir.Type) -> str:
        assert isinstance(label, ir.Literal), label
        target = self.ctx.decl_of(disc)
        if isinstance(target, ir.Enum_) and isinstance(label.value, int):
            enum_type = self.ctx.resolve(disc)
            assert isinstance(enum_type, ir.Named) and isinstance(enum_type.name, ir.ScopedName)
            return f"{self.ref(enum_type.name.parts)}.{py_name(target.members[label.value].name)}"
        return python_literal(label.value)

    def _union(self, decl: ir.Union_, path: Path_, flat: str) -> UnionView:
        assert decl.discriminator is not None
        disc = decl.discriminator.type
        d_to_m: list[tuple[str, str]] = []
        m_to_d: dict[str, str] = {}
        cases: list[str] = []
        used: list[ir.Value] = []
        arms = [*decl.cases, *([decl.default] if decl.default is not None else [])]
        default_index = -1
        for case in arms:
            if case.field is None:
                continue
            member = py_name(case.field.name)
            tc = self.types.typecode(case.field.type)
            for label in case.labels:
                text = self._label(label, disc)
                assert isinstance(label, ir.Literal)
                used.append(label.value)
                d_to_m.append((text, _lit(member)))
                m_to_d.setdefault(member, text)
                cases.append(f.call(8, "(", [text, _lit(case.field.name), tc]))
            if case is decl.default:
                default_index = len(cases)
                cases.append(f.call(8, "(", ["None", _lit(case.field.name), tc]))
        def_m = (
            _lit(py_name(decl.default.field.name))
            if decl.default and decl.default.field
            else "None"
        )
        free = self._unused_label(disc, used)
        def_d = self._label(ir.Literal(free), disc) if free is not None else "None"
        if decl.default is not None and decl.default.field is not None:
            m_to_d.setdefault(py_name(decl.default.field.name), def_d)
        self.types.built.add(path)
        tc = f.exploded(
            0,
            f"{tc_name(flat)} = tc.union(",
            [
                self._rid(decl),
                _lit(decl.name),
                flat,
                self.types.typecode(disc),
                f.exploded(4, "(", cases),
                str(default_index),
            ],
        )
        d_map = f.exploded(4, "_d_to_m = {", [f"{d}: {m}" for d, m in d_to_m], "}")
        m_map = f.exploded(4, "_m_to_d = {", [f"{_lit(m)}: {d}" for m, d in m_to_d.items()], "}")
        return UnionView(flat, decl.doc, repository_id(decl), d_map, m_map, def_m, def_d, tc)

    def _unused_label(self, disc: ir.Type, used: list[ir.Value]) -> ir.Value | None:
        """A discriminator value no label names (for the default arm), if there is one."""
        resolved = self.ctx.resolve(disc)
        target = self.ctx.decl_of(disc)
        if isinstance(target, ir.Enum_):
            candidates: range | list[ir.Value] = range(len(target.members))
        elif isinstance(resolved, ir.Primitive) and resolved.kind == ir.Prim.BOOL:
            candidates = [False, True]
        elif isinstance(resolved, ir.Primitive) and resolved.kind in (ir.Prim.CHAR, ir.Prim.WCHAR):
            candidates = [chr(c) for c in range(256)]
        else:
            lo = (
                ir.INTEGER_RANGES.get(resolved.kind, (0, 0))[0]
                if isinstance(resolved, ir.Primitive)
                else 0
            )
            candidates = range(max(lo, 0) if lo >= 0 else 0, 1 << 16)
        taken = set(used)
        for value in candidates:
            if value not in taken:
                return value
        return None

    def _typedef(self, decl: ir.Typedef, path: Path_, flat: str) -> TypedefView:
        target = self.ctx.decl_of(decl.type)
        resolved = self.ctx.resolve(decl.type)
        classlike = (ir.Struct, ir.Union_, ir.Enum_, ir.Exception_, ir.Interface, ir.ValueType)
        tc = self.types.typecode(decl.type)
        alias: str | None = None
        if isinstance(target, classlike) and isinstance(resolved, ir.Named):
            assert isinstance(resolved.name, ir.ScopedName)
            parts = tuple(resolved.name.parts)
            # A typedef inside the interface (or valuetype) it names is written
            # before that class exists: it gets the string hint form instead.
            if path[: len(parts)] != parts:
                alias = self.ref(resolved.name.parts)
        hint = string_literal(self.types.hint(decl.type))
        if alias is None:
            self.view.stdlib.add("typing")
        tc_line = f.call(0, f"{tc_name(flat)} = tc.alias(", [self._rid(decl), _lit(decl.name), tc])
        return TypedefView(flat, decl.doc, alias, hint, tc_line)

    def _rid(self, decl: ir.Decl) -> str:
        return _lit(repository_id(decl))

    # -- interfaces ------------------------------------------------------------

    def _bases(self, decl: ir.Interface | ir.ValueType) -> list[Path_]:
        """Direct bases, less those another base already inherits (Python's MRO needs it)."""
        paths = list(dict.fromkeys(self._base_paths(decl)))
        ancestors = {a for p in paths for a in self._ancestors(p)[1:]}
        return [p for p in paths if p not in ancestors]

    def _base_paths(self, decl: ir.Interface | ir.ValueType) -> list[Path_]:
        """The declarations the bases name, through typedefs (``interface J : IAlias``)."""
        found = []
        for base in decl.bases:
            named = self.ctx.resolve(base)
            if isinstance(named, ir.Named) and isinstance(named.name, ir.ScopedName):
                found.append(named.name.parts)
        return found

    def _ancestors(self, path: Path_, depth: int = 0) -> list[Path_]:
        """``path`` and everything it inherits, depth first, each once."""
        decl = self.decls.get(path)
        found = [path]
        if depth > 64 or not isinstance(decl, (ir.Interface, ir.ValueType)):
            return found
        for base in self._base_paths(decl):
            for p in self._ancestors(base, depth + 1):
                if p not in found:
                    found.append(p)
        return found

    def _plan_interface(self, decl: ir.Interface, path: Path_, flat: str, view: FileView) -> None:
        for inner in decl.decls:
            self._plan_decl(inner, (*path, inner.name), path, view)
        nested = []
        for inner in decl.decls:
            inner_path = (*path, inner.name)
            if (
                isinstance(inner, (ir.Native, ir.Forward))
                or inner_path not in self.flat[self.file].by_path
            ):
                continue
            inner_flat = self.flat[self.file][inner_path]
            nested.append((py_name(inner.name), inner_flat))
            if isinstance(
                inner,
                (
                    ir.Struct,
                    ir.Union_,
                    ir.Enum_,
                    ir.Typedef,
                    ir.Exception_,
                    ir.ValueType,
                    ir.ValueBox,
                ),
            ):
                nested.append((tc_name(py_name(inner.name)), tc_name(inner_flat)))
            if isinstance(inner, ir.Enum_):
                for member in inner.members:
                    nested.append(
                        (py_name(member.name), self.flat[self.file][(*path, member.name)])
                    )
        bases = self._bases(decl)
        ids = [repository_id(self.decls[p]) for p in self._ancestors(path)[1:]]
        tc_line = ""  # already written at its forward declaration
        if path not in self.types.built:
            tc_line = _call_line(f"{tc_name(flat)} = ", self.types.decl_typecode(path, decl))
            self.types.built.add(path)  # operations below use _tc_<flat>
        ops = [self._operation(op, flat) for op in decl.operations]
        for attr in decl.attributes:
            ops.extend(self._attribute(attr, flat))
        local = decl.local
        iview = InterfaceView(
            flat=flat,
            doc=decl.doc,
            rid=repository_id(decl),
            tc=tc_line,
            stub_bases=", ".join(self.ref(b) for b in bases) or "CORBA.Object",
            poa=skeleton_name(flat),
            poa_bases=", ".join(self._skeleton_ref(b) for b in bases) or "PortableServer.Servant",
            aio=aio_name(flat),
            aio_package=".".join(package_path(path[:-1], "__aio")),
            aio_bases=", ".join(self._aio_ref(b) for b in bases) or "CORBA.Object",
            base_ids=f.assign_tuple(
                4, "_NP_BaseIds: typing.ClassVar[tuple[str, ...]]", [_lit(i) for i in ids]
            ),
            ops=ops,
            nested=nested,
            local=local,
        )
        view.items.append(Item("interface.py.j2", iview))
        scope = path[:-1]
        view.export(scope, 0, py_name(decl.name), flat)
        view.export(scope, 0, tc_name(py_name(decl.name)), tc_name(flat))
        if not local:
            view.export(scope, 1, py_name(decl.name), iview.poa)
            view.export(scope, 2, py_name(decl.name), iview.aio)

    def _skeleton_ref(self, path: Path_) -> str:
        stub = self.ref(path)
        head, _, tail = stub.rpartition(".")
        return f"{head}.{skeleton_name(tail)}" if head else skeleton_name(tail)

    def _aio_ref(self, path: Path_) -> str:
        stub = self.ref(path)
        head, _, tail = stub.rpartition(".")
        return f"{head}.{aio_name(tail)}" if head else aio_name(tail)

    def _signature(
        self, name: str, params: list[tuple[str, str]], results: list[str], kw: str = "def"
    ) -> str:
        items = ["self", *(f"{n}: {h}" for n, h in params)]
        return f.call(4, f"{kw} {name}(", items, f") -> {_returns(results)}:")

    def _operation(self, op: ir.Operation, flat: str) -> OpView:
        ins = [p for p in op.params if p.direction != ir.Direction.OUT]
        outs = [p for p in op.params if p.direction != ir.Direction.IN]
        params = [(_param_name(p.name), self.types.hint(p.type)) for p in ins]
        results = ([] if _is_void(op.result) else [self.types.hint(op.result)]) + [
            self.types.hint(p.type) for p in outs
        ]
        in_tcs = [self.types.typecode(p.type) for p in ins]
        out_tcs = ([] if _is_void(op.result) else [self.types.typecode(op.result)]) + [
            self.types.typecode(p.type) for p in outs
        ]
        raises = [self.types.typecode(r) for r in op.raises]
        return self._op_view(
            py_name(op.name),
            op.name,
            flat,
            params,
            results,
            in_tcs,
            out_tcs,
            raises,
            op.oneway,
            op.context,
            op.doc,
        )

    def _attribute(self, attr: ir.Attribute, flat: str) -> list[OpView]:
        hint = self.types.hint(attr.type)
        tc = self.types.typecode(attr.type)
        get = getter(attr.name)
        views = [
            self._op_view(
                getter(py_name(attr.name)),
                get,
                flat,
                [],
                [hint],
                [],
                [tc],
                [self.types.typecode(r) for r in attr.get_raises],
                False,
                (),
                attr.doc,
            )
        ]
        if not attr.readonly:
            views.append(
                self._op_view(
                    setter(py_name(attr.name)),
                    setter(attr.name),
                    flat,
                    [("value", hint)],
                    [],
                    [tc],
                    [],
                    [self.types.typecode(r) for r in attr.set_raises],
                    False,
                    (),
                    None,
                )
            )
        return views

    def _op_view(
        self,
        name: str,
        wire: str,
        flat: str,
        params: list[tuple[str, str]],
        results: list[str],
        in_tcs: list[str],
        out_tcs: list[str],
        raises: list[str],
        oneway: bool,
        contexts: tuple[str, ...],
        doc: str | None,
    ) -> OpView:
        desc = self.descriptors.claim(descriptor_name(flat, name))
        tuples = [("", in_tcs), ("", out_tcs)]
        if raises:
            tuples.append(("raises=", raises))
        if contexts:
            tuples.append(("contexts=", [_lit(c) for c in contexts]))
        inline = [p + f.tuple_of(None, items) for p, items in tuples]
        laid = [f.tuple_item(4, p, items) for p, items in tuples]
        if oneway:
            inline.insert(3 if raises else 2, "oneway=True")
            laid.insert(3 if raises else 2, "oneway=True")
        desc_line = f.nested_call(0, f"{desc} = tc.operation(", inline, laid)
        names = [n for n, _ in params]
        # An IDL context clause: the stub takes the context values as a last,
        # optional argument and passes them on after the parameters (servants
        # do not see them).
        client_params = [*params, *([_CONTEXT] if contexts else [])]
        if contexts:
            names.append(_CONTEXT[0])
        inline = [_lit(wire), desc, f.tuple_of(None, names)]
        laid = [_lit(wire), desc, f.tuple_item(12, "", names)]
        # A typed local for the result: the runtime's _invoke returns Any, and
        # ``return`` of an Any from a typed method is an error for mypy --strict.
        returns = _returns(results)
        target = "" if returns == "None" else f"result: {returns} = "
        after = "" if returns == "None" else "\n        return result"
        invoke = f.nested_call(8, f"{target}self._invoke(", inline, laid) + after
        ainvoke = f.nested_call(8, f"{target}await self._ainvoke(", inline, laid) + after
        return OpView(
            name=name,
            wire=_lit(wire),
            desc=desc,
            desc_line=desc_line,
            signature=self._signature(name, params, results),
            ssignature=self._signature(name, client_params, results),
            asignature=self._signature(name, client_params, results, "async def"),
            invoke=invoke,
            ainvoke=ainvoke,
            doc=doc,
        )

    # -- valuetypes ------------------------------------------------------------

    def _value(self, decl: ir.ValueType, path: Path_, flat: str) -> ValueView:
        bases = self._bases(decl)
        concrete = [
            b
            for b in bases
            if isinstance(self.decls.get(b), ir.ValueType)
            and not getattr(self.decls[b], "abstract", False)
        ]
        all_members: list[tuple[str, str]] = []
        for ancestor in reversed(self._ancestors(path)):
            value = self.decls.get(ancestor)
            if isinstance(value, ir.ValueType):
                all_members.extend(
                    (py_name(m.name), self.types.hint(m.type)) for m in value.members
                )
        own = [
            f.call(8, "(", [_lit(m.name), self.types.typecode(m.type), str(public)])
            for m, public in zip(decl.members, decl.public, strict=True)
        ]
        self.types.built.add(path)
        modifier = (
            "tc.VM_CUSTOM"
            if decl.custom
            else (
                "tc.VM_ABSTRACT"
                if decl.abstract
                else "tc.VM_TRUNCATABLE" if decl.truncatable else "tc.VM_NONE"
            )
        )
        base_tc = (
            self.types.decl_typecode(concrete[0], self.decls[concrete[0]]) if concrete else "None"
        )
        tc = f.exploded(
            0,
            f"{tc_name(flat)} = tc.value(",
            [self._rid(decl), _lit(decl.name), flat, modifier, base_tc, f.exploded(4, "(", own)],
        )
        ops = [self._operation(op, flat) for op in decl.operations]
        for attr in decl.attributes:
            ops.extend(self._attribute(attr, flat))
        value_bases = [self.ref(b) for b in bases if isinstance(self.decls.get(b), ir.ValueType)]
        init = (
            f.call(
                4,
                "def __init__(",
                ["self", *(f"{_arg(n)}: {h}" for n, h in all_members)],
                ") -> None:",
            )
            if all_members
            else ""
        )
        return ValueView(
            flat=flat,
            doc=decl.doc,
            rid=repository_id(decl),
            bases=", ".join(value_bases) or "mapping.Value",
            members=all_members,
            names=f.assign_tuple(
                4,
                "_NP_members: typing.ClassVar[tuple[str, ...]]",
                [_lit(n) for n, _ in all_members],
            ),
            init=init,
            assigns=[(n, _arg(n)) for n, _ in all_members],
            ops=ops,
            tc=tc,
        )


# -- views ---------------------------------------------------------------------


@dataclass
class ConstView:
    flat: str
    value: str
    doc: str | None


@dataclass
class EnumView:
    flat: str
    doc: str | None
    members: list[str]
    bindings: list[tuple[str, str]]
    tc: str


@dataclass
class StructView:
    flat: str
    doc: str | None
    rid: str
    members: list[tuple[str, str, str]]
    tc: str
    signature: str = ""
    names: str = ""
    #: The ``__init__`` parameters passed on (a member named ``self`` is ``self_``).
    args: str = ""


@dataclass
class UnionView:
    flat: str
    doc: str | None
    rid: str
    d_to_m: str
    m_to_d: str
    def_m: str
    def_d: str
    tc: str


@dataclass
class TypedefView:
    flat: str
    doc: str | None
    alias: str | None
    hint: str
    tc: str


@dataclass
class BoxView:
    flat: str
    decl: ir.ValueBox
    hint: str
    tc: str


@dataclass
class OpView:
    name: str
    wire: str
    desc: str
    desc_line: str
    #: The skeleton's signature; the stub's (``ssignature``, ``asignature``) may
    #: also take the IDL context values.
    signature: str
    ssignature: str
    asignature: str
    invoke: str
    ainvoke: str
    doc: str | None


@dataclass
class InterfaceView:
    flat: str
    doc: str | None
    rid: str
    tc: str
    stub_bases: str
    poa: str
    poa_bases: str
    aio: str
    #: The package that exports the asyncio stub (its ``__module__``: the runtime
    #: registers classes of ``__aio`` modules for the asyncio ORB).
    aio_package: str
    aio_bases: str
    base_ids: str
    ops: list[OpView]
    nested: list[tuple[str, str]]
    local: bool


@dataclass
class ValueView:
    flat: str
    doc: str | None
    rid: str
    bases: str
    members: list[tuple[str, str]]
    names: str
    init: str
    ops: list[OpView]
    tc: str
    #: (attribute, parameter) of each state member (a member named ``self`` is ``self_``).
    assigns: list[tuple[str, str]] = field(default_factory=list)


#: The stub parameter of an operation with an IDL ``context`` clause.
_CONTEXT = ("_ctx", "typing.Mapping[str, str] | None = None")


def _returns(results: list[str]) -> str:
    """The return hint of an operation: None, its one result, or a tuple of them."""
    if not results:
        return "None"
    return results[0] if len(results) == 1 else f"tuple[{', '.join(results)}]"


def _call_line(target: str, expr: str) -> str:
    """``target`` = a call expression (``tc.objref("IDL:...", "I")``) laid out as black does."""
    head, _, rest = expr.partition("(")
    return split_call(0, f"{target}{head}(", rest[:-1], ")")


def _lit(text: str) -> str:
    return string_literal(text)


def _is_void(t: ir.Type) -> bool:
    return isinstance(t, ir.Primitive) and t.kind == ir.Prim.VOID


def _param_name(name: str) -> str:
    return _arg(py_name(name))


def _arg(python_name: str) -> str:
    """A Python name as a method parameter: ``self`` is taken."""
    return python_name + "_" if python_name == "self" else python_name


__all__ = ["FileView", "Planner", "decl_flag"]
