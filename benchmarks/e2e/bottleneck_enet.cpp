// ENet's roles in the kernel bottleneck workload (bottleneck.hpp), set up as a game would:
// two channels, bulk as reliable packets on channel 0, the real-time stream as unsequenced
// packets on channel 1; host bandwidth 0/0 (unlimited: ENet's default) and the packet throttle
// at its defaults (enet_peer_throttle_configure is not called), so ENet's own congestion
// response — the reliable window scaled by the throttle, and the throttle dropping unreliable
// packets — is what is measured. Bulk backpressure: at most 256 reliable packets not yet
// acknowledged (the free callback runs at the ack), the same bound as courier's queue.

#include "bottleneck.hpp"

#include <enet/enet.h>

#include <cstring>

namespace bench::bottleneck {
namespace {

constexpr long bulk_window = 256;
long freed = 0;
void count_free(ENetPacket*) { ++freed; }

ENetAddress at(const Args& a, long port) {
  ENetAddress addr{};
  enet_address_set_host_ip(&addr, a.str("host", "127.0.0.1").c_str());
  addr.port = static_cast<enet_uint16>(port);
  return addr;
}

void on_receive(Tally& tally, const ENetEvent& ev) {
  if (ev.channelID == 0) {
    tally.bulk(ev.packet->dataLength, now_ns());
  } else if (ev.packet->dataLength >= 12) {
    std::uint32_t seq = 0;
    std::uint64_t stamp = 0;
    std::memcpy(&seq, ev.packet->data, 4);
    std::memcpy(&stamp, ev.packet->data + 4, 8);
    tally.rt(seq, stamp, now_ns());
  }
}

int server(const Args& a) {
  if (enet_initialize() != 0) return 2;
  ENetAddress addr = at(a, 0);
  ENetHost* host = enet_host_create(&addr, 1, 2, 0, 0);
  if (host == nullptr) return 2;
  announce_port(host->address.port);
  Tally tally(a);
  ENetEvent ev;
  while (!tally.done(now_ns())) {
    wait_readable(host->socket, 1);
    while (enet_host_service(host, &ev, 0) > 0) {
      if (ev.type != ENET_EVENT_TYPE_RECEIVE) continue;
      on_receive(tally, ev);
      enet_packet_destroy(ev.packet);
    }
  }
  tally.report();
  return 0;
}

/// ENet's view of the path, printed every second (the last line printed is the one kept).
void print_peer(const ENetPeer* p) {
  Result()
      .add("snd_throttle", static_cast<double>(p->packetThrottle) / static_cast<double>(ENET_PEER_PACKET_THROTTLE_SCALE))
      .add("snd_rtt_ms", p->roundTripTime)
      .add("snd_packets_lost", static_cast<double>(p->packetsLost))
      .add("snd_packet_loss", static_cast<double>(p->packetLoss) / static_cast<double>(ENET_PEER_PACKET_LOSS_SCALE))
      .add("snd_inflight_bytes", p->reliableDataInTransit)
      .add("snd_window_bytes", p->windowSize)
      .print();
}

ENetPeer* connect(ENetHost* host, const Args& a) {
  ENetAddress to = at(a, a.num("port"));
  ENetPeer* peer = enet_host_connect(host, &to, 2, 0);
  ENetEvent ev;
  const auto t = Clock::now();
  while (peer != nullptr && seconds_since(t) < 10)
    if (enet_host_service(host, &ev, 10) > 0 && ev.type == ENET_EVENT_TYPE_CONNECT) return peer;
  return nullptr;
}

int client(const Args& a) {
  if (enet_initialize() != 0) return 2;
  ENetHost* host = enet_host_create(nullptr, 1, 2, 0, 0);
  ENetPeer* peer = host == nullptr ? nullptr : connect(host, a);
  if (peer == nullptr) return 2;
  RtSchedule schedule;
  std::uint8_t chunk[bulk_bytes] = {};
  std::uint8_t tick[rt_bytes] = {};
  long sent = 0;
  std::uint64_t next_print = now_ns() + 1'000'000'000ull;
  ENetEvent ev;
  for (;;) {
    const std::uint64_t now = now_ns();
    if (schedule.due(now)) {
      const std::uint32_t seq = schedule.seq++;
      const std::uint64_t stamp = now_ns();
      std::memcpy(tick, &seq, 4);
      std::memcpy(tick + 4, &stamp, 8);
      enet_peer_send(peer, 1, enet_packet_create(tick, sizeof tick, ENET_PACKET_FLAG_UNSEQUENCED));
    }
    for (; sent - freed < bulk_window; ++sent) {  // bulk: keep the window full
      std::memcpy(chunk, &sent, 4);
      ENetPacket* p = enet_packet_create(chunk, sizeof chunk, ENET_PACKET_FLAG_RELIABLE);
      p->freeCallback = count_free;
      enet_peer_send(peer, 0, p);
    }
    while (enet_host_service(host, &ev, 0) > 0)
      if (ev.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(ev.packet);
    if (now >= next_print) {
      next_print = now + 1'000'000'000ull;
      print_peer(peer);
    }
    wait_readable_us(host->socket, 200);
  }
}

}  // namespace

int enet_role(const std::string& role, const Args& a) { return role == "server" ? server(a) : client(a); }

}  // namespace bench::bottleneck
