// Fuzz target: the flood defences' per-source state. A netcode RequestBudget (sources keyed by
// family, port and address) and a SourceRateLimiter keyed as WebSocketServer keys accepts
// (family and address, no port) take requests from input-chosen sources: eight fixed ones (IPv4
// and IPv6, two pairs differing only by port) hit again and again, any address the input spells,
// and floods of up to 64 fresh sources at once; time moves forward by input-chosen steps from
// 1 ns to 18 hours; the budget starts new updates.
//
// What the headers promise, checked here:
// - each table is a GCRA token bucket per bucket: capacity max(burst, 1) takes (a burst of 0
//   behaves as 1), one take back every interval = floor(1 s / per_second) ns, per_second 0
//   admits everything. An exact token-bucket model per bucket (the library's own bucket_of says
//   which) must give the same verdict on every take;
// - per source, whatever the collisions do: a source is never admitted while its own exact
//   bucket (a std::map keyed by source) is empty, so over any stretch it gets at most
//   max(burst, 1) + elapsed / interval. Sharing a bucket only makes it stricter: the model is
//   an upper bound, and exact for a source that has its bucket to itself;
// - the budget's per-update count: never more than per_update allowed between new_update calls,
//   refused as update_over_budget exactly when it is spent, and a refusal charges nothing;
// - memory: bucket_count() is the constructed size (a power of two) whatever the number of
//   distinct sources.
// Rates are kept at or below 1e9/s: above it the nanosecond interval truncates to zero and the
// limit turns off (docs/SECURITY.md, fuzzing section).
#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>

#include <courier/core/source_rate_limiter.hpp>
#include <courier/netcode/request_budget.hpp>
#include <courier/transport/address.hpp>

#include "common.hpp"

using namespace courier;
using namespace courier::fuzz;

namespace {

// The tables' SipHash key comes from libsodium's randombytes. The input chooses it instead, so
// that a failing input replays with the same collisions it had when it failed.
std::array<unsigned char, 16> chosen_key{};
const char* random_name() { return "fuzz (input-chosen key)"; }
std::uint32_t random_word() { return 0x9e3779b9u; }
void random_buf(void* const out, const std::size_t size) {
  auto* p = static_cast<unsigned char*>(out);
  for (std::size_t i = 0; i < size; ++i) p[i] = chosen_key[i % chosen_key.size()];
}
randombytes_implementation fixed_random = {random_name, random_word, nullptr, nullptr, random_buf, nullptr};

/// An exact token bucket in nanoseconds: `level` is tokens × interval, full at capacity ×
/// interval, refilled one nanosecond per nanosecond; a take costs one interval.
template <class K>
class TokenModel {
 public:
  TokenModel(std::int64_t interval, std::int64_t capacity) : interval_(interval), full_(interval * capacity) {}
  [[nodiscard]] bool can_take(const K& k, TimePoint now) { return refill(k, now) >= interval_; }
  void take(const K& k) { buckets_.at(k).level -= interval_; }

 private:
  struct Bucket {
    std::int64_t level;
    TimePoint at;
  };
  std::int64_t refill(const K& k, TimePoint now) {
    // A bucket never used is full (the library's start at the epoch, long before now).
    auto [it, fresh] = buckets_.try_emplace(k, Bucket{full_, now});
    Bucket& b = it->second;
    if (!fresh) b.level = std::min(full_, b.level + (now - b.at).count());
    b.at = now;
    return b.level;
  }
  std::int64_t interval_;
  std::int64_t full_;
  std::map<K, Bucket> buckets_;
};

using NetcodeKey = std::array<unsigned char, 19>;  // RequestBudget::key: family, port, 16 bytes
using WsKey = std::array<unsigned char, 17>;       // WebSocketServer's source_key: family, 16 bytes

NetcodeKey netcode_key(const Address& a) {
  NetcodeKey k{static_cast<unsigned char>(a.family()), static_cast<unsigned char>(a.port() >> 8),
               static_cast<unsigned char>(a.port() & 0xff)};
  std::copy(a.bytes().begin(), a.bytes().end(), k.begin() + 3);
  return k;
}
WsKey ws_key(const Address& a) {
  WsKey k{static_cast<unsigned char>(a.family())};
  std::copy(a.bytes().begin(), a.bytes().end(), k.begin() + 1);
  return k;
}

/// One table and its models: the exact one per bucket, the upper bound per source, and which
/// sources each bucket has seen (a source alone in its bucket must match its own model exactly).
template <class K>
struct Checked {
  Checked(std::int64_t interval, std::int64_t capacity) : by_bucket(interval, capacity), by_source(interval, capacity) {}
  TokenModel<std::size_t> by_bucket;
  TokenModel<K> by_source;
  std::map<std::size_t, std::pair<K, bool>> first_user;  // bucket → its first source, shared yet
  std::uint64_t admitted = 0;

  bool alone(std::size_t bucket, const K& k) {
    auto [it, fresh] = first_user.try_emplace(bucket, k, false);
    if (!fresh && it->second.first != k) it->second.second = true;
    return !it->second.second;
  }
  /// Checks a verdict of the table (`allowed`) against the models and charges them.
  void check(bool enabled, std::size_t bucket, const K& k, TimePoint now, bool allowed) {
    if (!enabled) {  // per_second 0: no limit
      FUZZ_CHECK(allowed);
      return;
    }
    const bool exclusive = alone(bucket, k);
    FUZZ_CHECK(allowed == by_bucket.can_take(bucket, now));
    const bool source_can = by_source.can_take(k, now);
    FUZZ_CHECK(!allowed || source_can);  // never past the source's own burst + rate × time
    if (exclusive) FUZZ_CHECK(allowed == source_can);
    if (!allowed) return;
    by_bucket.take(bucket);
    by_source.take(k);
    ++admitted;
  }
};

std::array<Address, 8> fixed_sources() {
  return {Address::ipv4(192, 0, 2, 1, 40000), Address::ipv4(192, 0, 2, 1, 40001),  // same ip, two ports
          Address::ipv4(198, 51, 100, 7, 1), Address::ipv4(10, 0, 0, 1, 65535),
          Address::ipv6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}, 40000), Address::ipv6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}, 9),
          Address::ipv6({0xfe80, 0, 0, 0, 0, 0, 0, 0x42}, 7), Address::ipv6({0, 0, 0, 0, 0, 0, 0xffff, 0xc000}, 40000)};
}

Address spelled(Input& in) {
  const std::uint8_t shape = in.u8();
  if (shape & 1) {
    std::array<std::uint16_t, 8> groups{};
    for (auto& g : groups) g = in.u16();
    return Address::ipv6(groups, in.u16());
  }
  const std::uint8_t a = in.u8(), b = in.u8(), c = in.u8(), d = in.u8();
  return Address::ipv4(a, b, c, d, in.u16());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = (randombytes_set_implementation(&fixed_random), sodium_init() >= 0);
  FUZZ_CHECK(ready);
  Input in(data, size);
  for (auto& b : chosen_key) b = in.u8();

  // Small tables most of the time, so that sources collide; 0 and 4096 (the defaults' size) too.
  const std::uint8_t table = in.u8();
  const std::size_t buckets = table >= 250 ? (table == 255 ? 0 : 4096) : std::size_t{1} << (table % 8);
  const std::uint8_t rate = in.u8();
  std::uint32_t per_second = rate == 255 ? 0 : 1 + rate % 64;
  if (rate >= 192 && rate < 255) per_second = 1 + in.u32() % 1'000'000'000u;
  const std::uint8_t burst_byte = in.u8();
  const std::uint32_t burst = burst_byte == 255 ? 0 : 1 + burst_byte % 16;
  const std::size_t per_update = in.u8() % 8;  // 0: no per-update limit

  netcode::detail::RequestBudget budget(buckets, per_second, burst, per_update);
  courier::detail::SourceRateLimiter accepts(buckets, per_second, burst);
  std::size_t expected_buckets = 1;
  while (expected_buckets < buckets) expected_buckets <<= 1;
  FUZZ_CHECK(budget.bucket_count() == expected_buckets && accepts.bucket_count() == expected_buckets);
  FUZZ_CHECK(accepts.enabled() == (per_second != 0));

  const std::int64_t interval = per_second == 0 ? 1 : 1'000'000'000 / per_second;
  const std::int64_t capacity = std::max<std::uint32_t>(burst, 1);
  Checked<NetcodeKey> netcode(interval, capacity);
  Checked<WsKey> ws(interval, capacity);
  std::size_t used_this_update = 0;
  TimePoint now{};
  std::uint32_t fresh = 0;  // numbers the flood's sources

  const auto request = [&](const Address& from) {
    const auto verdict = budget.take(from, now);
    const bool spent = per_update != 0 && used_this_update >= per_update;
    FUZZ_CHECK((verdict == netcode::detail::RequestBudget::Verdict::update_over_budget) == spent);
    if (!spent) {
      netcode.check(per_second != 0, budget.bucket_of(from), netcode_key(from), now,
                    verdict == netcode::detail::RequestBudget::Verdict::allowed);
      if (verdict == netcode::detail::RequestBudget::Verdict::allowed) ++used_this_update;
    }
    FUZZ_CHECK(per_update == 0 || used_this_update <= per_update);
    const WsKey k = ws_key(from);
    ws.check(per_second != 0, accepts.bucket_of(k), k, now, accepts.take(k, now));
  };

  const auto sources = fixed_sources();
  for (int step = 0; step < 512 && !in.empty(); ++step) {
    const std::uint8_t op = in.u8();
    switch (op & 3) {
      case 0: {  // one of the fixed sources, 1..8 requests in a row
        for (int i = 0; i <= (op >> 5); ++i) request(sources[(op >> 2) & 7]);
        break;
      }
      case 1: {  // a source the input spells, 1..64 requests
        const Address from = spelled(in);
        for (int i = 0; i <= (op >> 2); ++i) request(from);
        break;
      }
      case 2: {  // time passes: u16 of 1 ns, 1 µs, 1 ms or 1 s units (at most ~18 h a step)
        static constexpr std::array<std::int64_t, 4> units = {1, 1'000, 1'000'000, 1'000'000'000};
        now += Duration(std::int64_t{in.u16()} * units[(op >> 2) & 3]);
        if (op & 0x10) {
          budget.new_update();
          used_this_update = 0;
        }
        break;
      }
      default: {  // a flood: 1..64 sources never seen before, IPv4 or IPv6
        for (int i = 0; i <= (op >> 2); ++i, ++fresh) {
          const auto n = fresh;
          request(op & 0x80 ? Address::ipv6({0x2001, 0xdb8, 0xf10d, static_cast<std::uint16_t>(n >> 16),
                                             static_cast<std::uint16_t>(n), 0, 0, 1}, 40000)
                            : Address::ipv4(100, static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                                            static_cast<std::uint8_t>(n), 40000));
        }
        break;
      }
    }
    FUZZ_CHECK(budget.bucket_count() == expected_buckets && accepts.bucket_count() == expected_buckets);
  }
  // What the models say in sum: with the limit on, no table admitted more than its buckets'
  // worth of bursts plus one take per interval per bucket since the epoch, however many
  // sources asked (in double: the product can pass 2^64 with 4096 buckets and 1 ns intervals).
  if (per_second != 0) {
    const double bound = static_cast<double>(expected_buckets) *
                         (static_cast<double>(capacity) + static_cast<double>(now.time_since_epoch().count() / interval));
    FUZZ_CHECK(static_cast<double>(netcode.admitted) <= bound && static_cast<double>(ws.admitted) <= bound);
  }
  return 0;
}
