"""Base classes of generated types and the repository-id registry of stubs.

Generated unions subclass ``Union``, valuetypes ``Value``; ``register_stub``
records which stub class an unmarshalled object reference of a repository id
becomes. Types that arrive in an ``any`` with no generated class get one made
here on the fly (``class_for``), as omniORBpy does, so their values decode.
"""

from __future__ import annotations

import array
import dataclasses
import enum
import inspect
import keyword
from typing import Any, ClassVar

from idlgen_runtime.giop.exceptions import BAD_PARAM, COMPLETED_NO, UserException

#: Repository id -> stub class (generated ``mapping.register_stub(Service)`` calls).
STUBS: dict[str, type] = {}
#: ... and the asyncio twins (classes of ``M__aio`` packages, async methods).
AIO_STUBS: dict[str, type] = {}


def register_stub(cls: type) -> type:
    """Record ``cls`` as the stub of its ``_NP_RepositoryId``; returns it (decorator-safe).

    Classes of an ``M__aio`` package (or whose own methods are coroutines) go
    to the asyncio table, so the asyncio ORB hands out those.
    """
    aio = "__aio" in cls.__module__ or any(
        inspect.iscoroutinefunction(f) for f in vars(cls).values()
    )
    (AIO_STUBS if aio else STUBS)[cls._NP_RepositoryId] = cls  # type: ignore[attr-defined]
    return cls


def py_name(idl_name: str) -> str:
    """An IDL identifier as omniORBpy spells it in Python (keywords get a ``_``)."""
    return (
        "_" + idl_name
        if keyword.iskeyword(idl_name) or idl_name in ("None", "True", "False")
        else idl_name
    )


class NumSeq(array.array):  # type: ignore[type-arg]
    """What a sequence or array of a numeric primitive decodes to.

    An ``array.array`` filled by one ``frombytes`` (no Python object per element
    until used), which compares equal to a list or tuple of the same numbers.

    A 1 MB ``sequence<long>`` decodes ~100x faster than element by element;
    ``.tolist()`` gives a plain list when one is needed.
    """

    def __eq__(self, other: object) -> bool:
        if isinstance(other, array.array):
            return array.array.__eq__(self, other)
        if isinstance(other, (list, tuple)):
            return len(self) == len(other) and self.tolist() == list(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None


class Union:
    """Base of generated unions: a discriminator ``_d`` and a value ``_v``.

    Subclasses set ``_d_to_m`` (label -> member), ``_m_to_d`` (member -> its
    first label), ``_def_m`` (the default member or None) and ``_def_d`` (a
    discriminator value selecting the default).
    """

    _NP_RepositoryId: ClassVar[str] = ""
    _d_to_m: ClassVar[dict[Any, str]] = {}
    _m_to_d: ClassVar[dict[str, Any]] = {}
    _def_m: ClassVar[str | None] = None
    _def_d: ClassVar[Any] = None

    __slots__ = ("_d", "_v")

    def __init__(self, *args: Any, **kw: Any) -> None:
        if len(args) == 2 and not kw:
            self._d, self._v = args
            return
        if len(kw) != 1 or args:
            raise TypeError(f"{type(self).__name__}(_d, _v) or {type(self).__name__}(member=value)")
        ((member, value),) = kw.items()
        if member in self._m_to_d:
            self._d = self._m_to_d[member]
        elif member == self._def_m:
            self._d = self._def_d
        else:
            raise AttributeError(f"{type(self).__name__} has no member {member!r}")
        self._v = value

    def _member(self) -> str | None:
        key = self._d if isinstance(self._d, str) else int(self._d)
        for label, m in self._d_to_m.items():
            if (label if isinstance(label, str) else int(label)) == key:
                return m
        return self._def_m

    def __getattr__(self, name: str) -> Any:
        cls = type(self)
        if name.startswith("__") or (name not in cls._m_to_d and name != cls._def_m):
            raise AttributeError(name)
        if self._member() != name:
            raise BAD_PARAM(
                0, COMPLETED_NO, f"the discriminator selects {self._member()!r}, not {name!r}"
            )
        return self._v

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("_d", "_v"):
            object.__setattr__(self, name, value)
            return
        cls = type(self)
        if name in cls._m_to_d:
            object.__setattr__(self, "_d", cls._m_to_d[name])
        elif name == cls._def_m:
            object.__setattr__(self, "_d", cls._def_d)
        else:
            raise AttributeError(name)
        object.__setattr__(self, "_v", value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (other._d, other._v) == (
            self._d,
            self._v,
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._d))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(_d={self._d!r}, _v={self._v!r})"


class Value:
    """Base of generated valuetypes: state members are plain attributes."""

    _NP_RepositoryId: ClassVar[str] = ""

    def __init__(self, *args: Any, **kw: Any) -> None:
        names = getattr(self, "_NP_members", ())
        for n, v in zip(names, args, strict=False):
            setattr(self, n, v)
        for n, v in kw.items():
            setattr(self, n, v)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({inner})"


def _label_key(label: Any) -> Any:
    return label if isinstance(label, str) else int(label)


def class_for(tc: Any) -> Any:
    """The Python class values of ``tc`` (struct/union/enum/except/value) decode into.

    The generated class when the TypeCode has one; otherwise one made from the
    TypeCode (member names mangled as omniORBpy does) and kept on it.
    """
    from idlgen_runtime.giop.typecode import REGISTRY, TCKind

    if tc.cls is not None:
        return tc.cls
    known = REGISTRY.get(tc._id)
    if known is not None and known is not tc and known.cls is not None and known.equivalent(tc):
        tc.cls = known.cls
        return tc.cls
    name = tc._name or "Anonymous"
    names = [py_name(n) for n in tc._mnames]
    k = tc._k
    cls: Any
    if k == TCKind.tk_struct:
        cls = dataclasses.make_dataclass(name, names, eq=True)
    elif k == TCKind.tk_except:
        cls = type(name, (UserException,), {"_NP_members": tuple(names)})
    elif k == TCKind.tk_enum:
        cls = enum.IntEnum(name, [(n, i) for i, n in enumerate(names)])  # type: ignore[misc,no-redef]
    elif k == TCKind.tk_union:
        d_to_m: dict[Any, str] = {}
        m_to_d: dict[str, Any] = {}
        for i, (lab, m) in enumerate(zip(tc._labels, names, strict=False)):
            if i == tc._defidx:
                continue
            d_to_m[lab] = m
            m_to_d.setdefault(m, lab)
        def_m = names[tc._defidx] if tc._defidx >= 0 else None
        cls = type(
            name,
            (Union,),
            {
                "__slots__": (),
                "_d_to_m": d_to_m,
                "_m_to_d": m_to_d,
                "_def_m": def_m,
                "_def_d": _free_label(tc, set(map(_label_key, tc._labels))),
            },
        )
    elif k in (TCKind.tk_value, TCKind.tk_event):
        cls = type(name, (Value,), {})
    else:
        return None
    cls._NP_RepositoryId = tc._id
    tc.cls = cls
    return cls


def _free_label(tc: Any, used: set[Any]) -> Any:
    """A discriminator value no explicit label uses (the default's ``_def_d``)."""
    from idlgen_runtime.giop.typecode import TCKind, unalias

    disc = unalias(tc._disc)
    if disc._k == TCKind.tk_boolean:
        return next((b for b in (False, True) if int(b) not in used), None)
    if disc._k == TCKind.tk_char:
        return next((chr(i) for i in range(256) if chr(i) not in used), None)
    if disc._k == TCKind.tk_enum:
        return next((i for i in range(len(disc._mnames)) if i not in used), None)
    return next(i for i in range(len(used) + 1) if i not in used)
