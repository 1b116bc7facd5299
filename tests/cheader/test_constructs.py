"""Our own C library (clib/ctest.h) exercises every construct the C front-end
takes, through cffi API mode and ABI mode: struct by value in and out,
bitfields, unions, anonymous members, flexible arrays, opaque types, callbacks
that receive and return structs, varargs, out-parameters, enums, constants."""

from __future__ import annotations

import pytest
from cbind_support import CLIB

MODES = ["cffi", "cffi-abi"]


@pytest.fixture(params=MODES)
def ct(request, bind, libctest):
    name = f"ctest_{request.param.replace('-', '_')}"
    return bind(str(CLIB / "ctest.h"), request.param, name, "-L", str(libctest), "-l", "ctest")


@pytest.fixture
def ct_api(bind, libctest):
    """API mode only: cffi's ABI mode cannot pass unions or bitfield structs by value,
    nor return structs from callbacks (idlgen warns and skips such functions there)."""
    return bind(str(CLIB / "ctest.h"), "cffi", "ctest_cffi", "-L", str(libctest), "-l", "ctest")


def test_constants_and_enums(ct):
    assert ct.CT_VERSION == "1.0" and ct.CT_MAX == 16 and ct.CT_MASK == 0x13
    assert ct.CT_RATIO == 0.5 and ct.CT_NEG == -16
    assert not hasattr(ct, "CT_SQUARE")  # function-like macro: skipped, with a warning
    assert [m.value for m in ct.ct_color] == [0, 5, 6]  # implicit and explicit values
    assert ct.ct_size.CT_SMALL == -1 and ct.ct_size.CT_LARGE == 1024
    assert ct.ct_color_name(ct.ct_color.CT_GREEN) == "green"  # const char *: str
    assert ct.ct_is_large(ct.ct_size.CT_LARGE) is True


def test_structs_by_value_typedef_chains_and_fixed_width_ints(ct):
    ffi = ct.ffi
    a, b = ffi.new("ct_point *", {"x": 1, "y": 2}), ffi.new("ct_point *", {"x": 10, "y": 20})
    total = ct.ct_add(a[0], b[0])
    assert (total.x, total.y) == (11, 22)
    scaled = ct.ct_scale(ffi.new("ct_vec *", [3, 4])[0], 2)  # ct_offset → ct_vec → ct_point
    assert (scaled.x, scaled.y) == (6, 8)
    # C's own arithmetic: a + b + c wraps at 32 bits (unsigned int), then + d in 64 bits
    assert ct.ct_mix(255, -2, 2**32 - 1, -(2**40)) == ((253 + 2**32 - 1) % 2**32 - 2**40) % 2**64


def test_bitfields_by_value(ct_api):
    ct = ct_api
    flags = ct.ffi.new("struct ct_flags *", {"ready": 1, "mode": 5, "count": 4000})
    assert ct.ct_flags_sum(flags[0]) == 4006


def test_union_by_value(ct_api):
    ct = ct_api
    ffi = ct.ffi
    value = ffi.new("union ct_value *")
    value.i = 42
    assert ct.ct_value_as_double(value[0], 1) == 42.0
    value.d = 2.5
    assert ct.ct_value_as_double(value[0], 0) == 2.5


def test_callbacks_receive_and_return_structs(ct_api):
    ct = ct_api
    ffi = ct.ffi

    @ffi.callback("ct_point(ct_point, void *)")
    def mirror(p, _user):
        return {"x": -p.x, "y": p.y * 3}

    result = ct.ct_apply(ffi.new("ct_point *", [5, 7])[0], mirror, ffi.NULL)
    assert (result.x, result.y) == (-5, 21)


def test_callbacks_over_arrays_of_structs_with_anonymous_members(ct):
    ffi = ct.ffi
    shapes = ffi.new("struct ct_shape[2]")
    shapes[0].color, shapes[0].radius, shapes[0].visible = ct.ct_color.CT_BLUE, 9, True
    shapes[1].center.x = 4  # the anonymous union's members are the struct's own
    shapes[1].grid[1][2] = 7
    shapes[1].flags.mode = 3
    seen = []

    @ffi.callback("ct_visit")  # the header's callback typedef
    def visit(shape, _user):
        seen.append((shape.color, shape.visible, shape.flags.mode))
        return shape.radius

    assert ct.ct_visit_all(shapes, 2, visit, ffi.NULL) == 9 + 4  # radius shares center.x
    assert seen == [(6, True, 0), (0, False, 3)]
    assert ct.ct_shape_grid_sum(ffi.addressof(shapes[1])) == 7


def test_varargs_out_parameters_flexible_arrays_and_opaque_handles(ct):
    ffi = ct.ffi
    assert ct.ct_sum(3, ffi.cast("int", 1), ffi.cast("int", 2), ffi.cast("int", 39)) == 42
    q, r = ffi.new("int *"), ffi.new("int *")
    assert ct.ct_divmod(17, 5, q, r) == 0 and (q[0], r[0]) == (3, 2)
    assert ct.ct_divmod(1, 0, q, r) == -1
    raw = ffi.new("char[]", ffi.sizeof("struct ct_buffer") + 5)
    buf = ffi.cast("struct ct_buffer *", raw)
    buf.len = 5
    assert ct.ct_fill(buf, 0xAB) == 5 and bytes(ffi.buffer(buf.data, 5)) == b"\xab" * 5
    handle = ct.ct_open(b"thing")
    assert ct.ct_name(handle) == "thing"
    ct.ct_close(handle)
    with pytest.raises(Exception, match="size") as info:
        ffi.sizeof("ct_handle")  # opaque: its layout is the library's business
    assert type(info.value).__name__ in ("ValueError", "error", "FFIError")
