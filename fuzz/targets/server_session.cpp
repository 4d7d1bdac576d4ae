// Fuzz target (stateful): one netcode::Server (4 slots, OpenCrypto so any packet can be forged)
// driven by a sequence of operations from six fake client addresses:
//   raw datagrams, valid connection requests (client id, expiry and listed address from the
//   input), the challenge last sent to an address echoed back as a response, payloads,
//   keep-alives and disconnects with input-chosen sequences, time steps, and server actions
//   (send, disconnect a client, stop/start).
// Invariants: no crash or sanitizer report; at most max_clients connected, never two with one
// client id or one address; connect/disconnect events pair up; amplification — to an address
// that never completed a handshake, the server never sent more bytes than it received from it.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <vector>

#include <courier/netcode/make_connect_token.hpp>
#include <courier/netcode/packet.hpp>
#include <courier/netcode/netcode_server.hpp>

#include "common.hpp"

namespace nc = courier::netcode;
using namespace courier::fuzz;
using courier::Address;

namespace {

constexpr std::size_t address_count = 6;
constexpr std::size_t max_clients = 4;

/// The fake clients' addresses, parsed once: the wire compares against them on every send.
const std::array<Address, address_count> client_addresses = [] {
  std::array<Address, address_count> out;
  for (std::size_t i = 0; i < address_count; ++i)
    out[i] = *Address::parse(("10.0.1." + std::to_string(i + 1) + ":5000" + std::to_string(i)).c_str());
  return out;
}();
const Address& client_address(std::size_t i) { return client_addresses[i]; }
const Address server_address = *Address::parse("10.0.0.1:40000");

/// A transport the target feeds directly; it records what the server sends to each address.
struct Wire {
  std::deque<courier::Datagram> inbox;
  std::array<std::uint64_t, address_count> received{};  // bytes the server received from i
  std::array<std::uint64_t, address_count> sent{};      // bytes the server sent to i
  std::array<std::vector<std::byte>, address_count> last{};  // last datagram sent to i
};

class Endpoint {
 public:
  explicit Endpoint(Wire& w) : w_(&w) {}
  std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    for (std::size_t i = 0; i < address_count; ++i)
      if (to == client_address(i)) {
        w_->sent[i] += bytes.size();
        w_->last[i].assign(bytes.begin(), bytes.end());
        return {};
      }
    FUZZ_CHECK(false && "the server sent to an address nobody used");
    return {};
  }
  void flush() noexcept {}
  std::size_t receive(std::span<courier::Datagram> slots) noexcept {
    std::size_t n = 0;
    while (n < slots.size() && !w_->inbox.empty()) {
      slots[n++] = w_->inbox.front();
      w_->inbox.pop_front();
    }
    return n;
  }
  void update(courier::TimePoint) noexcept {}
  [[nodiscard]] Address local_address() const noexcept { return server_address; }

 private:
  Wire* w_;
};
static_assert(courier::Transport<Endpoint>);

void deliver(Wire& w, std::size_t from, std::span<const std::byte> bytes) {
  if (bytes.size() > courier::Datagram{}.data.size()) return;
  courier::Datagram d;
  d.from = client_address(from);
  d.size = bytes.size();
  std::copy(bytes.begin(), bytes.end(), d.data.begin());
  w.inbox.push_back(d);
  w.received[from] += bytes.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  Wire wire;
  nc::NetcodeServerConfig config;
  config.protocol_id = protocol_id;
  config.private_key = fixed_key(0x40);
  config.public_address = server_address;
  config.max_clients = max_clients;
  config.token_history_size = 64;
  // The restart rule would refuse most of the short-lived tokens the input makes; it is plain
  // arithmetic with unit tests (tests/netcode/restart_rule.cpp), so the handshake gets the input.
  config.max_token_lifetime = std::chrono::seconds(0);
  nc::NetcodeServer<Endpoint, OpenCrypto> server(Endpoint(wire), config);
  courier::TimePoint now{};
  courier::UnixSeconds unix_now = 1000;
  std::array<bool, address_count> authenticated{};
  std::map<std::uint32_t, std::pair<std::uint64_t, Address>> connected;  // index -> id, address

  for (int ops = 0; ops < 256 && !in.empty(); ++ops) {
    const std::uint8_t op = in.u8();
    const std::size_t a = (op >> 3) % address_count;
    std::array<std::byte, 1500> buf{};
    switch (op & 7) {
      case 0:
      case 1: deliver(wire, a, in.bytes(in.u16() % 1300)); break;
      case 2: {  // a valid request
        courier::ConnectTokenParams p;
        p.protocol_id = protocol_id;
        p.client_id = in.u8() % 6;
        p.public_addresses = {(in.u8() & 1) ? server_address : client_address(a)};
        p.now = unix_now;
        p.options.expire_seconds = static_cast<std::int64_t>(in.u8()) - 8;
        p.options.timeout_seconds = static_cast<std::int32_t>(in.u8() % 8) - 1;
        p.private_key = config.private_key;
        p.options.user_data[0] = in.u8();
        const auto made = nc::make_connect_token<OpenCrypto>(p);
        if (!made) break;
        const auto token = nc::read_connect_token(made->bytes());
        FUZZ_CHECK(token.has_value());
        nc::ConnectionRequestPacket r{token->protocol_id, token->expire_timestamp, token->nonce, token->private_data};
        const std::size_t n = nc::write_connection_request(r, buf);
        FUZZ_CHECK(n == nc::connection_request_bytes);
        deliver(wire, a, std::span(buf).first(n));
        break;
      }
      case 3: {  // echo the last challenge sent to `a` as a response
        auto& last = wire.last[a];
        if (last.empty() || (static_cast<std::uint8_t>(last[0]) & 0x0f) !=
                                static_cast<std::uint8_t>(nc::PacketType::connection_challenge))
          break;
        std::vector<std::byte> response = last;
        response[0] = static_cast<std::byte>((static_cast<std::uint8_t>(response[0]) & 0xf0) |
                                             static_cast<std::uint8_t>(nc::PacketType::connection_response));
        deliver(wire, a, response);
        break;
      }
      case 4: {  // payload
        const std::uint64_t seq = in.u16();
        const auto body = in.bytes(1 + in.u8() % 64);
        const std::size_t n = nc::write_payload<OpenCrypto>(body, seq, protocol_id, fixed_key(1), buf);
        if (n > 0) deliver(wire, a, std::span(buf).first(n));
        break;
      }
      case 5: {  // keep-alive or disconnect
        const std::uint64_t seq = in.u16();
        const std::size_t n = (in.u8() & 1)
                                  ? nc::write_disconnect<OpenCrypto>(seq, protocol_id, fixed_key(1), buf)
                                  : nc::write_keep_alive<OpenCrypto>(in.u8() % 8, max_clients, seq, protocol_id,
                                                                     fixed_key(1), buf);
        if (n > 0) deliver(wire, a, std::span(buf).first(n));
        break;
      }
      case 6: {
        const auto ms = std::chrono::milliseconds(in.u16() % 20000);
        now += ms;
        unix_now += static_cast<courier::UnixSeconds>(ms.count() / 1000);
        break;
      }
      default: {
        const std::uint8_t what = in.u8();
        const std::uint32_t index = what % max_clients;
        if ((what >> 2) % 4 == 0) {
          std::array<std::byte, 16> payload{};
          (void)server.send(index, payload);
        } else if ((what >> 2) % 4 == 1) {
          server.disconnect(index);
        } else if ((what >> 2) % 4 == 2) {
          server.stop();
        } else {
          server.start();
        }
      }
    }
    server.update(now, unix_now, courier::Duration::zero());  // synthetic time: no real-time budget
    while (auto e = server.poll_event()) {
      if (e->type == nc::ServerEventType::client_connected) {
        FUZZ_CHECK(connected.count(e->client_index) == 0);
        for (const auto& [i, c] : connected) FUZZ_CHECK(c.first != e->client_id && !(c.second == e->address));
        connected[e->client_index] = {e->client_id, e->address};
        for (std::size_t i = 0; i < address_count; ++i)
          if (e->address == client_address(i)) authenticated[i] = true;
      } else if (e->type == nc::ServerEventType::client_disconnected) {
        FUZZ_CHECK(connected.erase(e->client_index) == 1);
      }
    }
    while (server.receive()) {}
    FUZZ_CHECK(server.num_connected_clients() == connected.size());
    FUZZ_CHECK(connected.size() <= max_clients);
    for (std::size_t i = 0; i < address_count; ++i)
      if (!authenticated[i]) FUZZ_CHECK(wire.sent[i] <= wire.received[i]);
  }
  return 0;
}
