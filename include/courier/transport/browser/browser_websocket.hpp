#pragma once
/// \file
/// BrowserWebSocket: the client `Transport` of a courier program compiled to WebAssembly with
/// Emscripten (`courier_add_browser_client` in CMake). A browser has no UDP: the client reaches
/// the native server's WebSocketServer (or Multi<Udp, WebSocketServer>) over the browser's own
/// WebSocket, with the same semantics as the native WebSocketClient:
///
/// - `send(to, bytes)` to an address with no open connection opens one (ws://, or wss:// when
///   configured or when `to`'s link is websocket_secure) and queues the message until the
///   upgrade completes; each binary message received is one datagram from `to`, the address
///   exactly as the caller gave it.
/// - Every address it is given is dialled as a WebSocket server; a connection that fails or
///   ends is reported by take_unreachable(), so the netcode client moves on to the next server
///   of its token at once (a token's UDP entry is skipped that way).
/// - The browser's callbacks only queue (detail/browser_inbox.hpp); `receive` drains,
///   `update` applies the deadlines, and nothing ever blocks: the program drives
///   `Client::update` from `emscripten_set_main_loop` or a timer and returns to the browser
///   between ticks, which is when the callbacks run.
///
/// The TLS of wss:// is the browser's: certificates are checked against its trust store.

#if !defined(__EMSCRIPTEN__)
#error "courier/transport/browser/ is for WebAssembly builds: compile with em++ (courier_add_browser_client)"
#endif

#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/browser/browser_websocket_config.hpp"
#include "courier/transport/browser/detail/browser_inbox.hpp"
#include "courier/transport/browser/detail/browser_link.hpp"
#include "courier/transport/datagram.hpp"

namespace courier {

class BrowserWebSocket {
 public:
  /// Throws std::system_error (invalid_config) for a config out of range.
  explicit BrowserWebSocket(BrowserWebSocketConfig config = {})
      : state_(std::make_unique<State>(checked(std::move(config)))) {}
  BrowserWebSocket(BrowserWebSocket&&) noexcept = default;
  BrowserWebSocket& operator=(BrowserWebSocket&&) noexcept = default;
  ~BrowserWebSocket() = default;

  /// Queues one binary message to `to`, opening a connection first when none is open.
  /// Errors: message_too_large, invalid_address (none, or port 0), not_connected on a
  /// moved-from object, send_queue_full when memory runs out.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    if (!state_) return Error::not_connected;
    if (bytes.size() > state_->inbox.limits().max_message_bytes) return Error::message_too_large;
    if (to.is_none() || to.port() == 0) return Error::invalid_address;
    try {
      detail::BrowserLink* link = find(to);
      if (link == nullptr) link = dial(to);
      link->write(bytes);
    } catch (const std::exception&) {
      return Error::send_queue_full;  // only std::bad_alloc: the message is not queued
    }
    return {};
  }

  /// The browser sends at once: nothing waits here.
  void flush() noexcept {}

  [[nodiscard]] std::size_t receive(std::span<Datagram> slots) noexcept {
    return state_ ? state_->inbox.take(slots) : 0;
  }

  /// Applies the handshake deadline and the idle timeout, and forgets ended connections.
  void update(TimePoint now) noexcept {
    if (!state_) return;
    for (auto& link : state_->links) {
      if (!state_->has_now) link->touch(now);
      link->set_now(now);
      link->check_deadline(now);
    }
    state_->has_now = true;
    state_->now = now;
    sweep();
  }

  /// The next address whose connection failed or ended since the last call.
  [[nodiscard]] std::optional<Address> take_unreachable() noexcept {
    return state_ ? state_->inbox.take_unreachable() : std::nullopt;
  }

  /// Closes the connection to `server` (closed_here); false when there is none.
  bool close(const Address& server) noexcept {
    detail::BrowserLink* link = state_ ? find(server) : nullptr;
    if (link == nullptr) return false;
    link->fail(WebSocketClose::closed_here);
    sweep();
    return true;
  }

  /// A client has no bound address of its own: the none address.
  [[nodiscard]] Address local_address() const noexcept { return {}; }
  /// Connections opening or open.
  [[nodiscard]] std::size_t connections() const noexcept {
    if (!state_) return 0;
    return static_cast<std::size_t>(std::count_if(state_->links.begin(), state_->links.end(), [](const auto& l) {
      return l->state() != detail::BrowserLink::State::ended;
    }));
  }
  /// True when the connection to `server` has completed its upgrade.
  [[nodiscard]] bool is_open(const Address& server) const noexcept {
    const detail::BrowserLink* link = state_ ? find(server) : nullptr;
    return link != nullptr && link->state() == detail::BrowserLink::State::open;
  }
  [[nodiscard]] const WebSocketStats& stats() const noexcept { return state_->inbox.stats(); }
  [[nodiscard]] const BrowserWebSocketConfig& config() const noexcept { return state_->config; }

 private:
  // Behind a pointer: the browser's callbacks hold the links' and the inbox's addresses, which
  // must not change when the transport is moved.
  struct State {
    explicit State(BrowserWebSocketConfig c) : config(std::move(c)), inbox(config.limits) {}
    BrowserWebSocketConfig config;
    detail::BrowserInbox inbox;  // before links: a link records its end here when destroyed
    std::vector<std::unique_ptr<detail::BrowserLink>> links;
    TimePoint now{};
    bool has_now = false;
  };

  static BrowserWebSocketConfig checked(BrowserWebSocketConfig config) {
    if (auto why = config.check(); !why.empty())
      throw std::system_error(make_error_code(Error::invalid_config), "BrowserWebSocketConfig: " + why);
    return config;
  }

  [[nodiscard]] detail::BrowserLink* find(const Address& to) const noexcept {
    for (const auto& link : state_->links)
      if (link->peer() == to && link->state() != detail::BrowserLink::State::ended) return link.get();
    return nullptr;
  }

  detail::BrowserLink* dial(const Address& to) {
    const bool secure = state_->config.secure || to.link() == Address::Link::websocket_secure;
    const Address::Link link = secure ? Address::Link::websocket_secure : Address::Link::websocket;
    const std::string url = to.with_link(link).to_string() + state_->config.path;
    sweep();
    state_->links.push_back(std::make_unique<detail::BrowserLink>(state_->inbox, to, url, state_->now));
    return state_->links.back().get();
  }

  /// Destroys links whose connection ended (their socket is already released: no callback
  /// can reach them). Never called from a callback.
  void sweep() noexcept {
    std::erase_if(state_->links, [](const auto& l) { return l->state() == detail::BrowserLink::State::ended; });
  }

  std::unique_ptr<State> state_;
};

}  // namespace courier
