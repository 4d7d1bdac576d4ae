// courier over Udp in the end-to-end benchmark (the roles are in courier_roles.hpp).

#include "courier_roles.hpp"

namespace bench {

template <>
struct Link<courier::Udp> {
  static courier::Udp open() { return courier::Udp(*courier::Address::parse("127.0.0.1:0")); }
  /// Sleeps until a datagram arrives (or 1 ms): no busy spinning on a 2-core machine.
  static void wait(courier::Udp& t) { wait_readable(t.native_handle(), 1); }
};

int courier_role(const std::string& role, const std::string& crypto, const std::string& workload, const Args& a) {
  using namespace roles;
  if (crypto == "aes") {
    if (!courier::Aes256Gcm::available()) {
      std::printf("UNAVAILABLE aes256gcm\n");
      return 4;
    }
    return role == "server" ? server<AesPack>(workload, a) : client<AesPack>(workload, a);
  }
  if (crypto == "small") return role == "server" ? server<SmallPack>(workload, a) : client<SmallPack>(workload, a);
  return role == "server" ? server<NcPack>(workload, a) : client<NcPack>(workload, a);
}

}  // namespace bench
