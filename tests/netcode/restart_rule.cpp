// The restart rule (ServerConfig::max_token_lifetime): a server refuses connect tokens that may
// have been issued before it started, since a new process has forgotten which tokens its
// predecessor consumed. Unit tests of the rule, the rule in a Server over Loopback with a
// ManualClock, and a real restart: a server process on 127.0.0.1 is killed (SIGKILL) and a new
// one started with the same key and port; a replayed token is refused and counted, a token
// issued after the restart connects.

#include <courier/netcode/restart_rule.hpp>

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <courier/core/steady_clock.hpp>
#include <courier/transport/udp.hpp>

#include "netcode/harness.hpp"

namespace nc = courier::netcode;
using namespace courier::test;
using namespace std::chrono_literals;
using courier::DropReason;
using courier::Loopback;
using courier::UnixSeconds;

namespace {

constexpr UnixSeconds start = 1'700'000'000;  // the ManualClock's default unix start

const auto server_a = test_server_address;
const auto client_a = test_client_address;


/// What a server process reports through its pipe: its port once bound, then its counters
/// whenever they change. One write each, smaller than PIPE_BUF, so never torn.
struct Report {
  std::uint16_t port = 0;
  std::uint64_t accepted = 0;
  std::uint64_t predates_start = 0;
  std::uint64_t reused = 0;
};

/// A netcode server in a child process on 127.0.0.1:`port` (0: any), with the test key, whose
/// unix time is `unix_now` throughout (time passed in: deterministic expiry decisions). Runs
/// until killed; never returns into the test framework.
[[noreturn]] void serve_in_child(std::uint16_t port, UnixSeconds unix_now, int report_fd) {
  try {
    courier::Udp socket(courier::Address::ipv4(127, 0, 0, 1, port));
    const auto bound = socket.local_address();
    nc::NetcodeServer<courier::Udp> server(std::move(socket), server_config(bound));
    Report last;
    last.port = bound.port();
    if (write(report_fd, &last, sizeof last) != static_cast<ssize_t>(sizeof last)) _exit(2);
    const courier::SteadyClock clock;
    for (;;) {
      server.update(clock.now(), unix_now);
      while (server.receive()) {}
      Report now = last;
      now.accepted = server.stats().connections_accepted;
      now.predates_start = server.stats().drops[DropReason::token_predates_start];
      now.reused = server.stats().drops[DropReason::token_reused];
      if (std::memcmp(&now, &last, sizeof now) != 0) {
        last = now;
        if (write(report_fd, &last, sizeof last) != static_cast<ssize_t>(sizeof last)) _exit(2);
      }
      std::this_thread::sleep_for(1ms);
    }
  } catch (...) {
    _exit(1);
  }
}

/// A server process, killed with SIGKILL when this goes out of scope (or by kill()).
class ServerProcess {
 public:
  ServerProcess(std::uint16_t port, UnixSeconds unix_now) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      close(fds[0]);
      serve_in_child(port, unix_now, fds[1]);
    }
    close(fds[1]);
    fd_ = fds[0];
    fcntl(fd_, F_SETFL, O_NONBLOCK);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() { kill(); }

  /// SIGKILL, then reaps the child.
  void kill() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  /// Reads every report written so far; returns the latest.
  const Report& poll() {
    Report r;
    while (fd_ >= 0 && read(fd_, &r, sizeof r) == static_cast<ssize_t>(sizeof r)) latest_ = r;
    return latest_;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  Report latest_;
};

/// Updates `client` and polls `server` until `done()`, for at most `limit` (a bound, not a
/// measurement); true when done.
template <class Client, class Done>
bool pump(Client& client, ServerProcess& server, Done done, std::chrono::milliseconds limit = 3000ms) {
  const courier::SteadyClock clock;
  const auto end = clock.now() + limit;
  while (clock.now() < end) {
    client.update(clock.now());
    server.poll();
    if (done()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return done();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(restart_rule_test)

BOOST_AUTO_TEST_CASE(the_rule_refuses_expiries_before_start_plus_the_maximum_lifetime) {
  nc::RestartRule rule(30s);
  BOOST_TEST(rule.enabled());
  BOOST_TEST(!rule.started_unix().has_value());
  BOOST_TEST(rule.predates_start(start + 1000));  // not started: nothing can be placed after it
  rule.observe(start);
  rule.observe(start + 100);                      // the first observation is the start
  BOOST_TEST(*rule.started_unix() == start);
  BOOST_TEST(rule.predates_start(start + 29));    // issued at start - 1 or later: may predate
  BOOST_TEST(!rule.predates_start(start + 30));   // issued at start or later
  BOOST_TEST(!rule.predates_start(start + 1000));
  BOOST_TEST(rule.predates_start(nc::RestartRule::never_expires));
}

BOOST_AUTO_TEST_CASE(a_zero_lifetime_turns_the_rule_off) {
  nc::RestartRule rule(0s);
  BOOST_TEST(!rule.enabled());
  BOOST_TEST(!rule.predates_start(start));
  rule.observe(start);
  BOOST_TEST(!rule.predates_start(start + 1));
  BOOST_TEST(!rule.predates_start(nc::RestartRule::never_expires));
}

BOOST_AUTO_TEST_CASE(a_start_near_the_end_of_time_refuses_every_finite_expiry) {
  nc::RestartRule rule(30s);
  rule.observe(nc::RestartRule::never_expires - 10);
  BOOST_TEST(rule.predates_start(nc::RestartRule::never_expires - 1));
}

BOOST_AUTO_TEST_CASE(a_negative_or_huge_lifetime_is_a_configuration_error) {
  auto config = server_config(server_a);
  config.max_token_lifetime = -1s;
  BOOST_TEST(!config.check().empty());
  config.max_token_lifetime = nc::NetcodeServerConfig::max_token_lifetime_limit + 1s;
  BOOST_TEST(!config.check().empty());
  config.max_token_lifetime = 0s;
  BOOST_TEST(config.check().empty());
}

BOOST_FIXTURE_TEST_CASE(a_token_issued_before_the_first_update_is_refused_and_counted, Setup) {
  const auto early = make_token(1, {server_a}, clock.unix_now() - 5);  // issued 5 s before the start
  BOOST_TEST(!connect(early));
  BOOST_TEST(*server.started_unix() == start);
  BOOST_TEST(server.stats().drops[DropReason::token_predates_start] >= 1u);
  BOOST_TEST(server.stats().drops.total() == server.stats().drops[DropReason::token_predates_start]);
  BOOST_TEST(connect(token()));  // issued after it
}

BOOST_FIXTURE_TEST_CASE(a_token_of_the_maximum_lifetime_issued_at_the_start_connects_at_once, Setup) {
  // The typed server's reconnect tokens (30 s by default) are issued right after a start.
  step();
  BOOST_TEST(connect(token(1, 30)));
  BOOST_TEST(server.stats().drops.total() == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_shorter_token_issued_after_the_start_waits_for_the_window_to_pass, Setup) {
  step();
  // Lifetime 10 s, issued at start + 5: expires at start + 15 < start + 30, so it is
  // indistinguishable from a 30 s token issued 15 s before the start.
  step(5s);
  BOOST_TEST(!connect(token(1, 10)));
  BOOST_TEST(server.stats().drops[DropReason::token_predates_start] >= 1u);
  step(15s);  // start + 20 (+ the attempt): a 10 s token now expires at or after start + 30
  BOOST_TEST(connect(token(1, 10)));
}

BOOST_AUTO_TEST_CASE(a_token_that_never_expires_is_refused_unless_the_rule_is_off) {
  Setup guarded;
  guarded.step(60s);  // long after the window: a never-expiring token still cannot be placed in time
  BOOST_TEST(!guarded.connect(guarded.token(1, -1)));
  BOOST_TEST(guarded.server.stats().drops[DropReason::token_predates_start] >= 1u);

  auto config = server_config(server_a);
  config.max_token_lifetime = 0s;
  Setup open(config);
  BOOST_TEST(open.connect(open.token(1, -1)));
  BOOST_TEST(open.server.stats().drops.total() == 0u);
}

BOOST_FIXTURE_TEST_CASE(stop_and_start_in_one_process_keep_the_start, Setup) {
  step();
  step(40s);
  server.stop();
  server.start();  // the history survives this restart, so the rule has nothing to cover
  step();
  BOOST_TEST(*server.started_unix() == start);
  BOOST_TEST(connect(token(1, 5)));
  BOOST_TEST(server.stats().drops[DropReason::token_predates_start] == 0u);
}

BOOST_AUTO_TEST_CASE(a_new_server_object_refuses_the_request_its_predecessor_accepted) {
  // A new Server object has an empty history, as a new process does.
  World world;
  std::vector<WireRecord> wire;
  nc::NetcodeClient<Recorded<Loopback>> client(Recorded<Loopback>(Loopback(world.network, client_a), &wire));
  world.add_client(client);
  const auto token = make_token(1, {server_a}, world.clock.unix_now());
  std::vector<std::byte> request;
  for (std::chrono::seconds lifetime : {30s, 0s}) {  // the rule on, then off (the reference)
    auto config = server_config(server_a);
    config.max_token_lifetime = lifetime;
    {
      LoopServer first(Loopback(world.network, server_a), config);
      if (request.empty()) {
        world.add_server(first);
        BOOST_REQUIRE(!client.connect(token, world.clock.now()));
        BOOST_REQUIRE(world.run_until([&] { return client.connected(); }, 3s));
        world.updaters.pop_back();
        request = wire.front().bytes;
        BOOST_REQUIRE(request.size() == 1078u);
      }
    }
    world.step(1s);
    LoopServer second(Loopback(world.network, server_a), config);
    second.update(world.clock);
    Loopback replay(world.network, addr("10.0.1.1:50001"));
    BOOST_REQUIRE(!replay.send(server_a, request));
    second.update(world.clock);
    if (lifetime > 0s) {
      BOOST_TEST(second.stats().drops[DropReason::token_predates_start] == 1u);
      BOOST_TEST(second.stats().sent_of(nc::PacketType::connection_challenge) == 0u);
    } else {  // without the rule the consumed token is accepted again: what the rule closes
      BOOST_TEST(second.stats().drops.total() == 0u);
      BOOST_TEST(second.stats().sent_of(nc::PacketType::connection_challenge) == 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_killed_and_restarted_server_process_refuses_a_replayed_token) {
  std::error_code ec;
  auto client_socket = courier::Udp::open(addr("127.0.0.1:0"), ec);
  auto replay_socket = courier::Udp::open(addr("127.0.0.1:0"), ec);
  if (!client_socket || !replay_socket) {
    BOOST_WARN_MESSAGE(false, "UDP unavailable here; skipped");
    return;
  }
  // The first process starts at `start` and accepts a token issued then.
  std::optional<ServerProcess> first(std::in_place, 0, start);
  BOOST_REQUIRE(pump(*client_socket, *first, [&] { return first->poll().port != 0; }));
  auto server_address = addr("127.0.0.1:0");
  server_address.set_port(first->poll().port);
  const auto token = make_token(1, {server_address}, start);
  std::vector<WireRecord> wire;
  nc::NetcodeClient<Recorded<courier::Udp>> client(Recorded<courier::Udp>(std::move(*client_socket), &wire));
  BOOST_REQUIRE(!client.connect(token, courier::SteadyClock{}.now()));
  BOOST_REQUIRE(pump(client, *first, [&] { return client.connected() && first->poll().accepted == 1; }));
  BOOST_REQUIRE(!wire.empty());
  const auto request = wire.front().bytes;  // the connection request, as anyone on the path saw it
  BOOST_REQUIRE(request.size() == 1078u);

  // SIGKILL: the process and its token history are gone. The new process binds the same port
  // with the same key a second later (unix seconds are whole: see PROTOCOL.md Part 1 §10 for
  // a restart within the second the token was issued).
  first->kill();
  first.reset();
  ServerProcess second(server_address.port(), start + 1);
  BOOST_REQUIRE(pump(*replay_socket, second, [&] { return second.poll().port != 0; }));
  BOOST_REQUIRE(second.poll().port == server_address.port());

  // The captured request, replayed raw from another address: refused and counted.
  BOOST_REQUIRE(!replay_socket->send(server_address, request));
  replay_socket->flush();
  BOOST_REQUIRE(pump(*replay_socket, second, [&] { return second.poll().predates_start >= 1; }));

  // A netcode client given the same token: refused and counted too, never connected.
  nc::NetcodeClient<courier::Udp> again(courier::Udp(addr("127.0.0.1:0")));
  BOOST_REQUIRE(!again.connect(token, courier::SteadyClock{}.now()));
  BOOST_TEST(pump(again, second, [&] { return second.poll().predates_start >= 3; }));
  BOOST_TEST(!again.connected());
  BOOST_TEST(second.poll().accepted == 0u);

  // A token issued after the restart connects.
  nc::NetcodeClient<courier::Udp> fresh(courier::Udp(addr("127.0.0.1:0")));
  BOOST_REQUIRE(!fresh.connect(make_token(2, {server_address}, start + 1), courier::SteadyClock{}.now()));
  BOOST_TEST(pump(fresh, second, [&] { return fresh.connected() && second.poll().accepted == 1; }));
  BOOST_TEST(second.poll().reused == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
