"""Small helpers over pycparser's nodes that every stage of the front-end uses.

Where a node is (:func:`loc`), every node under one (:func:`walk`), the tags
a declaration defines or names (:func:`defined_tags`), and the body a typedef
writes in place (:func:`body_path`).
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterator

from pycparser import c_ast

from idlgen import ir


def loc(node: c_ast.Node) -> ir.Loc:
    """The node's place in the original header (pycparser follows the linemarkers)."""
    coord = node.coord
    if coord is None:
        return ir.NOWHERE
    return ir.Loc(str(coord.file), int(coord.line or 0), int(coord.column or 1))


def walk(node: c_ast.Node) -> Iterator[c_ast.Node]:
    """``node`` and every node under it."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(child for _, child in current.children())


def defined_tags(ext: c_ast.Node) -> Iterator[tuple[str, str, bool]]:
    """The struct/union/enum tag an external declaration names: (kind, tag, with a body)."""
    t = getattr(ext, "type", None)
    while isinstance(t, (c_ast.TypeDecl, c_ast.PtrDecl, c_ast.ArrayDecl)):
        t = t.type
    if isinstance(t, (c_ast.Struct, c_ast.Union)) and t.name:
        yield type(t).__name__.lower(), t.name, t.decls is not None
    elif isinstance(t, c_ast.Enum) and t.name:
        yield "enum", t.name, t.values is not None


def body_path(ext: c_ast.Typedef) -> tuple[list[c_ast.Node], c_ast.Node | None]:
    """The pointer/array declarators down to a struct/union/enum body a typedef defines."""
    path: list[c_ast.Node] = []
    t = ext.type
    while isinstance(t, (c_ast.PtrDecl, c_ast.ArrayDecl)):
        path.append(t)
        t = t.type
    inner = t.type if isinstance(t, c_ast.TypeDecl) else None
    has_body = (isinstance(inner, (c_ast.Struct, c_ast.Union)) and inner.decls is not None) or (
        isinstance(inner, c_ast.Enum) and inner.values is not None
    )
    return path, inner if has_body else None


def pass_as_first_member(ast: c_ast.FileAST, transparent: Collection[str]) -> None:
    """Make each transparent-union typedef the type of its first member (``ast`` changes).

    C passes a ``__transparent_union__`` as its first member: glibc's
    ``bind(int, __CONST_SOCKADDR_ARG, socklen_t)`` takes a ``const struct
    sockaddr *``, and so do the bindings (ABI mode could not pass the union).
    Parameters declared with the typedef get the member's type spelled out:
    code compiled against the real header (Cython's casts) must never name
    the union where it means the pointer.
    """
    members: dict[str, c_ast.Node] = {}
    for ext in ast.ext if transparent else ():
        if not (isinstance(ext, c_ast.Typedef) and ext.name in transparent):
            continue
        union = ext.type.type if isinstance(ext.type, c_ast.TypeDecl) else None
        if not isinstance(union, c_ast.Union) or not union.decls:
            continue
        members[ext.name] = union.decls[0].type
        ext.type = _renamed(union.decls[0].type, ext.name)
    for node in walk(ast) if members else ():
        if isinstance(node, c_ast.ParamList):
            for param in node.params:
                named = param.type if isinstance(param, c_ast.Decl) else None
                spelled = named.type if isinstance(named, c_ast.TypeDecl) else None
                if isinstance(spelled, c_ast.IdentifierType) and len(spelled.names) == 1:
                    member = members.get(spelled.names[0])
                    if member is not None and named is not None:
                        param.type = _renamed(member, named.declname)


def _renamed(decl_type: c_ast.Node, name: str | None) -> c_ast.Node:
    """A copy of ``decl_type`` declaring ``name``."""
    first = copy.deepcopy(decl_type)
    inner = first
    while not isinstance(inner, c_ast.TypeDecl):
        inner = inner.type
    inner.declname = name
    return first
