// lossy_link: a typed client and server over a bad link, with what each side measures. Both
// ends are Simulated<Udp> on 127.0.0.1, impairing what they send: 80 ms +- 20 ms one way
// (jitter reorders too) and 15 % loss by default. The client sends inputs 30 times a second
// (unreliable sequenced) and an event 10 times a second (reliable ordered), the server a state
// 20 times a second (unreliable) and an event 10 times a second, and the client asks a Ping
// request every half second. Once a second it prints the live link estimates (RTT, jitter,
// packet loss), the delivery signals' statuses, and what arrived; then a summary.
//
//   lossy_link [--seconds S] [--loss P] [--latency MS] [--jitter MS] [--seed N]
//
// Exit code 0 when every reliable event arrived, in order, both ways, and requests were
// answered; 1 otherwise.

#include <courier/courier.hpp>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <string>
#include <string_view>

namespace {

using namespace std::chrono_literals;

struct Input { std::uint32_t tick; std::int16_t x, y; };  // client → server, newest wins
struct State { std::uint32_t tick; std::int32_t x, y; };  // server → client, may be lost
struct Event { std::uint32_t seq; };                      // both ways, every one arrives, in order
struct Ping { std::uint32_t n; };                         // request ...
struct Pong { std::uint32_t n; };                         // ... and response

using Link = courier::Simulated<courier::Udp>;
using Pack = courier::ChannelPack<
    courier::Version<"lossy_link example 1">,
    courier::Channel<"input", courier::UnreliableSequenced, Input, courier::ClientToServer>,
    courier::Channel<"state", courier::Unreliable, State, courier::ServerToClient>,
    courier::Channel<"events", courier::ReliableOrdered, Event>,
    courier::Request<Ping, Pong>,
    courier::UseTransport<Link>>;
using S = courier::Server<Pack>;
using C = courier::Client<Pack>;

struct Options {
  double seconds = 5, loss = 0.15;
  int latency_ms = 80, jitter_ms = 20;
  std::uint64_t seed = 7;
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--seconds") o.seconds = std::strtod(value, nullptr);
    else if (flag == "--loss") o.loss = std::strtod(value, nullptr);
    else if (flag == "--latency") o.latency_ms = std::atoi(value);
    else if (flag == "--jitter") o.jitter_ms = std::atoi(value);
    else if (flag == "--seed") o.seed = std::strtoull(value, nullptr, 10);
    else return false;
  }
  return argc % 2 == 1 && o.seconds > 0 && o.loss >= 0 && o.loss < 1;
}

courier::SimulatedConfig impairment(const Options& o) {
  courier::SimulatedConfig c;
  c.latency = std::chrono::milliseconds(o.latency_ms);
  c.jitter = std::chrono::milliseconds(o.jitter_ms);
  c.loss = o.loss;
  return c;
}

/// The delivery signals of one kind of send, tallied once each reaches a final status.
template <class Side>
struct Signals {
  std::deque<courier::Signal> pending;
  unsigned long long refused = 0, acked = 0, lost = 0, dropped = 0;

  void add(const courier::Signal& s) {
    if (s) pending.push_back(s);
    else ++refused;
  }
  void settle(const Side& side) {
    std::erase_if(pending, [&](const courier::Signal& s) {
      const courier::DeliveryStatus st = side.status(s);
      if (!st.is_final()) return false;
      if (st.state == courier::DeliveryState::acked) ++acked;
      else if (st.state == courier::DeliveryState::lost) ++lost;
      else ++dropped;
      return true;
    });
  }
};

/// What one side received.
struct Received {
  unsigned long long unreliable = 0, events = 0, out_of_order = 0;
  std::uint32_t next_event = 0;
  void event(const Event& e) {
    ++events;
    if (e.seq != next_event) ++out_of_order;
    next_event = e.seq + 1;
  }
};

/// "none", or each reason with its count: "replayed 2, stale 1".
std::string by_reason(const courier::DropCounters& drops) {
  std::string out;
  for (std::size_t i = 0; i < courier::drop_reason_count; ++i) {
    const auto reason = static_cast<courier::DropReason>(i);
    if (drops[reason] == 0) continue;
    out += (out.empty() ? "" : ", ") + std::string(courier::describe(reason)) + " " + std::to_string(drops[reason]);
  }
  return out.empty() ? "none" : out;
}

double ms(courier::Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

class Run {
 public:
  Run(const Options& o, S& server, C& client)
      : o_(o), server_(server), client_(client) {}

  /// Sends this tick's traffic: inputs at 30 Hz, states at 20 Hz, events at 10 Hz, pings at 2 Hz.
  void send(courier::TimePoint now, bool traffic) {
    if (!traffic || !client_.connected() || !handle_.valid()) return;
    const auto due = [&](courier::TimePoint& next, courier::Duration every) {
      if (now < next) return false;
      next = now + every;
      return true;
    };
    if (due(next_input_, 33ms)) client_inputs_.add(client_.send(Input{tick_++, 1, -1}));
    if (due(next_state_, 50ms)) server_states_.add(server_.send(handle_, State{tick_, 10, 20}));
    if (due(next_event_, 100ms)) {
      client_events_.add(client_.send(Event{client_seq_++}));
      server_events_.add(server_.send(handle_, Event{server_seq_++}));
    }
    if (due(next_ping_, 500ms) && client_.request(Ping{pings_})) ++pings_;
  }

  /// Handles what arrived; what the handlers and send() queued leaves when each drain ends.
  void drain() {
    while (auto e = server_.poll_event())
      courier::match(
          *e, [&](S::Connected& c) { handle_ = c.client; }, [&](S::Message<Input>&) { ++at_server_.unreliable; },
          [&](S::Message<Event>& m) { at_server_.event(m.message); },
          [&](S::Request<Ping>& r) { server_.respond(std::move(r.token), Pong{r.request.n}); },
          [&](S::Disconnected& d) { std::printf("server: client left (%s)\n", courier::describe(d.reason)); });
    while (auto e = client_.poll_event())
      courier::match(
          *e, [&](C::Connected&) { std::printf("client: connected\n"); },
          [&](C::Message<State>&) { ++at_client_.unreliable; }, [&](C::Message<Event>& m) { at_client_.event(m.message); },
          [&](C::Response<Pong>&) { ++pongs_; },
          [&](C::RequestEnded& r) {
            if (r.status == courier::RequestStatus::timed_out) ++pings_timed_out_;
          },
          [&](C::Disconnected& d) { std::printf("client: disconnected (%s)\n", courier::describe(d.reason)); },
          [](auto&) {});
    client_inputs_.settle(client_);
    client_events_.settle(client_);
    server_states_.settle(server_);
    server_events_.settle(server_);
  }

  void print_header() const {
    std::printf("%4s | %-26s %6s | %-30s | %-28s | %s\n", "", "client's rtt (min, jitter)", "loss",
                "events c->s: acked / in flight", "arrived/sent: inputs, states", "pongs");
  }

  void print_second(int t) const {
    const auto& link = client_.stats().connection.endpoint;
    char rtt[64];
    std::snprintf(rtt, sizeof rtt, "%5.1f ms (%5.1f, %4.1f)", ms(link.rtt), ms(link.min_rtt), ms(link.jitter));
    char events[64];
    std::snprintf(events, sizeof events, "%llu / %zu, at server %llu", client_events_.acked, client_events_.pending.size(),
                  at_server_.events);
    char unreliable[64];
    std::snprintf(unreliable, sizeof unreliable, "%llu / %llu, %llu / %llu", at_server_.unreliable,
                  sent(client_inputs_), at_client_.unreliable, sent(server_states_));
    std::printf("%3ds | %-26s %5.1f%% | %-30s | %-28s | %u/%u\n", t, rtt, 100 * link.packet_loss, events, unreliable,
                pongs_, pings_);
  }

  bool all_events_arrived() const {
    return at_server_.events == client_seq_ && at_client_.events == server_seq_;
  }

  bool print_summary(const Link& client_link, const Link& server_link) const {
    const auto client = client_.stats().connection;
    const auto info = server_.info(handle_);
    const auto server = info ? info->stats : courier::ConnectionStats{};
    std::printf("\nsummary (configured: %d ms +- %d ms one way, %.0f %% loss each way, seed %llu)\n", o_.latency_ms,
                o_.jitter_ms, 100 * o_.loss, static_cast<unsigned long long>(o_.seed));
    std::printf("  rtt          client %.1f ms (min %.1f), server %.1f ms (min %.1f); configured round trip %d ms\n",
                ms(client.endpoint.rtt), ms(client.endpoint.min_rtt), ms(server.endpoint.rtt), ms(server.endpoint.min_rtt),
                2 * o_.latency_ms);
    std::printf("  packet loss  estimated %.1f %% (client), %.1f %% (server); the simulator lost %llu of %llu (c->s), "
                "%llu of %llu (s->c)\n",
                100 * client.endpoint.packet_loss, 100 * server.endpoint.packet_loss, lost(client_link),
                static_cast<unsigned long long>(client_link.stats().sent), lost(server_link),
                static_cast<unsigned long long>(server_link.stats().sent));
    print_kind("events c->s ", client_events_, client_seq_, at_server_);
    print_kind("events s->c ", server_events_, server_seq_, at_client_);
    std::printf("  inputs c->s  %llu sent, %llu arrived; signals: %llu acked, %llu lost (sequenced: a message whose ack "
                "came with a newer one's may have been overtaken, so it reads lost)\n",
                sent(client_inputs_), at_server_.unreliable, client_inputs_.acked, client_inputs_.lost);
    std::printf("  states s->c  %llu sent, %llu arrived; signals: %llu acked, %llu lost\n", sent(server_states_),
                at_client_.unreliable, server_states_.acked, server_states_.lost);
    std::printf("  requests     %u asked, %u answered, %u timed out\n", pings_, pongs_, pings_timed_out_);
    const courier::ServerStats totals = server_.stats();
    std::printf("  server       %llu client(s) connected, %llu undecodable messages, datagrams dropped: %s\n",
                static_cast<unsigned long long>(totals.connected),
                static_cast<unsigned long long>(totals.typed.undecodable_messages), by_reason(totals.netcode.drops).c_str());
    const bool ok = all_events_arrived() && at_server_.out_of_order == 0 && at_client_.out_of_order == 0 && pongs_ > 0;
    std::printf("%s\n", ok ? "ok: every reliable event arrived, in order, both ways"
                           : "failure: reliable events or requests went missing");
    return ok;
  }

 private:
  template <class Side>
  static unsigned long long sent(const Signals<Side>& s) {
    return s.refused + s.acked + s.lost + s.dropped + s.pending.size();
  }
  static unsigned long long lost(const Link& link) {
    return link.stats().lost_independent + link.stats().lost_burst;
  }
  template <class Side>
  static void print_kind(const char* name, const Signals<Side>& s, std::uint32_t sent_count, const Received& r) {
    std::printf("  %s %u sent, %llu arrived, %llu out of order; signals: %llu acked, %zu in flight, %llu refused\n", name,
                sent_count, r.events, r.out_of_order, s.acked, s.pending.size(), s.refused);
  }

  const Options& o_;
  S& server_;
  C& client_;
  courier::ClientHandle handle_;
  courier::TimePoint next_input_{}, next_state_{}, next_event_{}, next_ping_{};
  std::uint32_t tick_ = 0, client_seq_ = 0, server_seq_ = 0, pings_ = 0, pongs_ = 0, pings_timed_out_ = 0;
  Signals<C> client_inputs_, client_events_;
  Signals<S> server_states_, server_events_;
  Received at_server_, at_client_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: lossy_link [--seconds S] [--loss P] [--latency MS] [--jitter MS] [--seed N]\n");
    return 2;
  }
  try {
    courier::SteadyClock clock;
    courier::ServerConfig config;
    config.netcode.private_key = courier::Key::random();
    S server(Link(courier::Udp(*courier::Address::parse("127.0.0.1:0")), impairment(o), o.seed), config);
    C client(Link(courier::Udp(*courier::Address::parse("127.0.0.1:0")), impairment(o), o.seed + 1));
    // Development shortcut (not for production): the server makes the client's token itself.
    client.connect(server.issue_insecure_token(1, clock.unix_now()).value());

    Run run(o, server, client);
    run.print_header();
    const auto start = clock.now();
    const auto traffic_end = start + courier::from_seconds(o.seconds);
    const auto hard_end = traffic_end + 5s;  // time for resends to finish the reliable events
    auto next_print = start + 1s;
    int second = 0;
    while (clock.now() < hard_end) {
      const auto now = clock.now();
      const bool traffic = now < traffic_end;
      if (!traffic && run.all_events_arrived()) break;
      client.update(clock);
      server.update(clock);
      run.send(now, traffic);
      run.drain();
      if (now >= next_print) {
        run.print_second(++second);
        next_print += 1s;
      }
      std::fflush(stdout);
      server.wait(1ms);  // Simulated cannot be polled: this sleeps (transport/wait.hpp)
    }
    const bool ok = run.print_summary(client.transport(), server.transport());
    client.disconnect();
    server.stop();
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::printf("failure: %s\n", e.what());
    return 1;
  }
}
