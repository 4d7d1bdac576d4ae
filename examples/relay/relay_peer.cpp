// relay_peer: one end of a conversation through relay_server. It connects under a name and
// prints the virtual address the server gave it; then either
//
//   listens:  accepts every virtual socket to PORT and echoes back each line it receives, or
//   dials:    looks NAME up (asking again until the server knows it), opens a virtual socket
//             to NAME's virtual address and PORT, sends N lines one by one, waits for each
//             echo, closes the socket and disconnects.
//
// The peers never learn each other's real address: everything goes through the server.
//
//   relay_peer --name NAME --server ADDR [--private-key HEX] [--client-id N] [--seconds S]
//              (--listen PORT | --dial NAME --port PORT [--lines N])
//     --server ADDR        relay_server's address; the connect token is made here from the
//                          shared key (--private-key HEX or $COURIER_RELAY_PRIVATE_KEY)
//     --client-id N        (default: random)
//     --seconds S          give up (dialing) or stop (listening) after S seconds (default 20)
//     --lines N            how many lines to send when dialing (default 5, at most 1000)
//
// A listener stops on SIGINT, SIGTERM, --seconds, or when the server goes away; a dialer stops
// when it is done, on a signal, or at --seconds. Exit code: dialer 0 when every line came back
// intact, 1 otherwise; listener 0 when it was connected and nothing went wrong, 1 otherwise;
// 2 for bad usage.

#include "relay_protocol.hpp"

#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace {

volatile std::sig_atomic_t g_stop = 0;

using C = courier::Client<relay::Pack>;
namespace rev = courier::relay_event;
using namespace std::chrono_literals;

int usage() {
  std::fprintf(stderr, "usage: relay_peer --name NAME --server ADDR [--private-key HEX] [--client-id N] [--seconds S] "
                       "(--listen PORT | --dial NAME --port PORT [--lines N])\n");
  return 2;
}

struct Options {
  std::string name, key_hex, dial;
  courier::Address server;
  std::uint64_t client_id = 0;
  long listen = -1, port = -1;
  std::size_t lines = 5;
  double seconds = 20;
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--name") o.name = value;
    else if (flag == "--server" && courier::Address::parse(value)) o.server = *courier::Address::parse(value);
    else if (flag == "--private-key") o.key_hex = value;
    else if (flag == "--client-id") o.client_id = std::strtoull(value, nullptr, 10);
    else if (flag == "--seconds") o.seconds = std::strtod(value, nullptr);
    else if (flag == "--listen") o.listen = std::strtol(value, nullptr, 10);
    else if (flag == "--dial") o.dial = value;
    else if (flag == "--port") o.port = std::strtol(value, nullptr, 10);
    else if (flag == "--lines") o.lines = std::strtoul(value, nullptr, 10);
    else return false;
  }
  const bool listening = o.listen >= 0 && o.listen <= 65535 && o.dial.empty() && o.port < 0;
  const bool dialing = o.listen < 0 && !o.dial.empty() && o.dial.size() <= relay::max_name && o.port >= 0 &&
                       o.port <= 65535 && o.lines >= 1 && o.lines <= 1000;
  return argc % 2 == 1 && !o.name.empty() && o.name.size() <= relay::max_name && !o.server.is_none() &&
         o.seconds > 0 && (listening || dialing);
}

/// What both modes do with the connection itself.
class Peer {
 public:
  Peer(C& client, const Options& o) : client_(client), o_(o) {}
  virtual ~Peer() = default;
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  /// One tick: moves on, then reacts to events (what either sent leaves when the drain ends).
  /// False once it is over.
  bool step(courier::TimePoint now) {
    now_ = now;
    if (!failed_ && !ended_ && client_.relay().address()) advance();
    while (auto e = client_.poll_event()) handle(*e);
    return !failed_ && !ended_ && !done_;
  }

  /// A signal or the deadline: give up what is under way (the socket closes with the connection).
  virtual void finish(bool deadline) = 0;
  [[nodiscard]] virtual bool succeeded() const = 0;
  virtual void print_summary() const = 0;

 protected:
  virtual void advance() {}
  virtual void on_response(const C::Response<relay::Found>&) {}
  virtual void on_request_ended(const C::RequestEnded&) {}
  virtual void on_requested(const rev::ConnectionRequested&) {}
  virtual void on_established(const rev::Established&) {}
  virtual void on_failed(const rev::Failed&) {}
  virtual void on_data(const rev::Data&) = 0;
  virtual void on_closed(const rev::Closed&) {}

  void fail(const char* what, std::error_code ec = {}) {
    std::printf("failure reason=%s%s%s\n", what, ec ? ": " : "", ec ? ec.message().c_str() : "");
    failed_ = true;
  }

  C& client_;
  const Options& o_;
  courier::TimePoint now_{};
  bool failed_ = false, ended_ = false, done_ = false, was_connected_ = false;

 private:
  void handle(C::Event& e) {
    courier::match(
        e,
        [&](C::Connected& c) {
          was_connected_ = true;
          std::printf("connected slot=%u reconnected=%d\n", c.slot, c.reconnected);
        },
        [&](C::Disconnected& d) {
          std::printf("disconnected reason=%s reconnecting=%d\n", courier::describe(d.reason), d.reconnecting);
          if (!d.reconnecting) ended_ = true;
        },
        [&](C::ClosedByServer& c) {
          std::printf("closed by server reason=%s\n", courier::describe(c.reason));
          ended_ = true;
        },
        [&](C::IsDead& d) {
          std::printf("gave up reconnecting reason=%s\n", courier::describe(d.reason));
          ended_ = true;
        },
        [&](C::Response<relay::Found>& r) { on_response(r); }, [&](C::RequestEnded& r) { on_request_ended(r); },
        [&](rev::AddressAssigned& a) { std::printf("address virtual=%s\n", a.address.to_string().c_str()); },
        [&](rev::ConnectionRequested& r) { on_requested(r); }, [&](rev::Established& s) { on_established(s); },
        [&](rev::Failed& f) { on_failed(f); }, [&](rev::Data& d) { on_data(d); }, [&](rev::Closed& c) { on_closed(c); },
        [&](rev::Refused& r) { std::printf("relay refused socket=%u error=%s\n", r.socket, courier::describe(r.error)); },
        [](auto&) {});  // Line only arrives inside relay data
  }
};

/// --listen PORT: accept every socket to PORT, echo every line back.
class Listener final : public Peer {
 public:
  Listener(C& client, const Options& o) : Peer(client, o) {
    client_.relay().listen(static_cast<std::uint16_t>(o.listen));  // kept across reconnects
  }

  void finish(bool deadline) override {
    std::printf("stopping reason=%s\n", deadline ? "time limit" : "signal");
  }
  [[nodiscard]] bool succeeded() const override { return was_connected_ && !failed_; }
  void print_summary() const override {
    std::printf("summary accepted=%zu received=%zu echoed=%zu closed=%zu result=%s\n", accepted_, received_, echoed_,
                closed_, succeeded() ? "ok" : "failed");
  }

 private:
  void on_requested(const rev::ConnectionRequested& r) override {
    std::printf("incoming socket=%u from=%s port=%u\n", r.socket, r.from.to_string().c_str(), unsigned{r.port});
    // Application code decides: accept() or deny(). This one takes everybody.
    if (const auto ec = client_.relay().accept(r.socket)) return fail("accept refused", ec);
    ++accepted_;
  }
  void on_established(const rev::Established& s) override {
    std::printf("established socket=%u peer=%s port=%u\n", s.socket, s.peer.to_string().c_str(), unsigned{s.port});
  }
  void on_data(const rev::Data& d) override {
    ++received_;
    const auto line = C::relay_decode<relay::Line>(d.bytes);
    std::error_code ec;
    if (line) {
      std::printf("received socket=%u seq=%u text=%s\n", d.socket, line->seq, line->text.c_str());
      ec = client_.relay_send(d.socket, *line);  // the same Line back
    } else {
      std::printf("received socket=%u bytes=%zu (not a Line)\n", d.socket, d.bytes.size());
      ec = client_.relay().send(d.socket, d.bytes);  // raw bytes back as they came
    }
    if (ec) return fail("echo refused", ec);
    ++echoed_;
  }
  void on_closed(const rev::Closed& c) override {
    ++closed_;
    std::printf("closed socket=%u reason=%s\n", c.socket, courier::describe(c.reason));
  }

  std::size_t accepted_ = 0, received_ = 0, echoed_ = 0, closed_ = 0;
};

/// --dial NAME --port PORT: find NAME, open a socket, send the lines one by one, check each echo.
class Dialer final : public Peer {
 public:
  Dialer(C& client, const Options& o) : Peer(client, o) {}

  void finish(bool deadline) override {
    if (phase_ == Phase::done) return;
    std::string what = waiting_for();
    if (last_failure_) what += std::string(" (last connect: ") + courier::describe(*last_failure_) + ")";
    std::printf("failure reason=%s while waiting for %s\n", deadline ? "timed out" : "stopped by a signal",
                what.c_str());
  }
  [[nodiscard]] bool succeeded() const override { return phase_ == Phase::done && !failed_ && echoed_ == o_.lines; }
  void print_summary() const override {
    std::printf("summary lookups=%zu sent=%zu echoed=%zu result=%s\n", lookups_, sent_, echoed_,
                succeeded() ? "ok" : "failed");
  }

 private:
  enum class Phase { looking_up, opening, talking, done };

  [[nodiscard]] const char* waiting_for() const noexcept {
    switch (phase_) {
      case Phase::looking_up: return client_.relay().address() ? "the server to know the name" : "the connection";
      case Phase::opening: return "the socket to open";
      case Phase::talking: return "an echo";
      case Phase::done: break;
    }
    return "nothing";
  }

  void advance() override {
    if (phase_ == Phase::looking_up && lookup_ == 0 && now_ >= next_try_) {
      relay::Lookup l;
      l.name.assign(o_.dial);
      const courier::RequestSignal r = client_.request(l);
      if (!r) return fail("lookup refused", r.error);
      lookup_ = r.id;
      ++lookups_;
    }
  }

  void retry_later() {
    phase_ = Phase::looking_up;
    lookup_ = 0;
    next_try_ = now_ + 250ms;
  }

  void on_response(const C::Response<relay::Found>& r) override {
    if (r.id != lookup_) return;
    lookup_ = 0;
    if (!r.response.ok) {  // not connected yet: ask again shortly
      next_try_ = now_ + 250ms;
      return;
    }
    const courier::VirtualAddress target{r.response.address};
    std::printf("found name=%s virtual=%s\n", o_.dial.c_str(), target.to_string().c_str());
    const courier::RelayConnect c = client_.relay().connect(target, static_cast<std::uint16_t>(o_.port));
    if (!c) return fail("connect refused", c.error);
    request_ = c.request;
    phase_ = Phase::opening;
  }
  void on_request_ended(const C::RequestEnded& r) override {
    if (r.id != lookup_) return;
    std::printf("lookup ended status=%s\n", courier::describe(r.status));
    retry_later();
  }

  void on_established(const rev::Established& s) override {
    if (phase_ != Phase::opening || s.request != request_) return;
    socket_ = s.socket;
    std::printf("established socket=%u peer=%s port=%u\n", s.socket, s.peer.to_string().c_str(), unsigned{s.port});
    phase_ = Phase::talking;
    send_next();
  }
  void on_failed(const rev::Failed& f) override {
    if (phase_ != Phase::opening || f.request != request_) return;
    std::printf("connect failed target=%s port=%u reason=%s\n", f.target.to_string().c_str(), unsigned{f.port},
                courier::describe(f.reason));
    last_failure_ = f.reason;
    if (f.reason == courier::RelayFailure::denied || f.reason == courier::RelayFailure::invalid_target)
      return fail("the socket was refused");
    retry_later();  // offline or not listening yet: look the name up again
  }

  void send_next() {
    relay::Line line;
    line.seq = static_cast<std::uint32_t>(sent_ + 1);
    line.text.assign("line " + std::to_string(line.seq) + " of " + std::to_string(o_.lines) + " from " + o_.name);
    if (const auto ec = client_.relay_send(socket_, line)) return fail("send refused", ec);
    expected_ = line;
    ++sent_;
    std::printf("sent seq=%u text=%s\n", line.seq, line.text.c_str());
  }

  void on_data(const rev::Data& d) override {
    if (phase_ != Phase::talking || d.socket != socket_) return;
    const auto echo = C::relay_decode<relay::Line>(d.bytes);
    if (!echo || echo->seq != expected_.seq || echo->text.view() != expected_.text.view())
      return fail("the echo does not match what was sent");
    ++echoed_;
    std::printf("echo seq=%u text=%s\n", echo->seq, echo->text.c_str());
    if (sent_ < o_.lines) return send_next();
    if (const auto ec = client_.relay().close(socket_)) return fail("close refused", ec);
    std::printf("closed socket=%u\n", socket_);
    phase_ = Phase::done;
    done_ = true;
  }
  void on_closed(const rev::Closed& c) override {
    if (c.socket != socket_ || phase_ == Phase::done) return;
    std::printf("closed socket=%u reason=%s\n", c.socket, courier::describe(c.reason));
    fail("the socket closed before every echo came back");
  }

  Phase phase_ = Phase::looking_up;
  courier::TimePoint next_try_{};
  courier::RequestId lookup_ = 0;
  std::uint32_t request_ = 0;
  courier::RelaySocketId socket_ = 0;
  relay::Line expected_;
  std::optional<courier::RelayFailure> last_failure_;
  std::size_t lookups_ = 0, sent_ = 0, echoed_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return usage();
  const auto key = relay::read_key(o.key_hex);
  if (!key) {
    std::fprintf(stderr, "relay_peer: give the private key (64 hex digits) with --private-key or $%s\n",
                 relay::key_variable);
    return 2;
  }
  while (o.client_id == 0) {
    courier::Netcode102::random_bytes(std::as_writable_bytes(std::span(&o.client_id, 1)));
    o.client_id &= 0x7FFF'FFFF'FFFF'FFFF;
  }
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });

  courier::SteadyClock clock;
  const auto end = clock.now() + courier::from_seconds(o.seconds);
  try {
    // Made here from the shared key; a real deployment issues tokens from a web backend, as
    // examples/token_service does.
    const auto token = courier::make_connect_token<relay::Pack>(*key, o.client_id, {o.server}, clock.unix_now());
    if (!token) {
      std::printf("failure reason=%s\n", token.error().message().c_str());
      return 1;
    }
    C client(courier::Udp(*courier::Address::parse("127.0.0.1:0")));
    relay::Hello hello;
    hello.name.assign(o.name);
    if (const auto ec = client.connect(*token, hello)) {
      std::printf("failure reason=connect refused: %s\n", ec.message().c_str());
      return 1;
    }
    std::printf("connecting name=%s client_id=%llu server=%s mode=%s\n", o.name.c_str(),
                static_cast<unsigned long long>(o.client_id), o.server.to_string().c_str(),
                o.dial.empty() ? "listen" : "dial");
    std::optional<Listener> listener;
    std::optional<Dialer> dialer;
    Peer* peer = nullptr;
    if (o.dial.empty()) peer = &listener.emplace(client, o);
    else peer = &dialer.emplace(client, o);

    bool going = true;
    while (going && !g_stop && clock.now() < end) {
      client.update(clock);
      going = peer->step(clock.now());
      std::fflush(stdout);
      client.wait(2ms);  // returns early when a datagram arrives
    }
    if (going) peer->finish(!g_stop);
    client.disconnect();  // the server is told at once
    peer->print_summary();
    return peer->succeeded() ? 0 : 1;
  } catch (const std::exception& e) {
    std::printf("failure reason=%s\n", e.what());
    return 1;
  }
}
