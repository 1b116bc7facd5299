"""The Python server of simp.x, registered with rpcbind until Ctrl-C or SIGTERM.

    idlgen simp.x -o gen/
    PYTHONPATH=gen python py_server.py [PORT]

``rpcinfo -p 127.0.0.1`` lists it while it runs; it unregisters on the way out.
"""

from __future__ import annotations

import sys

import simp  # the package idlgen generated from simp.x


class Simp(simp.server.SIMP_PROG.SIMP_VERSION):
    def ADD(self, arg: simp.types.operands) -> int:
        return arg.x + arg.y

    def SUB(self, arg: simp.types.operands) -> int:
        return arg.x - arg.y


def main(argv: list[str]) -> int:
    port = int(argv[1]) if len(argv) > 1 else 0
    print("py_server: serving simp on 127.0.0.1, registered with rpcbind", flush=True)
    Simp().serve("127.0.0.1", port, register=True)
    print("py_server: stopped and unregistered", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
