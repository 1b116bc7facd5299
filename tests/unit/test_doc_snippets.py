"""Every code block of README.md and docs/*.md runs as pasted.

Each Markdown file's blocks run in order in one fresh folder laid out like
the repository's top folder (``.venv`` linked, ``examples/`` and the test
headers the docs use copied), with the virtualenv's ``bin`` first on the PATH:

* ```` ```sh ```` blocks run with ``bash -e``; ```` ```python ```` blocks with
  the virtualenv's python, as a file;
* ```` ```text ````, ```` ```json ````, ```` ```toml ```` and other data or
  build-file languages (``NOT_CODE``) are output, layout or configuration,
  not code; a block with no language is an error here (say what it is);
* a ``<!-- snippet: ... -->`` comment on the line before a block marks what it
  needs: ``not run (why)`` skips it; ``background (why)`` starts it (a server)
  and stops it with SIGTERM after the file's last block; while one runs, each
  later block is retried until it succeeds or 30 s pass (the server may still
  be starting).

Every doc is checked, a new one too.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: Copied into each file's folder, as in the repository.
COPIED = ("examples", "tests/unit/xdr/cheaders")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(\S*)\s*$")
_MARK = re.compile(r"^<!--\s*snippet:\s*(.*?)\s*-->\s*$")
RUN = {"sh": "sh", "bash": "sh", "shell": "sh", "python": "python"}
NOT_CODE = {"text", "json", "toml", "idl", "xml", "c", "make", "yaml", "ninja", "meson"}


@dataclass
class Block:
    line: int
    language: str
    text: str
    mark: str


def blocks(doc: Path) -> list[Block]:
    lines = doc.read_text().splitlines()
    found, i = [], 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        mark = _MARK.match(lines[i - 1]) if i else None
        text = "\n".join(lines[i + 1 : end]) + "\n"
        found.append(Block(i + 1, m.group(1), text, mark.group(1) if mark else ""))
        i = end + 1
    return found


def _run(
    block: Block, folder: Path, env: dict[str, str], n: int
) -> subprocess.CompletedProcess[str]:
    if RUN[block.language] == "sh":
        cmd = ["bash", "-e", "-c", block.text]
    else:
        script = folder / f"snippet_{n}.py"
        script.write_text(block.text)
        cmd = [str(BIN / "python"), script.name]
    return subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_block_runs_as_pasted(doc: Path, tmp_path: Path, request: pytest.FixtureRequest):
    found = blocks(doc)
    for b in found:
        assert b.language in RUN or b.language in NOT_CODE, (
            f"{doc.name}:{b.line}: a block without a known language ({b.language!r}): "
            "```sh, ```python, or ```text for output"
        )
    runnable = [b for b in found if b.language in RUN and not b.mark.startswith("not run")]
    if not runnable:
        return
    if any(b.mark.startswith("background") for b in runnable):
        request.getfixturevalue("rpcbind")  # the servers register with it
    (tmp_path / ".venv").symlink_to(BIN.parent)
    for rel in COPIED:
        shutil.copytree(ROOT / rel, tmp_path / rel)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    servers: list[subprocess.Popen[str]] = []
    try:
        for n, b in enumerate(runnable):
            where = f"{doc.name}:{b.line}"
            if b.mark.startswith("background"):
                script = tmp_path / f"snippet_{n}.py"
                script.write_text(b.text)
                servers.append(
                    subprocess.Popen(
                        [str(BIN / "python"), script.name],
                        cwd=tmp_path,
                        env=env,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT,
                        text=True,
                    )
                )
                continue
            deadline = time.monotonic() + (30 if servers else 0)
            while True:
                proc = _run(b, tmp_path, env, n)
                gone = [s for s in servers if s.poll() is not None]  # crashed: no use waiting
                if proc.returncode == 0 or time.monotonic() > deadline or gone:
                    break
                time.sleep(0.3)
            assert proc.returncode == 0, f"{where} failed:\n{b.text}\n{proc.stdout}{proc.stderr}"
            assert "Traceback" not in proc.stderr, f"{where}:\n{proc.stderr}"
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            try:
                out, _ = server.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                out, _ = server.communicate()
            assert "Traceback" not in out, out


def test_the_snippet_reader_sees_every_block():
    readme = blocks(ROOT / "README.md")
    assert [b.language for b in readme][:2] == ["sh", "sh"]
    assert readme[0].mark.startswith("not run") and any(
        b.mark.startswith("background") for b in readme
    )
