// courier-token: makes a netcode.io 1.02 connect token (2048 bytes) and prints it as base64,
// or writes it to a file.
//
//   courier-token --key HEX64 --protocol ID --client-id ID --server ADDR [--server ADDR ...]
//                 [--internal ADDR ...] [--expire SECONDS] [--timeout SECONDS]
//                 [--user-data HEX] [--out FILE]
//
// --server lists the public addresses the client dials, in order (1 to 32); --internal, when
// given, lists what each server is configured to call itself (ServerConfig::public_address),
// one per --server. --expire defaults to 30 s, what servers' restart rule accepts by default
// (netcode::NetcodeServerConfig::max_token_lifetime); a token that never expires (--expire < 0) is
// refused by servers with that rule on. --timeout <= 0 disables timeouts (development only).
// Exit status: 0 ok, 2 bad arguments, 1 generation failed.

#include <courier/core/hex.hpp>
#include <courier/core/steady_clock.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/netcode/make_connect_token.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace {

int usage(const char* why) {
  std::fprintf(stderr,
               "courier-token: %s\n"
               "usage: courier-token --key HEX64 --protocol ID --client-id ID --server ADDR [--server ADDR ...]\n"
               "                     [--internal ADDR ...] [--expire SECONDS] [--timeout SECONDS]\n"
               "                     [--user-data HEX] [--out FILE]\n",
               why);
  return 2;
}

bool parse_u64(const char* text, std::uint64_t& out) {
  char* end = nullptr;
  out = std::strtoull(text, &end, 0);
  return end != text && *end == '\0';
}

std::string base64(std::span<const std::byte> in) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t v = static_cast<std::uint32_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<std::uint32_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<std::uint32_t>(in[i + 2]);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += i + 1 < in.size() ? table[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? table[v & 63] : '=';
  }
  return out;
}

struct Options {
  courier::ConnectTokenParams params;
  bool key = false, protocol = false, client = false;
  std::string out;
};

/// Applies one `--flag value` pair; an error message, or null.
const char* apply(Options& o, std::string_view flag, const char* value) {
  auto& p = o.params;
  if (flag == "--key") {
    const auto key = courier::Key::from_hex(value);
    if (key) p.private_key = *key;
    return (o.key = key.has_value()) ? nullptr : "--key needs 64 hex digits, not all zero";
  }
  if (flag == "--protocol") return (o.protocol = parse_u64(value, p.protocol_id)) ? nullptr : "bad --protocol";
  if (flag == "--client-id") return (o.client = parse_u64(value, p.client_id)) ? nullptr : "bad --client-id";
  if (flag == "--server" || flag == "--internal") {
    const auto a = courier::Address::parse(value);
    if (!a || a->port() == 0) return "addresses need the form a.b.c.d:port or [v6]:port";
    auto& list = flag == "--server" ? p.public_addresses : p.options.internal_addresses;
    return list.push_back(*a) ? nullptr : "at most 32 servers";
  }
  if (flag == "--expire") return (p.options.expire_seconds = std::strtoll(value, nullptr, 10), nullptr);
  if (flag == "--timeout") return (p.options.timeout_seconds = std::atoi(value), nullptr);
  if (flag == "--user-data")
    return courier::parse_hex(value, p.options.user_data, false) ? nullptr : "--user-data: at most 256 bytes of hex";
  if (flag == "--out") return (o.out = value, nullptr);
  return "unknown option";
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) return usage("every option takes a value");
    if (const char* why = apply(o, argv[i], argv[i + 1])) return usage(why);
  }
  if (!o.key || !o.protocol || !o.client || o.params.public_addresses.empty())
    return usage("--key, --protocol, --client-id and at least one --server are required");
  if (o.params.options.expire_seconds < 0)
    std::fprintf(stderr, "courier-token: note: servers refuse a token that never expires while their restart rule "
                         "is on (netcode::NetcodeServerConfig::max_token_lifetime, 30 s by default)\n");
  o.params.now = courier::SteadyClock{}.unix_now();
  const auto token = courier::netcode::make_connect_token<courier::Netcode102>(o.params);
  if (!token) {
    std::fprintf(stderr, "courier-token: %s\n", token.error().message().c_str());
    return 1;
  }
  if (o.out.empty()) {
    std::printf("%s\n", base64(token->bytes()).c_str());
    return 0;
  }
  std::ofstream file(o.out, std::ios::binary);
  if (!file.write(reinterpret_cast<const char*>(token->bytes().data()), static_cast<std::streamsize>(token->bytes().size()))) {
    std::fprintf(stderr, "courier-token: cannot write %s\n", o.out.c_str());
    return 1;
  }
  return 0;
}
