#pragma once
// Loads the netcode.io 1.02 reference vectors (tests/data/netcode; see its
// README.md) with Boost.PropertyTree's JSON parser. 64-bit integers are JSON
// strings, byte arrays lowercase hex.

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <courier/crypto/crypto.hpp>
#include <courier/netcode/connect_token.hpp>
#include <courier/netcode/packet_reader.hpp>

namespace courier::test {

using Json = boost::property_tree::ptree;

inline Json load_vectors(const std::string& file) {
  Json tree;
  boost::property_tree::read_json(std::string(COURIER_TEST_DATA_DIR) + "/netcode/" + file, tree);
  return tree;
}

inline std::vector<std::byte> hex(const std::string& text) {
  if (text.size() % 2 != 0) throw std::runtime_error("odd hex length");
  std::vector<std::byte> out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::byte>(std::stoul(text.substr(2 * i, 2), nullptr, 16));
  return out;
}

inline std::vector<std::byte> hex_at(const Json& j, const std::string& path) {
  return hex(j.get<std::string>(path));
}

inline std::uint64_t u64_at(const Json& j, const std::string& path) {
  return std::stoull(j.get<std::string>(path));
}

inline bool is_null(const Json& j, const std::string& path) {
  return j.get<std::string>(path, "null") == "null";
}

template <std::size_t N>
std::array<std::uint8_t, N> array_at(const Json& j, const std::string& path) {
  const auto bytes = hex_at(j, path);
  if (bytes.size() != N) throw std::runtime_error("unexpected length at " + path);
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<std::uint8_t>(bytes[i]);
  return out;
}

inline Key key_at(const Json& j, const std::string& path) { return Key{array_at<32>(j, path)}; }

/// The entries of a JSON array.
inline std::vector<Json> items(const Json& j, const std::string& path) {
  std::vector<Json> out;
  for (const auto& child : j.get_child(path)) out.push_back(child.second);
  return out;
}

inline std::vector<std::byte> to_vector(std::span<const std::byte> s) { return {s.begin(), s.end()}; }

/// The address list of a vector's `server_addresses` array.
inline netcode::AddressList addresses_at(const Json& j, const std::string& path) {
  netcode::AddressList list;
  for (const auto& a : items(j, path)) {
    auto parsed = Address::parse(a.get<std::string>("address", a.data()));
    if (!parsed) throw std::runtime_error("bad address in vector");
    list.push_back(*parsed);
  }
  return list;
}

/// A ReadContext built from a vector's `read_context`, owning its keys and replay window.
struct VectorReader {
  Key key{};
  Key private_key{};
  netcode::ReplayProtection<> replay;
  netcode::ReadContext ctx;

  explicit VectorReader(const Json& rc) {
    ctx.protocol_id = u64_at(rc, "protocol_id");
    ctx.unix_now = u64_at(rc, "current_timestamp");
    for (const auto& t : items(rc, "allowed_packet_types"))
      ctx.allowed = static_cast<netcode::PacketTypeSet>(ctx.allowed | (1u << std::stoi(t.data())));
    if (!is_null(rc, "key")) {
      key = key_at(rc, "key");
      ctx.read_key = &key;
    }
    if (!is_null(rc, "private_key")) {
      private_key = key_at(rc, "private_key");
      ctx.private_key = &private_key;
    }
    if (rc.get_child("replay_protection").size() != 0 || !is_null(rc, "replay_protection")) {
      for (const auto& s : items(rc, "replay_protection.already_advanced")) replay.advance(std::stoull(s.data()));
      ctx.replay = &replay;
    }
  }
};

}  // namespace courier::test
