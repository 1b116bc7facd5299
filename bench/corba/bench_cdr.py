"""CDR encode+decode of idlgen's compiled plans against hand-written `struct` code.

Two payloads, as issue 9 asks:
  * a sequence of 1,000 structs (a string, a long, a double, a nested struct of a
    long and a double), encoded and decoded into the same dataclasses by both;
  * a 1 MB sequence<long>, decoded by idlgen (one `array` call) and by a
    per-element `struct.unpack_from` loop.
The hand-written code is the careful kind (precompiled `struct.Struct`s, CDR
alignment done by hand), not a naive one. Goal: >= 1x and >= 20x.

    .venv/bin/python bench/corba/bench_cdr.py
"""

from __future__ import annotations

import dataclasses
import struct
import timeit

from idlgen_runtime.giop import tc
from idlgen_runtime.giop.cdr import CdrInput, CdrOutput

N = 1000


@dataclasses.dataclass
class Inner:
    a: int
    b: float


@dataclasses.dataclass
class Rec:
    s: str
    l: int  # noqa: E741
    d: float
    n: Inner


T_INNER = tc.struct("IDL:Bench/Inner:1.0", "Inner", Inner, (("a", tc.long), ("b", tc.double)))
T_REC = tc.struct(
    "IDL:Bench/Rec:1.0", "Rec", Rec,
    (("s", tc.string), ("l", tc.long), ("d", tc.double), ("n", T_INNER)),
)  # fmt: skip
T_SEQ = tc.sequence(T_REC)
T_LONGS = tc.sequence(tc.long)

# -- hand-written, big-endian, alignment relative to offset 0 ------------------------
_U = struct.Struct(">I")
_L = struct.Struct(">i")
_D = struct.Struct(">d")
PAD = [b"\0" * i for i in range(8)]


def hand_encode(recs: list[Rec]) -> bytes:
    buf = bytearray(_U.pack(len(recs)))
    for r in recs:
        b = r.s.encode("latin-1")
        buf += PAD[-len(buf) & 3]
        buf += _U.pack(len(b) + 1)
        buf += b
        buf += b"\0"
        buf += PAD[-len(buf) & 3]
        buf += _L.pack(r.l)
        buf += PAD[-len(buf) & 7]
        buf += _D.pack(r.d)
        buf += _L.pack(r.n.a)
        buf += PAD[-len(buf) & 7]
        buf += _D.pack(r.n.b)
    return bytes(buf)


def hand_decode(data: bytes) -> list[Rec]:
    (n,) = _U.unpack_from(data, 0)
    pos = 4
    out = []
    for _ in range(n):
        pos += -pos & 3
        (k,) = _U.unpack_from(data, pos)
        pos += 4
        s = data[pos : pos + k - 1].decode("latin-1")
        pos += k
        pos += -pos & 3
        (l,) = _L.unpack_from(data, pos)  # noqa: E741
        pos += 4
        pos += -pos & 7
        (d,) = _D.unpack_from(data, pos)
        pos += 8
        (a,) = _L.unpack_from(data, pos)
        pos += 4
        pos += -pos & 7
        (b,) = _D.unpack_from(data, pos)
        pos += 8
        out.append(Rec(s, l, d, Inner(a, b)))
    return out


def loop_decode_longs(data: bytes) -> list[int]:
    (n,) = _U.unpack_from(data, 0)
    unpack = _L.unpack_from
    return [unpack(data, 4 + 4 * i)[0] for i in range(n)]


def idl_encode(v: object, t: tc.TypeCodeClass) -> bytes:
    out = CdrOutput(False)
    out.write(t, v)
    return bytes(out.buf)


def idl_decode(data: bytes, t: tc.TypeCodeClass) -> object:
    return CdrInput(data, False).read(t)


def best(fn: object, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number  # type: ignore[arg-type]


def main() -> int:
    recs = [Rec(f"name-{i:05d}", i, i * 0.5, Inner(-i, i * 2.0)) for i in range(N)]
    data = idl_encode(recs, T_SEQ)
    assert data == hand_encode(recs), "idlgen and the hand-written encoder disagree"
    assert idl_decode(data, T_SEQ) == hand_decode(data) == recs
    longs = list(range(-(1 << 17), 1 << 17))  # 262,144 longs = 1 MB
    ldata = idl_encode(longs, T_LONGS)
    assert idl_decode(ldata, T_LONGS) == loop_decode_longs(ldata) == longs

    enc_h = best(lambda: hand_encode(recs), 20)
    dec_h = best(lambda: hand_decode(data), 20)
    enc_i = best(lambda: idl_encode(recs, T_SEQ), 20)
    dec_i = best(lambda: idl_decode(data, T_SEQ), 20)
    seq_h = best(lambda: loop_decode_longs(ldata), 3)
    seq_i = best(lambda: idl_decode(ldata, T_LONGS), 3)

    rows = [
        ("1,000 structs encode", enc_h, enc_i),
        ("1,000 structs decode", dec_h, dec_i),
        ("1,000 structs encode+decode", enc_h + dec_h, enc_i + dec_i),
        ("1 MB sequence<long> decode", seq_h, seq_i),
    ]
    print(f"{'CDR (µs, best of 5)':32} {'hand-written':>13} {'idlgen':>10} {'speed-up':>9}")
    for name, h, i in rows:
        print(f"{name:32} {h * 1e6:13.0f} {i * 1e6:10.0f} {h / i:8.1f}x")
    ok_structs = (enc_h + dec_h) / (enc_i + dec_i) >= 1.0
    ok_longs = seq_h / seq_i >= 20.0
    print(f"goals: structs >= 1x {'met' if ok_structs else 'MISSED'}, "
          f"sequence<long> >= 20x {'met' if ok_longs else 'MISSED'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
