// The omniORB C++ side of the "everything" tests, as a client of a Python server.
// usage: everything_client IOR; prints "ok NAME" or "FAIL NAME" per check,
// exits 1 when any failed.
#include <unistd.h>
#include <iostream>
#include "everything_known.h"

static int failures = 0;

static void report(const char* name, bool ok) {
  std::cout << (ok ? "ok " : "FAIL ") << name << std::endl;
  if (!ok) ++failures;
}

int main(int argc, char** argv) {
  CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
  if (argc < 2) return 2;
  try {
    CORBA::Object_var obj = orb->string_to_object(argv[1]);
    Tester_var t = Tester::_narrow(obj);
    report("narrow", !CORBA::is_nil(t));
    Outer k;
    fill_outer(k);
    Outer_var got = t->known_outer();
    report("known_outer", same_outer(got.in(), k));
    report("check_outer", t->check_outer(k));
    ShapeSeq_var ks = known_shapes_value();
    ShapeSeq_var gs = t->known_shapes();
    report("known_shapes", same_shapes(gs.in(), ks.in()));
    report("check_shapes", t->check_shapes(ks.in()));
    NumSeq_var kn = known_nums_value();
    NumSeq_var gn = t->known_nums();
    report("known_nums", same_nums(gn.in(), kn.in()));
    report("check_nums", t->check_nums(kn.in()));
    CORBA::Any_var ga = t->known_any();
    const Outer* inside;
    report("known_any", (ga.in() >>= inside) && same_outer(*inside, k));
    CORBA::Any a;
    a <<= k;
    report("check_any", t->check_any(a));
    Outer_var copy;
    CORBA::Long counter = 41;
    Outer_var back = t->echo_outer(k, copy.out(), counter);
    report("echo_outer", same_outer(back.in(), k) && same_outer(copy.in(), k) && counter == 42);
    static const CORBA::WChar w[] = {0x20AC, 'x', 0xE9, 0x4E2D, 0};
    CORBA::WString_var wb = t->echo_wstring(w);
    report("echo_wstring", same_wstring(wb.in(), w));
    report("echo_ld", t->echo_ld(-7.5L) == -7.5L);
    report("echo_fixed", t->echo_fixed(Amount("-42.125")) == Amount("-42.125"));
    try {
      t->fail(7);
      report("fail", false);
    } catch (Failure& f) {
      report("fail", std::string(f.why.in()) == "because" && f.code == 7);
    }
    t->note("from C++");
    CORBA::String_var n = t->last_note();
    for (int i = 0; i < 500 && std::string(n.in()) != "from C++"; ++i) {
      usleep(10000);  // oneway: no reply to wait for, and the server may be busy
      n = t->last_note();
    }
    report("oneway note", std::string(n.in()) == "from C++");
    Tester_var me = t->myself();
    CORBA::String_var nm = me->name();
    report("myself", !CORBA::is_nil(me) && std::string(nm.in()) == "idlgen Python");
    t->counter(5);
    report("attribute", t->counter() == 5);
  } catch (CORBA::SystemException& ex) {
    std::cout << "FAIL system exception " << ex._name() << " minor " << ex.minor() << std::endl;
    return 1;
  }
  orb->destroy();
  return failures ? 1 : 0;
}
