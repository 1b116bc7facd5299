"""Hostile peers on 127.0.0.1, one test per attack of issue 7, against both servers
(and the blocking client against hostile servers). Each attack is bounded in
count and time; no test asserts a wall-clock time — they count bytes, calls,
connections closed and CPU seconds used.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from idlgen_runtime.oncrpc import (
    AuthError,
    AuthStat,
    RpcServer,
    RpcTimeout,
    RpcTransportError,
    ServerLimits,
    message,
    record,
)
from idlgen_runtime.oncrpc.aio import AsyncRpcServer
from oncrpc_echo import ECHO_PROG, Echo, EchoClient, serving

HERE = Path(__file__).resolve().parent
SERVERS = pytest.mark.parametrize("kind", ["blocking", "asyncio"])


@contextlib.contextmanager
def serving_async(server_args: list, **kw) -> Iterator[AsyncRpcServer]:
    """An AsyncRpcServer on its own loop in a thread, for blocking test code."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    box: dict = {}

    async def main() -> None:
        srv = AsyncRpcServer(server_args, **kw)
        await srv.start()
        box["srv"] = srv
        started.set()
        await srv.serve_forever()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(10)
    try:
        yield box["srv"]
    finally:
        asyncio.run_coroutine_threadsafe(box["srv"].close(), loop).result(10)
        thread.join(10)
        loop.close()


@contextlib.contextmanager
def a_server(kind: str, programs: list, **kw) -> Iterator:
    if kind == "blocking":
        with serving(RpcServer(programs, **kw)) as srv:
            yield srv
    else:
        with serving_async(programs, **kw) as srv:
            yield srv


def call_bytes(
    xid: int, proc: int, args: bytes = b"", cred: bytes = b"", verf: bytes = b""
) -> bytes:
    def opaque(flavor: int, body: bytes) -> bytes:
        return struct.pack(">II", flavor, len(body)) + body + b"\0" * (-len(body) % 4)

    head = struct.pack(">IIIIII", xid, 0, 2, ECHO_PROG, 2, proc)
    return head + opaque(1 if cred else 0, cred) + opaque(0, verf) + args


def closed_by_peer(sock: socket.socket, wait: float = 10.0) -> bool:
    """True once the server has closed ``sock`` (EOF or reset), False if it stays open."""
    sock.settimeout(wait)
    try:
        while sock.recv(65536):
            pass
        return True
    except ConnectionError:
        return True
    except TimeoutError:
        return False


def wait_closed(socks: list[socket.socket], want: int, wait: float = 10.0) -> int:
    """How many of ``socks`` the server closed, waiting until ``want`` are (or ``wait`` s)."""
    closed: set[socket.socket] = set()
    deadline = time.monotonic() + wait
    while len(closed) < want and time.monotonic() < deadline:
        live = [s for s in socks if s not in closed]
        ready, _, _ = select.select(live, [], [], 0.1)
        for s in ready:
            try:
                if not s.recv(65536):
                    closed.add(s)
            except ConnectionError:
                closed.add(s)
    return len(closed)


# --- the blocking client against hostile servers: one deadline per call ----------------


@contextlib.contextmanager
def hostile_server(behaviour) -> Iterator[tuple[int, dict]]:
    """A TCP server on 127.0.0.1: reads one call, then runs ``behaviour(conn, xid, sent)``."""
    listener = socket.create_server(("127.0.0.1", 0))
    sent = {"n": 0, "done": False}

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            data = record.read_record(conn.makefile("rb"), 1 << 20)
            assert data is not None
            with contextlib.suppress(OSError):
                behaviour(conn, struct.unpack_from(">I", data)[0], sent)
        sent["done"] = True

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], sent
    finally:
        listener.close()
        thread.join(30)


def _wrong_xid_every_tenth_second(conn, xid, sent) -> None:
    for _ in range(300):  # 30 s of wrong replies, were the client to wait for them
        conn.sendall(record.frame(message.accepted(xid + 1, message.SUCCESS)))
        sent["n"] += 1
        time.sleep(0.1)


def _one_byte_every_tenth_second(conn, xid, sent) -> None:
    reply = record.frame(message.accepted(xid, message.SUCCESS, b"\0\0\0\5" + b"x" * 8))
    for i in range(len(reply)):  # 4 s for the whole reply
        conn.send(reply[i : i + 1])
        sent["n"] += 1
        time.sleep(0.1)


def _empty_fragments(conn, xid, sent) -> None:
    for _ in range(10_000):
        conn.sendall(struct.pack(">I", 0) * 256)
        sent["n"] += 256


@pytest.mark.parametrize("behaviour", [_wrong_xid_every_tenth_second, _one_byte_every_tenth_second])
def test_the_client_timeout_bounds_the_call_not_each_read(behaviour):
    with hostile_server(behaviour) as (port, sent):
        with EchoClient.connect("127.0.0.1", port=port, timeout=1.0) as c:
            with pytest.raises(RpcTimeout) as info:
                c.ECHO(b"hello")
            given_up_after = sent["n"]
    # A per-read timeout would wait for every one of them (300 replies, 40 bytes).
    assert given_up_after < 25
    assert "EchoClient.ECHO (program" in str(info.value)


def test_the_client_refuses_empty_fragments():
    with hostile_server(_empty_fragments) as (port, sent):
        with EchoClient.connect("127.0.0.1", port=port, timeout=30) as c:
            with pytest.raises(RpcTransportError, match="empty fragment"):
                c.ECHO(b"hello")


# --- the servers ------------------------------------------------------------------------


@SERVERS
def test_empty_fragments_drop_the_client(kind):
    with a_server(kind, [Echo()]) as srv, EchoClient.connect("127.0.0.1", port=srv.port) as good:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as bad:
            sent = 0
            with contextlib.suppress(OSError):
                for _ in range(1000):  # at most 4 MB of empty fragments
                    bad.sendall(struct.pack(">I", 0) * 1024)
                    sent += 1
            assert closed_by_peer(bad)
        assert sent < 1000  # dropped long before the stream ended
        assert good.ECHO(b"served") == b"served"


@SERVERS
@pytest.mark.parametrize("transport", ["tcp", "udp"])
@pytest.mark.parametrize(
    ("cred", "verf", "stat"),
    [(b"c" * 500, b"", AuthStat.AUTH_BADCRED), (b"", b"v" * 404, AuthStat.AUTH_BADVERF)],
)
def test_credentials_over_400_bytes_are_denied_not_dropped(kind, transport, cred, verf, stat):
    with a_server(kind, [Echo()]) as srv:
        data = call_bytes(77, 1, b"\0\0\0\0", cred=cred, verf=verf)
        if transport == "tcp":
            with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
                s.sendall(record.frame(data))
                reply = record.read_record(s.makefile("rb"), 1 << 20)
        else:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.settimeout(10)
                s.sendto(data, ("127.0.0.1", srv.port))
                reply = s.recv(65536)
        assert reply is not None and message.reply_xid(reply) == 77
        with pytest.raises(AuthError) as info:
            message.parse_reply(reply)
        assert info.value.stat is stat


@SERVERS
def test_memory_held_for_partial_records_is_capped(kind):
    """50 connections each sending 4 MiB of a 4 MiB fragment held ~240 MB."""
    limits = ServerLimits(max_record=2 << 20, max_memory=4 << 20)
    with a_server(kind, [Echo()], limits=limits) as srv:
        with EchoClient.connect("127.0.0.1", port=srv.port) as good:
            hogs = []
            try:
                for _ in range(10):
                    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
                    hogs.append(s)
                    with contextlib.suppress(OSError):
                        s.sendall(struct.pack(">I", 0x80000000 | (2 << 20)) + b"m" * (1536 << 10))
                    assert good.ECHO(b"served") == b"served"
                # 1.5 MiB each: at most two fit in 4 MiB; the rest were closed.
                assert wait_closed(hogs, want=8) >= 8
                assert srv._memory <= limits.max_memory
                assert good.ECHO(b"still served") == b"still served"
            finally:
                for s in hogs:
                    s.close()


@SERVERS
def test_idle_connections_are_closed(kind):
    with a_server(kind, [Echo()], limits=ServerLimits(idle_timeout=0.3)) as srv:
        with (
            socket.create_connection(("127.0.0.1", srv.port), timeout=10) as silent,
            socket.create_connection(("127.0.0.1", srv.port), timeout=10) as partial,
        ):
            partial.sendall(struct.pack(">I", 0x80000000 | 100) + b"half")
            assert closed_by_peer(silent) and closed_by_peer(partial)
        with EchoClient.connect("127.0.0.1", port=srv.port) as good:
            assert good.ECHO(b"fresh") == b"fresh"


@SERVERS
def test_connection_limit_closes_the_longest_idle(kind):
    with a_server(kind, [Echo()], limits=ServerLimits(max_connections=4)) as srv:
        idle = [socket.create_connection(("127.0.0.1", srv.port), timeout=10) for _ in range(4)]
        goods: list[EchoClient] = []
        try:
            time.sleep(0.1)  # all four accepted before the next arrives
            for _ in range(3):
                goods.append(EchoClient.connect("127.0.0.1", port=srv.port))
                assert goods[-1].ECHO(b"in") == b"in"
            assert wait_closed(idle, want=3) == 3  # the three idle the longest
            assert all(good.ECHO(b"still in") == b"still in" for good in goods)
            assert len(srv._connections) == 4
        finally:
            for s in idle:
                s.close()
            for good in goods:
                good.close()


@SERVERS
def test_udp_retransmissions_are_answered_from_the_cache(kind):
    echo = Echo()
    with a_server(kind, [echo], transports=["udp"]) as srv:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(10)
            s.connect(("127.0.0.1", srv.port))
            data = call_bytes(9, 1, b"\0\0\0\2ab\0\0")
            for _ in range(3):
                s.send(data)
            replies = [s.recv(65536) for _ in range(3)]
            assert len(set(replies)) == 1 and message.reply_xid(replies[0]) == 9
            assert echo.calls == 1
            s.send(call_bytes(9, 1, b"\0\0\0\2cd\0\0"))  # the same xid, another call: run it
            assert s.recv(65536).endswith(b"cd\0\0")
            assert echo.calls == 2
            assert srv.drc.hits == 2


@SERVERS
def test_the_duplicate_request_cache_can_be_turned_off(kind):
    echo = Echo()
    limits = ServerLimits(drc_entries=0)
    with a_server(kind, [echo], transports=["udp"], limits=limits) as srv:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(10)
            s.connect(("127.0.0.1", srv.port))
            for _ in range(3):
                s.send(call_bytes(9, 1, b"\0\0\0\0"))
                s.recv(65536)
            assert echo.calls == 3


def test_async_udp_copies_of_a_running_call_are_dropped():
    class Slow(Echo):
        runs = 0

        async def SLEEP(self, ms: int) -> int:  # type: ignore[override]
            Slow.runs += 1
            await asyncio.sleep(ms / 1000)
            return ms

    with serving_async([Slow()], transports=["udp"]) as srv:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(10)
            s.connect(("127.0.0.1", srv.port))
            data = call_bytes(5, 3, struct.pack(">I", 300))
            for _ in range(3):  # the retransmissions of a client with a short interval
                s.send(data)
            first = s.recv(65536)
            s.send(data)  # after the reply: answered from the cache
            assert s.recv(65536) == first
            assert Slow.runs == 1


# --- out of file descriptors ---------------------------------------------------------------

EMFILE_SERVER = """
import logging, os, resource, sys, threading
sys.path.insert(0, sys.argv[2])
from oncrpc_echo import Echo
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
kind = sys.argv[1]
if kind == "blocking":
    from idlgen_runtime.oncrpc import RpcServer
    srv = RpcServer([Echo()], transports=["tcp"])
    threading.Thread(target=srv.serve_forever, daemon=True).start()
else:
    import asyncio
    from idlgen_runtime.oncrpc.aio import AsyncRpcServer
    loop = asyncio.new_event_loop()
    srv = AsyncRpcServer([Echo()], transports=["tcp"])
    loop.run_until_complete(srv.start())
    threading.Thread(target=loop.run_forever, daemon=True).start()
print(srv.port, flush=True)
sys.stdin.readline()          # the good client is connected: use up every descriptor
held = []
try:
    while True:
        held.append(os.open(os.devnull, os.O_RDONLY))
except OSError:
    pass
print(len(held), flush=True)
sys.stdin.readline()          # done
"""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@SERVERS
def test_out_of_descriptors_the_server_rests_instead_of_spinning(kind, tmp_path):
    """The blocking server retried accept at 100 % CPU and logged ~7 MB/s."""
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", EMFILE_SERVER, kind, str(HERE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        port = int(proc.stdout.readline())
        with EchoClient.connect("127.0.0.1", port=port, timeout=10) as good:
            assert good.ECHO(b"before") == b"before"
            proc.stdin.write("fill\n")
            proc.stdin.flush()
            assert int(proc.stdout.readline()) > 0
            before = _cpu_seconds(proc.pid)
            pending = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(5)]
            for i in range(15):  # 1.5 s with connections waiting to be accepted
                assert good.ECHO(b"%d" % i) == b"%d" % i  # the connected client is served
                time.sleep(0.1)
            used = _cpu_seconds(proc.pid) - before
            for s in pending:
                s.close()
        assert used < 0.5, f"{used:.2f} s of CPU in 1.5 s: accept is spinning"
        lines = log.read_text().splitlines()
        accept_lines = [line for line in lines if "accept" in line]
        assert len(accept_lines) <= 5, accept_lines[:10]
    finally:
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.write("done\n")
                proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@SERVERS
def test_clients_reconnect_after_an_idle_close(kind):
    """A connection the server closed while nobody called does not fail the next call."""
    with a_server(kind, [Echo()], limits=ServerLimits(idle_timeout=0.2)) as srv:
        with EchoClient.connect("127.0.0.1", port=srv.port) as c:
            assert c.ECHO(b"1") == b"1"
            old = c._sock
            for _ in range(100):  # until the server has closed it (a sweep every 0.05 s)
                time.sleep(0.05)
                if not srv._connections:
                    break
            time.sleep(1.1)  # past the client's idle check
            assert c.ECHO(b"2") == b"2"
            assert c._sock is not old


@SERVERS
def test_a_half_closed_connection_gets_every_reply(kind):
    """Calls sent, then the client's side shut down: all replies come, then EOF."""
    with a_server(kind, [Echo()]) as srv:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
            for xid in range(200):
                s.sendall(record.frame(call_bytes(xid, 6, struct.pack(">I", 20000))))  # BLOB
            s.shutdown(socket.SHUT_WR)
            stream = s.makefile("rb")
            replies = []
            while (reply := record.read_record(stream, 1 << 20)) is not None:
                replies.append(reply)
            assert [message.reply_xid(r) for r in replies] == list(range(200))


@SERVERS
def test_an_idle_client_that_never_reads_its_replies_is_closed_too(kind):
    limits = ServerLimits(idle_timeout=0.3, max_queued_replies=1 << 20)
    with a_server(kind, [Echo()], limits=limits) as srv:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            with contextlib.suppress(OSError):
                for xid in range(40):  # 40 × 1 MB of replies it never reads
                    s.sendall(record.frame(call_bytes(xid, 6, struct.pack(">I", 1 << 20))))
            deadline = time.monotonic() + 10
            while srv._connections and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not srv._connections


@SERVERS
def test_a_slow_udp_call_retransmitted_by_the_client_runs_once(kind):
    """The issue's case, scaled down: a call longer than the client's retransmit interval."""

    class Counting(Echo):
        runs = 0

        def SLEEP(self, ms: int) -> int:
            Counting.runs += 1
            return super().SLEEP(ms)

    with a_server(kind, [Counting()], transports=["udp"]) as srv:
        with EchoClient.connect(
            "127.0.0.1", port=srv.port, transport="udp", retransmit=0.1, timeout=10
        ) as c:
            assert c.SLEEP(450) == 450  # sent about five times
            assert c.ECHO(b"next") == b"next"
    assert Counting.runs == 1
    assert srv.drc.hits + srv.drc.dropped >= 1


FD_LIMITED_SERVER = """
import resource, sys, threading
sys.path.insert(0, sys.argv[2])
from oncrpc_echo import Echo
resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
if sys.argv[1] == "blocking":
    from idlgen_runtime.oncrpc import RpcServer
    srv = RpcServer([Echo()], transports=["tcp"])
    threading.Thread(target=srv.serve_forever, daemon=True).start()
else:
    import asyncio
    from idlgen_runtime.oncrpc.aio import AsyncRpcServer
    loop = asyncio.new_event_loop()
    srv = AsyncRpcServer([Echo()], transports=["tcp"])
    loop.run_until_complete(srv.start())
    threading.Thread(target=loop.run_forever, daemon=True).start()
print(srv.port, srv.max_connections, flush=True)
sys.stdin.readline()
"""


@SERVERS
def test_idle_connections_cannot_lock_new_clients_out(kind):
    """More idle connections than the server has descriptors: new clients still get in,
    because the connection limit sits below the descriptor limit and closes the idlest."""
    proc = subprocess.Popen(
        [sys.executable, "-c", FD_LIMITED_SERVER, kind, str(HERE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    idle: list[socket.socket] = []
    try:
        assert proc.stdout is not None and proc.stdin is not None
        port, limit = map(int, proc.stdout.readline().split())
        assert limit == 96  # 128 descriptors, a quarter kept for the rest
        for _ in range(150):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        time.sleep(0.2)
        for i in range(3):
            with EchoClient.connect("127.0.0.1", port=port, timeout=10) as good:
                assert good.ECHO(b"%d" % i) == b"%d" % i
        assert wait_closed(idle, want=150 - limit) >= 150 - limit  # the idlest made room
    finally:
        for s in idle:
            s.close()
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
