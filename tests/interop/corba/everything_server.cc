// The omniORB C++ side of the "everything" tests, as a server.
// usage: everything_server IOR_FILE [omniORB options]; stopped by a signal.
#include <fstream>
#include <string>
#include "everything_known.h"

class Tester_i : public POA_Everything::Tester {
 public:
  Tester_i() : counter_(0), note_("") {}
  Outer* known_outer() { Outer* o = new Outer; fill_outer(*o); return o; }
  CORBA::Boolean check_outer(const Outer& v) { Outer k; fill_outer(k); return same_outer(v, k); }
  ShapeSeq* known_shapes() { return known_shapes_value(); }
  CORBA::Boolean check_shapes(const ShapeSeq& v) {
    ShapeSeq_var k = known_shapes_value();
    return same_shapes(v, k.in());
  }
  NumSeq* known_nums() { return known_nums_value(); }
  CORBA::Boolean check_nums(const NumSeq& v) {
    NumSeq_var k = known_nums_value();
    return same_nums(v, k.in());
  }
  CORBA::Any* known_any() {
    CORBA::Any* a = new CORBA::Any;
    Outer o;
    fill_outer(o);
    *a <<= o;
    return a;
  }
  CORBA::Boolean check_any(const CORBA::Any& v) {
    const Outer* o;
    if (!(v >>= o)) return 0;
    Outer k;
    fill_outer(k);
    return same_outer(*o, k);
  }
  Outer* echo_outer(const Outer& v, Outer_out copy, CORBA::Long& counter) {
    copy = new Outer(v);
    counter += 1;
    return new Outer(v);
  }
  CORBA::WChar* echo_wstring(const CORBA::WChar* v) { return CORBA::wstring_dup(v); }
  CORBA::LongDouble echo_ld(CORBA::LongDouble v) { return v; }
  Amount echo_fixed(const Amount& v) { return v; }
  void fail(CORBA::Long code) { throw Failure("because", code); }
  void note(const char* text) { note_ = text; }
  char* last_note() { return CORBA::string_dup(note_.c_str()); }
  Tester_ptr myself() { return _this(); }
  CORBA::Long counter() { return counter_; }
  void counter(CORBA::Long v) { counter_ = v; }
  char* name() { return CORBA::string_dup("omniORB C++"); }

 private:
  CORBA::Long counter_;
  std::string note_;
};

int main(int argc, char** argv) {
  CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
  if (argc < 2) return 2;
  CORBA::Object_var obj = orb->resolve_initial_references("RootPOA");
  PortableServer::POA_var poa = PortableServer::POA::_narrow(obj);
  Tester_i* servant = new Tester_i();
  PortableServer::ObjectId_var id = poa->activate_object(servant);
  CORBA::Object_var ref = poa->id_to_reference(id.in());
  PortableServer::POAManager_var pman = poa->the_POAManager();
  pman->activate();
  CORBA::String_var ior = orb->object_to_string(ref);
  std::string tmp = std::string(argv[1]) + ".tmp";
  {
    std::ofstream out(tmp.c_str());
    out << ior.in() << std::endl;
  }
  std::rename(tmp.c_str(), argv[1]);
  orb->run();
  return 0;
}
