"""The asyncio ORB: ``orb = await aio.ORB_init(argv)`` (see ``idlgen_runtime.giop.aio``)."""

from idlgen_runtime.giop.aio import AioORB as ORB
from idlgen_runtime.giop.aio import ORB_init

__all__ = ["ORB", "ORB_init"]
