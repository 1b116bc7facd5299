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


def test_the_client_class_is_generated():
    from consumer.kv import client

    assert hasattr(client, "KV_VERSION") or any("KV" in name for name in dir(client))
