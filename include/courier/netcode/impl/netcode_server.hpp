#pragma once
/// \file
/// NetcodeServer's function definitions, out of the class so that the separately compiled
/// mode (core/config.hpp) can compile NetcodeServer<Udp, Netcode102> once (netcode_server.hpp
/// declares it `extern template` there). Included by netcode_server.hpp in both modes: other
/// transports and crypto policies are instantiated where they are used.

#include "courier/netcode/netcode_server.hpp"

namespace courier::netcode {

template <Transport T, Crypto C>
void NetcodeServer<T, C>::start() noexcept {
  if (running_) return;
  challenges_.restart(config_.randomize_global_sequence);
  running_ = true;
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::stop() noexcept {
  if (!running_) return;
  disconnect_all(DisconnectReason::server_stopped);
  mappings_.clear();
  running_ = false;
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::update(TimePoint now, UnixSeconds unix_now, Duration receive_budget) noexcept {
  now_ = now;
  unix_now_ = unix_now;
  gate_.begin_update(unix_now);
  payloads_.release();
  transport_.update(now);
  if (running_) {
    receive_all(receive_budget);
    watch_for_flood();
    check_unreachable();
    send_keep_alives();
    check_timeouts();
  }
  transport_.flush();
}

template <Transport T, Crypto C>
std::error_code NetcodeServer<T, C>::send(std::uint32_t client_index, std::span<const std::byte> payload) noexcept {
  if (!client_connected(client_index) || slots_[client_index].local) return Error::not_connected;
  if (payload.empty() || payload.size() > max_payload_bytes) return Error::message_too_large;
  ClientSlot& s = slots_[client_index];
  if (!s.confirmed) send_keep_alive(client_index);
  const std::size_t n = write_payload<C>(payload, s.sequence++, config_.protocol_id, s.send_key, tx_);
  send_datagram(s.address, PacketType::payload, n);
  s.last_send = now_;
  ++stats_.payloads_sent;
  return {};
}

template <Transport T, Crypto C>
std::optional<ReceivedPayload> NetcodeServer<T, C>::receive() noexcept {
  return payloads_.receive([this](std::uint64_t connection, std::uint32_t index) {
    return slots_[index].connection == connection;
  });
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::disconnect(std::uint32_t client_index) noexcept {
  if (!client_connected(client_index)) return;
  if (slots_[client_index].local) return disconnect_local(client_index);
  send_disconnect_packets(client_index);
  free_slot(client_index, DisconnectReason::disconnected_by_application);
  transport_.flush();
}

template <Transport T, Crypto C>
std::optional<std::uint32_t> NetcodeServer<T, C>::connect_local(std::uint64_t client_id) noexcept {
  if (!running_ || slots_.has_client_id(client_id)) return std::nullopt;
  const std::int64_t i = slots_.take_local(client_id);
  if (i < 0) return std::nullopt;
  slots_[static_cast<std::uint32_t>(i)].connection = ++connection_counter_;
  return static_cast<std::uint32_t>(i);
}

template <Transport T, Crypto C>
NetcodeServerConfig NetcodeServer<T, C>::checked(NetcodeServerConfig config, Address bound) {
  if (config.public_address.is_none()) config.public_address = bound;
  if (auto why = config.check(); !why.empty())
    throw std::system_error(make_error_code(Error::invalid_config), "NetcodeServerConfig: " + why);
  if (!C::available())
    throw std::system_error(make_error_code(Error::crypto_unavailable),
                            std::string("crypto policy ") + C::name + " is not available on this machine");
  return config;
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::warn_if_ports_differ() {
  const Address bound = transport_.local_address();
  if (bound.port() == config_.public_address.port()) return;
  log_.line("courier netcode server: public_address %s and bind address %s have different ports "
            "(correct only behind a port-forwarding NAT)", config_.public_address, bound);
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::send_datagram(const Address& to, PacketType type, std::size_t n) noexcept {
  if (n == 0 || transport_.send(to, std::span<const std::byte>(tx_.data(), n))) {
    ++stats_.send_errors;
    return;
  }
  ++stats_.sent[static_cast<std::size_t>(type)];
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::process_datagram(const Datagram& d) noexcept {
  const auto bytes = d.bytes();
  const auto slot = slots_.find_address(d.from);
  if (slot < 0) ++stats_.unauthenticated_datagrams;
  if (bytes.empty()) return drop(DropReason::too_small);
  if (bytes[0] == std::byte{0}) return process_request(d.from, bytes);
  EncryptionMapping* mapping = slot < 0 ? mappings_.find(d.from, now_) : nullptr;
  ReadContext ctx;
  ctx.protocol_id = config_.protocol_id;
  ctx.unix_now = unix_now_;
  ctx.allowed = server_packet_types;
  if (slot >= 0) {
    ctx.read_key = &slots_[static_cast<std::size_t>(slot)].receive_key;
    ctx.replay = &slots_[static_cast<std::size_t>(slot)].replay;
  } else if (mapping != nullptr) {
    ctx.read_key = &mapping->receive_key;
  }
  auto plain = payloads_.next_buffer();
  // No room for a payload: refused before the decryption it would cost, so an overloaded server
  // spends nothing on what it would drop. Unauthenticated, it does not refresh the slot's
  // receive time; keep-alives and disconnects are still read.
  if (plain.empty() && slot >= 0 && detail::is_payload_prefix(bytes)) return drop(DropReason::queue_full);
  if (plain.empty()) plain = scratch_;
  const ReadResult r = read_packet<C>(bytes, ctx, plain);
  if (!r) return drop(r.reason);
  ++stats_.received[static_cast<std::size_t>(r.packet.type)];
  if (r.packet.type == PacketType::connection_response) return process_response(d.from, r.packet, mapping);
  if (slot < 0) return drop(DropReason::unknown_sender);
  process_connected(static_cast<std::uint32_t>(slot), r.packet, plain.data() != scratch_.data());
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::process_request(const Address& from, std::span<const std::byte> bytes) noexcept {
  const detail::Admission a = gate_.admit(from, bytes, slots_, mappings_, now_, unix_now_, scratch_);
  if (a.verdict == detail::Admission::Verdict::denied) send_denied(from, a.token->server_to_client_key);
  if (a.verdict == detail::Admission::Verdict::challenge) send_challenge(from, *a.token);
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::process_response(const Address& from, const PacketView& p, EncryptionMapping* mapping) noexcept {
  const auto challenge = challenges_.open(p);
  if (!challenge) return drop(DropReason::decrypt_failed);
  if (mapping == nullptr || slots_.find_address(from) >= 0 || slots_.has_client_id(challenge->client_id))
    return drop(DropReason::already_connected);
  if (slots_.full()) {
    send_denied(from, mapping->send_key);
    return drop(DropReason::server_full);
  }
  connect_client(from, *challenge, *mapping);
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::connect_client(const Address& from, const ChallengeToken& challenge, const EncryptionMapping& m) noexcept {
  const auto index = static_cast<std::uint32_t>(slots_.take(from, challenge.client_id));
  ClientSlot& s = slots_[index];
  s.connection = ++connection_counter_;
  s.user_data = challenge.user_data;
  s.send_key = m.send_key;
  s.receive_key = m.receive_key;
  s.has_timeout = m.timeout_seconds > 0;
  s.timeout = std::chrono::seconds(s.has_timeout ? m.timeout_seconds : 0);
  s.last_receive = now_;
  s.last_send = now_;
  gate_.consume(m.token_tag);
  mappings_.remove(from);  // the slot holds the keys from now on; `m` is gone
  ++stats_.connections_accepted;
  NetcodeServerEvent e;
  e.type = ServerEventType::client_connected;
  e.client_index = index;
  e.client_id = s.client_id;
  e.address = from;
  e.connection = s.connection;
  push_event(e);
  send_keep_alive(index);
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::process_connected(std::uint32_t index, const PacketView& p, bool in_queue) noexcept {
  ClientSlot& s = slots_[index];
  if (p.type == PacketType::disconnect) return free_slot(index, DisconnectReason::disconnected_by_peer);
  s.confirmed = true;
  s.last_receive = now_;
  if (p.type != PacketType::payload) return;
  if (!in_queue) return drop(DropReason::queue_full);
  payloads_.commit(s.connection, index, p.sequence, p.plaintext.size());
  ++stats_.payloads_received;
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::send_keep_alive(std::uint32_t index) noexcept {
  ClientSlot& s = slots_[index];
  const std::size_t n = write_keep_alive<C>(index, static_cast<std::uint32_t>(slots_.capacity()), s.sequence++,
                                            config_.protocol_id, s.send_key, tx_);
  send_datagram(s.address, PacketType::keep_alive, n);
  s.last_send = now_;
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::send_keep_alives() noexcept {
  for (std::uint32_t i = 0; i < slots_.capacity(); ++i)
    if (slots_[i].connected && !slots_[i].local && slots_[i].last_send + config_.keep_alive_interval <= now_)
      send_keep_alive(i);
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::send_disconnect_packets(std::uint32_t index) noexcept {
  ClientSlot& s = slots_[index];
  for (std::size_t k = 0; k < config_.num_disconnect_packets; ++k)
    send_datagram(s.address, PacketType::disconnect,
                  write_disconnect<C>(s.sequence++, config_.protocol_id, s.send_key, tx_));
  s.last_send = now_;
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::check_timeouts() noexcept {
  for (std::uint32_t i = 0; i < slots_.capacity(); ++i) {
    const ClientSlot& s = slots_[i];
    if (s.connected && !s.local && s.has_timeout && s.last_receive + s.timeout <= now_)
      free_slot(i, DisconnectReason::timed_out);
  }
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::peer_unreachable(const Address& peer) noexcept {
  ++stats_.peers_unreachable;
  mappings_.remove(peer);
  const auto slot = slots_.find_address(peer);
  if (slot >= 0) free_slot(static_cast<std::uint32_t>(slot), DisconnectReason::timed_out);
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::free_slot(std::uint32_t index, DisconnectReason reason) noexcept {
  ClientSlot& s = slots_[index];
  NetcodeServerEvent e;
  e.type = ServerEventType::client_disconnected;
  e.client_index = index;
  e.client_id = s.client_id;
  e.address = s.address;
  e.reason = reason;
  e.connection = s.connection;
  mappings_.remove(s.address);
  slots_.release(index);
  push_event(e);
}

template <Transport T, Crypto C>
void NetcodeServer<T, C>::disconnect_all(DisconnectReason reason) noexcept {
  for (std::uint32_t i = 0; i < slots_.capacity(); ++i) {
    if (!slots_[i].connected) continue;
    if (slots_[i].local) {
      disconnect_local(i);
      continue;
    }
    send_disconnect_packets(i);
    free_slot(i, reason);
  }
  transport_.flush();
}

}  // namespace courier::netcode
