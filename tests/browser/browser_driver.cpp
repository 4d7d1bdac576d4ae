// The native half of the browser tests: a Server<Game> over WebSocketServer on 127.0.0.1 (a
// port the kernel picks), which starts the browser test client (browser_client.cpp, compiled
// with em++) under node or in headless Chromium, answers its script, and passes when the
// client reported every check as ok. Exit 77 (ctest: skipped) when the runner is missing.
//
// Usage: browser_driver node <node> <browser_client.js>
//        browser_driver chromium <chromium> <browser_client.html>

#include <courier/core/hex.hpp>
#include <courier/core/steady_clock.hpp>
#include <courier/server.hpp>
#include <courier/transport/websocket/websocket_server.hpp>
#include <courier/typed/make_connect_token.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "typed/game_pack.hpp"

extern char** environ;

namespace {

using namespace courier;
using namespace courier::test;

using ServerGame = WithTransport<Game, WebSocketServer>;
using S = Server<ServerGame>;
using OtherGame = ChannelPack<Version<"another game 1">, Channel<"chat", ReliableOrdered, Chat>>;
constexpr auto kick_reason = static_cast<CloseReason>(static_cast<std::uint16_t>(CloseReason::application) + 3);

const std::vector<std::string> expected_results = {
    "aes256gcm_unavailable", "wrong_pack_token_refused", "connected", "every_mode_server_to_client",
    "every_mode_client_to_server", "request_with_its_response",
    "reconnect_after_the_server_dropped_the_websocket", "closed_websocket_released", "kick_with_reason"};

std::string hex_of(std::span<const std::byte> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::byte b : bytes) {
    out += digits[std::to_integer<unsigned>(b) >> 4];
    out += digits[std::to_integer<unsigned>(b) & 15];
  }
  return out;
}

/// The runner, in a process group of its own (Chromium starts helpers: one kill ends them all),
/// its output into `log`.
pid_t start(const std::vector<std::string>& args, const std::string& log) {
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&files, 1, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &files, &attributes, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  return pid;
}

/// The program's own lines from the runner's output: as printed under node, and inside
/// Chromium's console log lines (`...:INFO:CONSOLE:n] "text", source: ...`).
std::vector<std::string> program_lines(const std::string& log) {
  std::ifstream in(log);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    const auto console = line.find(":CONSOLE");
    if (console != std::string::npos) {
      const auto open = line.find("] \"", console);
      const auto close = line.rfind("\", source:");
      if (open == std::string::npos || close == std::string::npos || close < open + 3) continue;
      line = line.substr(open + 3, close - open - 3);
    }
    if (line.starts_with("result ") || line.starts_with("done ")) out.push_back(line);
  }
  return out;
}

/// The server's half of the script (browser_client.cpp says the client's).
class ServerScript {
 public:
  S& server() { return server_; }
  ServerScript(WebSocketServer transport, const Key& key) : server_(std::move(transport), config(key)) {}

  void tick(const SteadyClock& clock) {
    server_.update(clock);
    while (auto e = server_.poll_event()) on_event(*e);
    // Unreliable modes may lose a message: sent again every 20 ms until the client heard all.
    if (client_ && sending_unreliable_ && clock.now() - last_unreliable_ > std::chrono::milliseconds(20)) {
      (void)server_.send(*client_, Move{-6, 7});
      (void)server_.send(*client_, Ping{8});
      last_unreliable_ = clock.now();
    }
  }

  int connects = 0, kicks = 0, cuts = 0;

 private:
  static ServerConfig config(const Key& key) {
    ServerConfig c;
    c.netcode.private_key = key;
    c.netcode.max_clients = 4;
    return c;
  }

  void on_event(S::Event& e) {
    match(e,
        [&](S::Connected& c) {
          ++connects;
          client_ = c.client;
          if (connects == 1) {
            (void)server_.send(c.client, Chat{"welcome"});
            (void)server_.send(c.client, Note{23});
            sending_unreliable_ = true;
          }
        },
        [&](S::Message<Chat>& m) { on_chat(m.client, std::string(m.message.text.view())); },
        [&](S::Message<Note>& m) { heard_note_ = std::to_string(m.message.n); },
        [&](S::Message<Move>& m) { heard_move_ = std::to_string(m.message.x) + "," + std::to_string(m.message.y); },
        [&](S::Message<Ping>& m) { heard_ping_ = std::to_string(m.message.n); },
        [&](S::Request<Save>& r) { server_.respond(std::move(r.token), Saved{r.request.slot == 42}); },
        [&](S::Request<Login>& r) { server_.acknowledge(std::move(r.token)); },
        [](auto&) {});
    report_heard();
  }

  void on_chat(ClientHandle from, const std::string& text) {
    if (text == "heard all") sending_unreliable_ = false;
    else if (text == "cut the link") {
      ++cuts;
      if (auto info = server_.info(from)) server_.transport().close(info->address);
    } else if (text == "kick me") {
      ++kicks;
      server_.disconnect(from, kick_reason);
    } else heard_chat_ = text;
  }

  /// Once the client's four messages arrived, says what they were, in one chat.
  void report_heard() {
    if (reported_ || !client_ || heard_chat_.empty() || heard_note_.empty() || heard_move_.empty() || heard_ping_.empty())
      return;
    const std::string text = "heard " + heard_chat_ + " " + heard_note_ + " " + heard_move_ + " " + heard_ping_;
    reported_ = static_cast<bool>(server_.send(*client_, Chat{std::string_view(text).substr(0, 64)}));
  }

  S server_;
  std::optional<ClientHandle> client_;
  std::string heard_chat_, heard_note_, heard_move_, heard_ping_;
  bool reported_ = false, sending_unreliable_ = false;
  TimePoint last_unreliable_{};
};

/// How node gets a WebSocket global: node 20 with --experimental-websocket (node 22 has one and
/// accepts the flag); Debian 12's node 18 has none, so the `ws` package (Debian: node-ws) is
/// preloaded as the global instead.
std::vector<std::string> node_websocket_args(const std::string& node, const std::string& dir) {
  const std::string probe = node + " --experimental-websocket -e 0 >/dev/null 2>&1";
  if (std::system(probe.c_str()) == 0) return {"--experimental-websocket"};
  const std::string preload = dir + "/websocket_global.js";
  std::ofstream(preload) << "globalThis.WebSocket = globalThis.WebSocket || require('ws');\n";
  setenv("NODE_PATH", "/usr/share/nodejs", 1);  // where Debian's node-ws lives
  return {"--require", preload};
}

int usage() {
  std::fprintf(stderr, "usage: browser_driver node|chromium <runner> <browser_client.js|.html>\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return usage();
  const std::string kind = argv[1], runner = argv[2], program = argv[3];
  if (kind != "node" && kind != "chromium") return usage();
  if (access(runner.c_str(), X_OK) != 0) {
    std::printf("SKIP: %s not found (%s)\n", kind.c_str(), runner.c_str());
    return 77;
  }
  const Key key = Key::random();
  ServerScript script(WebSocketServer(*Address::parse("127.0.0.1:0")), key);
  SteadyClock clock;
  // The server's first update starts its token history (netcode/restart_rule.hpp): a token
  // made in an earlier second would be refused as predating the start.
  script.tick(clock);
  const ConnectToken token = script.server().issue_insecure_token(1, clock.unix_now()).value();
  const ConnectToken wrong =
      make_connect_token<OtherGame>(key, 2, {script.server().public_address()}, clock.unix_now()).value();
  std::printf("server %s, runner %s\n", script.server().public_address().to_string().c_str(), kind.c_str());

  char dir_template[] = "/tmp/courier-browser-test.XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string log = dir + "/runner.log";
  std::vector<std::string> args;
  if (kind == "node") {
    // node's own fetch breaks emscripten 3.1.6's wasm loader: --no-experimental-fetch.
    args = {runner, "--no-experimental-fetch"};
    for (const auto& a : node_websocket_args(runner, dir)) args.push_back(a);
    for (const auto& a : {program, hex_of(token.bytes()), hex_of(wrong.bytes())}) args.push_back(a);
  } else {
    // As root Chromium needs --no-sandbox; the page is a file:// URL and loads its .wasm from
    // beside it (--allow-file-access-from-files); console lines go to stderr.
    args = {runner, "--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + dir + "/profile",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            "--allow-file-access-from-files", "--enable-logging=stderr", "--v=0",
            "file://" + program + "?" + hex_of(token.bytes()) + "&" + hex_of(wrong.bytes())};
  }
  const pid_t pid = start(args, log);
  if (pid < 0) {
    std::printf("FAIL: could not start %s\n", runner.c_str());
    return 1;
  }

  // Until the client says done, its process ends, or 90 s pass (a generous bound for a loaded
  // machine; the client gives up by itself after 40 s of script).
  bool exited = false, done = false;
  const auto give_up = clock.now() + std::chrono::seconds(90);
  while (!done && !exited && clock.now() < give_up) {
    script.tick(clock);
    (void)script.server().wait(std::chrono::milliseconds(2));
    int status = 0;
    exited = waitpid(pid, &status, WNOHANG) == pid;
    for (const auto& line : program_lines(log)) done |= line.starts_with("done ");
  }
  for (int i = 0; i < 50; ++i) script.tick(clock);  // the kick's close frames, the last acks
  if (!exited) {
    kill(-pid, SIGKILL);  // the runner's own process group (Chromium's helpers too)
    waitpid(pid, nullptr, 0);
  }

  const auto lines = program_lines(log);
  std::set<std::string> passed;
  bool done_ok = false;
  for (const auto& line : lines) {
    std::printf("%s: %s\n", kind.c_str(), line.c_str());
    std::istringstream words(line);
    std::string first, name, verdict;
    words >> first >> name >> verdict;
    if (first == "result" && verdict == "ok") passed.insert(name);
    if (line == "done ok") done_ok = true;
  }
  int failures = done_ok ? 0 : 1;
  for (const auto& name : expected_results)
    if (!passed.contains(name)) {
      std::printf("FAIL: no 'result %s ok' from the browser client\n", name.c_str());
      ++failures;
    }
  std::printf("server saw: %d connects (the reconnect is the second), %d cut, %d kick\n", script.connects,
              script.cuts, script.kicks);
  if (script.connects != 2 || script.cuts != 1 || script.kicks != 1) ++failures;
  if (failures != 0) {
    const auto st = script.server().stats().netcode;
    const WebSocketStats& ws = script.server().transport().stats();
    std::printf("server netcode: unauthenticated=%llu decryptions=%llu accepted=%llu drops:",
                static_cast<unsigned long long>(st.unauthenticated_datagrams),
                static_cast<unsigned long long>(st.request_decryptions),
                static_cast<unsigned long long>(st.connections_accepted));
    for (std::size_t i = 0; i < drop_reason_count; ++i)
      if (const auto n = st.drops[static_cast<DropReason>(i)]; n != 0)
        std::printf(" %s=%llu", describe(static_cast<DropReason>(i)), static_cast<unsigned long long>(n));
    std::printf("\nserver websocket: opened=%llu received=%llu sent=%llu\n",
                static_cast<unsigned long long>(ws.connections_opened),
                static_cast<unsigned long long>(ws.transport.datagrams_received),
                static_cast<unsigned long long>(ws.transport.datagrams_sent));
    // The runner's own output, lines cut short (Chromium's name the page's URL, tokens and all).
    std::printf("---- %s output\n", kind.c_str());
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);)
      if (line.find("dbus") == std::string::npos) std::printf("%s\n", line.substr(0, 300).c_str());
  }
  std::string command = "rm -rf " + dir;
  if (std::system(command.c_str()) != 0) std::printf("note: could not remove %s\n", dir.c_str());
  std::printf("%s\n", failures == 0 ? "PASS" : "FAIL");
  return failures == 0 ? 0 : 1;
}
