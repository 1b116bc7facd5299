"""Doc comments read back from the original file (frontends/comments.py)."""

from __future__ import annotations

from idlgen.frontends.comments import comment_above, comment_after

SOURCE = """\
/*
 * Licence header: nothing but comments above it, so it documents nothing.
 */
const FIRST = 1;

/* Error message. See <virterror.h>
 * for the fields. */
struct remote_error {
    int code; /* trailing: this field's own */
    int b;
};
const A = 1; /* about A only */
const B = 2;
// line one
//   line two
const C = 3;
/*----- Calls. -----*/
const D = 4;
/**********************
 * boxed
 *\tindented
 **********************/
struct q {
const E = 5;\t// after E
""".split("\n")


def test_the_comment_right_above_a_declaration():
    assert comment_above(SOURCE, 8) == "Error message. See <virterror.h>\nfor the fields."
    assert comment_above(SOURCE, 16) == "line one\nline two"
    assert comment_above(SOURCE, 18) == "Calls."  # the rule of dashes goes
    assert comment_above(SOURCE, 23) == "boxed\n        indented"  # tabs expanded, box gone


def test_comments_about_something_else_are_not_taken():
    assert comment_above(SOURCE, 4) is None  # the file's header
    assert comment_above(SOURCE, 10) is None  # code above, no comment
    assert comment_above(SOURCE, 13) is None  # the line above's trailing comment
    assert comment_above(SOURCE, 1) is None and comment_above(SOURCE, 999) is None


def test_the_comment_after_a_one_line_declaration():
    assert comment_after(SOURCE, 12) == "about A only"
    assert comment_after(SOURCE, 24) == "after E"
    assert comment_after(SOURCE, 13) is None
