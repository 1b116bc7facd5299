"""``#define`` constants: integers, floats, strings and constant expressions of them.

A macro body is C; it is rewritten into a Python expression token by token
(octal made explicit, ``&&``/``||``/``!`` spelled out, integer literals and
casts to integer types turned into calls that carry their C type) and
evaluated by a small interpreter that knows only literals, operators and the
names of other constants. Integers follow C's rules on this machine (LP64):
a literal's type from its value and suffix, the usual arithmetic conversions,
unsigned arithmetic modulo 2**N — so ``(~(unsigned long)0)`` is
18446744073709551615 and zstd's ``(0ULL - 1)`` is too, as the C compiler
sees them. A cast of a number to a pointer or function-pointer type
(sqlite3's ``SQLITE_TRANSIENT``) becomes a :class:`Cast` that the back-end
turns into ``ffi.cast``. Anything else — function-like macros, C code, names
it cannot see — is reported back so the caller can warn by name.
"""

from __future__ import annotations

import ast
import ctypes
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Value = int | float | str


class CInt(int):
    """An integer constant with its C type: rank (char 1 … long long 5), width, signedness.

    An ``int`` to every caller; the interpreter reads the type to convert as C does.
    """

    rank: int
    bits: int
    unsigned: bool

    def __new__(cls, value: int, rank: int, bits: int, unsigned: bool) -> CInt:
        """``value`` converted to the type, as C converts: modulo 2**bits."""
        mask = (1 << bits) - 1
        value &= mask
        if not unsigned and value >> (bits - 1):
            value -= 1 << bits
        self = super().__new__(cls, value)
        self.rank, self.bits, self.unsigned = rank, bits, unsigned
        return self


_BITS = {
    1: 8 * ctypes.sizeof(ctypes.c_char), 2: 8 * ctypes.sizeof(ctypes.c_short),
    3: 8 * ctypes.sizeof(ctypes.c_int), 4: 8 * ctypes.sizeof(ctypes.c_long),
    5: 8 * ctypes.sizeof(ctypes.c_longlong),
}  # fmt: skip
#: Integer type names a cast may use: (rank, unsigned); typedef names come from the caller.
INT_TYPES: dict[str, tuple[int, bool]] = {
    "char": (1, False), "signed char": (1, False), "unsigned char": (1, True),
    "short": (2, False), "unsigned short": (2, True), "int": (3, False), "signed": (3, False),
    "unsigned int": (3, True), "unsigned": (3, True), "long": (4, False),
    "unsigned long": (4, True), "long long": (5, False), "unsigned long long": (5, True),
    "_Bool": (1, True), "size_t": (4, True), "ssize_t": (4, False), "ptrdiff_t": (4, False),
    "intptr_t": (4, False), "uintptr_t": (4, True), "intmax_t": (4, False),
    "uintmax_t": (4, True), "int8_t": (1, False), "uint8_t": (1, True), "int16_t": (2, False),
    "uint16_t": (2, True), "int32_t": (3, False), "uint32_t": (3, True), "int64_t": (4, False),
    "uint64_t": (4, True),
}  # fmt: skip


def int_spelling(words: list[str]) -> str:
    """``long unsigned int`` → ``unsigned long``: the one spelling of INT_TYPES."""
    words = [w for w in words if w != "const"]
    if all(w in ("signed", "unsigned", "short", "long", "int", "char") for w in words):
        core = [w for w in words if w not in ("signed", "unsigned", "int")]
        if core == ["char"] and "signed" in words:
            return "signed char"
        base = " ".join(core) or "int"
        return f"unsigned {base}" if "unsigned" in words else base
    return " ".join(words)


def _literal(value: int, decimal: bool, suffix: str) -> CInt:
    """An integer literal's C type: the first of C11 6.4.4.1's list its value fits."""
    longs, unsigned = suffix.count("l"), "u" in suffix
    candidates = [(r, u) for r in (3, 4, 5) for u in (False, True) if r >= 3 + min(longs, 2)]
    candidates = [(r, u) for r, u in candidates if u or not unsigned]
    if decimal and not unsigned:
        candidates = [(r, u) for r, u in candidates if not u]
    for rank, uns in candidates:
        if value < (1 << (_BITS[rank] - (0 if uns else 1))):
            return CInt(value, rank, _BITS[rank], uns)
    return CInt(value, 5, _BITS[5], True)


def _typed(v: int) -> CInt:
    """A plain int (an enumerator: C's ``int``) with a type."""
    if isinstance(v, CInt):
        return v
    return (
        CInt(v, 3, _BITS[3], False) if -(1 << 31) <= v < (1 << 31) else _literal(abs(v), True, "")
    )


def _promote(v: CInt) -> CInt:
    return v if v.rank >= 3 else CInt(v, 3, _BITS[3], False)


def _common(a: CInt, b: CInt) -> tuple[int, bool]:
    """The usual arithmetic conversions of two promoted integers: (rank, unsigned)."""
    if a.unsigned == b.unsigned:
        return max(a.rank, b.rank), a.unsigned
    uns, sig = (a, b) if a.unsigned else (b, a)
    if uns.rank >= sig.rank:
        return uns.rank, True
    if _BITS[sig.rank] > _BITS[uns.rank]:
        return sig.rank, False
    return sig.rank, True


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


def _split_suffix(text: str) -> tuple[str, str]:
    m = re.fullmatch(r"(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)", text)
    assert m is not None
    return m.group(1), m.group(2)


def _source(token: tuple[str, str]) -> str:
    return f" {token[1]} "


def _operand_end(tokens: list[tuple[str, str]], i: int) -> int:
    """Where the operand of a cast starting at ``i`` ends: a unary expression."""
    while i < len(tokens) and tokens[i][0] == "op" and tokens[i][1] in "-+~!":
        i += 1
    if i < len(tokens) and tokens[i][1] == "(":
        depth = 0
        for j in range(i, len(tokens)):
            depth += {"(": 1, ")": -1}.get(tokens[j][1], 0) if tokens[j][0] == "op" else 0
            if depth == 0:
                return j + 1
        raise NotConstant("unbalanced parentheses")
    if i >= len(tokens):
        raise NotConstant("a cast of nothing")
    return i + 1


def to_python(body: str, int_typedefs: Mapping[str, tuple[int, bool]] | None = None) -> str:
    """A C constant expression as Python source (raises NotConstant).

    ``int_typedefs`` are the header's typedefs of integer types, which casts may use.
    """
    int_typedefs = int_typedefs or {}
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
        text = m.group(0).strip() if kind == "int" else m.group(kind or 0)
        tokens.append((kind or "", text))
    has_float = any(k == "float" for k, _ in tokens)
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        if kind == "op" and text == "(":
            # A cast: a type name alone in the parentheses applies to what follows.
            j = i + 1
            words = []
            while j < len(tokens) and tokens[j][0] == "name":
                words.append(tokens[j][1])
                j += 1
            spelled = int_spelling(words)
            if (
                words
                and j < len(tokens)
                and tokens[j][1] == ")"
                and (spelled in INT_TYPES or spelled in int_typedefs)
            ):
                end = _operand_end(tokens, j + 1)
                inner = to_python("".join(_source(t) for t in tokens[j + 1 : end]), int_typedefs)
                rank, uns = INT_TYPES.get(spelled) or int_typedefs[spelled]
                out.append(f"_cast({inner}, {rank}, {uns})")
                i = end
                continue
        if kind == "int":
            digits, suffix = _split_suffix(text)
            octal = len(digits) > 1 and digits[0] == "0" and digits[1] not in "xX"
            value = int(digits, 8) if octal else int(digits, 0)
            decimal = digits[0] != "0" or digits == "0"
            out.append(f"_lit({value}, {decimal}, {suffix.lower()!r})")
        elif kind == "float":
            number = text.rstrip("fFlL")
            mantissa = re.split(r"[eE]", number)[0]
            if math.isinf(float(number)) or (float(number) == 0 and re.search("[1-9]", mantissa)):
                # LDBL_MAX, LDBL_MIN: a long double beyond what a double (a Python float) holds
                raise NotConstant(f"{text} is beyond the range of a double")
            out.append(number)
        elif kind == "char":
            out.append(f"_lit({ord(ast.literal_eval(text))}, True, '')")  # C's int
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


def evaluate(
    body: str,
    known: Mapping[str, Value],
    int_typedefs: Mapping[str, tuple[int, bool]] | None = None,
) -> Value | Cast:
    """The value of a macro body, given the constants known so far.

    Integers come back as :class:`CInt` (an ``int`` that knows its C type), so
    a later macro that uses this one computes as C would.
    """
    int_typedefs = int_typedefs or {}
    cast = _CAST_TO_POINTER.match(body.strip())
    if cast:
        spelled = int_spelling(cast.group(1).split())
        if spelled not in INT_TYPES and spelled not in int_typedefs:
            return Cast(" ".join(cast.group(1).split()), int(cast.group(2).replace(" ", "")))
    if "?" in body:
        raise NotConstant("conditional expressions are not evaluated")
    try:
        tree = ast.parse(to_python(body, int_typedefs), mode="eval")
    except SyntaxError:
        raise NotConstant(f"not a constant expression: {body}") from None
    return _eval(tree.body, known)


def _eval(node: ast.expr, known: Mapping[str, Value]) -> Value:
    if isinstance(node, ast.Constant) and isinstance(node.value, (float, str)):
        return node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        consts: list[Any] = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id == "_lit" and len(consts) == 3:
            return _literal(int(consts[0]), bool(consts[1]), str(consts[2]))
        if node.func.id == "_cast" and len(consts) >= 2:
            inner = _eval(node.args[0], known)
            rank, uns = int(consts[-2]), bool(consts[-1])
            if isinstance(inner, str):
                raise NotConstant("a cast of a string")
            return CInt(int(inner), rank, _BITS[rank], uns)
    if isinstance(node, ast.Name):
        if node.id in known:
            value = known[node.id]
            return _typed(value) if isinstance(value, int) else value
        raise NotConstant(f"refers to {node.id}, which is not a known constant")
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, known)
        if isinstance(v, str):
            raise NotConstant("arithmetic on strings")
        if isinstance(node.op, ast.Not):
            return _typed(int(not v))
        if isinstance(v, float):
            if isinstance(node.op, ast.USub):
                return -v
            if isinstance(node.op, ast.UAdd):
                return v
            raise NotConstant("~ of a float")
        p = _promote(_typed(v))
        x = int(p)
        result = (
            -x if isinstance(node.op, ast.USub) else ~x if isinstance(node.op, ast.Invert) else x
        )
        return CInt(result, p.rank, p.bits, p.unsigned)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        a, b = _eval(node.left, known), _eval(node.right, known)
        if isinstance(a, str) or isinstance(b, str):
            raise NotConstant("arithmetic on strings")
        if isinstance(a, float) or isinstance(b, float):
            try:
                return _BINARY[type(node.op)](float(a), float(b))  # type: ignore[return-value]
            except (ZeroDivisionError, ValueError, OverflowError, TypeError) as exc:
                raise NotConstant(str(exc)) from None
        return _int_binary(node.op, _promote(_typed(a)), _promote(_typed(b)))
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, known) for v in node.values]
        return _typed(int(all(values) if isinstance(node.op, ast.And) else any(values)))
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        a, b = _eval(node.left, known), _eval(node.comparators[0], known)
        if isinstance(a, int) and isinstance(b, int):  # compared in their common type
            rank, uns = _common(_promote(_typed(a)), _promote(_typed(b)))
            a, b = CInt(a, rank, _BITS[rank], uns), CInt(b, rank, _BITS[rank], uns)
        return _typed(int(_COMPARE[type(node.ops[0])](a, b)))
    raise NotConstant("not a constant expression")


def _int_binary(op: ast.operator, a: CInt, b: CInt) -> CInt:
    """``a op b`` for promoted integers, in C's type for the result."""
    if isinstance(op, (ast.LShift, ast.RShift)):
        rank, uns = a.rank, a.unsigned  # the promoted left operand's type
        if b < 0 or b >= a.bits:
            raise NotConstant("a shift by a negative count or past the width")
        x, y = int(a), int(b)
    else:
        rank, uns = _common(a, b)
        x, y = int(CInt(a, rank, _BITS[rank], uns)), int(CInt(b, rank, _BITS[rank], uns))
    if isinstance(op, (ast.FloorDiv, ast.Div, ast.Mod)):
        if y == 0:
            raise NotConstant("division by zero")
        quotient = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)  # C truncates
        return CInt(
            x - y * quotient if isinstance(op, ast.Mod) else quotient, rank, _BITS[rank], uns
        )
    result = _BINARY[type(op)](x, y)
    assert isinstance(result, int)
    return CInt(result, rank, _BITS[rank], uns)
