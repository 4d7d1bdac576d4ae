// browser_chat: the chat client as a web page. The same pack as chat_server and chat_client
// (chat_protocol.hpp), compiled to WebAssembly (courier_add_browser_client), over the browser's
// WebSocket (BrowserWebSocket). The page (browser_chat.html) fetches a connect token from the
// token service with the browser's fetch and hands it to chat_token(); what the program prints
// fills the page: "<name> text" lines and notices into the message list, "online N: ..." into
// the online list. The input box calls chat_say().
//
// Page arguments (its query string, as name=value pairs):
//   name=N      the name shown to the others (default "guest")
//   secure=1    wss:// (a page served over https:// may only open wss://)
// and, for a scripted run such as scripts/chat_demo.sh's, like chat_client's options:
//   peers=P     wait until P others are online, then say the lines
//   say=LINE    a line to say (repeatable)
//   expect=E    wait to hear E lines from others, ask who is online, print a summary and leave
//   seconds=S   give up after S seconds (default 20)

#include "chat_protocol.hpp"

#include <courier/core/hex.hpp>
#include <courier/core/steady_clock.hpp>
#include <courier/transport/browser/browser_websocket.hpp>

#include <emscripten/emscripten.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using C = courier::Client<courier::WithTransport<chat::Pack, courier::BrowserWebSocket>>;

struct Options {
  std::string name = "guest";
  bool secure = false;
  std::size_t peers = 0, expect = 0;  // peers 0: interactive, no script
  std::vector<std::string> lines;
  double seconds = 20;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    const std::string key = arg.substr(0, eq), value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (key == "name" && !value.empty()) o.name = value;
    else if (key == "secure") o.secure = value == "1";
    else if (key == "peers") o.peers = std::strtoul(value.c_str(), nullptr, 10);
    else if (key == "expect") o.expect = std::strtoul(value.c_str(), nullptr, 10);
    else if (key == "say") o.lines.push_back(value);
    else if (key == "seconds") o.seconds = std::strtod(value.c_str(), nullptr);
  }
  return o;
}

/// The client and, in a scripted run, where its script is. One tick per main-loop frame.
class Chat {
 public:
  explicit Chat(Options o) : o_(std::move(o)), client_(courier::BrowserWebSocket({.secure = o_.secure})) {}

  void connect(const courier::ConnectToken& token) {
    chat::Hello hello;
    hello.name.assign(o_.name.substr(0, chat::max_name));
    if (const auto ec = client_.connect(token, hello)) return finish("connect refused: " + ec.message());
    std::printf("connecting name=%s over=%s\n", o_.name.c_str(), o_.secure ? "wss" : "ws");
    end_ = clock_.now() + courier::from_seconds(o_.seconds);
  }

  void say(const std::string& line) {
    chat::Say s;
    if (!s.text.try_assign(line)) return (void)std::printf("* that line is longer than %zu bytes\n", chat::max_text);
    if (const auto sent = client_.send(s); !sent) std::printf("* not sent: %s\n", sent.error.message().c_str());
  }

  /// False once the conversation is over.
  bool tick() {
    client_.update(clock_);
    while (auto e = client_.poll_event()) handle(*e);
    const auto now = clock_.now();
    if (client_.connected() && now >= next_poll_) {  // the online list, and the script's wait for peers
      (void)client_.request(chat::WhoIsOnline{});
      next_poll_ = now + (o_.peers > 0 ? 250ms : 2s);
    }
    if (o_.peers > 0 && !ended_) script(now);
    return !ended_;
  }

 private:
  void script(courier::TimePoint now) {
    if (!spoke_ && online_ >= o_.peers + 1) {
      spoke_ = true;
      for (const auto& line : o_.lines) say(line);
    }
    if (spoke_ && final_request_ == 0 && echoes_ >= o_.lines.size() && heard_ >= o_.expect)
      final_request_ = client_.request(chat::WhoIsOnline{}).id;
    if (now > end_) finish("timed out");
  }

  void handle(C::Event& e) {
    courier::match(
        e,
        [&](C::Connected& c) { std::printf("connected slot=%u reconnected=%d\n", c.slot, c.reconnected); },
        [&](C::Disconnected& d) {
          std::printf("disconnected reason=%s reconnecting=%d\n", courier::describe(d.reason), d.reconnecting);
          if (!d.reconnecting) finish("disconnected");
        },
        [&](C::ClosedByServer& c) { finish(std::string("closed by server: ") + courier::describe(c.reason)); },
        [&](C::IsDead& d) { finish(std::string("gave up reconnecting: ") + courier::describe(d.reason)); },
        [&](C::Message<chat::Said>& m) {
          std::printf("<%s> %s\n", m.message.name.c_str(), m.message.text.c_str());
          if (m.message.name.view() == o_.name) ++echoes_;
          else ++heard_;
        },
        [&](C::Message<chat::Notice>& m) { std::printf("* %s\n", m.message.text.c_str()); },
        [&](C::Response<chat::Online>& r) { on_online(r.id, r.response); },
        [](auto&) {});
  }

  void on_online(courier::RequestId id, const chat::Online& online) {
    online_ = online.total;
    std::string names;
    for (const chat::Member& m : online.members) names += (names.empty() ? "" : ", ") + std::string(m.name.view());
    std::printf("online %u: %s\n", online.total, names.c_str());
    if (id == final_request_) finish("");
  }

  void finish(const std::string& why) {
    if (ended_) return;
    ended_ = true;
    client_.disconnect();  // the server is told at once
    std::printf("summary said=%zu echoed=%zu heard=%zu online=%zu result=%s%s%s\n", spoke_ ? o_.lines.size() : 0,
                echoes_, heard_, online_, why.empty() ? "ok" : "failed", why.empty() ? "" : " reason=", why.c_str());
  }

  Options o_;
  courier::SteadyClock clock_;
  C client_;
  courier::TimePoint end_{}, next_poll_{};
  courier::RequestId final_request_ = 0;
  std::size_t echoes_ = 0, heard_ = 0, online_ = 0;
  bool spoke_ = false, ended_ = false;
};

std::unique_ptr<Chat> chat_app;

void frame() {
  if (!chat_app->tick()) emscripten_cancel_main_loop();
}

}  // namespace

// Called by the page. EMSCRIPTEN_KEEPALIVE exports them to JavaScript (Module.ccall).
extern "C" {

/// The connect token the page fetched, as hex: connects and starts the main loop.
EMSCRIPTEN_KEEPALIVE void chat_token(const char* hex) {
  const std::string text = hex;
  std::vector<std::uint8_t> bytes(text.size() / 2);
  auto token = courier::parse_hex(text, bytes) ? courier::ConnectToken::from_bytes(std::as_bytes(std::span(bytes)))
                                               : courier::Result<courier::ConnectToken>(courier::Error::invalid_connect_token);
  if (!token) return (void)std::printf("summary result=failed reason=bad token: %s\n", token.error().message().c_str());
  chat_app->connect(*token);
  // 60 frames a second: the browser runs the WebSocket callbacks between frames.
  emscripten_set_main_loop(frame, 60, 0);
}

/// A line typed into the input box.
EMSCRIPTEN_KEEPALIVE void chat_say(const char* line) { chat_app->say(line); }

}

int main(int argc, char** argv) {
  chat_app = std::make_unique<Chat>(parse(argc, argv));
  std::printf("waiting for a connect token\n");
  return 0;  // the runtime stays: the page calls chat_token next
}
