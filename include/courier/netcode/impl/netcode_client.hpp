#pragma once
/// \file
/// NetcodeClient's function definitions, out of the class so that the separately compiled
/// mode (core/config.hpp) can compile NetcodeClient<Udp, Netcode102> once (netcode_client.hpp
/// declares it `extern template` there). Included by netcode_client.hpp in both modes: other
/// transports and crypto policies are instantiated where they are used.

#include "courier/netcode/netcode_client.hpp"

namespace courier::netcode {

template <Transport T, Crypto C>
std::error_code NetcodeClient<T, C>::connect(std::span<const std::byte> token, TimePoint now) noexcept {
  disconnect();
  now_ = now;
  auto parsed = read_connect_token(token);
  if (!parsed) {
    fail(ClientState::invalid_connect_token);
    return Error::invalid_connect_token;
  }
  token_ = *parsed;
  while (take_unreachable(transport_)) {}  // reports about an earlier connection are stale
  server_index_ = 0;
  server_address_ = token_.server_addresses[0];
  sequence_ = 0;
  connect_start_ = now;
  prepare_attempt();
  return {};
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::update(TimePoint now) noexcept {
  now_ = now;
  payloads_.release();
  transport_.update(now);
  receive_all();
  check_unreachable();
  send_packets();
  check_state();
  transport_.flush();
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::disconnect() noexcept {
  if (state_ <= ClientState::disconnected) return;
  for (std::size_t k = 0; k < config_.num_disconnect_packets; ++k)
    send(PacketType::disconnect, write_disconnect<C>(sequence_++, token_.protocol_id, token_.client_to_server_key, tx_));
  transport_.flush();
  finish(ClientState::disconnected, DisconnectReason::disconnected_by_application);
}

template <Transport T, Crypto C>
std::error_code NetcodeClient<T, C>::send(std::span<const std::byte> payload) noexcept {
  if (state_ != ClientState::connected) return Error::not_connected;
  if (payload.empty() || payload.size() > max_payload_bytes) return Error::message_too_large;
  send(PacketType::payload, write_payload<C>(payload, sequence_++, token_.protocol_id, token_.client_to_server_key, tx_));
  ++stats_.payloads_sent;
  return {};
}

template <Transport T, Crypto C>
std::optional<ReceivedPayload> NetcodeClient<T, C>::receive() noexcept {
  return payloads_.receive([this](std::uint64_t connection, std::uint32_t) {
    return connection == connection_;
  });
}

template <Transport T, Crypto C>
NetcodeClientConfig NetcodeClient<T, C>::checked(NetcodeClientConfig config) {
  if (auto why = config.check(); !why.empty())
    throw std::system_error(make_error_code(Error::invalid_config), "NetcodeClientConfig: " + why);
  if (!C::available())
    throw std::system_error(make_error_code(Error::crypto_unavailable),
                            std::string("crypto policy ") + C::name + " is not available on this machine");
  return config;
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::prepare_attempt() noexcept {
  state_ = ClientState::sending_connection_request;
  last_send_ = now_ - std::chrono::seconds(1);
  last_receive_ = now_;
  pending_ = ClientState::disconnected;
  should_disconnect_ = false;
  challenge_sequence_ = 0;
  challenge_token_ = {};
  replay_.reset();
}

template <Transport T, Crypto C>
bool NetcodeClient<T, C>::connect_to_next_server() noexcept {
  if (server_index_ + 1 >= token_.server_addresses.size()) return false;
  server_address_ = token_.server_addresses[++server_index_];
  prepare_attempt();
  return true;
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::server_unreachable() noexcept {
  ++stats_.peers_unreachable;
  if (state_ == ClientState::connected) return fail(ClientState::connection_timed_out);
  if (state_ == ClientState::sending_connection_request && connect_to_next_server()) return;
  if (state_ == ClientState::sending_connection_response && connect_to_next_server()) return;
  fail(state_ == ClientState::sending_connection_request ? ClientState::connection_request_timed_out
                                                         : ClientState::connection_response_timed_out);
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::finish(ClientState state, DisconnectReason reason) noexcept {
  const bool was_connected = state_ == ClientState::connected;
  state_ = state;
  should_disconnect_ = false;
  push_event(was_connected ? ClientEventType::disconnected : ClientEventType::connect_failed, reason);
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::send(PacketType type, std::size_t n) noexcept {
  if (n == 0 || transport_.send(server_address_, std::span<const std::byte>(tx_.data(), n))) {
    ++stats_.send_errors;
  } else {
    ++stats_.sent[static_cast<std::size_t>(type)];
  }
  last_send_ = now_;
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::process_datagram(const Datagram& d) noexcept {
  if (state_ <= ClientState::disconnected || !(d.from == server_address_))
    return stats_.drops.count(DropReason::unknown_sender);
  ReadContext ctx;
  ctx.protocol_id = token_.protocol_id;
  ctx.allowed = client_packet_types;
  ctx.read_key = &token_.server_to_client_key;
  ctx.replay = &replay_;
  auto plain = payloads_.next_buffer();
  // No room for a payload: refused before its decryption (as on the server).
  if (plain.empty() && state_ == ClientState::connected && detail::is_payload_prefix(d.bytes()))
    return stats_.drops.count(DropReason::queue_full);
  if (plain.empty()) plain = scratch_;
  const ReadResult r = read_packet<C>(d.bytes(), ctx, plain);
  if (!r) return stats_.drops.count(r.reason);
  ++stats_.received[static_cast<std::size_t>(r.packet.type)];
  if (!process_packet(r.packet, plain.data() != scratch_.data())) stats_.drops.count(DropReason::stale);
}

template <Transport T, Crypto C>
bool NetcodeClient<T, C>::process_packet(const PacketView& p, bool in_queue) noexcept {
  const bool handshaking = state_ == ClientState::sending_connection_request ||
                           state_ == ClientState::sending_connection_response;
  switch (p.type) {
    case PacketType::connection_denied:
      if (!handshaking) return false;
      return mark_disconnect(ClientState::connection_denied);
    case PacketType::connection_challenge:
      if (state_ != ClientState::sending_connection_request) return false;
      challenge_sequence_ = p.challenge_sequence;
      std::copy(p.challenge_token.begin(), p.challenge_token.end(), challenge_token_.begin());
      state_ = ClientState::sending_connection_response;
      // Answer the challenge in this same update instead of at the next 10 Hz tick: the
      // handshake costs one round trip per step, not 100 ms (the reference waits; its server
      // accepts either). Later responses (when this one is lost) keep the 10 Hz pace.
      last_send_ = now_ - 2 * config_.send_interval;
      break;
    case PacketType::keep_alive: return on_keep_alive(p);
    case PacketType::payload: return on_payload(p, in_queue);
    case PacketType::disconnect:
      if (state_ != ClientState::connected) return false;
      return mark_disconnect(ClientState::disconnected);
    default: return false;
  }
  last_receive_ = now_;
  return true;
}

template <Transport T, Crypto C>
bool NetcodeClient<T, C>::mark_disconnect(ClientState next) noexcept {
  should_disconnect_ = true;
  pending_ = next;
  last_receive_ = now_;
  return true;
}

template <Transport T, Crypto C>
bool NetcodeClient<T, C>::on_keep_alive(const PacketView& p) noexcept {
  if (state_ == ClientState::sending_connection_response) {
    client_index_ = p.client_index;
    max_clients_ = p.max_clients;
    state_ = ClientState::connected;
    ++connection_;
    push_event(ClientEventType::connected, DisconnectReason::none);
  } else if (state_ != ClientState::connected) {
    return false;
  }
  last_receive_ = now_;
  return true;
}

template <Transport T, Crypto C>
bool NetcodeClient<T, C>::on_payload(const PacketView& p, bool in_queue) noexcept {
  if (state_ != ClientState::connected) return false;
  last_receive_ = now_;
  if (!in_queue) {
    stats_.drops.count(DropReason::queue_full);
    return true;
  }
  payloads_.commit(connection_, 0, p.sequence, p.plaintext.size());
  ++stats_.payloads_received;
  return true;
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::send_packets() noexcept {
  if (last_send_ + config_.send_interval >= now_) return;  // the reference's strict 10 Hz test
  switch (state_) {
    case ClientState::sending_connection_request: send_request(); break;
    case ClientState::sending_connection_response:
      send(PacketType::connection_response,
           write_challenge_or_response<C>(PacketType::connection_response, challenge_sequence_, challenge_token_,
                                          sequence_++, token_.protocol_id, token_.client_to_server_key, tx_));
      break;
    case ClientState::connected:
      send(PacketType::keep_alive,
           write_keep_alive<C>(0, 0, sequence_++, token_.protocol_id, token_.client_to_server_key, tx_));
      break;
    default: break;
  }
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::send_request() noexcept {
  ConnectionRequestPacket p;
  p.protocol_id = token_.protocol_id;
  p.expire_timestamp = token_.expire_timestamp;
  p.nonce = token_.nonce;
  p.private_data = token_.private_data;
  ++sequence_;
  send(PacketType::connection_request, write_connection_request(p, tx_));
}

template <Transport T, Crypto C>
void NetcodeClient<T, C>::check_state() noexcept {
  const bool handshaking = state_ == ClientState::sending_connection_request ||
                           state_ == ClientState::sending_connection_response;
  if (handshaking && token_expired()) return fail(ClientState::connect_token_expired);
  if (should_disconnect_) {
    if (pending_ == ClientState::connection_denied && connect_to_next_server()) return;
    if (pending_ == ClientState::disconnected) return finish(ClientState::disconnected, DisconnectReason::disconnected_by_peer);
    return fail(pending_);
  }
  if (!timed_out()) return;
  if (state_ == ClientState::connected) return fail(ClientState::connection_timed_out);
  if (connect_to_next_server()) return;
  fail(state_ == ClientState::sending_connection_request ? ClientState::connection_request_timed_out
                                                         : ClientState::connection_response_timed_out);
}

template <Transport T, Crypto C>
bool NetcodeClient<T, C>::token_expired() const noexcept {
  const UnixSeconds budget = token_.expire_timestamp - token_.create_timestamp;
  if (budget > 1'000'000'000) return false;  // "never expires" tokens: no budget
  return now_ - connect_start_ >= std::chrono::seconds(budget);
}

}  // namespace courier::netcode
