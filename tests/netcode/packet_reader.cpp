#include <courier/netcode/packet_reader.hpp>
#include <courier/netcode/packet_reader.hpp>
#include <courier/crypto/netcode102.hpp>

#include <boost/test/unit_test.hpp>

#include <map>

#include "netcode/vectors.hpp"

namespace nc = courier::netcode;
using courier::DropReason;
using courier::Netcode102;
using namespace courier::test;

namespace {

/// courier's drop reason for each stage the reference reader logs.
DropReason expected_reason(const std::string& stage) {
  static const std::map<std::string, DropReason> table = {
      {"empty", DropReason::too_small},
      {"too_small", DropReason::too_small},
      {"too_small_for_sequence", DropReason::too_small},
      {"invalid_type", DropReason::unknown_type},
      {"bad_sequence_bytes", DropReason::bad_sequence_bytes},
      {"decrypt_failed", DropReason::decrypt_failed},
      {"payload_too_large", DropReason::bad_size},
      {"payload_too_small", DropReason::bad_size},
      {"wrong_plaintext_size", DropReason::bad_size},
      {"no_handler_for_type", DropReason::unknown_type},
      {"type_not_allowed", DropReason::wrong_direction},
      {"replayed", DropReason::replayed},
      {"request_bad_version", DropReason::protocol_mismatch},
      {"request_wrong_protocol_id", DropReason::protocol_mismatch},
      {"request_token_expired", DropReason::token_expired},
      {"request_token_decrypt_failed", DropReason::token_invalid},
  };
  if (stage == "request_bad_length") return DropReason::count_;  // too_small or too_large by size
  return table.at(stage);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(packet_reader_test)

BOOST_AUTO_TEST_CASE(every_rejected_vector_is_dropped_at_its_stage) {
  const auto file = load_vectors("packets_rejected.json");
  const auto vectors = items(file, "vectors");
  BOOST_TEST(vectors.size() == 39u);
  for (const auto& v : vectors) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      BOOST_TEST(v.get<std::string>("accepted") == "false");
      VectorReader reader(v.get_child("read_context"));
      const auto wire = hex_at(v, "wire");
      BOOST_TEST(wire.size() == v.get<std::size_t>("wire_bytes"));
      std::array<std::byte, nc::max_packet_bytes> plain{};
      const auto before = reader.replay.most_recent();
      const auto r = nc::read_packet<Netcode102>(wire, reader.ctx, plain);
      BOOST_TEST(!r.ok);
      auto expected = expected_reason(v.get<std::string>("reject_stage"));
      if (expected == DropReason::count_) expected = wire.size() < 1078 ? DropReason::too_small : DropReason::too_large;
      BOOST_TEST(courier::describe(r.reason) == courier::describe(expected));
      BOOST_TEST(reader.replay.most_recent() == before);  // a rejected packet never moves the window
    }
  }
}

BOOST_AUTO_TEST_CASE(every_single_bit_flip_of_every_valid_packet_is_dropped) {
  const auto file = load_vectors("packets.json");
  std::size_t flips = 0;
  for (const auto& v : items(file, "vectors")) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      const auto wire = hex_at(v, "wire");
      std::array<std::byte, nc::max_packet_bytes> plain{};
      for (std::size_t bit = 0; bit < wire.size() * 8; ++bit) {
        VectorReader reader(v.get_child("read_context"));
        auto bad = wire;
        bad[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
        const auto r = nc::read_packet<Netcode102>(bad, reader.ctx, plain);
        if (r.ok) BOOST_ERROR("bit " << bit << " flipped was accepted");
        ++flips;
      }
    }
  }
  BOOST_TEST(flips > 90000u);
}

BOOST_AUTO_TEST_CASE(every_truncation_of_a_valid_packet_is_dropped) {
  const auto file = load_vectors("packets.json");
  for (const auto& v : items(file, "vectors")) {
    const auto wire = hex_at(v, "wire");
    std::array<std::byte, nc::max_packet_bytes> plain{};
    for (std::size_t n = 0; n < wire.size(); ++n) {
      VectorReader reader(v.get_child("read_context"));
      const auto r = nc::read_packet<Netcode102>(std::span(wire).first(n), reader.ctx, plain);
      BOOST_TEST(!r.ok);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_packet_larger_than_the_plaintext_buffer_is_dropped_before_decrypt) {
  std::array<std::byte, 1500> wire{};
  wire[0] = std::byte{0x15};
  courier::Key key{};
  nc::ReadContext ctx;
  ctx.allowed = nc::all_packet_types;
  ctx.read_key = &key;
  std::array<std::byte, nc::max_packet_bytes> plain{};
  const auto r = nc::read_packet<Netcode102>(wire, ctx, plain);
  BOOST_TEST(!r.ok);
  BOOST_TEST((r.reason == DropReason::too_large));
}

BOOST_AUTO_TEST_SUITE_END()
