#pragma once
// Shared pieces of the end-to-end benchmark: arguments, clocks, resident memory, the
// allocation counter (operator new is replaced in main.cpp), result lines.

#include <poll.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace bench {

/// Allocations counted by the replaced operator new (main.cpp) and ENet's malloc callback.
extern std::uint64_t allocations;
/// Set from COURIER_E2E_TRACE_ALLOCS=N: the first N allocations after warm-up print a backtrace.
extern int trace_allocations;

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// key=value arguments after the role, library and workload.
struct Args {
  std::map<std::string, std::string> kv;
  [[nodiscard]] std::string str(const std::string& k, const std::string& d = "") const {
    auto it = kv.find(k);
    return it == kv.end() ? d : it->second;
  }
  [[nodiscard]] long num(const std::string& k, long d = 0) const {
    auto it = kv.find(k);
    return it == kv.end() ? d : std::strtol(it->second.c_str(), nullptr, 10);
  }
};

/// Resident set of this process in KiB (/proc/self/statm).
inline long rss_kib() {
  long pages_total = 0, pages_resident = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
    std::fclose(f);
  }
  return pages_resident * 4;
}

/// One line the driver collects: "RESULT key=value key=value ...".
struct Result {
  std::string line = "RESULT";
  Result& add(const char* k, double v) {
    char b[96];
    std::snprintf(b, sizeof b, " %s=%.6g", k, v);
    line += b;
    return *this;
  }
  void print() const {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
};

inline void announce_port(unsigned port) {
  std::printf("PORT %u\n", port);
  std::fflush(stdout);
}

/// Sleeps until `fd` is readable or `ms` pass. Every receiver waits this way between reads (no
/// busy spinning: the machine has 2 cores shared by sender, receiver and everything else).
inline void wait_readable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  ::poll(&p, 1, ms);
}

/// Percentile of sorted samples.
inline double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[i];
}

int courier_role(const std::string& role, const std::string& crypto, const std::string& workload, const Args& a);
/// courier over WebSocket (built with courier::websocket only, COURIER_E2E_WEBSOCKET).
int courier_ws_role(const std::string& role, const std::string& workload, const Args& a);
int enet_role(const std::string& role, const std::string& workload, const Args& a);
int raw_role(const std::string& role, const std::string& workload, const Args& a);

}  // namespace bench
