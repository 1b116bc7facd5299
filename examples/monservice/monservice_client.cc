// The classic omniORB C++ MonService client, for the interop tests and the bench.
// usage: monservice_client REF [CALLS]
//   REF is an IOR:, corbaloc: or corbaname: string. Without CALLS it prints
//   "doubler_long(21) = 42" and "doubler_str(ab) = abab"; with CALLS it makes
//   that many doubler_long calls and prints "calls/s N".
#include <sys/time.h>
#include <cstdlib>
#include <iostream>
#include "monservice.hh"

static double now() {
  struct timeval tv;
  gettimeofday(&tv, 0);
  return tv.tv_sec + tv.tv_usec / 1e6;
}

int main(int argc, char** argv) {
  CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
  if (argc < 2) {
    std::cerr << "usage: monservice_client REF [CALLS]" << std::endl;
    return 2;
  }
  try {
    CORBA::Object_var obj = orb->string_to_object(argv[1]);
    MonService::Service_var svc = MonService::Service::_narrow(obj);
    if (CORBA::is_nil(svc)) {
      std::cerr << "not a MonService::Service" << std::endl;
      return 1;
    }
    if (argc > 2) {
      long calls = std::atol(argv[2]);
      svc->doubler_long(1);  // connect first
      double start = now();
      for (long i = 0; i < calls; ++i) svc->doubler_long(i);
      double took = now() - start;
      std::cout << "calls/s " << (long)(calls / took) << std::endl;
    } else {
      std::cout << "doubler_long(21) = " << svc->doubler_long(21) << std::endl;
      CORBA::String_var s = svc->doubler_str("ab");
      std::cout << "doubler_str(ab) = " << s.in() << std::endl;
    }
  } catch (CORBA::SystemException& ex) {
    std::cerr << "system exception " << ex._name() << " minor " << ex.minor() << std::endl;
    return 1;
  }
  orb->destroy();
  return 0;
}
