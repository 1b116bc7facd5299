"""Transports under stress, real sockets on 127.0.0.1: hostile and vanishing
clients, clients that never read, UDP loss, timeouts, late and foreign replies,
and stopping a server from another thread or a signal handler."""

from __future__ import annotations

import os
import signal
import socket
import struct
import threading

import pytest
from idlgen_runtime.oncrpc import RpcServer, RpcTimeout, RpcTransportError, message, record
from idlgen_runtime.oncrpc.dispatch import Dispatcher
from idlgen_runtime.oncrpc.server import MAX_QUEUED_REPLIES
from oncrpc_echo import Echo, EchoClient, serving


def _call_record(xid: int, proc: int, args: bytes) -> bytes:
    head = struct.pack(">IIIIIIIIII", xid, 0, 2, 0x20000444, 2, proc, 0, 0, 0, 0)
    return record.frame(head + args)


@pytest.fixture
def server():
    with serving(RpcServer([Echo()], max_record=1024)) as srv:
        yield srv


def connect(port, **kw):
    return EchoClient.connect("127.0.0.1", port=port, **kw)


@pytest.mark.parametrize(
    "payload",
    [
        record.frame(b"garbage that is no call"),
        record.frame(b"\0\0\0\1\0\0\0\1"),  # a reply, not a call
        struct.pack(">I", 0x80000000 | 100) + b"x" * 10,  # truncated, then closed
        struct.pack(">I", 100) + b"x" * 100 + b"\0\0",  # closed inside the next header
        struct.pack(">I", 0x80000000 | 100_000),  # larger than max_record
        struct.pack(">I", 0x7FFFFFFF),  # a fragment header claiming 2 GiB
        struct.pack(">I", 1000) * 2 + b"y" * 1000,  # fragments adding up past max_record
    ],
    ids=["garbage", "reply", "truncated", "cut-header", "oversized", "2GiB", "sum-oversized"],
)
def test_hostile_client_is_dropped_and_others_served(server, payload):
    with connect(server.port) as good:
        assert good.ECHO(b"before") == b"before"
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as bad:
            bad.sendall(payload)
            bad.shutdown(socket.SHUT_WR)
            assert bad.recv(100) == b""  # dropped, no reply
        assert good.ECHO(b"after") == b"after"


def test_call_over_max_record_drops_only_that_client(server):
    with connect(server.port) as good, connect(server.port) as big:
        with pytest.raises(RpcTransportError):
            big.ECHO(b"\0" * 4000)
        assert good.ECHO(b"ok") == b"ok"


def test_client_vanishing_mid_reply_does_not_stop_the_server():
    with serving(RpcServer([Echo()])) as srv, connect(srv.port) as good:
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as rude:
                rude.sendall(_call_record(1, 6, struct.pack(">I", 3 << 20)))  # BLOB 3 MiB
                rude.recv(10)  # the reply has started...
                rude.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # ...and the connection is reset under it
            assert good.ECHO(b"ok") == b"ok"


def test_client_that_never_reads_cannot_stall_the_others():
    with serving(RpcServer([Echo()])) as srv, connect(srv.port) as good:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as hog:
            hog.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            calls = b"".join(_call_record(i, 6, struct.pack(">I", 200_000)) for i in range(200))
            hog.sendall(calls)  # 40 MB of replies asked for, none read
            for _ in range(20):
                assert good.ECHO(b"ok") == b"ok"
            queued = max(len(conn.out) for conn in list(srv._connections.values()))
            assert queued < MAX_QUEUED_REPLIES + 300_000  # bounded, not 40 MB


def test_garbage_datagrams_are_ignored(server):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for junk in (b"", b"\1\2", b"x" * 100, struct.pack(">II", 5, 1)):
            s.sendto(junk, ("127.0.0.1", server.port))
    with connect(server.port, transport="udp") as c:
        assert c.ECHO(b"ok") == b"ok"


def test_udp_retransmits_until_answered():
    dispatcher = Dispatcher([Echo()])
    seen: list[bytes] = []
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(10)

    def lossy() -> None:  # drops the first two datagrams, answers the third
        for _ in range(3):
            data, peer = sock.recvfrom(65536)
            seen.append(data)
        sock.sendto(dispatcher.run(data, peer, "udp"), peer)

    t = threading.Thread(target=lossy, daemon=True)
    t.start()
    with connect(sock.getsockname()[1], transport="udp", retransmit=0.05, timeout=10) as c:
        assert c.ECHO(b"lost twice") == b"lost twice"
    t.join(5)
    assert len(seen) == 3 and seen[0] == seen[1] == seen[2]  # the same call, same xid
    sock.close()


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_timeouts(transport):
    kind = socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM
    with socket.socket(socket.AF_INET, kind) as silent:
        silent.bind(("127.0.0.1", 0))
        if transport == "tcp":
            silent.listen()
        with connect(
            silent.getsockname()[1], transport=transport, timeout=0.2, retransmit=0.05
        ) as c:
            with pytest.raises(RpcTimeout):
                c.ECHO(b"anyone?")
            with pytest.raises(RpcTimeout):  # and again: the client is still usable
                c.ECHO(b"anyone?")


def test_nothing_listening_is_a_transport_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        with pytest.raises(RpcTransportError):
            connect(port)


def test_tcp_late_reply_never_answers_the_next_call():
    with serving(RpcServer([Echo()])) as srv, connect(srv.port, timeout=0.1) as c:
        with pytest.raises(RpcTimeout):
            c.SLEEP(400)  # the server answers after 0.4 s
        c.timeout = 5
        assert c.SLEEP(1) == 1
        assert c.ECHO(b"in step") == b"in step"


def test_udp_late_and_foreign_replies_are_ignored():
    dispatcher = Dispatcher([Echo()])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(10)
    forger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    forger.bind(("127.0.0.1", 0))

    def server() -> None:
        first, peer = sock.recvfrom(65536)  # the call that will time out: not answered yet
        while True:
            data, peer = sock.recvfrom(65536)
            if data[:4] != first[:4]:  # the next call (not a retransmission)
                break
        late = dispatcher.run(first, peer, "udp")
        wrong = message.accepted(int.from_bytes(data[:4], "big"), 0, b"\0\0\0\3bad\0")
        forger.sendto(wrong, peer)  # right xid, wrong address
        sock.sendto(late, peer)  # right address, stale xid
        sock.sendto(dispatcher.run(data, peer, "udp"), peer)

    t = threading.Thread(target=server, daemon=True)
    t.start()
    with connect(sock.getsockname()[1], transport="udp", timeout=0.2, retransmit=0.05) as c:
        with pytest.raises(RpcTimeout):
            c.ECHO(b"first")
        c.timeout = 10
        assert c.ECHO(b"second") == b"second"
    t.join(5)
    sock.close()
    forger.close()


def test_shutdown_from_another_thread_with_clients_connected():
    srv = RpcServer([Echo()])
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    c = connect(srv.port)
    assert c.ECHO(b"x") == b"x"
    srv.shutdown()
    thread.join(5)
    assert not thread.is_alive()
    with pytest.raises(RpcTransportError):
        c.ECHO(b"x")
    c.close()
    srv.shutdown()  # idempotent
    srv.close()


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="needs POSIX signals")
def test_shutdown_from_a_signal_handler():
    srv = RpcServer([Echo()])
    port = srv.port
    answered = []

    def poke() -> None:
        with connect(port) as c:
            answered.append(c.ECHO(b"x"))
        os.kill(os.getpid(), signal.SIGUSR1)

    previous = signal.signal(signal.SIGUSR1, lambda *_: srv.shutdown())
    try:
        threading.Thread(target=poke, daemon=True).start()
        srv.serve_forever()  # in the main thread, where Python runs signal handlers
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert answered == [b"x"]
    with pytest.raises(RpcTransportError):
        connect(port, timeout=1)  # closed on the way out of serve_forever
