"""The Python client of simp.x: ADD and SUB on a server found through rpcbind.

    idlgen simp.x -o gen/
    PYTHONPATH=gen python py_client.py [HOST [tcp|udp]]

Prints the two results as the C client does; exit status 1 if they are wrong.
"""

from __future__ import annotations

import sys

import simp  # the package idlgen generated from simp.x


def main(argv: list[str]) -> int:
    host = argv[1] if len(argv) > 1 else "127.0.0.1"
    transport = argv[2] if len(argv) > 2 else "tcp"
    with simp.client.SIMP_PROG.SIMP_VERSION.connect(host, transport=transport) as c:
        ops = simp.types.operands(x=3, y=4)
        total, diff = c.ADD(ops), c.SUB(ops)
    print(f"ADD(3, 4) = {total}")
    print(f"SUB(3, 4) = {diff}")
    return 0 if (total, diff) == (7, -1) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
