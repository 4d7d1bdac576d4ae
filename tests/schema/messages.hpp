#pragma once
// Test messages covering every field kind, and seeded random generators for them that favour
// the bound edges (Min, Max, empty, full). Shared by the schema tests; not a test file itself.

#include <courier/core/random.hpp>
#include <courier/schema/bounded_string.hpp>
#include <courier/schema/bounded_vector.hpp>
#include <courier/schema/quantized.hpp>
#include <courier/schema/ranged.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

namespace schema_samples {

enum class Color : std::uint8_t { red, green, blue };
enum Legacy : std::int16_t { legacy_low = -5, legacy_high = 7 };  // unscoped, fixed type

struct Inner {
  std::int32_t x;
  courier::Ranged<std::int8_t, -3, 3> small;
  bool operator==(const Inner&) const = default;
};

/// A custom-serialize struct using the bound helpers instead of wrapper types.
struct Shot {
  std::uint16_t shooter = 0;
  int angle = 0;       // 0..359
  float power = 0.0f;  // 0..1 in 8 bits
  courier::BoundedString<4> tag;
  template <class Stream>
  constexpr void serialize(Stream& s) {
    s(shooter);
    s.template ranged<0, 359>(angle);
    s.template quantized<0, 1, 8>(power);
    s(tag);
  }
  bool operator==(const Shot&) const = default;
};

struct Scalars {
  bool flag;
  std::uint8_t u8;
  std::int8_t i8;
  std::uint16_t u16;
  std::int16_t i16;
  std::uint32_t u32;
  std::int32_t i32;
  std::uint64_t u64;
  std::int64_t i64;
  Color color;
  Legacy legacy;
  float f;
  double d;
  bool operator==(const Scalars&) const = default;
};

struct Bounded {
  courier::Ranged<int, -100, 100> hp;
  courier::Ranged<std::int64_t, std::numeric_limits<std::int64_t>::min(),
                  std::numeric_limits<std::int64_t>::max()> full;
  courier::Ranged<std::uint8_t, 7, 7> fixed;  // zero bits in BitPacked
  courier::Ranged<std::uint32_t, 0, 70000> wide;
  courier::Quantized<-50, 50, 12> q;
  bool operator==(const Bounded&) const = default;
};

struct Containers {
  courier::BoundedString<12> name;
  courier::BoundedVector<Inner, 5> inners;
  courier::BoundedVector<bool, 9> bits;
  courier::BoundedVector<courier::BoundedString<3>, 2> words;
  std::array<std::uint16_t, 3> arr;
  std::optional<Shot> shot;
  std::optional<std::uint8_t> small;
  bool operator==(const Containers&) const = default;
};

/// Every field kind, nested: the property tests' message.
struct Everything {
  Scalars scalars;
  Bounded bounded;
  Containers containers;
  Inner inner;
  Shot shot;
  bool operator==(const Everything&) const = default;
};

/// A small message random garbage decodes successfully often enough to matter.
struct Small {
  courier::Ranged<int, 0, 5> r;
  bool b;
  courier::BoundedString<3> s;
  bool operator==(const Small&) const = default;
};

// ---- generators -----------------------------------------------------------------------------

/// Uniform in [lo, hi], with the edges lo and hi drawn a quarter of the time each.
template <std::integral T>
T random_between(courier::Rng& rng, T lo, T hi) {
  switch (rng.below(4)) {
    case 0: return lo;
    case 1: return hi;
    default: return static_cast<T>(rng.between(static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi)));
  }
}

/// Any value of T (full range), favouring min, max and 0.
template <std::integral T>
T random_integer(courier::Rng& rng) {
  switch (rng.below(6)) {
    case 0: return std::numeric_limits<T>::min();
    case 1: return std::numeric_limits<T>::max();
    case 2: return T{};
    default: return static_cast<T>(rng.next());
  }
}

/// Any float bit pattern except NaN (NaN != NaN would defeat == on the message; NaN payloads
/// are checked bit for bit in their own test).
template <std::floating_point F>
F random_float(courier::Rng& rng) {
  using Bits = std::conditional_t<sizeof(F) == 4, std::uint32_t, std::uint64_t>;
  const F value = std::bit_cast<F>(static_cast<Bits>(rng.next()));
  return std::isnan(value) ? F{-0.0} : value;
}

template <std::size_t N>
courier::BoundedString<N> random_string(courier::Rng& rng) {
  const auto size = random_between<std::size_t>(rng, 0, N);
  courier::BoundedString<N> text;
  text.resize(size);
  for (auto& c : text) c = static_cast<char>(rng.below(256));
  return text;
}

template <class Q>
Q random_quantized(courier::Rng& rng) {  // a representable value, so it round-trips exactly
  return Q::dequantize(static_cast<std::uint32_t>(random_between<std::uint64_t>(rng, 0, Q::max_step)));
}

inline Inner random_inner(courier::Rng& rng) {
  return {random_integer<std::int32_t>(rng), random_between<std::int8_t>(rng, -3, 3)};
}

inline Shot random_shot(courier::Rng& rng) {
  Shot shot;
  shot.shooter = random_integer<std::uint16_t>(rng);
  shot.angle = random_between(rng, 0, 359);
  shot.power = courier::Quantized<0, 1, 8>::dequantize(static_cast<std::uint32_t>(rng.below(256)));
  shot.tag = random_string<4>(rng);
  return shot;
}

inline Scalars random_scalars(courier::Rng& rng) {
  return {rng.chance(0.5), random_integer<std::uint8_t>(rng), random_integer<std::int8_t>(rng),
          random_integer<std::uint16_t>(rng), random_integer<std::int16_t>(rng),
          random_integer<std::uint32_t>(rng), random_integer<std::int32_t>(rng),
          random_integer<std::uint64_t>(rng), random_integer<std::int64_t>(rng),
          static_cast<Color>(random_integer<std::uint8_t>(rng)),  // full underlying range
          static_cast<Legacy>(random_integer<std::int16_t>(rng)), random_float<float>(rng),
          random_float<double>(rng)};
}

inline Bounded random_bounded(courier::Rng& rng) {
  return {random_between(rng, -100, 100), random_integer<std::int64_t>(rng),
          std::uint8_t{7}, random_between<std::uint32_t>(rng, 0, 70000),
          random_quantized<courier::Quantized<-50, 50, 12>>(rng)};
}

inline Containers random_containers(courier::Rng& rng) {
  Containers c{};
  c.name = random_string<12>(rng);
  const auto inners = random_between<std::size_t>(rng, 0, 5);
  for (std::size_t i = 0; i < inners; ++i) c.inners.push_back(random_inner(rng));
  const auto bits = random_between<std::size_t>(rng, 0, 9);
  for (std::size_t i = 0; i < bits; ++i) c.bits.push_back(rng.chance(0.5));
  const auto words = random_between<std::size_t>(rng, 0, 2);
  for (std::size_t i = 0; i < words; ++i) c.words.push_back(random_string<3>(rng));
  for (auto& a : c.arr) a = random_integer<std::uint16_t>(rng);
  if (rng.chance(0.5)) c.shot = random_shot(rng);
  if (rng.chance(0.5)) c.small = random_integer<std::uint8_t>(rng);
  return c;
}

inline Everything random_everything(courier::Rng& rng) {
  return {random_scalars(rng), random_bounded(rng), random_containers(rng), random_inner(rng),
          random_shot(rng)};
}

inline std::vector<std::byte> random_bytes(courier::Rng& rng, std::size_t size) {
  std::vector<std::byte> bytes(size);
  for (auto& b : bytes) b = static_cast<std::byte>(rng.below(256));
  return bytes;
}

/// Encodes `msg` with schema S into a buffer of exactly the encoded size.
template <class S, class T>
std::vector<std::byte> encode_to_vector(const T& msg) {
  std::vector<std::byte> out(S::template max_bytes<T>);
  const auto result = S::encode(msg, out);
  out.resize(result ? result.size : 0);
  return out;
}

/// The errors a decode of untrusted bytes may report.
inline bool is_decode_error(std::error_code ec) {
  using courier::Error;
  return ec == Error::truncated || ec == Error::trailing_bytes || ec == Error::value_out_of_range ||
         ec == Error::length_out_of_range || ec == Error::malformed;
}

}  // namespace schema_samples
