// courier over Udp in the end-to-end benchmark (the roles are in courier_roles.hpp).

#include "courier_roles.hpp"

#ifdef COURIER_E2E_OPENSSL
#include <courier/crypto/netcode102_openssl.hpp>
#endif

namespace bench {

#ifdef COURIER_E2E_OPENSSL
/// The benchmark pack with the same netcode 1.02 wire, its packet cipher from OpenSSL.
using OsslPack = courier::WithCrypto<roles::NcPack, courier::Netcode102OpenSsl>;
#endif

template <>
struct Link<courier::Udp> {
  /// COURIER_E2E_GSO=on turns UDP segmentation offload on (off by default), to measure what
  /// it gives (benchmarks/e2e/ab.sh; docs/PERFORMANCE.md, "UDP GSO").
  static courier::Udp open() {
    courier::UdpConfig config;
    const char* gso = std::getenv("COURIER_E2E_GSO");
    config.segmentation_offload = gso != nullptr && std::strcmp(gso, "on") == 0;
    return courier::Udp(*courier::Address::parse("127.0.0.1:0"), config);
  }
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
#ifdef COURIER_E2E_OPENSSL
  if (crypto == "ossl") return role == "server" ? server<OsslPack>(workload, a) : client<OsslPack>(workload, a);
#endif
  if (crypto == "small") return role == "server" ? server<SmallPack>(workload, a) : client<SmallPack>(workload, a);
  return role == "server" ? server<NcPack>(workload, a) : client<NcPack>(workload, a);
}

}  // namespace bench
