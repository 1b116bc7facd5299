"""The pieces behind the servers' bounds on their own: the duplicate-request cache,
the log limiter, ServerLimits' checks."""

from __future__ import annotations

import logging

import pytest
from idlgen_runtime.oncrpc import ServerLimits
from idlgen_runtime.oncrpc.drc import IN_PROGRESS, DuplicateRequestCache
from idlgen_runtime.oncrpc.limits import LogLimiter

PEER = ("127.0.0.1", 999)


def test_cache_answers_a_copy_and_runs_a_new_call_with_the_same_xid():
    drc = DuplicateRequestCache()
    call = b"\0\0\0\1" + b"call body"
    key = drc.key(call, PEER)
    assert drc.lookup(key, call) is None
    drc.begin(key, call)
    assert drc.lookup(key, call) == IN_PROGRESS  # still running: drop the copy
    drc.finish(key, b"reply" * 10)
    assert drc.lookup(key, call) == b"reply" * 10
    other = b"\0\0\0\1" + b"another call"
    assert drc.lookup(drc.key(other, PEER), other) is None  # checksum differs
    assert drc.lookup(drc.key(call, ("127.0.0.1", 1000)), call) is None  # another client
    assert (drc.hits, drc.dropped) == (1, 1)


def test_cache_keeps_at_most_its_entries_and_bytes_oldest_out():
    drc = DuplicateRequestCache(entries=3, max_bytes=1000)
    calls = [i.to_bytes(4, "big") + b"x" for i in range(5)]
    for call in calls:
        key = drc.key(call, PEER)
        drc.begin(key, call)
        drc.finish(key, b"r" * 100)
    assert len(drc) == 3 and drc.size == 300
    assert drc.lookup(drc.key(calls[0], PEER), calls[0]) is None
    assert drc.lookup(drc.key(calls[4], PEER), calls[4]) == b"r" * 100
    big = b"\0\0\0\x09"
    drc.begin(drc.key(big, PEER), big)
    drc.finish(drc.key(big, PEER), b"R" * 950)
    assert drc.size <= 1000 and drc.lookup(drc.key(big, PEER), big) == b"R" * 950


def test_cache_turned_off_keeps_nothing():
    drc = DuplicateRequestCache(entries=0)
    key = drc.key(b"\0\0\0\1", PEER)
    drc.begin(key, b"\0\0\0\1")
    drc.finish(key, b"reply")
    assert len(drc) == 0 and drc.lookup(key, b"\0\0\0\1") is None


def test_log_limiter_says_once_and_counts_the_rest(caplog):
    limiter = LogLimiter(logging.getLogger("test.limiter"), interval=3600)
    with caplog.at_level(logging.INFO, logger="test.limiter"):
        for i in range(1000):
            limiter.log(logging.WARNING, "accept", "accept failed: %d", i)
        limiter.log(logging.WARNING, "other", "another kind")
    assert [r.getMessage() for r in caplog.records] == ["accept failed: 0", "another kind"]
    limiter.interval = 0
    with caplog.at_level(logging.INFO, logger="test.limiter"):
        limiter.log(logging.WARNING, "accept", "accept failed: %d", 1000)
    assert "and 999 more like it" in caplog.records[-1].getMessage()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_record": 64 << 20}, "max_memory"),
        ({"max_in_flight": 0}, "max_in_flight"),
        ({"max_connections": 0}, "max_connections"),
        ({"udp_max_in_flight": 0}, "udp_max_in_flight"),
        ({"idle_timeout": 0}, "idle_timeout"),
    ],
)
def test_limits_that_cannot_work_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ServerLimits(**kwargs)
