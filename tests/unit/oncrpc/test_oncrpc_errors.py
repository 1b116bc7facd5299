"""Error messages say which call failed and what was expected (issue 7: `str(ProcUnavail())`
was empty)."""

from __future__ import annotations

import logging
import pickle

import pytest
from idlgen_runtime.errors import XdrDecodeError
from idlgen_runtime.oncrpc import (
    AuthError,
    AuthStat,
    CallSite,
    GarbageArgs,
    ProcUnavail,
    ProgMismatch,
    ProgUnavail,
    RpcMismatch,
    RpcServer,
    RpcTimeout,
    RpcTransportError,
    SystemErr,
)
from idlgen_runtime.oncrpc.errors import RpcError
from oncrpc_echo import ECHO_PROG, Echo, EchoClient, EchoV3, serving


@pytest.mark.parametrize(
    "error",
    [
        ProgUnavail(),
        ProgMismatch(2, 3),
        ProcUnavail(),
        GarbageArgs(),
        SystemErr(),
        RpcMismatch(2, 2),
        AuthError(AuthStat.AUTH_TOOWEAK),
        AuthError(99),
        RpcTimeout(),
        RpcTransportError(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_every_error_says_something_without_a_call(error):
    text = str(error)
    assert len(text) > 20, text


def test_messages_say_what_was_expected():
    site = CallSite(ECHO_PROG, 9, 1, "EchoClient.ECHO", "127.0.0.1:111", "tcp")
    text = str(ProgMismatch(2, 3, call=site))
    assert text.startswith("EchoClient.ECHO (program 536872004 version 9 procedure 1) on ")
    assert "versions 2..3" in text and "not version 9" in text
    assert "procedure 1" in str(ProcUnavail(call=site)).split(": ", 1)[1]
    assert "AUTH_SYS" in str(AuthError(AuthStat.AUTH_TOOWEAK))
    assert "400 bytes" in str(AuthError(AuthStat.AUTH_BADCRED))
    assert "RPC versions 3..4, not 2" in str(RpcMismatch(3, 4))


def test_errors_with_arguments_pickle():
    for error in (ProgMismatch(2, 3), RpcMismatch(1, 1), AuthError(5), ProcUnavail()):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_the_client_names_the_call_in_every_error(transport):
    with serving(RpcServer([Echo(), EchoV3()])) as srv:
        with EchoClient.connect("127.0.0.1", port=srv.port, transport=transport) as c:
            where = (
                f"EchoClient.FAIL (program {ECHO_PROG} version 2 procedure 4) "
                f"on 127.0.0.1:{srv.port} over {transport}: "
            )
            for code, expected in ((3, ProcUnavail), (1, GarbageArgs), (0, SystemErr)):
                with pytest.raises(expected) as info:
                    c.FAIL(code)
                assert str(info.value).startswith(where)
                assert info.value.call.procedure == 4
            with pytest.raises(ProcUnavail) as missing:
                c._call(5, b"", lambda buf, pos: (None, pos))
            assert "procedure 5" in str(missing.value)

            class V9(EchoClient):
                version = 9

            with V9.connect("127.0.0.1", port=srv.port, transport=transport) as v9:
                with pytest.raises(ProgMismatch) as info:
                    v9.null()
                assert str(info.value).startswith("test_the_client_names_the_call_in_every_error.")
                assert "V9.null (program" in str(info.value)
                assert "versions 2..3 of this program, not version 9" in str(info.value)


def test_undecodable_results_name_the_call():
    with serving(RpcServer([Echo()])) as srv:
        with EchoClient.connect("127.0.0.1", port=srv.port) as c:
            with pytest.raises(XdrDecodeError) as info:
                c._call(1, b"\0\0\0\3abc\0", lambda buf, pos: (None, pos))  # bytes left over
            assert "(program 536872004 version 2 procedure 1)" in str(info.value)


def test_timeouts_and_transport_errors_name_the_call():
    with serving(RpcServer([Echo()])) as srv:
        with EchoClient.connect("127.0.0.1", port=srv.port, timeout=0.1) as c:
            with pytest.raises(RpcTimeout) as info:
                c.SLEEP(500)
            assert "EchoClient.SLEEP (program" in str(info.value)
            assert "timeout of 0.1 s" in str(info.value)
    with pytest.raises(RpcError) as refused:
        c.ECHO(b"x")  # the server is gone: reconnecting fails
    assert "EchoClient.ECHO (program" in str(refused.value)
    with pytest.raises(RpcTransportError) as at_connect:
        EchoClient.connect("127.0.0.1", port=srv.port)
    assert f"EchoClient (program {ECHO_PROG} version 2) on 127.0.0.1:{srv.port} over tcp" in str(
        at_connect.value
    )


def test_server_logs_name_the_program_version_and_procedure(caplog):
    with serving(RpcServer([Echo()])) as srv:
        with EchoClient.connect("127.0.0.1", port=srv.port) as c:
            with caplog.at_level(logging.INFO, logger="idlgen_runtime.oncrpc.server"):
                with pytest.raises(SystemErr):
                    c.FAIL(0)
                with pytest.raises(GarbageArgs):
                    c._call(1, b"\0\0\0\x09", lambda buf, pos: (None, pos))
    text = caplog.text
    assert f"Echo.FAIL (program {ECHO_PROG} version 2 procedure 4" in text
    assert "GARBAGE_ARGS to ('127.0.0.1'" in text and f"ECHO of program {ECHO_PROG}" in text
