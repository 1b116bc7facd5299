"""The client against servers that misbehave: garbage replies, oversize
headers, silence, a dropped connection. It raises a system exception every
time, never waits past its timeout, and recovers with a new connection."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator

import monservice as M
import pytest
from idlgen_runtime.corba import CORBA
from idlgen_runtime.giop import messages as m
from idlgen_runtime.giop.ior import IOR, IiopProfile
from orb_clients import client_orb

Behaviour = Callable[[socket.socket, bytes], None]


@pytest.fixture
def fake_server() -> Iterator[Callable[[Behaviour], M.Service]]:
    """A one-thread TCP server answering each request with ``behaviour``."""
    lsock = socket.create_server(("127.0.0.1", 0))
    lsock.settimeout(10)
    stop = threading.Event()
    holder: dict[str, Behaviour] = {}

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = lsock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1.0)
                try:
                    head = conn.recv(12)
                    if len(head) == 12:
                        size = struct.unpack(">I" if head[6] & 1 == 0 else "<I", head[8:12])[0]
                        body = b""
                        while len(body) < size:
                            body += conn.recv(size - len(body))
                        holder["b"](conn, head + body)
                except OSError:
                    pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()

    def make(behaviour: Behaviour) -> M.Service:
        holder["b"] = behaviour
        prof = IiopProfile("127.0.0.1", lsock.getsockname()[1], b"key", (1, 2))
        orb = client_orb("-ORBclientCallTimeOutPeriod", "500")
        p = orb.string_to_object(IOR.for_iiop(M.Service._NP_RepositoryId, prof).to_string())
        return p._narrow(M.Service)

    yield make
    stop.set()
    lsock.shutdown(socket.SHUT_RDWR)  # wakes accept()
    lsock.close()
    t.join(5)
    assert not t.is_alive()


def _rid(request: bytes) -> int:
    return int(struct.unpack_from("<I" if request[6] & 1 else ">I", request, 12)[0])


def test_garbage_reply_is_marshal_or_comm_failure(fake_server) -> None:
    p = fake_server(lambda c, req: c.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n"))
    with pytest.raises((CORBA.MARSHAL, CORBA.COMM_FAILURE)):
        p.doubler_long(1)


def test_oversize_reply_header_is_refused(fake_server) -> None:
    p = fake_server(lambda c, req: c.sendall(b"GIOP\x01\x02\x00\x01\xff\xff\xff\xff"))
    with pytest.raises(CORBA.IMP_LIMIT):
        p.doubler_long(1)


def test_malformed_reply_body_is_marshal(fake_server) -> None:
    def reply(c: socket.socket, req: bytes) -> None:
        out = m.start((1, 2), m.REPLY)
        m.write_reply(out, (1, 2), _rid(req), m.NO_EXCEPTION, [])
        out.buf += b"\x01"  # a long wanted, one byte given
        c.sendall(m.finish(out))

    p = fake_server(reply)
    with pytest.raises(CORBA.MARSHAL):
        p.doubler_long(1)


def test_silent_server_times_out(fake_server) -> None:
    p = fake_server(lambda c, req: c.recv(1))  # never answers (until we close)
    with pytest.raises(CORBA.TIMEOUT):
        p.doubler_long(1)


def test_dropped_connection_is_comm_failure(fake_server) -> None:
    p = fake_server(lambda c, req: None)  # closes without a word
    with pytest.raises((CORBA.COMM_FAILURE, CORBA.TRANSIENT)):
        p.doubler_long(1)


def test_nothing_listening_is_transient() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = client_orb().string_to_object(f"corbaloc::127.0.0.1:{port}/Key")
    with pytest.raises(CORBA.TRANSIENT):
        p._non_existent()


def test_system_exception_with_unknown_id_is_unknown(fake_server) -> None:
    def reply(c: socket.socket, req: bytes) -> None:
        out = m.start((1, 2), m.REPLY)
        m.write_reply(out, (1, 2), _rid(req), m.SYSTEM_EXCEPTION, [])
        out.string("IDL:vendor/WEIRD:1.0")
        out.ulong(7)
        out.ulong(1)
        c.sendall(m.finish(out))

    p = fake_server(reply)
    with pytest.raises(CORBA.UNKNOWN) as info:
        p.doubler_long(1)
    assert info.value.minor == 7 and info.value.completed == CORBA.COMPLETED_NO
