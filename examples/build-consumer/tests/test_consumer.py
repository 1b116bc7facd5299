"""The example consumer's own tests: they run against the installed package."""

from __future__ import annotations

import zlib

import consumer
import pytest
from consumer import store


def test_short_values_round_trip_as_they_are():
    data = consumer.pack("greeting", b"hello")
    assert consumer.unpack(data) == ("greeting", b"hello")
    assert b"hello" in data  # not compressed


def test_long_values_are_compressed_by_zlib():
    value = b"abc" * 1000
    data = consumer.pack("big", value)
    assert len(data) < len(value) // 10
    assert consumer.unpack(data) == ("big", value)


def test_checksum_is_zlibs_crc32():
    assert store.checksum(b"idlgen") == zlib.crc32(b"idlgen")


def test_the_generated_stubs_check_their_bounds():
    from idlgen_runtime.errors import XdrEncodeError

    with pytest.raises(XdrEncodeError):
        consumer.pack("k" * 65, b"")  # key<MAX_KEY>, MAX_KEY = 64


def test_the_client_and_server_classes_are_generated():
    from consumer.kv import client, server

    assert client.KV_PROG.KV_VERSION.program == 0x20000077
    assert server.KV_PROG.KV_VERSION.version == 1


def test_a_value_goes_over_sun_rpc_and_back():
    import threading

    from consumer import service
    from consumer.kv import client
    from idlgen_runtime.oncrpc.server import RpcServer

    impl = service.KeyValueServer()
    with RpcServer([impl], "127.0.0.1", 0, transports=("tcp",)) as srv:
        thread = threading.Thread(target=srv.serve_forever, daemon=True)
        thread.start()
        try:
            with client.KV_PROG.KV_VERSION("127.0.0.1", srv.port) as kv:
                service.put(kv, "big", b"xyz" * 1000)
                assert impl.entries["big"].compressed  # it travelled compressed
                assert service.get(kv, "big") == b"xyz" * 1000
                assert service.get(kv, "none") == b""
        finally:
            srv.shutdown()
            thread.join(5)
