#pragma once
/// \file
/// BrowserLink: one browser WebSocket (`<emscripten/websocket.h>`) to one server address. Its
/// callbacks run from the browser's event loop between the program's own calls, and only
/// record: an opened socket, a message into the inbox, the end of the connection. Messages
/// sent before the upgrade completes wait in a bounded queue. A link that ended stays in its
/// owner's table until the owner sweeps it (never deleted from inside its own callback).

#if !defined(__EMSCRIPTEN__)
#error "courier/transport/browser/ is for WebAssembly builds: compile with em++ (courier_add_browser_client)"
#endif

#include <emscripten/em_asm.h>
#include <emscripten/websocket.h>

#include <cstddef>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/browser/detail/browser_inbox.hpp"

namespace courier::detail {

class BrowserLink {
 public:
  enum class State : unsigned char { connecting, open, ended };

  /// Opens a WebSocket to `url` for `peer` (the address exactly as the caller gave it, so the
  /// netcode client recognises its server in what arrives). A socket the browser refuses to
  /// create (a malformed URL, ws:// from an https:// page) ends at once as connect_failed.
  BrowserLink(BrowserInbox& inbox, const Address& peer, const std::string& url, TimePoint now)
      : inbox_(inbox), peer_(peer), last_activity_(now) {
    EmscriptenWebSocketCreateAttributes attributes;
    emscripten_websocket_init_create_attributes(&attributes);
    attributes.url = url.c_str();
    attributes.protocols = nullptr;
    attributes.createOnMainThread = EM_TRUE;
    const EMSCRIPTEN_WEBSOCKET_T socket = emscripten_websocket_new(&attributes);
    if (socket <= 0) {
      fail(WebSocketClose::connect_failed);
      return;
    }
    socket_ = socket;
    emscripten_websocket_set_onopen_callback(socket_, this, on_open);
    emscripten_websocket_set_onmessage_callback(socket_, this, on_message);
    emscripten_websocket_set_onerror_callback(socket_, this, on_error);
    emscripten_websocket_set_onclose_callback(socket_, this, on_close);
  }
  BrowserLink(const BrowserLink&) = delete;
  BrowserLink& operator=(const BrowserLink&) = delete;
  ~BrowserLink() { fail(WebSocketClose::closed_here); }

  /// Sends one binary message, or queues it while the connection opens; a full queue ends the
  /// connection (slow_reader, as the native transports count it).
  void write(std::span<const std::byte> bytes) {
    if (state_ == State::ended) return;
    if (state_ == State::connecting) {
      if (pending_.size() >= inbox_.limits().max_send_queue) return fail(WebSocketClose::slow_reader);
      pending_.emplace_back(bytes.begin(), bytes.end());
      return;
    }
    send_now(bytes);
  }

  /// The one path by which the connection ends: closes and releases the socket (no callback
  /// fires after this), then records the end once in the inbox.
  void fail(WebSocketClose why) noexcept {
    if (state_ == State::ended) return;
    state_ = State::ended;
    pending_.clear();
    release_socket();
    inbox_.ended(peer_, why);
  }

  /// Applies the handshake deadline (connecting) or the idle timeout (open) at `now`.
  void check_deadline(TimePoint now) noexcept {
    if (state_ == State::connecting && last_activity_ + inbox_.limits().handshake_deadline <= now)
      fail(WebSocketClose::handshake_deadline);
    else if (state_ == State::open && last_activity_ + inbox_.limits().idle_timeout <= now)
      fail(WebSocketClose::idle);
  }
  /// Restarts the deadline clock (links made before the transport's first update have no time).
  void touch(TimePoint now) noexcept { last_activity_ = now; }
  /// The latest time the transport was updated at, for a message that arrives in a callback.
  void set_now(TimePoint now) noexcept { now_ = now; }

  [[nodiscard]] const Address& peer() const noexcept { return peer_; }
  [[nodiscard]] State state() const noexcept { return state_; }

 private:
  void send_now(std::span<const std::byte> bytes) noexcept {
    // The browser buffers what it has not yet handed to the network (bufferedAmount), without
    // bound: a link slower than the sender is closed as slow_reader at the bound the native
    // transports use (max_send_queue messages of max_message_bytes) instead of growing it.
    unsigned long long buffered = 0;
    if (emscripten_websocket_get_buffered_amount(socket_, &buffered) == EMSCRIPTEN_RESULT_SUCCESS &&
        buffered > inbox_.limits().max_send_queue * inbox_.limits().max_message_bytes)
      return fail(WebSocketClose::slow_reader);
    // The browser copies the bytes into its own buffer before returning.
    auto* data = const_cast<std::byte*>(bytes.data());
    if (emscripten_websocket_send_binary(socket_, data, static_cast<std::uint32_t>(bytes.size())) ==
        EMSCRIPTEN_RESULT_SUCCESS)
      inbox_.sent(bytes.size());
    else
      inbox_.send_failed();
  }

  /// Closes the socket and drops its handlers. emscripten 3.1.6's emscripten_websocket_delete
  /// clears the handlers but then deletes the wrong key of its socket table (the object, not
  /// its id), so the closed JavaScript WebSocket would stay referenced for the page's life:
  /// one per connection ever made. The table entry is cleared here instead, when the table
  /// is reachable (it is in every non-closure build; otherwise the small leak remains).
  void release_socket() noexcept {
    if (socket_ <= 0) return;
    unsigned short ready = 0;
    emscripten_websocket_get_ready_state(socket_, &ready);
    if (ready < 2) emscripten_websocket_close(socket_, 1000, nullptr);  // 2, 3: closing, closed
    emscripten_websocket_delete(socket_);
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdollar-in-identifier-extension"  // EM_ASM's $0 under -Wpedantic
    EM_ASM({ if (typeof WS !== 'undefined' && WS.sockets && WS.sockets[$0]) WS.sockets[$0] = null; }, socket_);
#pragma clang diagnostic pop
    socket_ = 0;
  }

  static EM_BOOL on_open(int, const EmscriptenWebSocketOpenEvent*, void* self) {
    auto& link = *static_cast<BrowserLink*>(self);
    if (link.state_ != State::connecting) return EM_TRUE;
    link.state_ = State::open;
    link.last_activity_ = link.now_;
    link.inbox_.opened();
    const std::deque<std::vector<std::byte>> pending = std::move(link.pending_);
    link.pending_.clear();
    for (const auto& message : pending) {
      if (link.state_ != State::open) break;  // send_now ended it (slow_reader)
      link.send_now(message);
    }
    return EM_TRUE;
  }

  static EM_BOOL on_message(int, const EmscriptenWebSocketMessageEvent* e, void* self) {
    auto& link = *static_cast<BrowserLink*>(self);
    if (link.state_ != State::open) return EM_TRUE;
    if (e->isText) link.fail(WebSocketClose::text_frame);
    else if (e->numBytes > link.inbox_.limits().max_message_bytes) link.fail(WebSocketClose::message_too_large);
    else {
      link.last_activity_ = link.now_;
      link.inbox_.deliver(link.peer_, {reinterpret_cast<const std::byte*>(e->data), e->numBytes});
    }
    return EM_TRUE;
  }

  // The browser follows an error with a close event; the error only decides the reason.
  static EM_BOOL on_error(int, const EmscriptenWebSocketErrorEvent*, void* self) {
    static_cast<BrowserLink*>(self)->error_ = true;
    return EM_TRUE;
  }

  static EM_BOOL on_close(int, const EmscriptenWebSocketCloseEvent*, void* self) {
    auto& link = *static_cast<BrowserLink*>(self);
    if (link.state_ == State::connecting) link.fail(WebSocketClose::connect_failed);
    else link.fail(link.error_ ? WebSocketClose::io_error : WebSocketClose::peer_closed);
    return EM_TRUE;
  }

  BrowserInbox& inbox_;
  Address peer_;
  TimePoint last_activity_;
  TimePoint now_ = last_activity_;
  EMSCRIPTEN_WEBSOCKET_T socket_ = 0;
  State state_ = State::connecting;
  bool error_ = false;
  std::deque<std::vector<std::byte>> pending_;
};

}  // namespace courier::detail
