"""``#define`` constants: integers, floats, strings and constant expressions of them.

A macro body is C; it is rewritten into a Python expression token by token
(integer suffixes and casts to integer types dropped, octal made explicit,
``&&``/``||``/``!`` spelled out) and evaluated by a small interpreter that
knows only literals, operators and the names of other constants. A cast of a
number to a pointer or function-pointer type (sqlite3's ``SQLITE_TRANSIENT``)
becomes a :class:`Cast` that the back-end turns into ``ffi.cast``. Anything
else — function-like macros, C code, names it cannot see — is reported back
so the caller can warn by name.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Value = int | float | str


@dataclass(frozen=True)
class Cast:
    """``((type) number)``: a constant of a pointer type."""

    ctype: str
    value: int


class NotConstant(Exception):
    """The macro is not a constant expression idlgen can evaluate."""


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<float>(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?[fFlL]?|\d+[eE][-+]?\d+[fFlL]?)
    | (?P<int>0[xX][0-9a-fA-F]+|\d+)(?P<suffix>[uUlL]*)\b
    | (?P<string>"(?:\\.|[^"\\])*")
    | (?P<char>'(?:\\.|[^'\\])')
    | (?P<name>[A-Za-z_]\w*)
    | (?P<op>&&|\|\||<<|>>|<=|>=|==|!=|[-+*/%&|^~!<>()?:])
    )""",
    re.X,
)
_INT_TYPES = re.compile(
    r"^(?:(?:unsigned|signed|const)\s+)*(?:char|short|int|long|long\s+long|"
    r"u?int(?:8|16|32|64|ptr|max)_t|size_t|ssize_t|ptrdiff_t)(?:\s+int)?$"
)
_CAST_TO_POINTER = re.compile(r"^\(\s*\(\s*([A-Za-z_][\w\s]*?(?:\s*\*)*)\s*\)\s*(-?\s*\d+)\s*\)$")

_BINARY: dict[type, Callable[[object, object], object]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.FloorDiv: lambda a, b: int(a / b) if isinstance(a, int) and isinstance(b, int) else a // b,  # type: ignore[operator]
    ast.Div: operator.truediv, ast.Mod: operator.mod, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift, ast.BitOr: operator.or_, ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
}  # fmt: skip
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
}  # fmt: skip


def to_python(body: str) -> str:
    """A C constant expression as Python source (raises NotConstant)."""
    out: list[str] = []
    pos = 0
    tokens: list[tuple[str, str]] = []
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None or m.end() == pos:
            if body[pos:].strip() == "":
                break
            raise NotConstant(f"cannot read {body[pos:]!r}")
        pos = m.end()
        kind = m.lastgroup if m.lastgroup != "suffix" else "int"
        tokens.append((kind or "", m.group(kind or 0)))
    has_float = any(k == "float" for k, _ in tokens)
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        if kind == "op" and text == "(":
            # (int-type) cast: drop it when a type name sits alone in the parentheses.
            j = i + 1
            words = []
            while j < len(tokens) and tokens[j][0] == "name":
                words.append(tokens[j][1])
                j += 1
            if (
                words
                and j < len(tokens)
                and tokens[j][1] == ")"
                and _INT_TYPES.match(" ".join(words))
            ):
                i = j + 1
                continue
        if kind == "int":
            out.append(
                str(int(text, 8))
                if len(text) > 1 and text[0] == "0" and text[1] not in "xX"
                else text
            )
        elif kind == "float":
            out.append(text.rstrip("fFlL"))
        elif kind == "char":
            out.append(str(ord(ast.literal_eval(text))))
        elif kind == "op":
            out.append(
                {"&&": " and ", "||": " or ", "!": " not ", "/": "/" if has_float else "//"}.get(
                    text, text
                )
            )
        else:
            out.append(text)
        i += 1
    return " ".join(out)


def evaluate(body: str, known: Mapping[str, Value]) -> Value | Cast:
    """The value of a macro body, given the constants known so far."""
    cast = _CAST_TO_POINTER.match(body.strip())
    if cast and not _INT_TYPES.match(cast.group(1).strip()):
        return Cast(" ".join(cast.group(1).split()), int(cast.group(2).replace(" ", "")))
    if "?" in body:
        raise NotConstant("conditional expressions are not evaluated")
    try:
        tree = ast.parse(to_python(body), mode="eval")
    except SyntaxError:
        raise NotConstant(f"not a constant expression: {body}") from None
    return _eval(tree.body, known)


def _eval(node: ast.expr, known: Mapping[str, Value]) -> Value:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in known:
            return known[node.id]
        raise NotConstant(f"refers to {node.id}, which is not a known constant")
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, known)
        if isinstance(node.op, ast.USub) and not isinstance(v, str):
            return -v
        if isinstance(node.op, ast.UAdd) and not isinstance(v, str):
            return v
        if isinstance(node.op, ast.Invert) and isinstance(v, int):
            return ~v
        if isinstance(node.op, ast.Not):
            return int(not v)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        a, b = _eval(node.left, known), _eval(node.right, known)
        if isinstance(a, str) or isinstance(b, str):
            raise NotConstant("arithmetic on strings")
        try:
            return _BINARY[type(node.op)](a, b)  # type: ignore[return-value]
        except (ZeroDivisionError, ValueError, OverflowError) as exc:
            raise NotConstant(str(exc)) from None
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, known) for v in node.values]
        return int(all(values) if isinstance(node.op, ast.And) else any(values))
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        return int(
            _COMPARE[type(node.ops[0])](_eval(node.left, known), _eval(node.comparators[0], known))
        )
    raise NotConstant("not a constant expression")
