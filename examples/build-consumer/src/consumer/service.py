"""The key-value service of kv.x: a server keeping entries, a client storing values."""

from __future__ import annotations

from consumer import store
from consumer.kv import client, server, types


class KeyValueServer(server.KV_PROG.KV_VERSION):
    """PUT keeps an entry as it came (compressed or not); GET returns it, or an empty one."""

    def __init__(self) -> None:
        self.entries: dict[str, types.entry] = {}

    def PUT(self, arg: types.entry) -> None:
        self.entries[arg.name] = arg

    def GET(self, arg: str) -> types.entry:
        return self.entries.get(arg, types.entry(arg, b"", False))


def put(kv: client.KV_PROG.KV_VERSION, name: str, value: bytes) -> None:
    """Store ``value`` under ``name``, compressed when it is long."""
    kv.PUT(types.entry.from_xdr(store.pack(name, value)))


def get(kv: client.KV_PROG.KV_VERSION, name: str) -> bytes:
    """The value stored under ``name`` (b"" when there is none)."""
    return store.unpack(kv.GET(name).to_xdr())[1]
