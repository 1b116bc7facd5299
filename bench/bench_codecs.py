"""Encode+decode of generated XDR codecs against hand-written xdrlib3 code.

Two payloads: an NFSv3-READDIR-like reply of 1,000 entries and a flat struct
of 20 mixed fields. Every contender builds the same typed Python objects (the
generated dataclasses) on decode and produces the same bytes on encode, so the
comparison is like for like. A third contender is hand-written code with
precompiled ``struct`` plans (the floor for plain Python).

    .venv/bin/python bench/bench_codecs.py
"""

from __future__ import annotations

import struct
import sys
import tempfile
import timeit
from pathlib import Path

import xdrlib3

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "tests"))
from xdr_support import compile_package  # noqa: E402

N_ENTRIES = 1000


def load():
    out = Path(tempfile.mkdtemp(prefix="idlgen-bench-"))
    pkg, _, _ = compile_package(ROOT / "xdr" / "readdir.x", out)
    return pkg.types


def make_reply(t):
    head = None
    for i in reversed(range(N_ENTRIES)):
        head = t.entry3(1000 + i, f"file-{i:05d}.txt", i + 1, head)
    ok = t.READDIR3resok(b"\x01" * 8, t.dirlist3(head, True))
    return t.READDIR3res(t.nfsstat3.NFS3_OK, resok=ok)


def make_flat(t):
    return t.flat20(1, -2, 3, -4, 5, -6, 7, 8, 9, 10, -(2**40), 2**40, 3, 2**63, 5, 1.5, -2.5, True,
                    t.nfsstat3.NFS3ERR_IO, "a label")  # fmt: skip


# --- hand-written xdrlib3 (pyrpcgen style) ---------------------------------------


def xdrlib_encode_reply(v):
    p = xdrlib3.Packer()
    p.pack_int(v.status)
    ok = v.resok
    p.pack_fopaque(8, ok.cookieverf)
    e = ok.reply.entries
    while e is not None:
        p.pack_bool(True)
        p.pack_uhyper(e.fileid)
        p.pack_string(e.name.encode())
        p.pack_uhyper(e.cookie)
        e = e.nextentry
    p.pack_bool(False)
    p.pack_bool(ok.reply.eof)
    return p.get_buffer()


def xdrlib_decode_reply(t, data):
    u = xdrlib3.Unpacker(data)
    status = t.nfsstat3(u.unpack_int())
    verf = u.unpack_fopaque(8)
    head = prev = None
    while u.unpack_bool():
        e = t.entry3(u.unpack_uhyper(), u.unpack_string().decode(), u.unpack_uhyper(), None)
        if prev is None:
            head = e
        else:
            prev.nextentry = e
        prev = e
    eof = u.unpack_bool()
    u.done()
    return t.READDIR3res(status, resok=t.READDIR3resok(verf, t.dirlist3(head, eof)))


def xdrlib_encode_flat(v):
    p = xdrlib3.Packer()
    for x in (v.a1, v.a2, v.a3, v.a4, v.a5, v.a6):
        p.pack_int(x)
    for x in (v.u1, v.u2, v.u3, v.u4):
        p.pack_uint(x)
    for x in (v.h1, v.h2, v.h3):
        p.pack_hyper(x)
    p.pack_uhyper(v.uh1)
    p.pack_uhyper(v.uh2)
    p.pack_double(v.d1)
    p.pack_double(v.d2)
    p.pack_bool(v.flag)
    p.pack_int(v.status)
    p.pack_string(v.label.encode())
    return p.get_buffer()


def xdrlib_decode_flat(t, data):
    u = xdrlib3.Unpacker(data)
    a = [u.unpack_int() for _ in range(6)]
    b = [u.unpack_uint() for _ in range(4)]
    h = [u.unpack_hyper() for _ in range(3)]
    uh = [u.unpack_uhyper() for _ in range(2)]
    d = [u.unpack_double() for _ in range(2)]
    flag = u.unpack_bool()
    status = t.nfsstat3(u.unpack_int())
    label = u.unpack_string().decode()
    u.done()
    return t.flat20(*a, *b, *h, *uh, *d, flag, status, label)


# --- hand-written struct plans (the floor for plain Python) --------------------------

_HEAD = struct.Struct(">i8sI")
_ENTRY = struct.Struct(">QI")
_TAIL = struct.Struct(">QI")
_FLAG = struct.Struct(">I")


def plain_encode_reply(v):
    ok = v.resok
    e = ok.reply.entries
    out = [_HEAD.pack(v.status, ok.cookieverf, e is not None)]
    while e is not None:
        name = e.name.encode()
        n = len(name)
        nxt = e.nextentry
        out.append(_ENTRY.pack(e.fileid, n))
        out.append(name + b"\0" * (-n & 3))
        out.append(_TAIL.pack(e.cookie, nxt is not None))
        e = nxt
    out.append(_FLAG.pack(ok.reply.eof))
    return b"".join(out)


def plain_decode_reply(t, data):
    status, verf, more = _HEAD.unpack_from(data, 0)
    pos = 16
    head = prev = None
    entry3 = t.entry3
    while more:
        fileid, n = _ENTRY.unpack_from(data, pos)
        pos += 12
        name = data[pos : pos + n].decode()
        pos += (n + 3) & ~3
        cookie, more = _TAIL.unpack_from(data, pos)
        pos += 12
        e = entry3(fileid, name, cookie, None)
        if prev is None:
            head = e
        else:
            prev.nextentry = e
        prev = e
    (eof,) = _FLAG.unpack_from(data, pos)
    resok = t.READDIR3resok(verf, t.dirlist3(head, eof == 1))
    return t.READDIR3res(t.nfsstat3(status), resok=resok)


def best(fn, number):
    return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e6


def run() -> list[tuple[str, float, float, float, float, float, float]]:
    t = load()
    rows = []
    reply = make_reply(t)
    data = reply.to_xdr()
    assert xdrlib_encode_reply(reply) == data == plain_encode_reply(reply)
    assert (
        xdrlib_decode_reply(t, data)
        == reply
        == plain_decode_reply(t, data)
        == t.READDIR3res.from_xdr(data)
    )
    flat = make_flat(t)
    fdata = flat.to_xdr()
    assert xdrlib_encode_flat(flat) == fdata and xdrlib_decode_flat(
        t, fdata
    ) == flat == t.flat20.from_xdr(fdata)
    rows.append((
        f"READDIR reply, {N_ENTRIES} entries",
        best(lambda: xdrlib_encode_reply(reply), 20),
        best(lambda: xdrlib_decode_reply(t, data), 20),
        best(lambda: plain_encode_reply(reply), 20), best(lambda: plain_decode_reply(t, data), 20),
        best(reply.to_xdr, 20), best(lambda: t.READDIR3res.from_xdr(data), 20),
    ))  # fmt: skip
    rows.append((
        "flat struct, 20 mixed fields",
        best(lambda: xdrlib_encode_flat(flat), 5000),
        best(lambda: xdrlib_decode_flat(t, fdata), 5000),
        0.0, 0.0,
        best(flat.to_xdr, 5000), best(lambda: t.flat20.from_xdr(fdata), 5000),
    ))  # fmt: skip
    return rows


def main() -> None:
    print("XDR codecs: encode / decode, µs per value (best of 7), typed objects included")
    print(f"{'payload':<32}{'xdrlib3':>16}{'struct plans':>16}{'idlgen':>16}{'vs xdrlib3':>16}")
    for name, xe, xd, pe, pd, ge, gd in run():
        plain = f"{pe:.0f}/{pd:.0f}" if pe else "-"
        speedup = f"{xe / ge:.1f}× / {xd / gd:.1f}×"
        print(f"{name:<32}{xe:>8.1f}/{xd:<7.1f}{plain:>16}{ge:>8.1f}/{gd:<7.1f}{speedup:>16}")
    print("goal: idlgen ≥ 3× faster than xdrlib3 on both payloads, encode and decode")


if __name__ == "__main__":
    main()
