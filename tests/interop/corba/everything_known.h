// The known values both sides of the "everything" interop tests build, and
// their comparisons (the Python twin is KNOWN_* in test_everything.py).
#ifndef EVERYTHING_KNOWN_H
#define EVERYTHING_KNOWN_H
#include <cstring>
#include <iostream>
#include "everything.hh"

using namespace Everything;

static Inner known_inner(CORBA::Long l) {
  Inner v;
  v.s = -12345; v.us = 54321; v.l = l; v.ul = 4000000000UL;
  v.ll = -9000000000000000000LL; v.ull = 18000000000000000000ULL;
  v.f = 1.5f; v.d = -2.25e300; v.ld = 3.25L;
  v.b = 1; v.c = 'Z'; v.wc = 0x20AC; v.o = 200;
  return v;
}

static void fill_outer(Outer& v) {
  v.name = CORBA::string_dup("hello, omniORB");
  static const CORBA::WChar wide[] = {'w', 'i', 'd', 'e', ' ', 0x20AC, ' ', 0xE9, 0};
  v.wname = CORBA::wstring_dup(wide);
  v.first = known_inner(-2000000000);
  v.inners.length(2);
  v.inners[0] = known_inner(1);
  v.inners[1] = known_inner(7);
  v.hue = BLUE;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) v.matrix[i][j] = i * 3 + j + 1;
  v.blob.length(10);
  for (CORBA::ULong i = 0; i < 10; ++i) v.blob[i] = (CORBA::Octet)(i * 25);
  v.doubles.length(3);
  v.doubles[0] = 0.5; v.doubles[1] = -1e-300; v.doubles[2] = 12345.678;
}

static bool same_inner(const Inner& a, const Inner& b) {
  return a.s == b.s && a.us == b.us && a.l == b.l && a.ul == b.ul && a.ll == b.ll &&
         a.ull == b.ull && a.f == b.f && a.d == b.d && a.ld == b.ld && a.b == b.b &&
         a.c == b.c && a.wc == b.wc && a.o == b.o;
}

static bool same_wstring(const CORBA::WChar* a, const CORBA::WChar* b) {
  while (*a && *a == *b) { ++a; ++b; }
  return *a == *b;
}

static bool same_outer(const Outer& a, const Outer& b) {
  if (std::strcmp(a.name, b.name) != 0 || !same_wstring(a.wname, b.wname)) return false;
  if (!same_inner(a.first, b.first) || a.inners.length() != b.inners.length()) return false;
  for (CORBA::ULong i = 0; i < a.inners.length(); ++i)
    if (!same_inner(a.inners[i], b.inners[i])) return false;
  if (a.hue != b.hue) return false;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      if (a.matrix[i][j] != b.matrix[i][j]) return false;
  if (a.blob.length() != b.blob.length() || a.doubles.length() != b.doubles.length()) return false;
  for (CORBA::ULong i = 0; i < a.blob.length(); ++i)
    if (a.blob[i] != b.blob[i]) return false;
  for (CORBA::ULong i = 0; i < a.doubles.length(); ++i)
    if (a.doubles[i] != b.doubles[i]) return false;
  return true;
}

static ShapeSeq* known_shapes_value() {
  ShapeSeq* s = new ShapeSeq;
  s->length(3);
  (*s)[0].radius(5);
  Outer o;
  fill_outer(o);
  (*s)[1].box(o);  // GREEN: the first label
  (*s)[2].box(o);
  (*s)[2]._d(BLUE);  // the other label of the same member
  return s;
}

static bool same_shapes(const ShapeSeq& a, const ShapeSeq& b) {
  if (a.length() != b.length()) return false;
  for (CORBA::ULong i = 0; i < a.length(); ++i) {
    if (a[i]._d() != b[i]._d()) return false;
    if (a[i]._d() == RED ? a[i].radius() != b[i].radius() : !same_outer(a[i].box(), b[i].box()))
      return false;
  }
  return true;
}

static NumSeq* known_nums_value() {
  NumSeq* s = new NumSeq;
  s->length(4);
  (*s)[0].small(-1);
  (*s)[1].small(2);
  (*s)[1]._d(2);
  (*s)[2].text("ten");
  (*s)[3].other(0.5);
  (*s)[3]._d(99);
  return s;
}

static bool same_nums(const NumSeq& a, const NumSeq& b) {
  if (a.length() != b.length()) return false;
  for (CORBA::ULong i = 0; i < a.length(); ++i) {
    CORBA::Long d = a[i]._d();
    if (d != b[i]._d()) return false;
    if (d == 1 || d == 2) {
      if (a[i].small() != b[i].small()) return false;
    } else if (d == 10) {
      if (std::strcmp(a[i].text(), b[i].text()) != 0) return false;
    } else if (a[i].other() != b[i].other()) {
      return false;
    }
  }
  return true;
}

#endif
