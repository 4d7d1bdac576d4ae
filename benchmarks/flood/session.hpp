#pragma once
// The legitimate side of the flood benchmark: a typed server on its own thread (its CPU time is
// read per thread, so the flood's cost is the server's own), and two players that connect while
// the flood runs, then play at 60 Hz: a 100-byte unreliable input each tick, echoed by the
// server (a lost echo is a lost round trip), and a reliable note every sixth tick.

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <thread>

#include <courier/courier.hpp>

namespace flood {

struct Input {
  std::uint32_t seq = 0;
  std::array<std::uint8_t, 96> pad{};
};
struct Note {
  std::uint32_t n = 0;
};
using Pack = courier::ChannelPack<courier::Version<"flood bench 1">, courier::Channel<"input", courier::Unreliable, Input>,
                                  courier::Channel<"notes", courier::ReliableOrdered, Note>>;
using S = courier::Server<Pack>;
using C = courier::Client<Pack>;

/// Pins the calling thread to `cpu` when the machine has that core (else leaves it alone).
inline void pin_to(unsigned cpu) {
  if (cpu >= std::thread::hardware_concurrency()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

/// Runs the server until `stop`: echoes inputs, counts notes, and measures its own CPU time and
/// the strangers' datagrams it read while `flooding` was set.
class ServerThread {
 public:
  explicit ServerThread(S& server) : server_(server) {}
  void start() {
    thread_ = std::thread([this] { run(); });
  }
  void set_flooding(bool on) { flooding_.store(on); }
  void finish() {
    stop_.store(true);
    thread_.join();
  }
  // Read after finish():
  double flood_cpu_seconds = 0;
  double flood_wall_seconds = 0;
  std::uint64_t flood_datagrams_read = 0;
  std::atomic<std::uint32_t> notes{0};

 private:
  void run() {
    pin_to(0);
    courier::SteadyClock clock;
    bool was = false;
    double cpu0 = 0;
    std::uint64_t read0 = 0;
    auto wall0 = clock.now();
    while (!stop_.load()) {
      server_.update(clock);
      while (auto e = server_.poll_event())
        courier::match(*e, [&](S::Message<Input>& m) { (void)server_.send(m.client, m.message); },
                       [&](S::Message<Note>&) { notes.fetch_add(1); }, [](auto&) {});
      if (const bool now_on = flooding_.load(); now_on != was) {
        const double cpu = thread_cpu_seconds();
        const std::uint64_t read = server_.stats().netcode.unauthenticated_datagrams;
        if (now_on) {
          cpu0 = cpu, read0 = read, wall0 = clock.now();
        } else {
          flood_cpu_seconds += cpu - cpu0;
          flood_datagrams_read += read - read0;
          flood_wall_seconds += courier::to_seconds(clock.now() - wall0);
        }
        was = now_on;
      }
      server_.wait(std::chrono::milliseconds(1));
    }
  }

  S& server_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> flooding_{false};
};

}  // namespace flood
