// The classic omniORB C++ MonService server, for the interop tests and the bench.
// usage: monservice_server IOR_FILE [NAME] [omniORB options]
//   writes its IOR to IOR_FILE; with NAME, also binds it under NAME in the
//   naming service given by -ORBInitRef NameService=... . Stopped by a signal.
#include <fstream>
#include <iostream>
#include <string>
#include "monservice.hh"

class Service_i : public POA_MonService::Service {
 public:
  char* doubler_str(const char* s) {
    std::string d = std::string(s) + s;
    return CORBA::string_dup(d.c_str());
  }
  CORBA::Long doubler_long(CORBA::Long l) { return l * 2; }
};

int main(int argc, char** argv) {
  CORBA::ORB_var orb = CORBA::ORB_init(argc, argv);
  if (argc < 2) {
    std::cerr << "usage: monservice_server IOR_FILE [NAME]" << std::endl;
    return 2;
  }
  CORBA::Object_var obj = orb->resolve_initial_references("RootPOA");
  PortableServer::POA_var poa = PortableServer::POA::_narrow(obj);
  Service_i* servant = new Service_i();
  PortableServer::ObjectId_var id = poa->activate_object(servant);
  CORBA::Object_var ref = poa->id_to_reference(id.in());
  if (argc > 2) {
    CORBA::Object_var ns = orb->resolve_initial_references("NameService");
    CosNaming::NamingContext_var root = CosNaming::NamingContext::_narrow(ns);
    CosNaming::Name name;
    name.length(1);
    name[0].id = CORBA::string_dup(argv[2]);
    name[0].kind = CORBA::string_dup("");
    root->rebind(name, ref);
  }
  PortableServer::POAManager_var pman = poa->the_POAManager();
  pman->activate();
  CORBA::String_var ior = orb->object_to_string(ref);
  {
    std::string tmp = std::string(argv[1]) + ".tmp";
    std::ofstream out(tmp.c_str());
    out << ior.in() << std::endl;
    out.close();
    std::rename(tmp.c_str(), argv[1]);
  }
  orb->run();
  return 0;
}
