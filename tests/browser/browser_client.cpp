// The browser test client (em++): the project's typed test pack (tests/typed/game_pack.hpp) over
// BrowserWebSocket, run under node and in headless Chromium by browser_driver against a native
// Server<Game over WebSocketServer>. It plays a fixed script with the driver and prints one
// `result <name> ok|FAIL <detail>` line per check, from what it saw itself, then
// `done ok` or `done FAIL ...` (also the page title, for the headless browser).
//
// argv: <token hex> <wrong-pack token hex>. The script, driven by this client; the driver
// answers the chats named below (tests/browser/browser_driver.cpp):
//   1. Aes256Gcm is unavailable, with its error; a token of another pack is refused.
//   2. connect; every channel mode both ways: chat, note, move, ping. The server says what it
//      heard in one chat ("heard ..."), this client acknowledges what it heard ("heard all").
//   3. a request (Save) with its response.
//   4. "cut the link": the server closes the WebSocket; the client reconnects by itself, and
//      the closed socket is released (one JavaScript WebSocket left).
//   5. "kick me": the server kicks with reason application + 3; ClosedByServer carries it.

#include <courier/client.hpp>
#include <courier/core/hex.hpp>
#include <courier/core/steady_clock.hpp>
#include <courier/crypto/aes256gcm.hpp>
#include <courier/transport/browser/browser_websocket.hpp>

#include <emscripten/emscripten.h>

#include <cstdio>
#include <optional>
#include <string>
#include <system_error>

#include "typed/game_pack.hpp"

namespace {

using namespace courier;
using namespace courier::test;

using BrowserGame = WithTransport<Game, BrowserWebSocket>;
using C = Client<BrowserGame>;
constexpr auto kick_reason = static_cast<CloseReason>(static_cast<std::uint16_t>(CloseReason::application) + 3);

std::optional<ConnectToken> token_of(const std::string& hex) {
  std::vector<std::uint8_t> bytes(hex.size() / 2);
  if (hex.size() % 2 != 0 || !parse_hex(hex, bytes)) return std::nullopt;
  auto token = ConnectToken::from_bytes(std::as_bytes(std::span(bytes)));
  if (!token) return std::nullopt;
  return *token;
}

class Script {
 public:
  Script(ConnectToken token, ConnectToken wrong) : token_(std::move(token)), wrong_(std::move(wrong)) {}

  /// One tick: the client's update, its events, the next step of the script.
  void tick() {
    client_.update(clock_);
    while (auto e = client_.poll_event()) on_event(*e);
    if (step_ != Step::done && clock_.now() > deadline_) finish("timeout at step " + std::to_string(static_cast<int>(step_)));
    if (step_ == Step::exchange) exchange();
    else if (step_ == Step::settle_for_cut && settled()) send_chat("cut the link", Step::wait_reconnect);
    else if (step_ == Step::settle_for_kick && settled()) send_chat("kick me", Step::wait_kick);
  }

  void start() {
    check_aes256gcm();
    const std::error_code refused = client_.connect(wrong_, Login{"browser"});
    result("wrong_pack_token_refused", refused == Error::protocol_mismatch, "reason=" + refused.message());
    const std::error_code ec = client_.connect(token_, Login{"browser"});
    if (ec) return finish("connect refused: " + ec.message());
    step_ = Step::wait_connected;
  }

  [[nodiscard]] bool done() const noexcept { return step_ == Step::done; }
  [[nodiscard]] int exit_code() const noexcept { return failures_ == 0 && !timed_out_ ? 0 : 1; }

 private:
  enum class Step { start, wait_connected, exchange, wait_response, settle_for_cut, wait_reconnect,
                    settle_for_kick, wait_kick, done };

  void check_aes256gcm() {
    try {
      Client<WithCrypto<BrowserGame, Aes256Gcm>> aes{BrowserWebSocket{}};
      result("aes256gcm_unavailable", false, "an Aes256Gcm client was made");
    } catch (const std::system_error& e) {
      result("aes256gcm_unavailable", e.code() == Error::crypto_unavailable, std::string("error=") + e.what());
    }
  }

  void on_event(C::Event& e) {
    match(e,
        [&](C::Connected& c) {
          if (step_ == Step::wait_connected && !c.reconnected) {
            result("connected", true, "");
            chat_ = client_.send(Chat{"hi from wasm"});
            note_ = client_.send(Note{17});
            step_ = Step::exchange;
          } else if (step_ == Step::wait_reconnect) {
            result("reconnect_after_the_server_dropped_the_websocket", c.reconnected && saw_reconnecting_,
                   std::string("reconnected=") + (c.reconnected ? "1" : "0") + " reconnecting_event=" + (saw_reconnecting_ ? "1" : "0"));
            // The cut connection's JavaScript WebSocket is gone from Emscripten's socket table
            // (detail/browser_link.hpp works around 3.1.6's emscripten_websocket_delete).
            const int live = live_websockets();
            result("closed_websocket_released", live == 1 && client_.transport().connections() == 1,
                   "live JavaScript WebSockets=" + std::to_string(live));
            step_ = Step::settle_for_kick;
            settle_from_ = clock_.now();
          }
        },
        [&](C::Disconnected& d) {
          if (step_ == Step::wait_reconnect) saw_reconnecting_ = d.reconnecting;
          else if (step_ == Step::wait_connected && d.reason == Error::protocol_mismatch) return;  // the wrong token's
          else if (step_ != Step::wait_kick)
            finish("unexpected disconnect: " + make_error_code(d.reason).message() + " detail=" +
                   std::to_string(static_cast<int>(d.detail)) + " reconnecting=" + std::to_string(d.reconnecting) +
                   " " + transport_stats());
        },
        [&](C::ClosedByServer& c) {
          result("kick_with_reason", step_ == Step::wait_kick && c.reason == kick_reason,
                 "reason=" + std::to_string(static_cast<unsigned>(c.reason)));
          finish("");
        },
        [&](C::Message<Chat>& m) {
          const std::string text(m.message.text.view());
          if (text == "welcome") heard_chat_ = true;
          else if (text.starts_with("heard ")) server_heard_ = text;
        },
        [&](C::Message<Note>& m) { heard_note_ = m.message.n == 23; },
        [&](C::Message<Move>& m) { heard_move_ = m.message.x == -6 && m.message.y == 7; },
        [&](C::Message<Ping>& m) { heard_ping_ = m.message.n == 8; },
        [&](C::Response<Saved>& r) {
          if (step_ != Step::wait_response) return;
          result("request_with_its_response", r.response.ok && client_.status(save_) == RequestStatus::responded,
                 std::string("ok=") + (r.response.ok ? "1" : "0"));
          step_ = Step::settle_for_cut;
          settle_from_ = clock_.now();
        },
        [](auto&) {});
  }

  /// Unreliable modes may lose a message: sent again each tick until the other side heard.
  void exchange() {
    if (server_heard_.empty()) {
      (void)client_.send(Move{3, -4});
      (void)client_.send(Ping{5});
    }
    const bool heard_all = heard_chat_ && heard_note_ && heard_move_ && heard_ping_;
    if (heard_all && !said_heard_all_) said_heard_all_ = static_cast<bool>(client_.send(Chat{"heard all"}));
    const bool acked = client_.status(chat_).state == DeliveryState::acked && client_.status(note_).state == DeliveryState::acked;
    if (!heard_all || server_heard_.empty() || !acked) return;
    result("every_mode_server_to_client", true, "chat note move ping");
    const std::string expected = "heard hi from wasm 17 3,-4 5";
    result("every_mode_client_to_server", server_heard_ == expected, "server said '" + server_heard_ + "'");
    save_ = client_.request(Save{42});
    step_ = Step::wait_response;
  }

  /// The client holds its reconnect token, and the acks of that block had time to travel.
  bool settled() {
    return client_.has_reconnect_token() && clock_.now() - settle_from_ > std::chrono::milliseconds(300);
  }

  void send_chat(const char* text, Step next) {
    if (client_.send(Chat{text})) step_ = next;
  }

  /// The transport's counters, for a failure's line.
  std::string transport_stats() {
    const WebSocketStats& st = client_.transport().stats();
    std::string closes;
    for (std::size_t i = 0; i < websocket_close_count; ++i)
      if (st.closes[i] != 0) closes += std::string(" ") + describe(static_cast<WebSocketClose>(i)) + "=" + std::to_string(st.closes[i]);
    return "transport: opened=" + std::to_string(st.connections_opened) + " sent=" +
           std::to_string(st.transport.datagrams_sent) + " received=" + std::to_string(st.transport.datagrams_received) +
           " send_errors=" + std::to_string(st.transport.send_errors) + " closes:" + closes;
  }

  /// Entries of Emscripten's WebSocket table that still hold a JavaScript WebSocket.
  static int live_websockets() {
    return EM_ASM_INT({ return typeof WS === 'undefined' ? -1 : WS.sockets.filter(function(s) { return s; }).length; });
  }

  void result(const char* name, bool ok, const std::string& detail) {
    std::printf("result %s %s %s\n", name, ok ? "ok" : "FAIL", detail.c_str());
    if (!ok) ++failures_;
  }

  void finish(const std::string& why) {
    if (step_ == Step::done) return;
    timed_out_ = !why.empty();
    step_ = Step::done;
    const bool ok = failures_ == 0 && why.empty();
    const std::string line = ok ? "done ok" : "done FAIL failures=" + std::to_string(failures_) + " " + why;
    std::printf("%s\n", line.c_str());
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdollar-in-identifier-extension"  // EM_ASM's $0 under -Wpedantic
    EM_ASM({ if (typeof document !== 'undefined') document.title = UTF8ToString($0); }, line.c_str());
#pragma clang diagnostic pop
  }

  SteadyClock clock_;
  C client_{BrowserWebSocket{}};
  ConnectToken token_, wrong_;
  Step step_ = Step::start;
  TimePoint deadline_ = clock_.now() + std::chrono::seconds(40);
  TimePoint settle_from_{};
  Signal chat_, note_;
  RequestSignal save_;
  bool heard_chat_ = false, heard_note_ = false, heard_move_ = false, heard_ping_ = false;
  bool said_heard_all_ = false, saw_reconnecting_ = false, timed_out_ = false;
  std::string server_heard_;
  int failures_ = 0;
};

Script* script = nullptr;

void tick() {
  script->tick();
  if (script->done()) {
    emscripten_cancel_main_loop();
    emscripten_force_exit(script->exit_code());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto token = argc > 2 ? token_of(argv[1]) : std::nullopt;
  const auto wrong = argc > 2 ? token_of(argv[2]) : std::nullopt;
  if (!token || !wrong) {
    std::printf("done FAIL usage: browser_client <token hex> <wrong-pack token hex>\n");
    return 2;
  }
  static Script s(*token, *wrong);
  script = &s;
  s.start();
  // 100 ticks a second; the browser runs the WebSocket callbacks between ticks.
  emscripten_set_main_loop(tick, 100, 1);
}
