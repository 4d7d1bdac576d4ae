// Micro-benchmarks (Google Benchmark): schema encode/decode for both schemas, packet sealing and
// opening with each crypto policy next to the bare libsodium call (Netcode102OpenSsl where
// courier::openssl exists), a reliable channel's send → packet → receive → ack round trip,
// ack-only packet processing, and the reassembly of a fragmented 8 KiB block. Timing goals live here and in benchmarks/e2e, never in tests.

#include <courier/channel/connection.hpp>
#include <courier/crypto/aes256gcm.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/crypto/plaintext.hpp>
#ifdef COURIER_MICRO_OPENSSL
#include <courier/crypto/netcode102_openssl.hpp>
#endif
#include <courier/schema/bit_packed.hpp>
#include <courier/schema/bounded_string.hpp>
#include <courier/schema/byte_aligned.hpp>
#include <courier/schema/ranged.hpp>

#include <benchmark/benchmark.h>
#include <sodium.h>

#include <array>
#include <vector>

namespace {

using namespace courier;
using namespace std::chrono_literals;

struct Player {  // a typical game message: ids, ranged position, a name, flags
  std::uint32_t id;
  Ranged<std::int32_t, -100000, 100000> x, y, z;
  std::uint16_t health;
  BoundedString<16> name;
  bool alive;
  std::array<std::uint8_t, 8> inputs;
};

Player sample() {
  Player p{};
  p.id = 12345;
  p.x = -4000;
  p.y = 77;
  p.z = 99999;
  p.health = 420;
  p.name = "sample player";
  p.alive = true;
  p.inputs = {1, 2, 3, 4, 5, 6, 7, 8};
  return p;
}

template <class S>
void BM_Encode(benchmark::State& st) {
  const Player p = sample();
  std::array<std::byte, 256> out{};
  for (auto _ : st) {
    auto r = S::encode(p, std::span(out));
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(st.iterations());
}
template <class S>
void BM_Decode(benchmark::State& st) {
  std::array<std::byte, 256> buf{};
  const auto n = S::encode(sample(), std::span(buf)).size;
  Player p{};
  for (auto _ : st) {
    auto e = S::decode(std::span<const std::byte>(buf.data(), n), p);
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(p);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_Encode<BitPacked>);
BENCHMARK(BM_Decode<BitPacked>);
BENCHMARK(BM_Encode<ByteAligned>);
BENCHMARK(BM_Decode<ByteAligned>);

// ---- packet AEAD: courier's policy next to the bare libsodium call ------------------------------
template <class C>
void BM_Seal(benchmark::State& st) {
  const std::size_t n = static_cast<std::size_t>(st.range(0));
  std::vector<std::byte> plain(n, std::byte{7}), out(n + 16);
  Key key{};
  std::array<std::byte, 13> ad{};
  std::uint64_t seq = 0;
  for (auto _ : st) benchmark::DoNotOptimize(C::seal(plain, ad, ++seq, key, out));
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
template <class C>
void BM_Open(benchmark::State& st) {
  const std::size_t n = static_cast<std::size_t>(st.range(0));
  std::vector<std::byte> plain(n, std::byte{7}), sealed(n + 16), out(n);
  Key key{};
  std::array<std::byte, 13> ad{};
  if (!C::seal(plain, ad, 1, key, sealed)) std::abort();
  for (auto _ : st) benchmark::DoNotOptimize(C::open(sealed, ad, 1, key, out));
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
void BM_SodiumChaCha20Poly1305(benchmark::State& st) {
  const std::size_t n = static_cast<std::size_t>(st.range(0));
  std::vector<unsigned char> plain(n, 7), out(n + 16);
  std::array<unsigned char, 32> key{};
  std::array<unsigned char, 12> nonce{};
  std::array<unsigned char, 13> ad{};
  unsigned long long w = 0;
  for (auto _ : st) {
    ++nonce[0];
    benchmark::DoNotOptimize(crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &w, plain.data(), n, ad.data(), ad.size(),
                                                                      nullptr, nonce.data(), key.data()));
  }
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
void BM_SodiumAes256Gcm(benchmark::State& st) {
  if (crypto_aead_aes256gcm_is_available() == 0) {
    st.SkipWithError("no AES-NI");
    return;
  }
  const std::size_t n = static_cast<std::size_t>(st.range(0));
  std::vector<unsigned char> plain(n, 7), out(n + 16);
  std::array<unsigned char, 32> key{};
  std::array<unsigned char, 12> nonce{};
  std::array<unsigned char, 13> ad{};
  unsigned long long w = 0;
  for (auto _ : st) {
    ++nonce[0];
    benchmark::DoNotOptimize(crypto_aead_aes256gcm_encrypt(out.data(), &w, plain.data(), n, ad.data(), ad.size(), nullptr,
                                                           nonce.data(), key.data()));
  }
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(n));
}
// The same netcode 1.02 packet cipher from libsodium and from OpenSSL, at the sizes of a small
// message, a mid-size one and a full packet (where they cross over: docs/PERFORMANCE.md).
BENCHMARK(BM_Seal<Netcode102>)->Arg(100)->Arg(300)->Arg(600)->Arg(1200);
BENCHMARK(BM_SodiumChaCha20Poly1305)->Arg(100)->Arg(1200);
BENCHMARK(BM_Open<Netcode102>)->Arg(100)->Arg(300)->Arg(600)->Arg(1200);
#ifdef COURIER_MICRO_OPENSSL
BENCHMARK(BM_Seal<Netcode102OpenSsl>)->Arg(100)->Arg(300)->Arg(600)->Arg(1200);
BENCHMARK(BM_Open<Netcode102OpenSsl>)->Arg(100)->Arg(300)->Arg(600)->Arg(1200);
#endif
BENCHMARK(BM_Seal<Aes256Gcm>)->Arg(100)->Arg(1200);
BENCHMARK(BM_SodiumAes256Gcm)->Arg(100)->Arg(1200);
BENCHMARK(BM_Open<Aes256Gcm>)->Arg(100)->Arg(1200);
BENCHMARK(BM_Seal<Plaintext>)->Arg(100)->Arg(1200);
BENCHMARK(BM_Open<Plaintext>)->Arg(100)->Arg(1200);

// ---- channels, acks, reassembly -----------------------------------------------------------------
ConnectionConfig one_channel(ChannelMode mode) {
  ConnectionConfig cfg;
  cfg.channels = {ChannelConfig{.mode = mode, .message_id_count = 1}};
  return cfg;
}

/// One 100-byte message a → b on a reliable-ordered channel, received, and b's ack read by a.
void BM_ChannelRoundTrip(benchmark::State& st) {
  Connection a(one_channel(ChannelMode::reliable_ordered)), b(one_channel(ChannelMode::reliable_ordered));
  std::array<std::byte, 1200> pkt{};
  std::array<std::byte, 100> msg{};
  TimePoint now{};
  for (auto _ : st) {
    now += 1ms;
    if (!a.send(0, 0, msg)) std::abort();
    a.update(now);
    const std::size_t n = a.write_packet(now, pkt);
    if (b.read_packet(now, std::span(pkt).first(n))) std::abort();
    while (auto m = b.receive(0)) benchmark::DoNotOptimize(m->bytes.data());
    b.update(now);
    const std::size_t k = b.write_packet(now, pkt);
    if (k != 0 && a.read_packet(now, std::span(pkt).first(k))) std::abort();
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_ChannelRoundTrip);

/// Reading an ack-only packet that acknowledges a data packet (timed: the ack read alone).
void BM_AckProcessing(benchmark::State& st) {
  Connection a(one_channel(ChannelMode::reliable_ordered)), b(one_channel(ChannelMode::reliable_ordered));
  std::array<std::byte, 1200> pkt{};
  std::array<std::byte, 100> msg{};
  TimePoint now{};
  for (auto _ : st) {
    st.PauseTiming();
    now += 1ms;
    if (!a.send(0, 0, msg)) std::abort();
    a.update(now);
    const std::size_t n = a.write_packet(now, pkt);
    if (b.read_packet(now, std::span(pkt).first(n))) std::abort();
    while (b.receive(0)) {
    }
    b.update(now);
    const std::size_t k = b.write_packet(now, pkt);
    st.ResumeTiming();
    if (k != 0 && a.read_packet(now, std::span(pkt).first(k))) std::abort();
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_AckProcessing);

/// An 8 KiB reliable message: sent as a block of 1024-byte fragments, reassembled by b.
void BM_BlockReassembly(benchmark::State& st) {
  ConnectionConfig cfg;
  cfg.channels = {ChannelConfig{.mode = ChannelMode::reliable_ordered, .message_id_count = 1, .max_message_bytes = 16 * 1024}};
  Connection a(cfg), b(cfg);
  std::array<std::byte, 1200> pkt{};
  std::vector<std::byte> msg(8 * 1024, std::byte{3});
  TimePoint now{};
  for (auto _ : st) {
    if (!a.send(0, 0, msg)) std::abort();
    bool got = false;
    while (!got) {
      now += 1ms;
      a.update(now);
      while (const std::size_t n = a.write_packet(now, pkt))
        if (b.read_packet(now, std::span(pkt).first(n))) std::abort();
      while (auto m = b.receive(0)) got = m->bytes.size() == msg.size();
      b.update(now);
      while (const std::size_t k = b.write_packet(now, pkt))
        if (a.read_packet(now, std::span(pkt).first(k))) std::abort();
    }
  }
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(msg.size()));
}
BENCHMARK(BM_BlockReassembly);

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
