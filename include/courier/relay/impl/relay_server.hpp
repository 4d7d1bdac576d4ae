#pragma once
/// \file
/// RelayServer's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/relay/relay_server.hpp"

namespace courier {

COURIER_DECL void RelayServer::on_connected(ClientHandle c, VirtualAddress address, TimePoint now) {
  Member& m = clients_[c.slot];
  m = Member{c.generation, address, {}, 0, static_cast<double>(limits_.burst_bytes), now, now - std::chrono::seconds(1), {}, 0};
  online_[address.value] = c;
  detail::RelayFrameWriter w;
  send_to(c, detail::RelayFrame::assigned, w.u32(address.value).span());
}

COURIER_DECL void RelayServer::on_disconnected(ClientHandle c) {
  Member* m = member(c);
  if (m == nullptr) return;
  const std::vector<RelaySocketId> ids = m->sockets;
  for (const RelaySocketId id : ids) {
    const auto it = sockets_.find(id);
    if (it == sockets_.end()) continue;
    const Socket s = it->second;
    remove(id);
    if (s.active) {
      send_closed(s.a == c ? s.b : s.a, id, RelayCloseReason::peer_disconnected);
    } else if (s.a == c) {
      send_closed(s.b, id, RelayCloseReason::cancelled);
    } else {
      send_failed(s.a, s.request, RelayFailure::target_offline);
    }
  }
  if (const auto o = online_.find(m->address.value); o != online_.end() && o->second == c) online_.erase(o);
  m->outbox.clear();
  m->outbox_bytes = 0;
  m->generation = 0;
}

COURIER_DECL bool RelayServer::on_frame(ClientHandle c, std::uint32_t id, std::span<const std::byte> bytes, TimePoint now) {
  Member* m = member(c);
  if (m == nullptr || !detail::relay_frame_valid(id, bytes)) return false;
  const auto frame = static_cast<detail::RelayFrame>(id);
  if (!detail::client_to_server(frame)) return false;
  const auto socket = detail::get_le<std::uint32_t>(bytes.data());
  switch (frame) {
    case detail::RelayFrame::connect:
      on_connect(c, *m, socket, VirtualAddress{detail::get_le<std::uint32_t>(bytes.data() + 4)},
                 detail::get_le<std::uint16_t>(bytes.data() + 8), now);
      return true;
    case detail::RelayFrame::accept: on_answer(c, socket, std::nullopt, now); return true;
    case detail::RelayFrame::refuse: {
      const auto why = static_cast<RelayFailure>(std::to_integer<std::uint8_t>(bytes[4]));
      if (why != RelayFailure::denied && why != RelayFailure::port_not_listening) return false;
      on_answer(c, socket, why, now);
      return true;
    }
    case detail::RelayFrame::data: on_data(c, *m, socket, bytes, now); return true;
    case detail::RelayFrame::close: on_close(c, socket); return true;
    default: return false;
  }
}

COURIER_DECL void RelayServer::update(TimePoint now) {
  if (!waiting_.empty()) drain_outboxes();
  if (now < next_sweep_) return;
  next_sweep_ = now + std::chrono::milliseconds(100);
  std::vector<RelaySocketId> due;
  for (const auto& [id, s] : sockets_)
    if ((!s.active && now >= s.deadline) || (s.active && now >= s.last_data + limits_.idle_timeout)) due.push_back(id);
  for (const RelaySocketId id : due) {
    const Socket s = sockets_.at(id);
    remove(id);
    if (s.active) {
      ++stats_.idle_closes;
      send_closed(s.a, id, RelayCloseReason::idle_timeout);
      send_closed(s.b, id, RelayCloseReason::idle_timeout);
    } else {
      ++stats_.connects_failed;
      send_failed(s.a, s.request, RelayFailure::timed_out);
      send_closed(s.b, id, RelayCloseReason::cancelled);
    }
  }
}

COURIER_DECL RelayServer::Member* RelayServer::member(ClientHandle c) noexcept {
  if (c.slot >= clients_.size()) return nullptr;
  Member& m = clients_[c.slot];
  return m.generation != 0 && m.generation == c.generation ? &m : nullptr;
}

COURIER_DECL void RelayServer::on_connect(ClientHandle c, Member& m, std::uint32_t request, VirtualAddress target, std::uint16_t port, TimePoint now) {
  const auto to = online_.find(target.value);
  RelayFailure failure{};
  bool ok = false;
  if (!target.valid() || target == m.address) failure = RelayFailure::invalid_target;
  else if (m.pending >= limits_.max_pending_per_client || m.sockets.size() >= limits_.max_sockets_per_client) failure = RelayFailure::limit_exceeded;
  else if (to == online_.end()) failure = RelayFailure::target_offline;
  else if (member(to->second)->sockets.size() >= limits_.max_sockets_per_client) failure = RelayFailure::limit_exceeded;
  else ok = true;
  if (!ok) {
    if (failure == RelayFailure::limit_exceeded) ++stats_.limit_refusals;
    ++stats_.connects_failed;
    return send_failed(c, request, failure);
  }
  const ClientHandle b = to->second;
  const RelaySocketId id = new_socket_id();
  sockets_[id] = Socket{c, b, request, false, now + limits_.connect_timeout, now};
  m.sockets.push_back(id);
  ++m.pending;
  member(b)->sockets.push_back(id);
  ++stats_.sockets_open;
  detail::RelayFrameWriter w;
  send_to(b, detail::RelayFrame::incoming, w.u32(id).u32(m.address.value).u16(port).span());
}

COURIER_DECL void RelayServer::on_answer(ClientHandle c, RelaySocketId id, std::optional<RelayFailure> refusal, TimePoint now) {
  const auto it = sockets_.find(id);
  if (it == sockets_.end() || it->second.active || !(it->second.b == c)) {
    ++stats_.spoofed_frames;
    return;
  }
  Socket& s = it->second;
  if (refusal) {
    const Socket gone = s;
    remove(id);
    ++stats_.connects_failed;
    return send_failed(gone.a, gone.request, *refusal);
  }
  if (Member* a = member(s.a); a != nullptr && a->pending > 0) --a->pending;
  s.active = true;
  s.last_data = now;
  ++stats_.sockets_opened;
  detail::RelayFrameWriter w;
  send_to(s.a, detail::RelayFrame::established, w.u32(s.request).u32(id).u32(member(c)->address.value).span());
}

COURIER_DECL void RelayServer::on_data(ClientHandle c, Member& m, RelaySocketId id, std::span<const std::byte> bytes, TimePoint now) {
  const auto it = sockets_.find(id);
  if (it == sockets_.end() || !it->second.active || !(it->second.a == c || it->second.b == c)) {
    ++stats_.spoofed_frames;
    return;
  }
  const std::size_t data = bytes.size() - 4;
  if (!take_allowance(m, data, now)) {
    stats_.rate_limited_bytes += data;
    if (now >= m.last_rate_error + std::chrono::seconds(1)) {
      m.last_rate_error = now;
      detail::RelayFrameWriter w;
      send_to(c, detail::RelayFrame::error, w.u8(static_cast<std::uint8_t>(RelayError::rate_limited)).u32(id).span());
    }
    return;
  }
  Socket& s = it->second;
  s.last_data = now;
  const ClientHandle to = s.a == c ? s.b : s.a;
  Member* receiver = member(to);
  if (receiver != nullptr && receiver->outbox_bytes + bytes.size() > limits_.max_backlog_bytes) {
    ++stats_.overflow_closes;  // the receiver is not keeping up: close rather than lose data silently
    remove(id);
    send_closed(c, id, RelayCloseReason::overflow);
    send_closed(to, id, RelayCloseReason::overflow);
    return;
  }
  send_to(to, detail::RelayFrame::data_in, bytes);
  stats_.forwarded_bytes += data;
}

COURIER_DECL void RelayServer::send_to(ClientHandle to, detail::RelayFrame frame, std::span<const std::byte> bytes) {
  Member* m = member(to);
  if (m == nullptr) return;
  if (m->outbox.empty() && sink_.relay_send(to, frame, bytes)) return;
  if (m->outbox.empty()) waiting_.push_back(to);
  m->outbox.push_back(Pending{frame, {bytes.begin(), bytes.end()}});
  m->outbox_bytes += bytes.size();
}

COURIER_DECL void RelayServer::drain_outboxes() {
  std::vector<ClientHandle> still;
  for (const ClientHandle c : waiting_) {
    Member* m = member(c);
    if (m == nullptr) continue;
    while (!m->outbox.empty() && sink_.relay_send(c, m->outbox.front().frame, m->outbox.front().bytes)) {
      m->outbox_bytes -= m->outbox.front().bytes.size();
      m->outbox.pop_front();
    }
    if (!m->outbox.empty()) still.push_back(c);
  }
  waiting_ = std::move(still);
}

COURIER_DECL void RelayServer::on_close(ClientHandle c, RelaySocketId id) {
  const auto it = sockets_.find(id);
  if (it == sockets_.end() || !(it->second.a == c || it->second.b == c)) {
    ++stats_.spoofed_frames;
    return;
  }
  const Socket s = it->second;
  remove(id);
  if (s.active) return send_closed(s.a == c ? s.b : s.a, id, RelayCloseReason::by_peer);
  if (s.a == c) return send_closed(s.b, id, RelayCloseReason::cancelled);  // the initiator gave up
  send_failed(s.a, s.request, RelayFailure::denied);                       // the target closed instead of answering
}

COURIER_DECL bool RelayServer::take_allowance(Member& m, std::size_t bytes, TimePoint now) noexcept {
  const double seconds = std::chrono::duration<double>(now - m.refilled).count();
  m.refilled = now;
  m.allowance = std::min(static_cast<double>(limits_.burst_bytes),
                         m.allowance + seconds * static_cast<double>(limits_.bytes_per_second));
  if (m.allowance < static_cast<double>(bytes)) return false;
  m.allowance -= static_cast<double>(bytes);
  return true;
}

COURIER_DECL void RelayServer::remove(RelaySocketId id) {
  const auto it = sockets_.find(id);
  if (it == sockets_.end()) return;
  const Socket s = it->second;
  if (!s.active)
    if (Member* a = member(s.a); a != nullptr && a->pending > 0) --a->pending;
  for (const ClientHandle end : {s.a, s.b})
    if (Member* m = member(end)) std::erase(m->sockets, id);
  sockets_.erase(it);
  --stats_.sockets_open;
}

COURIER_DECL RelaySocketId RelayServer::new_socket_id() {
  for (;;) {
    const auto id = static_cast<RelaySocketId>(rng_.next());
    if (id != 0 && !sockets_.contains(id)) return id;
  }
}

}  // namespace courier
