// Part 8 of the loopback driver: the netcode 1.02 packet cipher from libsodium and from OpenSSL
// (the same bytes on the wire; only the implementation of ChaCha20-Poly1305 differs).

#include "driver.hpp"
#include "loopback_parts.hpp"

#include <cstdio>
#include <sstream>

namespace bench {

std::string cipher_rows(int reps, const std::string& count, const std::string& ms, std::map<std::string, Fields>& raw) {
  std::ostringstream m;
  m << "\n| courier's packet cipher, libsodium vs OpenSSL (" << reps << " alternating runs) | Netcode102 (libsodium) "
       "min / median / max | Netcode102OpenSsl min / median / max | OpenSSL ÷ libsodium (medians) | ÷ raw UDP "
       "(medians; libsodium / OpenSSL) |\n|---|---:|---:|---:|---:|\n";
#ifdef COURIER_E2E_OPENSSL
  std::fprintf(stderr, "courier_e2e: 8. packet cipher, libsodium vs OpenSSL\n");
  std::map<std::string, std::vector<double>> v;  // "<crypto> <row>" -> one value per run
  for (int r = 1; r <= reps; ++r) {
    const std::string run = "#" + std::to_string(r);
    for (const std::string crypto : {"nc", "ossl"}) {
      Fields& u = raw["cipher_unreliable" + run + "/" + crypto];
      u = run_case("courier", crypto, "unreliable", {"ms=" + ms}, {}, true);
      Fields& o = raw["cipher_ordered" + run + "/" + crypto];
      o = run_case("courier", crypto, "ordered", {"count=" + count, "queue=256"}, {"count=" + count, "queue=256"}, true);
      v[crypto + " unreliable"].push_back(get(u, "msgs_per_s"));
      v[crypto + " ordered"].push_back(get(o, "msgs_per_s"));
    }
    Fields& big = raw["cipher_raw_unreliable" + run];
    big = run_case("raw", "-", "unreliable", {"ms=" + ms}, {"size=1200"}, true);
    Fields& small = raw["cipher_raw_small" + run];
    small = run_case("raw", "-", "unreliable", {"ms=" + ms}, {"size=100"}, true);
    v["raw unreliable"].push_back(get(big, "msgs_per_s"));
    v["raw ordered"].push_back(get(small, "msgs_per_s"));
  }
  const auto line = [&](const char* name, const std::string& row) {
    const double sodium = median(v["nc " + row]), openssl = median(v["ossl " + row]), udp = median(v["raw " + row]);
    m << "| " << name << " | " << spread(v["nc " + row]) << " | " << spread(v["ossl " + row]) << " | "
      << ratio(openssl, sodium) << " | " << ratio(sodium, udp) << " / " << ratio(openssl, udp) << " |\n";
  };
  line("unreliable 1024 B (msg/s; raw UDP: 1200 B datagrams/s)", "unreliable");
  line("reliable-ordered 100 B, window 256 (msg/s; raw UDP: 100 B datagrams/s)", "ordered");
#else
  (void)reps, (void)count, (void)ms, (void)raw;
  m << "| built without courier::openssl (OpenSSL 3) | — | — | — | — |\n";
#endif
  return m.str();
}

}  // namespace bench
