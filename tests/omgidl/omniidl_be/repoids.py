"""An omniidl back-end (``omniidl -p DIR -brepoids``) printing ``scoped::name ID`` lines.

Used by tests/omgidl/test_idl_vs_omniidl.py to compare idlgen's repository IDs
with omniidl's. Forward declarations are left out (their definitions are
compared); a struct, union or enum declared in a typedef is listed too.
"""

from omniidl import idlast  # type: ignore[import-not-found]


def run(tree, args):  # noqa: ANN001, ANN201, D103 - omniidl's back-end entry point
    found = set()

    def show(d):  # noqa: ANN001, ANN202
        if isinstance(d, (idlast.Forward, idlast.StructForward, idlast.UnionForward)):
            return
        if isinstance(d, idlast.ValueForward):
            return
        if isinstance(d, idlast.Typedef):
            if d.constrType():
                show(d.aliasType().decl())
            for x in d.declarators():
                found.add(("::".join(x.scopedName()), x.repoId()))
            return
        if isinstance(d, idlast.Attribute):
            for x in d.declarators():
                found.add(("::".join(x.scopedName()), x.repoId()))
            return
        if hasattr(d, "repoId") and hasattr(d, "scopedName"):
            found.add(("::".join(d.scopedName()), d.repoId()))
        for attr in ("definitions", "contents", "callables", "members"):
            f = getattr(d, attr, None)
            if f is None:
                continue
            for c in f():
                if isinstance(c, idlast.Member):
                    if c.constrType():
                        show(c.memberType().decl())
                else:
                    show(c)

    for d in tree.declarations():
        show(d)
    for name, repo_id in sorted(found):
        print(name, repo_id)
