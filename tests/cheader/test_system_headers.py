"""Every header of the C standard library and POSIX that glibc ships, whole.

Each binds through the three back-ends without ``--symbols`` and the result
imports; what cannot be bound is one summary line (``-v`` lists each with its
place). The default suite takes the headers a C programmer meets first
(:data:`QUICK`); ``-m slow`` takes all of them (:data:`HEADERS`). Generation
runs in this process (idlgen's ``main``), the imports in one interpreter per
back-end; the compiled back-ends build one extension per header.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from contextlib import redirect_stderr
from pathlib import Path

import pytest
from idlgen.cli import main
from peers import need

#: C11's headers, then POSIX's (glibc's, and gcc's own float.h, stdarg.h, ...).
HEADERS = (
    "assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h locale.h "
    "math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h "
    "stdio.h stdlib.h stdnoreturn.h string.h tgmath.h threads.h time.h uchar.h wchar.h "
    "wctype.h "
    "aio.h arpa/inet.h cpio.h dirent.h dlfcn.h fcntl.h fmtmsg.h fnmatch.h ftw.h glob.h grp.h "
    "iconv.h langinfo.h libgen.h monetary.h mqueue.h net/if.h netdb.h netinet/in.h "
    "netinet/tcp.h nl_types.h poll.h pthread.h pwd.h regex.h sched.h search.h semaphore.h "
    "spawn.h strings.h sys/ioctl.h sys/ipc.h sys/mman.h sys/msg.h sys/resource.h "
    "sys/select.h sys/sem.h sys/shm.h sys/socket.h sys/stat.h sys/statvfs.h sys/time.h "
    "sys/times.h sys/types.h sys/uio.h sys/un.h sys/utsname.h sys/wait.h syslog.h tar.h "
    "termios.h ulimit.h unistd.h utime.h utmpx.h wordexp.h"
).split()
#: The ones the default suite runs through all three back-ends.
QUICK = (
    "stdio.h stdlib.h string.h time.h unistd.h fcntl.h sys/stat.h sys/socket.h netdb.h "
    "dirent.h signal.h"
).split()
#: The library of each header (libc's unless named).
LIBRARIES = {
    "math.h": "m", "complex.h": "m", "tgmath.h": "m", "fenv.h": "m",
    "pthread.h": "pthread", "aio.h": "rt", "mqueue.h": "rt",
}  # fmt: skip
#: A call per header that the same program makes on every back-end.
CALLS = {
    "stdlib.h": 'assert m.atoi(b"42") == 42 and m.labs(-7) == 7',
    "string.h": 'assert m.strlen(b"idlgen") == 6',
    "unistd.h": "assert m.getpid() == os.getpid()\n"
    "assert m.sysconf(m._SC_PAGESIZE) == os.sysconf('SC_PAGESIZE')",
    "math.h": "assert m.sin(0.0) == 0.0 and m.M_PI == math.pi",
    "errno.h": "assert m.ENOENT == errno.ENOENT",
    "fcntl.h": "assert m.O_CREAT == os.O_CREAT",
    "sys/socket.h": "assert m.AF_INET == socket.AF_INET",
    "signal.h": "assert m.SIGTERM == signal.SIGTERM",
    "sys/stat.h": "assert m.S_IFDIR == stat.S_IFDIR",
}
BACKENDS = ("cffi-abi", "cffi", "cython")


def _folders() -> list[Path]:
    return [
        Path("/usr/include"),
        *sorted(Path("/usr/include").glob("*-linux-*")),
        *sorted(Path("/usr/lib/gcc").glob("*/*/include")),
    ]


def _path(header: str) -> Path | None:
    """Where the C compiler finds ``#include <header>``."""
    return next((f / header for f in _folders() if (f / header).is_file()), None)


def _package(header: str) -> str:
    return "h_" + re.sub(r"\W", "_", header.removesuffix(".h"))


def _bind(headers: list[str], backend: str, out: Path, *flags: str) -> dict[str, str]:
    """Run idlgen on each header (in this process): the messages of each."""
    messages = {}
    for header in headers:
        path = _path(header)
        need(path is not None, f"<{header}> is missing (libc6-dev)")
        err = io.StringIO()
        library = LIBRARIES.get(header, "c")
        args = [
            "-b", backend, str(path), "-l", library, "--name", _package(header),
            "-o", str(out), *flags,
        ]  # fmt: skip
        if backend != "cffi-abi":
            args.append("--build")
        with redirect_stderr(err):
            status = main(args)
        assert status == 0, f"{header} through {backend}:\n{err.getvalue()}"
        messages[header] = err.getvalue()
    return messages


def _program(headers: list[str]) -> str:
    """Import every package and make the calls: one interpreter for all."""
    lines = ["import errno, math, os, signal, socket, stat"]
    for header in headers:
        lines.append(f"import {_package(header)} as m")
        if header in CALLS:
            lines.append(CALLS[header])
    return "\n".join(lines) + "\nprint('imported', len(" + repr(headers) + "))\n"


def _sweep(headers: list[str], backend: str, out: Path) -> None:
    if backend != "cffi-abi":
        need(subprocess.run(["gcc", "--version"], capture_output=True).returncode == 0, "gcc")
    messages = _bind(headers, backend, out)
    for header, text in messages.items():
        lines = [line for line in text.splitlines() if "wrote" not in line]
        # nothing but, at most, the one summary line of what was left out
        assert len(lines) <= 1, f"{header} through {backend}:\n{text}"
        if lines:
            assert re.fullmatch(
                r"idlgen: \S+: skipped \d+ declarations? that cannot be bound: "
                r".+ \(-v lists them\)",
                lines[0],
            ), lines[0]
    proc = subprocess.run(
        [sys.executable, "-c", _program(headers)],
        cwd=out,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == f"imported {len(headers)}"


@pytest.mark.parametrize("backend", BACKENDS)
def test_common_headers_bind_whole(backend: str, tmp_path: Path) -> None:
    _sweep(QUICK, backend, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_every_standard_and_posix_header_binds_whole(backend: str, tmp_path: Path) -> None:
    _sweep([h for h in HEADERS if _path(h) is not None], backend, tmp_path)


def test_verbose_lists_each_left_out_declaration(tmp_path: Path) -> None:
    quiet = _bind(["stdio.h"], "cffi-abi", tmp_path)["stdio.h"]
    summary = re.search(r"skipped (\d+) declarations", quiet)
    assert summary is not None and "take a va_list" in quiet
    loud = _bind(["stdio.h"], "cffi-abi", tmp_path, "-v")["stdio.h"]
    listed = re.findall(r"^/\S+/stdio\.h:\d+:\d+: warning: (.*) \[skipped\]$", loud, re.M)
    assert len(listed) == int(summary.group(1))
    assert "function 'vprintf' takes a va_list and is not bound" in listed
    assert "skipped" not in loud.splitlines()[-1]  # no summary line with -v
    assert not any("__attr_dealloc" in line or "attribute" in line for line in listed)


def test_glibc_shapes_bind_as_c_passes_them(tmp_path: Path) -> None:
    """A transparent union is its first member; _Float128 is left out, not a double."""
    messages = _bind(["sys/socket.h", "stdlib.h"], "cffi-abi", tmp_path, "-v")
    assert "pass a union" not in messages["sys/socket.h"]  # bind, connect, accept...
    assert "function 'strtof128' uses _Float128, which cffi cannot declare" in messages["stdlib.h"]
    program = (
        "import h_sys_socket as s, h_stdlib as m\n"
        "assert s.bind(-1, s.ffi.NULL, 0) == -1\n"  # ABI mode: a pointer, not a union
        "assert m.strtod(b'2.5', m.ffi.NULL) == 2.5 and not hasattr(m, 'strtof128')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
