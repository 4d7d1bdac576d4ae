#pragma once
// Results of the flood benchmark: one Sample per repetition and flood kind, summarised per kind
// as min / median / max, with the targets checked against the measured values.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "flooder.hpp"

namespace flood {

struct Sample {
  Kind kind = Kind::none;
  double sent_per_second = 0;        ///< flood datagrams the kernel took from the flooder
  double read_per_second = 0;        ///< strangers' datagrams the server read
  std::uint64_t kernel_drops = 0;    ///< UDP RcvbufErrors during the flood (all sockets)
  double server_cpu_percent = 0;     ///< the server thread's CPU over the flood window
  double ns_per_flood_datagram = 0;  ///< that CPU divided by the strangers' datagrams read
  double loss_percent = 0;           ///< players' inputs whose echo never came back
  double connect_ms = 0;             ///< the slower player's connect, started during the flood
  double rtt_median_ms = 0, rtt_p99_ms = 0;
  std::uint32_t timeouts = 0;        ///< players disconnected (or not connected) at the end
  std::uint32_t notes_missing = 0;   ///< reliable notes the server never got
};

inline double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5)];
}

inline void print_sample(int rep, const Sample& s) {
  std::printf("rep %d %-9s sent %8.0f/s read %8.0f/s kernel drops %9llu server cpu %5.1f%% %6.0f ns/datagram | "
              "loss %5.2f%% connect %7.1f ms rtt %.2f/%.2f ms timeouts %u notes missing %u\n",
              rep, name(s.kind), s.sent_per_second, s.read_per_second, static_cast<unsigned long long>(s.kernel_drops),
              s.server_cpu_percent, s.ns_per_flood_datagram, s.loss_percent, s.connect_ms, s.rtt_median_ms,
              s.rtt_p99_ms, s.timeouts, s.notes_missing);
  std::fflush(stdout);
}

class Report {
 public:
  explicit Report(std::vector<Sample> samples) : samples_(std::move(samples)) {}

  [[nodiscard]] std::string markdown() const {
    std::string out =
        "| flood | sent /s | read by server /s | kernel drops | server CPU | ns per flood datagram | players' loss % | "
        "connect ms | RTT median ms | RTT p99 ms | timeouts | notes missing |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (Kind k : kinds) {
      if (of(k).empty()) continue;
      out += std::string("| ") + name(k) + " | " + mmm(k, &Sample::sent_per_second, "%.0f") + " | " +
             mmm(k, &Sample::read_per_second, "%.0f") + " | " + mmm(k, drops, "%.0f") + " | " +
             mmm(k, &Sample::server_cpu_percent, "%.1f%%") + " | " + (k == Kind::none ? std::string("–") : mmm(k, &Sample::ns_per_flood_datagram, "%.0f")) +
             " | " + mmm(k, &Sample::loss_percent, "%.2f") + " | " + mmm(k, &Sample::connect_ms, "%.1f") + " | " +
             mmm(k, &Sample::rtt_median_ms, "%.2f") + " | " + mmm(k, &Sample::rtt_p99_ms, "%.2f") + " | " +
             mmm(k, timeouts, "%.0f") + " | " + mmm(k, notes, "%.0f") + " |\n";
    }
    out += "\nEach cell: min / median / max over " + std::to_string(of(Kind::none).size()) + " repetitions.\n\n";
    out += targets();
    return out;
  }

  [[nodiscard]] std::string json() const {
    std::string out = "{\"samples\": [";
    char b[512];
    for (std::size_t i = 0; i < samples_.size(); ++i) {
      const Sample& s = samples_[i];
      std::snprintf(b, sizeof b,
                    "%s{\"kind\": \"%s\", \"sent_per_second\": %.0f, \"read_per_second\": %.0f, \"kernel_drops\": %llu, "
                    "\"server_cpu_percent\": %.2f, \"ns_per_flood_datagram\": %.1f, \"loss_percent\": %.3f, "
                    "\"connect_ms\": %.2f, \"rtt_median_ms\": %.3f, \"rtt_p99_ms\": %.3f, \"timeouts\": %u, "
                    "\"notes_missing\": %u}",
                    i == 0 ? "" : ", ", name(s.kind), s.sent_per_second, s.read_per_second,
                    static_cast<unsigned long long>(s.kernel_drops), s.server_cpu_percent, s.ns_per_flood_datagram,
                    s.loss_percent, s.connect_ms, s.rtt_median_ms, s.rtt_p99_ms, s.timeouts, s.notes_missing);
      out += b;
    }
    return out + "]}\n";
  }

  /// The targets: under the 16-byte flood, players' loss < 1 %, connect < 100 ms and no timeout
  /// in every repetition; the replay flood's CPU per datagram no more than the protocol flood's.
  [[nodiscard]] std::string targets() const {
    const auto g = of(Kind::garbage16);
    const bool loss = all(g, [](const Sample& s) { return s.loss_percent < 1; });
    const bool connect = all(g, [](const Sample& s) { return s.connect_ms < 100; });
    const bool no_timeout = all(g, [](const Sample& s) { return s.timeouts == 0; });
    const double replay = median(Kind::replay, &Sample::ns_per_flood_datagram);
    const double protocol = median(Kind::protocol, &Sample::ns_per_flood_datagram);
    char b[600];
    std::snprintf(b, sizeof b,
                  "targets (every repetition of garbage16): players' loss < 1 %%: %s; connect < 100 ms: %s; no "
                  "timeout: %s\ntarget: replay CPU per datagram <= protocol's (medians %.0f vs %.0f ns, ratio %.2f): %s\n",
                  met(loss), met(connect), met(no_timeout), replay, protocol, protocol > 0 ? replay / protocol : 0,
                  met(replay <= protocol));
    return b;
  }

 private:
  static constexpr Kind kinds[] = {Kind::none, Kind::garbage16, Kind::replay, Kind::protocol};
  static double drops(const Sample& s) { return static_cast<double>(s.kernel_drops); }
  static double timeouts(const Sample& s) { return s.timeouts; }
  static double notes(const Sample& s) { return s.notes_missing; }
  static const char* met(bool ok) { return ok ? "met" : "NOT met"; }
  template <class Pred>
  static bool all(const std::vector<Sample>& v, Pred p) {
    return !v.empty() && std::all_of(v.begin(), v.end(), p);
  }

  [[nodiscard]] std::vector<Sample> of(Kind k) const {
    std::vector<Sample> v;
    for (const auto& s : samples_)
      if (s.kind == k) v.push_back(s);
    return v;
  }
  template <class Field>
  [[nodiscard]] std::vector<double> sorted(Kind k, Field f) const {
    std::vector<double> v;
    for (const auto& s : of(k)) v.push_back(std::invoke(f, s));
    std::sort(v.begin(), v.end());
    return v;
  }
  template <class Field>
  [[nodiscard]] double median(Kind k, Field f) const {
    return percentile(sorted(k, f), 0.5);
  }
  template <class Field>
  [[nodiscard]] std::string mmm(Kind k, Field f, const char* format) const {
    const auto v = sorted(k, f);
    if (v.empty()) return "–";
    std::string out;
    char b[64];
    for (double x : {v.front(), percentile(v, 0.5), v.back()}) {
      std::snprintf(b, sizeof b, format, x);
      out += (out.empty() ? "" : " / ") + std::string(b);
    }
    return out;
  }

  std::vector<Sample> samples_;
};

}  // namespace flood
