"""Bad headers and bad builds: errors point into the original header, a missing
library is one line naming it, and every construct left unbound is named."""

from __future__ import annotations

from pathlib import Path

from cbind_support import CLIB, idlgen

BAD = Path(__file__).parent / "bad"


def test_syntax_error_points_into_the_original_header(tmp_path):
    proc = idlgen("--check", str(BAD / "syntax.h"), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    first, source, caret = proc.stderr.splitlines()[:3]
    assert first.startswith(f"{BAD / 'syntax.h'}:4:18: error: syntax error before 'int'")
    assert source.strip() == "int broken(int a int b);"
    assert caret.index("^") - 4 == 17


def test_unknown_type_name_is_named(tmp_path):
    proc = idlgen("--check", str(BAD / "unknown.h"), cwd=tmp_path)
    assert proc.returncode == 1
    assert f"{BAD / 'unknown.h'}:2:19: error:" in proc.stderr
    assert "is 'unknown_t' a type that is not declared?" in proc.stderr


def test_errors_in_included_headers_point_there(tmp_path):
    proc = idlgen("--check", str(BAD / "outer.h"), cwd=tmp_path)
    assert proc.returncode == 1 and f"{BAD / 'nested.h'}:2:8: error:" in proc.stderr


def test_missing_library_is_one_line(tmp_path):
    proc = idlgen(
        "-b",
        "cffi",
        "/usr/include/zlib.h",
        "-l",
        "nosuchlib",
        "-o",
        "out",
        "--build",
        "-q",
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert (
        proc.stderr.strip() == "idlgen: error: library 'nosuchlib' not found (-l nosuchlib) [build]"
    )


def test_unbound_constructs_are_named(tmp_path, libctest):
    proc = idlgen(
        "-v",
        "-b",
        "cffi-abi",
        str(CLIB / "ctest.h"),
        "-L",
        str(libctest),
        "-l",
        "ctest",
        "-o",
        "out",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "warning: function-like macro 'CT_SQUARE' is not bound" in proc.stderr
    assert "function 'ct_flags_sum' passes struct ct_flags by value" in proc.stderr
    assert "function 'ct_value_as_double' passes union ct_value by value" in proc.stderr
    zlib = idlgen("-v", "-b", "cffi", "/usr/include/zlib.h", "-o", "out", cwd=tmp_path)
    assert "function-like macro 'deflateInit' is not bound" in zlib.stderr
    assert "function 'gzvprintf' takes a va_list" in zlib.stderr
    # without -v: one line counts them; decoration macros (ZEXTERN, ZEXPORT) are no loss
    quiet = idlgen("-b", "cffi", "/usr/include/zlib.h", "-o", "out", cwd=tmp_path).stderr
    assert quiet.splitlines()[0] == (
        "idlgen: /usr/include/zlib.h: skipped 8 declarations that cannot be bound: "
        "6 are function-like macros, 1 is a macro that is not a constant, 1 takes a va_list "
        "(-v lists them)"
    )
    assert "macro 'ZEXTERN'" not in zlib.stderr and "macro 'ZEXPORT'" not in zlib.stderr


def test_symbols_and_exclude_select_by_full_name(tmp_path):
    from cbind_support import load

    select = ("--symbols", "crc32.*|Z_.*", "--exclude", "crc32_combine.*")
    header = ("-b", "cffi-abi", "/usr/include/zlib.h", "-l", "z")
    proc = idlgen("-q", *header, *select, "--name", "zsel", "-o", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    z = load(tmp_path, "zsel")
    assert hasattr(z, "crc32") and hasattr(z, "crc32_z") and z.Z_OK == 0
    assert (
        not hasattr(z, "crc32_combine")
        and not hasattr(z, "adler32")
        and not hasattr(z, "ZLIB_VERSION")
    )


def test_type_words_that_do_not_combine_are_an_error(tmp_path):
    proc = idlgen("--check", "-b", "cffi-abi", str(BAD / "specifiers.h"), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(
        f"{BAD / 'specifiers.h'}:3:1: error: 'unsigned void' is not a C type"
    )


def test_a_parameter_without_a_type_is_an_error(tmp_path):
    proc = idlgen("--check", "-b", "cffi-abi", str(BAD / "knr.h"), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{BAD / 'knr.h'}:2:13: error: parameter 'x' has no type")
