"""``record``: the decorator of generated dataclasses, with ``__init__`` made on first use.

``dataclasses.dataclass`` compiles an ``__init__`` (``exec`` of its source) for
every class when the module is imported: most of the import time of a types
module of thousands of classes, of which a program uses a few. ``record`` makes
the class a dataclass without it (``init=False``: fields, defaults and
``dataclasses.fields`` as usual) and gives the class a stand-in ``__init__``
that, at the class's first instance, compiles the same keyword-only
``__init__`` dataclass would have and puts it in the class's place.

Type checkers see ``dataclasses.dataclass`` itself (the ``TYPE_CHECKING``
branch), so the generated classes keep their typed keyword constructors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = ["make_init", "record"]

T = TypeVar("T")

if TYPE_CHECKING:
    from dataclasses import dataclass as record
else:

    def record(*, kw_only: bool = True, repr: bool = False, eq: bool = False) -> Callable:
        """``dataclass(kw_only=True, repr=False, eq=False)``, ``__init__`` made on first use."""
        if not kw_only or repr or eq:
            raise TypeError("record makes keyword-only dataclasses without repr and eq")

        def wrap(cls: type[T]) -> type[T]:
            dataclasses.dataclass(cls, init=False, repr=False, eq=False, kw_only=True)
            cls.__init__ = _first_init  # its own, so that a subclass never runs its base's
            return cls

        return wrap


def _first_init(self: Any, *args: Any, **kwargs: Any) -> None:
    """The stand-in ``__init__``: make the class's own, install it, call it."""
    cls = type(self)
    init = make_init(cls)
    cls.__init__ = init
    init(self, *args, **kwargs)


def make_init(cls: type) -> Callable[..., None]:
    """The keyword-only ``__init__`` dataclass would have made for ``cls``."""
    params: list[str] = []
    body: list[str] = []
    env: dict[str, Any] = {"_idlgen_missing": dataclasses.MISSING}
    for i, f in enumerate(dataclasses.fields(cls)):
        if not f.init:
            continue
        name = f.name
        if f.default is not dataclasses.MISSING:
            env[f"_idlgen_d{i}"] = f.default
            params.append(f"{name}=_idlgen_d{i}")
            body.append(f"_idlgen_self.{name} = {name}")
        elif f.default_factory is not dataclasses.MISSING:
            env[f"_idlgen_f{i}"] = f.default_factory
            params.append(f"{name}=_idlgen_missing")
            body.append(
                f"_idlgen_self.{name} = _idlgen_f{i}() if {name} is _idlgen_missing else {name}"
            )
        else:
            params.append(name)
            body.append(f"_idlgen_self.{name} = {name}")
    star = ", *, " + ", ".join(params) if params else ""
    source = f"def __init__(_idlgen_self{star}):\n    " + ("\n    ".join(body) or "pass") + "\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<idlgen record {cls.__qualname__}>", "exec"), env, namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init
