"""The hatchling hook stops a build with idlgen's own messages (no traceback), keeps a
project's own package in the wheel, and asks for what compiled bindings need."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from build_support import copy_example


def build_wheel(project: Path) -> subprocess.CompletedProcess[str]:
    """`python -m build --wheel --no-isolation`: this environment's hatchling and idlgen."""
    return subprocess.run(
        [sys.executable, "-m", "build", "-n", "-w", "-o", str(project / "dist"), str(project)],
        capture_output=True,
        text=True,
    )


def edit(project: Path, old: str, new: str) -> None:
    path = project / "pyproject.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_mistake_in_the_table_is_one_line(tmp_path: Path):
    project = copy_example(tmp_path / "consumer")
    edit(project, 'package = "consumer.kv"', 'pakage = "consumer.kv"')
    out = build_wheel(project)
    assert out.returncode != 0
    lines = (project / "pyproject.toml").read_text().split("\n")
    line = next(i for i, text in enumerate(lines, 1) if "pakage" in text)
    assert f"pyproject.toml:{line}: error: unknown key 'pakage'" in out.stderr + out.stdout
    assert "Traceback" not in out.stderr + out.stdout


def test_an_error_in_an_input_is_shown_as_idlgen_shows_it(tmp_path: Path):
    project = copy_example(tmp_path / "consumer")
    (project / "interfaces" / "limits.x").write_text("const MAX_KEY = ;\n")
    out = build_wheel(project)
    text = out.stdout + out.stderr
    assert out.returncode != 0
    assert "interfaces/limits.x:1:" in text and "error:" in text
    assert "the build stopped" in text and "Traceback" not in text


def test_options_in_the_hook_table_are_pointed_to_tool_idlgen(tmp_path: Path):
    project = copy_example(tmp_path / "consumer")
    table = "[tool.hatch.build.hooks.idlgen]"
    edit(project, table, f'{table}\nfile = "x.x"')
    out = build_wheel(project)
    assert out.returncode != 0
    expected = "unknown key 'file' in [tool.hatch.build.hooks.idlgen]; idlgen's options go in"
    assert f"{expected} [tool.idlgen]" in out.stdout + out.stderr


def test_the_projects_own_package_is_not_left_out_silently(tmp_path: Path):
    project = copy_example(tmp_path / "consumer")
    edit(project, '[tool.hatch.build.targets.wheel]\npackages = ["src/consumer"]\n', "")
    out = build_wheel(project)
    assert out.returncode != 0
    hint = '[tool.hatch.build.targets.wheel]\npackages = ["src/consumer"]'
    assert f"but not src/consumer; add to pyproject.toml:\n\n{hint}" in out.stdout + out.stderr


def test_a_stubs_only_project_needs_no_selection(tmp_path: Path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "status.x").write_text("struct status { int code; };\n")
    (tmp_path / "p" / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling", "idlgen"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "status-stubs"\nversion = "1"\n'
        "[tool.hatch.build.hooks.idlgen]\n"
        '[[tool.idlgen.inputs]]\nfile = "status.x"\n'
    )
    out = build_wheel(tmp_path / "p")
    assert out.returncode == 0, out.stderr
    import zipfile

    (wheel,) = (tmp_path / "p" / "dist").glob("*.whl")
    assert "status/types.py" in zipfile.ZipFile(wheel).namelist()
    assert wheel.name.endswith("-none-any.whl")  # pure: nothing compiled


def test_compiled_bindings_ask_for_setuptools_and_cython(tmp_path: Path):
    from idlgen.project.hatch import IdlgenBuildHook

    project = copy_example(tmp_path / "consumer")
    hook = IdlgenBuildHook.__new__(IdlgenBuildHook)
    hook._BuildHookInterface__root = str(project)  # what hatchling passes
    hook._BuildHookInterface__target_name = "wheel"
    assert hook.dependencies() == ["setuptools>=68"]
    edit(project, 'backend = "cffi"', 'backend = "cython"')
    assert hook.dependencies() == ["setuptools>=68", "cython>=3.0"]
    edit(project, 'backend = "cython"', 'backend = "cffi-abi"')
    assert hook.dependencies() == []
    hook._BuildHookInterface__target_name = "sdist"
    edit(project, 'backend = "cffi-abi"', 'backend = "cython"')
    assert hook.dependencies() == []  # an sdist compiles nothing


def test_a_top_level_generated_package_does_not_hide_the_projects_own(tmp_path: Path):
    project = copy_example(tmp_path / "consumer")
    edit(project, '[tool.hatch.build.targets.wheel]\npackages = ["src/consumer"]\n', "")
    edit(project, 'package = "consumer.kv"', 'package = "kv"')
    out = build_wheel(project)
    assert out.returncode != 0
    assert 'packages = ["src/consumer"]' in out.stdout + out.stderr
