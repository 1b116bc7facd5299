"""The service side of the SOAP back-end: bindings, operations, clients, servers.

A SOAP binding of a portType (WSDL 1.1) or interface (2.0) becomes a class of
``s.operation`` descriptors in ``bindings.py`` (one per operation, fixed at
generation time: no WSDL or schema work per call). Each SOAP port becomes a
sync and an async client class over its binding; each service a server base
class. A port whose binding is not SOAP (HTTP GET/POST) is left out.

The Python signature of an operation (:class:`Signature`) is decided here
once and shared by the client method and the server method:

* document/literal wrapped (the part's element is named like the operation
  and holds a plain sequence): the wrapper's children are the parameters and
  the response wrapper's one child the result (a tuple when it has several);
* otherwise one parameter per body part and the output parts as the result
  (a tuple when several).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from idlgen import ir
from idlgen.backends.soap_python.layout import Call, Expr, Kw
from idlgen.backends.soap_python.model import Particle, SchemaModel
from idlgen.ir import soap as soap_ir
from idlgen.naming.soap import SOAP_GENERATED, ModuleNames, class_name, member_names
from idlgen.render import string_literal

SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/"
WSDL20 = "http://www.w3.org/ns/wsdl/"
#: Names the client and server classes define or inherit: operations avoid them.
_RESERVED_METHODS = frozenset(
    {"close", "aclose", "connect", "aconnect", "wsgi_app", "asgi_app", "serve"}
    | {"address", "username_token", "max_size", "max_depth", "last_response_headers"}
)


@dataclass
class Param:
    """One Python parameter of an operation."""

    name: str
    hint: str
    required: bool


@dataclass
class Signature:
    """What the client method takes and returns (the server method the same)."""

    params: list[Param]
    result: str
    #: Input soap:header parts: (Python name, part name, hint).
    headers: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class OpView:
    """One operation of one binding."""

    name: str  # the Python method name
    attr: str  # the descriptor's attribute in the binding class
    xml_name: str  # the operation's name in the WSDL
    doc: str | None
    expr: Expr  # the s.operation(...) expression
    signature: Signature
    keys: list[str]  # dispatch keys: SOAPAction and body element QName


@dataclass
class BindingView:
    """A SOAP binding: its operations' descriptors."""

    name: str
    xml_name: str
    soap_version: str
    ops: list[OpView] = field(default_factory=list)


@dataclass
class PortView:
    """A client class pair for one SOAP port."""

    name: str
    doc: str | None
    binding: BindingView
    address: str | None
    #: An earlier port class with the same methods (the SOAP 1.1 port of a portType
    #: also bound for SOAP 1.2): this one inherits them and names its own binding.
    parent: str | None = None


@dataclass
class ServiceView:
    """A service: its ports' clients and its server base."""

    name: str
    doc: str | None
    ports: list[PortView]
    ops: list[tuple[OpView, BindingView]]
    table: list[tuple[str, OpView, BindingView]]


class ServiceModel:
    """Bindings, clients and servers of the WSDL documents in a Spec."""

    def __init__(self, spec: ir.Spec, model: SchemaModel) -> None:
        self.model = model
        self.ctx = model.ctx
        self.binding_names = ModuleNames()
        self.bindings: dict[tuple[str | None, str], BindingView] = {}
        self.services: list[ServiceView] = []
        client_names = ModuleNames(set(SOAP_GENERATED))
        #: The methods of each port class written so far, by their shape.
        self.shapes: dict[tuple[object, ...], str] = {}
        for module in spec.decls:
            if not isinstance(module, ir.Module):
                continue
            for decl in module.decls:
                if isinstance(decl, ir.Interface):
                    self._interface(decl)
        for module in spec.decls:
            if not isinstance(module, ir.Module):
                continue
            for decl in module.decls:
                if isinstance(decl, ir.Service):
                    view = self._service(decl, client_names)
                    if view is not None:
                        self.services.append(view)
        self._unported(spec, client_names)

    # --- bindings ---------------------------------------------------------------------

    def _interface(self, iface: ir.Interface) -> None:
        for binding in (a for a in iface.annotations if isinstance(a, soap_ir.Binding)):
            if binding.protocol != "soap":
                continue
            view = BindingView(
                self.binding_names.claim(class_name(binding.name), binding.namespace or "", None),
                binding.name,
                binding.soap_version or "1.1",
            )
            ops = self._all_operations(iface)
            methods = member_names([op.name for op in ops], _RESERVED_METHODS)
            for op, method in zip(ops, methods, strict=True):
                ob = next(
                    (
                        a
                        for a in op.annotations
                        if isinstance(a, soap_ir.OperationBinding) and a.binding == binding.name
                    ),
                    None,
                )
                messages = ir.annotation(op, soap_ir.Messages)
                if ob is None and messages is not None and messages.pattern.startswith(WSDL20):
                    # WSDL 2.0: a binding covers every operation of its interface
                    ob = soap_ir.OperationBinding(action=None, binding=binding.name)
                if ob is None:
                    continue
                view.ops.append(self._operation(op, ob, binding, method))
            self.bindings[(binding.namespace, binding.name)] = view

    def _all_operations(self, iface: ir.Interface, depth: int = 0) -> list[ir.Operation]:
        ops = list(iface.operations)
        for base in iface.bases if depth < 16 else ():
            decl = self.ctx.symbols.lookup(base)
            if isinstance(decl, ir.Interface):
                ops += [o for o in self._all_operations(decl, depth + 1) if o not in ops]
        return ops

    def _parts(self, named: ir.Named | None) -> list[tuple[str, ir.Named | None, ir.Type | None]]:
        """(part name, element, type) of a message (WSDL 2.0: the element itself)."""
        if named is None:
            return []
        decl = self.ctx.symbols.lookup(named)
        if isinstance(decl, ir.Message):
            return [(p.name, p.element, p.type) for p in decl.parts]
        if named.space == ir.Space.ELEMENT:
            return [("body", named, None)]
        return []

    def _operation(
        self,
        op: ir.Operation,
        ob: soap_ir.OperationBinding,
        binding: soap_ir.Binding,
        method: str,
    ) -> OpView:
        messages = ir.annotation(op, soap_ir.Messages)
        in_parts = self._parts(messages.input if messages else None)
        out_parts = self._parts(messages.output if messages else None)
        headers_in = {h.part for h in ob.soap_headers if h.direction == "in"}
        headers_out = {h.part for h in ob.soap_headers if h.direction == "out"}
        body_in = [p for p in in_parts if p[0] not in headers_in]
        if ob.body_parts is not None:
            body_in = [p for p in body_in if p[0] in ob.body_parts]
        body_out = [p for p in out_parts if p[0] not in headers_out]
        rpc = ob.style == "rpc"
        lit = string_literal
        in_wrapper = self._wrapper(body_in) if not rpc else None
        out_wrapper = self._wrapper(body_out) if not rpc and in_wrapper else None
        if in_wrapper is not None:
            params = self._wrapper_params(in_wrapper[1])
        else:
            names = member_names([p[0] for p in body_in], frozenset({"self"}))
            params = [
                Param(n, self._part_hint(p), True) for n, p in zip(names, body_in, strict=True)
            ]
        result = self._result(body_out, out_wrapper)
        header_parts = []
        for h in ob.soap_headers:
            named = self._header_named(h) if h.direction == "in" else None
            if named is not None and named.space == ir.Space.ELEMENT:
                header_parts.append((h.part, self.model.value_type(named)[1]))
        taken = frozenset({"self", *(p.name for p in params)})
        header_names = member_names([part for part, _ in header_parts], taken)
        headers = [
            (n, part, hint) for n, (part, hint) in zip(header_names, header_parts, strict=True)
        ]
        version = binding.soap_version or "1.1"
        namespace = ob.namespace or binding.namespace
        use = ob.use
        encoding = ob.encoding_style or (SOAP_ENC if use == "encoded" else None)
        one_way = messages is not None and messages.output is None
        output: Expr = "None" if one_way else self._message(body_out, out_wrapper, ob, "out")
        # what the runtime defaults to is left out: thousands of operations in large WSDLs
        args: list[Expr] = [lit(op.name), Kw("soap_version", lit(version))]
        if ob.action:
            args.append(Kw("action", lit(ob.action)))
        if ob.style != "document":
            args.append(Kw("style", lit(ob.style)))
        if use != "literal":
            args.append(Kw("use", lit(use)))
        if namespace:
            args.append(Kw("namespace", lit(namespace)))
        if encoding and encoding != SOAP_ENC:
            args.append(Kw("encoding_style", lit(encoding)))
        args.append(Kw("input", self._message(body_in, in_wrapper, ob, "in")))
        if output != "None":
            args.append(Kw("output", output))
        faults = self._faults(op)
        if faults:
            args.append(Kw("faults", Call("", faults)))
        keys = []
        if ob.action:
            keys.append(ob.action)
        if rpc:
            keys.append(f"{{{namespace}}}{op.name}" if namespace else op.name)
        elif body_in and body_in[0][1] is not None:
            keys.append(str(body_in[0][1].name))
        return OpView(
            name=method,
            attr=method,
            xml_name=op.name,
            doc=op.doc,
            expr=Call("s.operation", args),
            signature=Signature(params, result, headers),
            keys=keys,
        )

    def _wrapper(
        self, parts: list[tuple[str, ir.Named | None, ir.Type | None]]
    ) -> tuple[str, list[Particle]] | None:
        """The wrapper element and its children, when a message is wrapped doc/literal."""
        if len(parts) != 1 or parts[0][1] is None:
            return None
        element = self.ctx.symbols.lookup(parts[0][1])
        if not isinstance(element, ir.Element) or not isinstance(element.type, ir.Named):
            return None
        struct = self.ctx.symbols.lookup(element.type)
        if not isinstance(struct, ir.Struct) or struct.base is not None:
            return None
        children = self.model.particles(struct)
        if any(p.kind != "element" for p in children):
            return None
        var = self.model.element_var(parts[0][1])
        return (var, children) if var is not None else None

    def _wrapper_params(self, children: list[Particle]) -> list[Param]:
        names = member_names([p.xml.rpartition("}")[2] for p in children], frozenset({"self"}))
        out = []
        for p, name in zip(children, names, strict=True):
            assert p.type is not None
            hint = self.model.value_type(p.type)[1]
            if p.max_occurs is None or p.max_occurs > 1:
                out.append(Param(name, f"list[{hint}] | None", False))
            elif p.min_occurs == 0 or p.nillable:
                out.append(Param(name, f"{hint} | None", False))
            else:
                out.append(Param(name, hint, True))
        return out

    def _part_hint(self, part: tuple[str, ir.Named | None, ir.Type | None]) -> str:
        _, element, t = part
        if element is not None:
            return self.model.value_type(element)[1]
        if t is not None:
            return self.model.value_type(t)[1]
        return "Any"

    def _result(
        self,
        parts: list[tuple[str, ir.Named | None, ir.Type | None]],
        wrapper: tuple[str, list[Particle]] | None,
    ) -> str:
        if wrapper is not None:
            children = wrapper[1]
            if not children:
                return "None"
            if len(children) == 1:
                p = children[0]
                assert p.type is not None
                hint = self.model.value_type(p.type)[1]
                if p.max_occurs is None or p.max_occurs > 1:
                    return f"list[{hint}]"
                return f"{hint} | None" if p.min_occurs == 0 or p.nillable else hint
            hints = []
            for p in children:
                assert p.type is not None
                hint = self.model.value_type(p.type)[1]
                if p.max_occurs is None or p.max_occurs > 1:
                    hint = f"list[{hint}]"
                elif p.min_occurs == 0 or p.nillable:
                    hint = f"{hint} | None"
                hints.append(hint)
            return f"tuple[{', '.join(hints)}]"
        hints = [self._part_hint(p) for p in parts]
        if not hints:
            return "None"
        return hints[0] if len(hints) == 1 else f"tuple[{', '.join(hints)}]"

    def _message(
        self,
        body: list[tuple[str, ir.Named | None, ir.Type | None]],
        wrapper: tuple[str, list[Particle]] | None,
        ob: soap_ir.OperationBinding,
        direction: str,
    ) -> Call:
        lit = string_literal
        parts: list[Expr] = []
        for name, element, t in body:
            if element is not None:
                var = self.model.element_var(element)
                if var is not None:
                    parts.append(Call("s.part", [lit(name), Kw("element", var)]))
                    continue
                arg = self.model.value_type(element)[0]
            else:
                arg = self.model.value_type(t)[0] if t is not None else "xsd.anyType"
            parts.append(Call("s.part", [lit(name), Kw("type", arg)]))
        headers: list[Expr] = []
        for h in ob.soap_headers:
            if h.direction != direction:
                continue
            named = self._header_named(h)
            var = self.model.element_var(named) if named is not None else None
            if var is not None:
                headers.append(Call("s.header_part", [lit(h.part), var]))
        args: list[Expr] = [Kw("parts", Call("", parts))] if parts else []
        if wrapper is not None:
            args.append(Kw("wrapper", wrapper[0]))
        if headers:
            args.append(Kw("headers", Call("", headers)))
        return Call("s.message", args)

    def _header_named(self, header: soap_ir.Header) -> ir.Named | None:
        decl = self.ctx.symbols.lookup(header.message)
        if isinstance(decl, ir.Message):
            for p in decl.parts:
                if p.name == header.part and p.element is not None:
                    return p.element
        return None

    def _faults(self, op: ir.Operation) -> list[Expr]:
        out: list[Expr] = []
        for named in op.raises:
            decl = self.ctx.symbols.lookup(named)
            if not isinstance(decl, ir.Exception_):
                continue
            cls = self.model.py.get(id(decl))
            if cls is None:
                continue
            view = self.model.fault_view(decl)
            out.append(Call("s.fault", [string_literal(decl.name), cls, view.detail]))
        return out

    # --- services -------------------------------------------------------------------------

    def _unported(self, spec: ir.Spec, names: ModuleNames) -> None:
        """A client and a server for each SOAP binding that no port names.

        Many WSDLs (all of ONVIF's, the WS-* specifications') define bindings and
        leave the address to the device: a binding without a port still gets a
        client class (``connect(address)``) and a server base, both named after
        the binding, the service class with ``Service`` appended.
        """
        used = {
            (pb.namespace, pb.binding)
            for module in spec.decls
            if isinstance(module, ir.Module)
            for decl in module.decls
            if isinstance(decl, ir.Service)
            for port in decl.ports
            if (pb := ir.annotation(port, soap_ir.PortBinding)) is not None
        }
        for key, binding in self.bindings.items():
            if key in used:
                continue
            port = self._port(binding.xml_name, binding, None, names)
            name = names.claim(class_name(binding.xml_name) + "Service", "", None)
            self.services.append(self._service_view(name, None, [port]))

    def _port(
        self, xml_name: str, binding: BindingView, address: str | None, names: ModuleNames
    ) -> PortView:
        name = names.claim(class_name(xml_name), "", None)
        names.taken.add(name + "Async")
        shape = tuple(
            (op.name, op.attr, op.doc, op.xml_name, repr(op.signature)) for op in binding.ops
        )
        parent = self.shapes.setdefault(shape, name)
        return PortView(name, None, binding, address, None if parent == name else parent)

    def _service(self, service: ir.Service, names: ModuleNames) -> ServiceView | None:
        ports = []
        for port in service.ports:
            pb = ir.annotation(port, soap_ir.PortBinding)
            if pb is None or pb.protocol != "soap":
                continue
            binding = self.bindings.get((pb.namespace, pb.binding))
            if binding is None:
                continue
            ports.append(self._port(port.name, binding, port.address, names))
        if not ports:
            return None
        name = names.claim(class_name(service.name), "", None)
        return self._service_view(name, service.doc, ports)

    def _service_view(self, name: str, doc: str | None, ports: list[PortView]) -> ServiceView:
        ops: list[tuple[OpView, BindingView]] = []
        table: list[tuple[str, OpView, BindingView]] = []
        methods: set[str] = set()
        keys: set[str] = set()
        for view in ports:
            for op in view.binding.ops:
                if op.name not in methods:
                    methods.add(op.name)
                    ops.append((op, view.binding))
                placed = False
                for key in op.keys:
                    if key not in keys:
                        keys.add(key)
                        table.append((key, op, view.binding))
                        placed = True
                if not placed:
                    # the same operation bound for the other SOAP version: the dispatcher
                    # finds it by name and version among the table's values
                    key = f"{view.binding.xml_name}#{op.name}"
                    if key not in keys:
                        keys.add(key)
                        table.append((key, op, view.binding))
        return ServiceView(name, doc, ports, ops, table)
