// RelayServer alone, with a recording sink: a third client can neither inject into, close, nor
// answer someone else's socket; such frames are dropped and counted, never forwarded; malformed
// and misdirected frames are protocol violations.

#include "relay_pack.hpp"

#include <courier/relay/relay_server.hpp>

#include <boost/test/unit_test.hpp>

#include <vector>

namespace {

using namespace courier;

struct Sent {
  ClientHandle to;
  detail::RelayFrame frame;
  std::vector<std::byte> bytes;
};

struct RecordingSink final : RelaySink {
  std::vector<Sent> sent;
  bool full = false;
  bool relay_send(ClientHandle to, detail::RelayFrame f, std::span<const std::byte> b) override {
    if (full) return false;
    sent.push_back({to, f, {b.begin(), b.end()}});
    return true;
  }
  std::size_t count(detail::RelayFrame f) const {
    std::size_t n = 0;
    for (const auto& s : sent) n += s.frame == f ? 1 : 0;
    return n;
  }
};

template <class... Fields>
std::vector<std::byte> frame(Fields... fields) {
  detail::RelayFrameWriter w;
  (([&] {
     if constexpr (sizeof(Fields) == 1) w.u8(static_cast<std::uint8_t>(fields));
     else if constexpr (sizeof(Fields) == 2) w.u16(static_cast<std::uint16_t>(fields));
     else w.u32(static_cast<std::uint32_t>(fields));
   }()), ...);
  return {w.bytes.begin(), w.bytes.begin() + static_cast<std::ptrdiff_t>(w.size)};
}

constexpr auto id(detail::RelayFrame f) { return static_cast<std::uint32_t>(f); }

struct Fixture {
  RecordingSink sink;
  RelayServer relay{sink, 8, RelayLimits{}, 42};
  ClientHandle a{0, 1}, b{1, 1}, c{2, 1};
  VirtualAddress va{VirtualAddress::first}, vb{VirtualAddress::first + 1}, vc{VirtualAddress::first + 2};
  TimePoint now{};

  Fixture() {
    relay.on_connected(a, va, now);
    relay.on_connected(b, vb, now);
    relay.on_connected(c, vc, now);
  }

  /// a connects to b's port 80 and b accepts; returns the socket id.
  RelaySocketId open() {
    BOOST_REQUIRE(relay.on_frame(a, id(detail::RelayFrame::connect), frame(std::uint32_t{7}, vb.value, std::uint16_t{80}), now));
    const auto& incoming = sink.sent.back();
    BOOST_REQUIRE(incoming.frame == detail::RelayFrame::incoming);
    const auto socket = detail::get_le<std::uint32_t>(incoming.bytes.data());
    BOOST_REQUIRE(relay.on_frame(b, id(detail::RelayFrame::accept), frame(socket), now));
    BOOST_REQUIRE(sink.sent.back().frame == detail::RelayFrame::established);
    return socket;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(relay_server_test)

BOOST_AUTO_TEST_CASE(a_third_client_cannot_use_someone_elses_socket) {
  Fixture f;
  const RelaySocketId s = f.open();
  const std::size_t before = f.sink.sent.size();
  std::vector<std::byte> data = frame(s);
  data.push_back(std::byte{1});
  BOOST_TEST(f.relay.on_frame(f.c, id(detail::RelayFrame::data), data, f.now));   // inject
  BOOST_TEST(f.relay.on_frame(f.c, id(detail::RelayFrame::close), frame(s), f.now));  // close
  BOOST_TEST(f.relay.on_frame(f.c, id(detail::RelayFrame::accept), frame(s), f.now));  // answer
  BOOST_TEST(f.sink.sent.size() == before);  // nothing forwarded, nobody told
  BOOST_TEST(f.relay.stats().spoofed_frames == 3u);
  // The real ends still work.
  BOOST_TEST(f.relay.on_frame(f.a, id(detail::RelayFrame::data), data, f.now));
  BOOST_TEST((f.sink.sent.back().frame == detail::RelayFrame::data_in));
  BOOST_TEST((f.sink.sent.back().to == f.b));
}

BOOST_AUTO_TEST_CASE(unknown_socket_ids_are_dropped_and_counted) {
  Fixture f;
  (void)f.open();
  std::vector<std::byte> data = frame(std::uint32_t{12345});
  data.push_back(std::byte{1});
  BOOST_TEST(f.relay.on_frame(f.a, id(detail::RelayFrame::data), data, f.now));
  BOOST_TEST(f.relay.stats().spoofed_frames == 1u);
}

BOOST_AUTO_TEST_CASE(malformed_and_misdirected_frames_are_violations) {
  Fixture f;
  BOOST_TEST(!f.relay.on_frame(f.a, id(detail::RelayFrame::connect), frame(std::uint32_t{1}), f.now));  // short
  BOOST_TEST(!f.relay.on_frame(f.a, id(detail::RelayFrame::data), frame(std::uint32_t{1}), f.now));     // no data
  BOOST_TEST(!f.relay.on_frame(f.a, id(detail::RelayFrame::incoming), frame(std::uint32_t{1}, std::uint32_t{2}, std::uint16_t{3}), f.now));
  BOOST_TEST(!f.relay.on_frame(f.a, 99, frame(std::uint32_t{1}), f.now));
  BOOST_TEST(!f.relay.on_frame(f.a, id(detail::RelayFrame::refuse), frame(std::uint32_t{1}, std::uint8_t{9}), f.now));
  std::vector<std::byte> huge(5 + detail::relay_max_data_bytes, std::byte{0});
  BOOST_TEST(!f.relay.on_frame(f.a, id(detail::RelayFrame::data), huge, f.now));
}

BOOST_AUTO_TEST_CASE(a_slow_receiver_gets_a_backlog_then_an_overflow_close) {
  Fixture f;
  const RelaySocketId s = f.open();
  f.sink.full = true;
  std::vector<std::byte> data = frame(s);
  data.resize(4 + 1000, std::byte{7});
  for (int i = 0; i < 64; ++i) BOOST_TEST(f.relay.on_frame(f.a, id(detail::RelayFrame::data), data, f.now));
  BOOST_TEST(f.relay.stats().overflow_closes == 0u);  // 64 000 bytes held
  f.sink.full = false;
  f.relay.update(f.now);
  BOOST_TEST(f.sink.count(detail::RelayFrame::data_in) == 64u);
  f.sink.full = true;
  for (int i = 0; i < 70; ++i) (void)f.relay.on_frame(f.a, id(detail::RelayFrame::data), data, f.now);
  BOOST_TEST(f.relay.stats().overflow_closes == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
