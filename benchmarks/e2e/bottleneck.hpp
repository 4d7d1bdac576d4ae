#pragma once
// The kernel bottleneck workload (issue 16): a client pushes bulk reliable 1000-byte messages
// as fast as its library accepts them plus a 60 Hz real-time stream of 100-byte unreliable
// messages stamped with their send time, through a veth pair limited by a tbf qdisc
// (scripts/bottleneck-net.sh). The server measures goodput, the real-time one-way latency and
// its loss. Shared by courier's and ENet's roles (bottleneck_courier.cpp, bottleneck_enet.cpp).
//
// Arguments: host=A.B.C.D (the server's address, both roles), port=N (client), seconds=S
// (measured window), warm=S (not measured: start-up), rate_bits=R (the tbf rate, for the
// fraction).

#include "common.hpp"

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace bench::bottleneck {

inline constexpr std::size_t bulk_bytes = 1000;  // one bulk message's payload
inline constexpr std::size_t rt_bytes = 100;     // one real-time message's payload
inline constexpr double rt_hz = 60;

/// CLOCK_MONOTONIC in ns: both roles run on one machine, and network namespaces share it, so a
/// stamp taken by the client is comparable with the server's clock (one-way latency).
inline std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count());
}

/// Sleeps until `fd` is readable or `us` microseconds pass. Shorter than wait_readable's 1 ms:
/// at 20 Mbit/s a 1000-byte message leaves every 0.4 ms, and a sender that sleeps a whole
/// millisecond between writes cannot keep a paced (or windowed) flow at the link rate.
inline void wait_readable_us(int fd, long us) {
  pollfd p{fd, POLLIN, 0};
  const timespec t{0, us * 1000};
  ::ppoll(&p, 1, &t, nullptr);
}

/// When the next real-time message is due: a fixed 60 Hz schedule from the first one (a late
/// tick sends once and keeps the schedule, as a game's fixed-step loop would).
struct RtSchedule {
  std::uint64_t next = 0;
  std::uint32_t seq = 0;
  bool due(std::uint64_t now) {
    if (next == 0) next = now;
    if (now < next) return false;
    next += static_cast<std::uint64_t>(1e9 / rt_hz);
    if (next < now) next = now;  // more than a tick late: do not send a burst to catch up
    return true;
  }
};

/// The server's measurement: a window of `seconds` starting `warm` seconds after the first
/// bulk byte arrived. Bulk bytes count when they arrive inside it; real-time messages when
/// they were *sent* inside it (their stamp), so one that arrives after the window still counts
/// and one that never arrives is lost. The result is printed 1 s after the window closes.
class Tally {
 public:
  explicit Tally(const Args& a)
      : warm_(static_cast<std::uint64_t>(a.num("warm", 3)) * 1'000'000'000ull),
        window_(static_cast<std::uint64_t>(a.num("seconds", 20)) * 1'000'000'000ull),
        rate_bits_(static_cast<double>(a.num("rate_bits", 20'000'000))) {
    latency_us_.reserve(4096);
  }

  void bulk(std::size_t bytes, std::uint64_t now) {
    if (start_ == 0) start_ = now + warm_;
    if (now >= start_ && now < start_ + window_) bulk_bytes_ += bytes;
  }
  void rt(std::uint32_t seq, std::uint64_t stamp, std::uint64_t now) {
    if (start_ == 0 || stamp < start_ || stamp >= start_ + window_) return;
    latency_us_.push_back(static_cast<double>(now - stamp) / 1e3);
    min_seq_ = std::min(min_seq_, seq);
    max_seq_ = std::max(max_seq_, seq);
  }
  [[nodiscard]] bool done(std::uint64_t now) const { return start_ != 0 && now >= start_ + window_ + 1'000'000'000ull; }

  void report() {
    std::sort(latency_us_.begin(), latency_us_.end());
    const double seconds = static_cast<double>(window_) / 1e9;
    const double goodput = static_cast<double>(bulk_bytes_) * 8 / seconds;
    const double expected = latency_us_.empty() ? 0 : static_cast<double>(max_seq_ - min_seq_ + 1);
    const double got = static_cast<double>(latency_us_.size());
    Result()
        .add("goodput_bits_per_s", goodput)
        .add("goodput_fraction", goodput / rate_bits_)
        .add("rt_median_ms", percentile(latency_us_, 0.5) / 1e3)
        .add("rt_p99_ms", percentile(latency_us_, 0.99) / 1e3)
        .add("rt_max_ms", latency_us_.empty() ? 0 : latency_us_.back() / 1e3)
        .add("rt_received", got)
        .add("rt_loss", expected > 0 ? 1 - got / expected : 1)
        .print();
  }

 private:
  std::uint64_t warm_, window_;
  double rate_bits_;
  std::uint64_t start_ = 0;  // the window's first ns
  std::uint64_t bulk_bytes_ = 0;
  std::vector<double> latency_us_;
  std::uint32_t min_seq_ = UINT32_MAX, max_seq_ = 0;
};

int courier_role(const std::string& role, const Args& a);
int enet_role(const std::string& role, const Args& a);

}  // namespace bench::bottleneck
