"""The wire formats on their own: record marking, call/reply headers, AUTH_SYS."""

from __future__ import annotations

import asyncio
import io
import struct

import pytest
from idlgen_runtime.oncrpc import (
    AuthError,
    AuthStat,
    AuthSys,
    GarbageArgs,
    ProcUnavail,
    ProgMismatch,
    ProgUnavail,
    RpcMismatch,
    RpcTransportError,
    SystemErr,
    message,
    record,
)
from idlgen_runtime.oncrpc.aio import read_record as aread_record
from idlgen_runtime.oncrpc.auth import (
    AUTH_NONE,
    AUTH_SYS,
    AuthNone,
    AuthSysParams,
    BadCredentials,
    decode_credentials,
)
from idlgen_runtime.oncrpc.errors import RpcProtocolError

LAST = 0x80000000


def _fragments(framed: bytes) -> list[tuple[bool, bytes]]:
    out, pos = [], 0
    while pos < len(framed):
        (word,) = struct.unpack_from(">I", framed, pos)
        n = word & 0x7FFFFFFF
        out.append((bool(word & LAST), framed[pos + 4 : pos + 4 + n]))
        pos += 4 + n
    return out


# --- record marking ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "max_fragment", "count"),
    [(0, 5, 1), (5, 5, 1), (6, 5, 2), (10, 5, 2), (11, 5, 3), (1000, 1, 1000)],
)
def test_frame_splits_into_fragments(size, max_fragment, count):
    data = bytes(i % 251 for i in range(size))
    parts = _fragments(record.frame(data, max_fragment))
    assert len(parts) == count
    assert [last for last, _ in parts] == [False] * (count - 1) + [True]
    assert all(len(chunk) <= max_fragment for _, chunk in parts)
    assert b"".join(chunk for _, chunk in parts) == data


def _read(data: bytes, max_record: int = 1 << 20) -> list[bytes | None]:
    stream = io.BufferedReader(io.BytesIO(data))  # type: ignore[arg-type]
    out = [record.read_record(stream, max_record)]
    while out[-1] is not None:
        out.append(record.read_record(stream, max_record))
    return out


def _aread(data: bytes, max_record: int = 1 << 20) -> list[bytes | None]:
    async def main() -> list[bytes | None]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        out = [await aread_record(reader, max_record)]
        while out[-1] is not None:
            out.append(await aread_record(reader, max_record))
        return out

    return asyncio.run(main())


def _parse(data: bytes, max_record: int = 1 << 20, step: int = 1) -> list[bytes]:
    parser = record.RecordParser(max_record)
    out = []
    for i in range(0, len(data), step):
        out += parser.feed(data[i : i + step])
    assert not parser.pending
    return out


READERS = pytest.mark.parametrize("reader", ["stream", "asyncio", "parser"])


def _records(reader: str, data: bytes, max_record: int = 1 << 20) -> list[bytes]:
    if reader == "parser":
        return _parse(data, max_record)
    got = (_read if reader == "stream" else _aread)(data, max_record)
    assert got[-1] is None
    return got[:-1]  # type: ignore[return-value]


@READERS
def test_records_of_many_fragments_read_back(reader):
    records = [b"", b"a", b"hello world" * 30, bytes(range(256))]
    data = b"".join(record.frame(r, 7) for r in records)
    assert _records(reader, data) == records
    assert _records(reader, struct.pack(">I", LAST)) == [b""]  # an empty last fragment is a record


@READERS
def test_empty_fragments_that_are_not_the_last_are_refused(reader):
    # They carry nothing and end nothing: a stream of them would never be dropped.
    empty_fragments = struct.pack(">I", 3) + b"abc" + struct.pack(">I", 0) * 3
    with pytest.raises(RpcTransportError, match="empty fragment"):
        _records(reader, empty_fragments + struct.pack(">I", LAST | 2) + b"ok")


@READERS
@pytest.mark.parametrize(
    "data",
    [
        struct.pack(">I", LAST | 10) + b"short",  # closed inside a fragment
        struct.pack(">I", 3) + b"abc",  # closed after a fragment that is not the last
        struct.pack(">I", 3) + b"abc\0\0",  # closed inside the next header
        b"\0\0",  # closed inside the first header
    ],
)
def test_truncated_records_are_transport_errors(reader, data):
    if reader == "parser":
        parser = record.RecordParser()
        assert parser.feed(data) == []
        assert parser.pending  # the server drops such a client when it closes
        return
    with pytest.raises(RpcTransportError):
        _records(reader, data)


@READERS
@pytest.mark.parametrize(
    "data",
    [
        struct.pack(">I", LAST | 101),  # one fragment over the limit: refused on its header
        struct.pack(">I", 0x7FFFFFFF),  # 2 GiB declared, nothing sent
        struct.pack(">I", 60) + b"x" * 60 + struct.pack(">I", LAST | 41),  # the sum is over
    ],
)
def test_oversized_records_are_refused_before_reading_them(reader, data):
    with pytest.raises(RpcTransportError, match="more than 100 bytes"):
        _records(reader, data, max_record=100)


def test_parser_bounds_memory_for_tiny_fragments():
    parser = record.RecordParser(max_record=1000)
    one_byte = struct.pack(">I", 1) + b"z"
    assert parser.feed(one_byte * 1000) == []
    with pytest.raises(RpcTransportError):
        parser.feed(one_byte)


def test_parser_reassembles_across_arbitrary_splits():
    records = [bytes([i]) * (i * 37 % 300) for i in range(20)]
    data = b"".join(record.frame(r, 50) for r in records)
    for step in (1, 3, 4, 5, 64, len(data)):
        assert _parse(data, step=step) == records


# --- messages ------------------------------------------------------------------


def _reply(*words: int, tail: bytes = b"") -> bytes:
    return struct.pack(f">{len(words)}I", *words) + tail


@pytest.mark.parametrize(
    ("words", "error"),
    [
        ((5, 1, 0, 0, 0, 1), ProgUnavail),
        ((5, 1, 0, 0, 0, 3), ProcUnavail),
        ((5, 1, 0, 0, 0, 4), GarbageArgs),
        ((5, 1, 0, 0, 0, 5), SystemErr),
        ((5, 1, 0, 0, 0, 9), RpcProtocolError),  # unknown accept_stat
        ((5, 1, 1, 2), RpcProtocolError),  # unknown reject_stat
        ((5, 1, 2), RpcProtocolError),  # unknown reply_stat
        ((5, 0, 2, 1, 1, 0), RpcProtocolError),  # a call, not a reply
        ((5, 1, 0, 0, 401), RpcProtocolError),  # verifier over 400 bytes
        ((5, 1, 0, 0), RpcProtocolError),  # truncated
        ((5,), RpcProtocolError),
    ],
)
def test_reply_statuses(words, error):
    with pytest.raises(error):
        message.parse_reply(_reply(*words))


def test_reply_with_details():
    with pytest.raises(ProgMismatch) as mismatch:
        message.parse_reply(_reply(5, 1, 0, 0, 0, 2, 3, 4))
    assert (mismatch.value.low, mismatch.value.high) == (3, 4)
    with pytest.raises(RpcMismatch) as rpc:
        message.parse_reply(_reply(5, 1, 1, 0, 2, 2))
    assert (rpc.value.low, rpc.value.high) == (2, 2)
    for stat in AuthStat:
        with pytest.raises(AuthError) as auth:
            message.parse_reply(_reply(5, 1, 1, 1, stat))
        assert auth.value.stat is stat
    with pytest.raises(AuthError) as odd:
        message.parse_reply(_reply(5, 1, 1, 1, 99))
    assert odd.value.stat == 99
    # A verifier with a body (AUTH_SHORT, say) is skipped, padding included.
    assert message.parse_reply(_reply(5, 1, 0, 2, 3, tail=b"abc\0" + b"\0\0\0\0R")) == (5, 28)
    assert message.parse_reply(message.accepted(6, 0, b"res")) == (6, 24)


def test_call_round_trip_and_bounds():
    auth = AuthSys(stamp=1, machinename="host", uid=2, gid=3, gids=[4, 5]).encoded()
    data = message.CALL_HEAD.pack(77, 0, 2, 100, 3, 4) + auth + b"ARGS"
    call = message.parse_call(data)
    assert (call.xid, call.rpcvers, call.prog, call.vers, call.proc) == (77, 2, 100, 3, 4)
    assert call.cred_flavor == AUTH_SYS and data[call.args :] == b"ARGS"
    assert decode_credentials(call.cred_flavor, call.cred) == _sys(1, "host", 2, 3, (4, 5))
    head = message.CALL_HEAD.pack(1, 0, 2, 1, 1, 1)
    for bad in (
        head + struct.pack(">II", 1, 401) + b"\0" * 404 + b"\0" * 8,  # credential too large
        head + struct.pack(">II", 0, 0) + struct.pack(">II", 0, 401) + b"\0" * 404,
        head + struct.pack(">II", 1, 40) + b"\0" * 8,  # credential cut short
        head[:20],
        message.accepted(1, 0),  # a reply
    ):
        with pytest.raises(RpcProtocolError):
            message.parse_call(bad)


def test_datagram_replies_that_do_not_fit_become_system_err():
    big = message.accepted(9, 0, b"x" * 100)
    assert message.fit_datagram(big, 1000) is big
    with pytest.raises(SystemErr):
        message.parse_reply(message.fit_datagram(big, 50))


# --- authentication --------------------------------------------------------------


def _sys(*fields: object) -> object:
    from idlgen_runtime.oncrpc.auth import Credentials

    return Credentials(AUTH_SYS, AuthSysParams(*fields))  # type: ignore[arg-type]


def test_auth_encodings():
    assert AuthNone().encoded() == b"\0" * 16
    cred = AuthSys(stamp=0x01020304, machinename="abcde", uid=1, gid=2, gids=[3]).encoded()
    assert cred == struct.pack(">II", AUTH_SYS, 32) + bytes.fromhex(
        "01020304" "00000005" "6162636465000000" "00000001" "00000002" "00000001" "00000003"
    ) + struct.pack(">II", AUTH_NONE, 0)
    defaults = AuthSys()  # this process: host name, uid, gid, current time
    assert decode_credentials(AUTH_SYS, defaults.credential()).sys.uid == defaults.uid


@pytest.mark.parametrize(
    "auth",
    [
        AuthSys(gids=list(range(17))),
        AuthSys(machinename="m" * 256),
        AuthSys(uid=-1),
        AuthSys(gid=1 << 32),
    ],
)
def test_invalid_auth_sys_is_refused_by_the_client(auth):
    with pytest.raises(ValueError):
        auth.encoded()


@pytest.mark.parametrize(
    ("flavor", "body", "stat"),
    [
        (7, b"", AuthStat.AUTH_REJECTEDCRED),
        (AUTH_SYS, b"", AuthStat.AUTH_BADCRED),
        (AUTH_SYS, struct.pack(">II", 0, 300) + b"m" * 300, AuthStat.AUTH_BADCRED),
        (AUTH_SYS, struct.pack(">IIIII", 0, 0, 1, 1, 2) + b"\0\0\0\1", AuthStat.AUTH_BADCRED),
        (AUTH_SYS, AuthSys(gids=[1]).credential() + b"\0", AuthStat.AUTH_BADCRED),
    ],
)
def test_bad_credentials(flavor, body, stat):
    with pytest.raises(BadCredentials) as info:
        decode_credentials(flavor, body)
    assert info.value.stat is stat
