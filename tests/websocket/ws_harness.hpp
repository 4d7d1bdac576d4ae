#pragma once
// Helpers of the WebSocket tests: a pump that drives transports on the steady clock until a
// condition holds (bounded by a generous wall-clock deadline; nothing asserts on timing), and
// a throwaway self-signed certificate made with the openssl command in a temp directory.

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <functional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <courier/core/steady_clock.hpp>
#include <courier/transport/datagram.hpp>

#include "relay/temp_dir.hpp"

namespace courier::test {

inline constexpr auto ws_deadline = std::chrono::seconds(10);  // a healthy run needs well under one

/// Calls `step()` (which updates the transports) until `done()` or the deadline; true when done.
inline bool pump_until(const std::function<void()>& step, const std::function<bool()>& done) {
  const auto end = std::chrono::steady_clock::now() + ws_deadline;
  while (std::chrono::steady_clock::now() < end) {
    step();
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return done();
}

/// Everything `t` has received so far, appended to `out`.
template <class T>
void receive_into(T& t, std::vector<Datagram>& out) {
  std::vector<Datagram> slots(16);
  while (const std::size_t n = t.receive(std::span(slots))) out.insert(out.end(), slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(n));
}

inline std::span<const std::byte> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
inline std::string as_text(const Datagram& d) { return {reinterpret_cast<const char*>(d.data.data()), d.size}; }

/// A self-signed certificate for 127.0.0.1, ::1 and localhost, with its key, in a temp dir.
struct TestCertificate {
  TempDir dir;
  std::string certificate = dir.file("cert.pem");
  std::string key = dir.file("key.pem");
  bool made = false;

  TestCertificate() {
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost "
        "-addext subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost -keyout " + key + " -out " + certificate +
        " >/dev/null 2>&1";
    made = std::system(command.c_str()) == 0;
  }
};

}  // namespace courier::test
