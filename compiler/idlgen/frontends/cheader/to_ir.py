"""pycparser's declarations as IR: types, bodies written in place, fields, enums, sizes.

A function becomes an Operation and an extern variable an Attribute (the
caller puts both in the header's Interface); a struct, union or enum body
becomes its own declaration in the tag space, marked
:class:`~idlgen.ir.Hoisted` when C writes it inside another one, once however
many declarators share it.
"""

from __future__ import annotations

import copy

from pycparser import c_ast, c_generator

from idlgen import ir
from idlgen.diagnostics import Reporter
from idlgen.frontends.cheader.c_nodes import body_path, loc
from idlgen.frontends.cheader.c_types import PRIMS, primitive_spelling
from idlgen.frontends.cheader.foldable import foldable
from idlgen.frontends.cheader.macros import NotConstant, evaluate


class ToIR:
    """Turns external declarations into IR, in source order (bodies are numbered as met)."""

    def __init__(self, report: Reporter) -> None:
        self.report = report
        self.generator = c_generator.CGenerator()
        #: Struct/union/enum bodies already in the IR: id → the use that names them.
        self._bodies: dict[int, ir.Named] = {}
        self._anonymous: dict[str, int] = {}
        #: The values of the enumerators in the IR so far (a value or size may name one).
        self.enumerators: dict[str, int] = {}

    def declaration(self, ext: c_ast.Node, bound: bool) -> list[ir.Decl]:
        """One external declaration as IR: what it defines in place comes first."""
        out: list[ir.Decl] = []
        ann: tuple[object, ...] = (ir.c.Bound(bound),)
        where = loc(ext)
        if isinstance(ext, c_ast.Decl) and isinstance(ext.type, c_ast.FuncDecl):
            result = self.ir_type(ext.type.type, str(ext.name), out, bound)
            params, varargs = self._params(ext.type, str(ext.name), out, bound)
            op = ir.Operation(
                str(ext.name), params, result, annotations=ann, varargs=varargs, loc=where
            )
            return [*out, op]
        if isinstance(ext, c_ast.Typedef):
            path, body = body_path(ext)
            if body is not None and id(body) not in self._bodies and path and body.name:
                # `typedef struct S {...} *SP;`: struct S on its own, then the typedef
                self._body(body, None, out, bound)
            t = self.ir_type(ext.type, str(ext.name), out, bound)
            known = self._bodies.get(id(body)) if body is not None else None
            if (
                known is not None
                and known.space is ir.Space.TAG
                and body is not None
                and not body.name
            ):
                # `typedef struct {...} T, *TP;`: TP names the struct by T
                self._bodies[id(body)] = ir.Named(ir.name(str(ext.name)), loc=where)
            return [*out, ir.Typedef(str(ext.name), t, annotations=ann, loc=where)]
        if isinstance(ext, c_ast.Decl) and ext.name and "extern" in ext.storage:
            t = self.ir_type(ext.type, str(ext.name), out, bound)
            readonly = isinstance(t, ir.Qualified) and "const" in t.quals
            return [*out, ir.Attribute(ext.name, t, readonly, annotations=ann, loc=where)]
        if isinstance(ext, c_ast.Decl) and isinstance(
            ext.type, (c_ast.Struct, c_ast.Union, c_ast.Enum)
        ):
            t = ext.type
            if (t.values if isinstance(t, c_ast.Enum) else t.decls) is None:
                kind = type(t).__name__.lower()
                return [
                    ir.Forward(str(t.name), kind, annotations=ann, space=ir.Space.TAG, loc=where)
                ]
            self._body(t, None, out, bound)
        return out

    def _params(
        self, func: c_ast.FuncDecl, owner: str, out: list[ir.Decl], bound: bool
    ) -> tuple[tuple[ir.Param, ...], bool]:
        params = []
        varargs = False
        for p in func.args.params if func.args else []:
            if isinstance(p, c_ast.EllipsisParam):
                varargs = True
                continue
            if isinstance(p, c_ast.ID):
                continue  # reported by checks.check_declaration
            declared = p.type
            if isinstance(declared, c_ast.ArrayDecl) and not isinstance(
                declared.dim, (c_ast.Constant, type(None))
            ):
                # `regmatch_t pmatch[nmatch]` (regex.h): a parameter's array is a
                # pointer, whatever its size says; `pmatch[]` keeps its spelling
                declared = copy.copy(declared)
                declared.dim = None
            t = self.ir_type(declared, owner, out, bound)
            if isinstance(t, ir.Primitive) and t.kind is ir.Prim.VOID:
                continue  # `f(void)`
            params.append(ir.Param(p.name or "", t, loc=loc(p)))
        return tuple(params), varargs

    def ir_type(self, t: c_ast.Node, owner: str, out: list[ir.Decl], bound: bool) -> ir.Type:
        """A C type as IR; bodies written in it are added to ``out`` (see :meth:`_body`)."""
        where = loc(t)
        if isinstance(t, c_ast.Typename):
            return self.ir_type(t.type, owner, out, bound)
        if isinstance(t, c_ast.TypeDecl):
            base = self._base(t.type, owner, out, bound, where)
            return ir.Qualified(base, tuple(t.quals), loc=where) if t.quals else base
        if isinstance(t, c_ast.PtrDecl):
            return ir.Pointer(self.ir_type(t.type, owner, out, bound), tuple(t.quals), loc=where)
        if isinstance(t, c_ast.ArrayDecl):
            dims = (self._dim(t.dim),) if t.dim is not None else ()
            return ir.Array(self.ir_type(t.type, owner, out, bound), dims, loc=where)
        if isinstance(t, c_ast.FuncDecl):
            params, varargs = self._params(t, owner, out, bound)
            return ir.Function(self.ir_type(t.type, owner, out, bound), params, varargs, loc=where)
        return self._base(t, owner, out, bound, where)  # an anonymous member's struct or union

    def _base(
        self, t: c_ast.Node, owner: str, out: list[ir.Decl], bound: bool, where: ir.Loc
    ) -> ir.Type:
        if isinstance(t, c_ast.IdentifierType):
            spelled = primitive_spelling(t.names)
            if spelled in PRIMS:
                return ir.Primitive(PRIMS[spelled], loc=where)
            names = list(t.names)
            if "_Complex" in names:  # glibc's __CFLOAT32 is `_Complex float`: cffi reads
                names = [w for w in names if w != "_Complex"] + ["_Complex"]  # `float _Complex`
            return ir.Named(ir.ScopedName((" ".join(names),)), loc=where)
        if isinstance(t, (c_ast.Struct, c_ast.Union, c_ast.Enum)):
            has_body = (t.decls if not isinstance(t, c_ast.Enum) else t.values) is not None
            if has_body:
                return self._body(t, owner, out, bound)
            return ir.Named(ir.name(str(t.name)), ir.Space.TAG, loc=where)
        return ir.Primitive(ir.Prim.ANY, loc=where)

    def _body(self, t: c_ast.Node, owner: str | None, out: list[ir.Decl], bound: bool) -> ir.Named:
        """A struct/union/enum body as a declaration of its own (once); a use of it.

        ``owner`` is the declaration C writes it inside (None: at file scope);
        an unnamed body gets a name no C identifier has (``T:1``), seen only here.
        """
        known = self._bodies.get(id(t))
        if known is not None:
            return known
        where = loc(t)
        name = t.name
        if not name:  # numbered per owner, so the names stay put when others change
            self._anonymous[owner or ""] = number = self._anonymous.get(owner or "", 0) + 1
            name = f"{owner or ''}:{number}"
        use = ir.Named(ir.name(name), ir.Space.TAG, loc=where)
        self._bodies[id(t)] = use
        ann: tuple[object, ...] = (ir.c.Bound(bound),)
        if owner is not None:
            ann = (ir.Hoisted(owner, loc=where), *ann)
        inner: list[ir.Decl] = []
        decl: ir.Decl
        if isinstance(t, c_ast.Enum):
            decl = self._enum(t, name, ann)
        else:
            fields = tuple(self._field(d, name, inner, bound) for d in t.decls)
            if isinstance(t, c_ast.Struct):
                decl = ir.Struct(name, fields, annotations=ann, space=ir.Space.TAG, loc=where)
            else:
                cases = tuple(ir.Case((), f, loc=f.loc) for f in fields)
                decl = ir.Union_(name, None, cases, annotations=ann, space=ir.Space.TAG, loc=where)
        out.extend(inner)
        out.append(decl)
        return use

    def _field(self, d: c_ast.Node, owner: str, out: list[ir.Decl], bound: bool) -> ir.Field:
        t = self.ir_type(d.type, owner, out, bound)
        bits = self._dim(d.bitsize) if getattr(d, "bitsize", None) is not None else None
        return ir.Field(d.name or "", t, bits=bits, loc=loc(d))

    def _enum(self, t: c_ast.Enum, name: str, ann: tuple[object, ...]) -> ir.Enum_:
        """An enum's members, their values for FoldConstants.

        A value is an expression FoldConstants computes where that gives C's
        value (:func:`~.foldable.foldable`), else the value C gives; members
        without a value are numbered on by FoldConstants.
        """
        members = []
        next_value = 0
        for e in t.values.enumerators:
            value: ir.Expr | None = None
            if e.value is not None:
                try:
                    next_value = int(evaluate(self.generator.visit(e.value), self.enumerators))  # type: ignore[arg-type]
                except (NotConstant, TypeError, ValueError):
                    self.report.warning(
                        loc(e),
                        f"value of enumerator '{e.name}' is not a constant idlgen can evaluate",
                        "skipped",
                        "are enumerator values idlgen cannot evaluate",
                    )
                text = str(self.generator.visit(e.value))
                value = foldable(
                    e.value,
                    text,
                    next_value,
                    self.enumerators,
                    self.enumerators.__getitem__,
                    lambda wide: evaluate(wide, self.enumerators),
                    loc(e.value),
                ) or ir.Literal(next_value, loc=loc(e.value))
            self.enumerators[e.name] = next_value
            members.append(ir.EnumMember(e.name, value, loc=loc(e)))
            next_value += 1
        return ir.Enum_(name, tuple(members), annotations=ann, space=ir.Space.TAG, loc=loc(t))

    def _dim(self, e: c_ast.Node) -> ir.Expr:
        """An array size or bitfield width (folded to a number by :mod:`.dimensions` before)."""
        if isinstance(e, c_ast.Constant):
            try:
                value = evaluate(e.value, {})
            except NotConstant:
                value = None
            if isinstance(value, int) and not isinstance(value, bool):
                return ir.Literal(int(value), loc=loc(e))
        if isinstance(e, c_ast.ID) and e.name in self.enumerators:
            return ir.ConstRef(ir.name(e.name), loc=loc(e))
        self.report.error(
            loc(e),
            f"size '{self.generator.visit(e)}' is not a constant idlgen can evaluate",
            "not-constant",
        )
        return ir.Literal(0, loc=loc(e))
