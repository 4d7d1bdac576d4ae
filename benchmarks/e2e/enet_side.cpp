// ENet's side of the end-to-end benchmark (libenet-dev 1.3.17 from Debian): no encryption,
// default host settings, reliable packets on channel 0, unsequenced packets for unreliable.
// Allocations are counted through enet_initialize_with_callbacks (ENet uses malloc).

#include "common.hpp"

#include <enet/enet.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

namespace bench {
namespace {

void* counting_malloc(std::size_t n) {
  ++allocations;
  return std::malloc(n);
}
long freed_packets = 0;
void count_free(ENetPacket*) { ++freed_packets; }

void init() {
  ENetCallbacks cb{};
  cb.malloc = counting_malloc;
  cb.free = std::free;
  cb.no_memory = std::abort;
  if (enet_initialize_with_callbacks(ENET_VERSION, &cb) != 0) std::abort();
}

ENetAddress loopback(unsigned port) {
  ENetAddress a{};
  enet_address_set_host_ip(&a, "127.0.0.1");
  a.port = static_cast<enet_uint16>(port);
  return a;
}

std::uint32_t seq_of(const ENetPacket* p) {
  std::uint32_t s = 0;
  std::memcpy(&s, p->data, 4);
  return s;
}

int server(const std::string& workload, const Args& a) {
  const long rss_start = rss_kib();
  init();
  const long clients = a.num("clients", 1);
  ENetAddress addr = loopback(0);
  ENetHost* host = enet_host_create(&addr, static_cast<std::size_t>(clients), 2, 0, 0);
  if (host == nullptr) return 2;
  const long rss_constructed = rss_kib();
  announce_port(host->address.port);
  const long count = a.num("count", 100000);
  const double window = static_cast<double>(a.num("ms", 1000)) / 1000.0;
  long received = 0, connected = 0;
  std::uint32_t expected = 0;
  bool in_order = true;
  Clock::time_point first{}, last{};
  std::uint64_t mark = 0;
  ENetEvent ev;
  const auto started = Clock::now();
  for (;;) {
    const int timeout = workload == "idle" ? 1 : 0;
    wait_readable(host->socket, 1);
    while (enet_host_service(host, &ev, static_cast<enet_uint32>(timeout)) > 0) {
      if (ev.type == ENET_EVENT_TYPE_CONNECT) ++connected;
      if (ev.type != ENET_EVENT_TYPE_RECEIVE) continue;
      if (workload == "ordered") {
        if (seq_of(ev.packet) != expected) in_order = false;
        expected = seq_of(ev.packet) + 1;
        if (received == 0) first = Clock::now();
        if (received == count / 5) mark = allocations;
        if (++received == count) last = Clock::now();
        enet_packet_destroy(ev.packet);
      } else if (workload == "unreliable") {
        if (received == 0) first = Clock::now();
        ++received;
        enet_packet_destroy(ev.packet);
      } else if (workload == "rtt") {
        enet_peer_send(ev.peer, 0, ev.packet);  // echo the same packet
        enet_host_flush(host);
      } else {
        enet_packet_destroy(ev.packet);
      }
      if (workload == "ordered" && received >= count) break;
    }
    if (workload == "ordered" && received >= count) {
      const double s = std::chrono::duration<double>(last - first).count();
      const std::uint64_t receive_allocations = allocations - mark;  // before the Result allocates
      Result()
          .add("msgs_per_s", static_cast<double>(count - 1) / s)
          .add("in_order", in_order ? 1 : 0)
          .add("recv_allocs_per_msg", static_cast<double>(receive_allocations) / static_cast<double>(count - count / 5))
          .print();
      return 0;
    }
    if (workload == "unreliable" && received > 0 && seconds_since(first) >= window) {
      Result().add("msgs_per_s", static_cast<double>(received) / seconds_since(first)).print();
      return 0;
    }
    if (workload == "idle" && (connected >= clients || (connected > 0 && seconds_since(started) > 20))) {
      const auto t = Clock::now();
      while (seconds_since(t) < 1.0) {
        while (enet_host_service(host, &ev, 2) > 0) {
        }
      }
      const long rss = rss_kib();
      Result()
          .add("rss_start_kib", static_cast<double>(rss_start))
          .add("rss_constructed_kib", static_cast<double>(rss_constructed))
          .add("rss_connected_kib", static_cast<double>(rss))
          .add("kib_per_client", static_cast<double>(rss - rss_start) / static_cast<double>(connected))
          .add("connected", static_cast<double>(connected))
          .print();
      return 0;
    }
  }
}

ENetHost* connect_one(const Args& a, ENetPeer** peer) {
  ENetHost* h = enet_host_create(nullptr, 1, 2, 0, 0);
  if (h == nullptr) std::abort();
  ENetAddress to = loopback(static_cast<unsigned>(a.num("port")));
  *peer = enet_host_connect(h, &to, 2, 0);
  return h;
}

int client(const std::string& workload, const Args& a) {
  init();
  const long count = a.num("count", 100000);
  ENetEvent ev;
  if (workload == "connect" || workload == "idle") {
    const long n = a.num("clients", 1);
    std::vector<ENetHost*> hosts;
    std::vector<ENetPeer*> peers(static_cast<std::size_t>(n));
    const auto start = Clock::now();
    for (long i = 0; i < n; ++i) hosts.push_back(connect_one(a, &peers[static_cast<std::size_t>(i)]));
    long connected = 0, failed = 0;
    while (connected + failed < n && seconds_since(start) < 30) {
      for (ENetHost* h : hosts)
        while (enet_host_service(h, &ev, 0) > 0) {
          if (ev.type == ENET_EVENT_TYPE_CONNECT) ++connected;
          if (ev.type == ENET_EVENT_TYPE_DISCONNECT) ++failed;
        }
    }
    const double s = seconds_since(start);
    if (workload == "connect") {
      Result()
          .add("seconds", s)
          .add("handshakes_per_s", static_cast<double>(connected) / s)
          .add("connected", static_cast<double>(connected))
          .add("failed", static_cast<double>(n - connected))
          .print();
      return 0;
    }
    std::printf("CONNECTED %ld\n", connected);
    std::fflush(stdout);
    for (;;) {
      for (ENetHost* h : hosts)
        while (enet_host_service(h, &ev, 0) > 0) {
        }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  ENetPeer* peer = nullptr;
  ENetHost* host = connect_one(a, &peer);
  for (bool up = false; !up;) {
    if (enet_host_service(host, &ev, 10) > 0 && ev.type == ENET_EVENT_TYPE_CONNECT) up = true;
  }
  std::vector<std::uint8_t> buf(static_cast<std::size_t>(a.num("size", 100)));
  if (workload == "ordered") {
    // window > 0: at most `window` packets unacknowledged (a packet is freed when acked);
    // window == 0: everything queued at once.
    const long window = a.num("window", 256);
    std::uint64_t mark = 0;
    long sent = 0;
    while (sent < count) {
      if (window > 0 && sent - freed_packets >= window) {  // the window is full: wait for acks
        enet_host_flush(host);
        wait_readable(host->socket, 1);
        while (enet_host_service(host, &ev, 0) > 0) {
        }
        continue;
      }
      if (sent == count / 5) mark = allocations;
      std::memcpy(buf.data(), &sent, 4);
      ENetPacket* p = enet_packet_create(buf.data(), buf.size(), ENET_PACKET_FLAG_RELIABLE);
      p->freeCallback = count_free;
      enet_peer_send(peer, 0, p);
      ++sent;
      if (window > 0 && sent % 32 == 0) enet_host_service(host, &ev, 0);
    }
    const std::uint64_t send_allocations = allocations - mark;  // before the Result allocates
    Result().add("send_allocs_per_msg", static_cast<double>(send_allocations) / static_cast<double>(count - count / 5)).print();
    for (;;)
      while (enet_host_service(host, &ev, 1) > 0) {
      }
  }
  if (workload == "unreliable") {
    for (std::uint32_t s = 0;; ++s) {
      std::memcpy(buf.data(), &s, 4);
      enet_peer_send(peer, 1, enet_packet_create(buf.data(), buf.size(), ENET_PACKET_FLAG_UNSEQUENCED));
      if (s % 32 == 0)
        while (enet_host_service(host, &ev, 0) > 0)
          if (ev.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(ev.packet);
    }
  }
  if (workload == "rtt") {
    std::vector<double> rtt;
    const long warm = count / 10;
    for (long i = 0; i < count + warm; ++i) {
      const auto t = Clock::now();
      enet_peer_send(peer, 0, enet_packet_create(buf.data(), buf.size(), ENET_PACKET_FLAG_RELIABLE));
      enet_host_flush(host);
      for (bool done = false; !done;) {
        wait_readable(host->socket, 1);
        while (enet_host_service(host, &ev, 0) > 0)
          if (ev.type == ENET_EVENT_TYPE_RECEIVE) {
            enet_packet_destroy(ev.packet);
            done = true;
          }
      }
      if (i >= warm) rtt.push_back(seconds_since(t) * 1e6);
    }
    std::sort(rtt.begin(), rtt.end());
    Result().add("median_us", percentile(rtt, 0.5)).add("p99_us", percentile(rtt, 0.99)).print();
    return 0;
  }
  return 1;
}

}  // namespace

int enet_role(const std::string& role, const std::string& workload, const Args& a) {
  return role == "server" ? server(workload, a) : client(workload, a);
}

}  // namespace bench
