#pragma once
/// \file
/// Udp: the real Transport, a non-blocking UDP socket (IPv4, IPv6 or dual-stack) that batches
/// system calls: `send` queues into a fixed batch and `flush` hands the whole batch to the
/// kernel with one `sendmmsg`; `receive` reads many datagrams with one `recvmmsg`, straight into
/// the caller's Datagram buffers. Nothing on the send or receive path allocates.
///
/// With UdpConfig::segmentation_offload, where Linux offers it (GSO, `UDP_SEGMENT`, 4.18+), `flush` also
/// merges each run of queued datagrams to one peer into a single message that the kernel cuts
/// back into the same datagrams: the network path below the socket is walked once per run
/// instead of once per datagram. The receiver sees ordinary datagrams, byte for byte.

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "courier/core/config.hpp"
#include "courier/core/drop_reason.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/detail/socket_address.hpp"
#include "courier/transport/transport_stats.hpp"

namespace courier {

/// Settings of a Udp socket, fixed when it opens.
struct UdpConfig {
  /// SO_SNDBUF and SO_RCVBUF request; the kernel caps it at net.core.{w,r}mem_max (see
  /// Udp::send_buffer_bytes for what was granted). 0 keeps the system default.
  std::size_t socket_buffer_bytes = 4 * 1024 * 1024;
  /// Datagrams per sendmmsg / recvmmsg call, 1 to 1024 (the kernel's UIO_MAXIOV).
  std::size_t batch_size = 64;
  /// For an IPv6 bind address: also accept and send IPv4 (IPV6_V6ONLY off). Ignored for IPv4.
  bool dual_stack = true;
  /// UDP segmentation offload for runs of datagrams to one peer (see the file comment). Used
  /// only where the kernel accepts it at open; turned off for the socket, and the run sent
  /// datagram by datagram, the first time the kernel refuses a segmented message. Off by
  /// default: measured on loopback against a receiver without UDP_GRO it moved the cutting
  /// into the receiver's path and lowered throughput (docs/PERFORMANCE.md, "UDP GSO").
  bool segmentation_offload = false;
};

/// A non-blocking UDP socket. Move-only; the destructor closes it. Datagrams queued by `send`
/// leave at the next `flush` (or as soon as the batch is full), so call `flush` once per tick.
class Udp {
 public:
  /// Opens and binds a socket at `bind` (port 0: the kernel picks one, see local_address).
  /// Throws std::system_error with Error::invalid_address (none address), invalid_config
  /// (config out of range), address_in_use (EADDRINUSE) or socket_failed (any other refusal;
  /// the message names the call and the system's reason).
  explicit Udp(Address bind, UdpConfig config = {})
      : Udp(opened_or_throw(bind, config), config) {}

  /// As the constructor, but reports setup errors in `ec` and returns nullopt instead of
  /// throwing (only std::bad_alloc can still escape).
  [[nodiscard]] static std::optional<Udp> open(Address bind, std::error_code& ec,
                                               UdpConfig config = {});

  Udp(Udp&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)),
        family_(other.family_),
        local_(other.local_),
        config_(other.config_),
        queued_(std::exchange(other.queued_, 0)),
        segmenting_(other.segmenting_),
        segmented_messages_(other.segmented_messages_),
        buffers_(std::move(other.buffers_)),
        stats_(other.stats_) {}

  Udp& operator=(Udp&& other) noexcept {
    if (this != &other) {
      close();
      fd_ = std::exchange(other.fd_, -1);
      family_ = other.family_;
      local_ = other.local_;
      config_ = other.config_;
      queued_ = std::exchange(other.queued_, 0);
      segmenting_ = other.segmenting_;
      segmented_messages_ = other.segmented_messages_;
      buffers_ = std::move(other.buffers_);
      stats_ = other.stats_;
    }
    return *this;
  }

  Udp(const Udp&) = delete;
  Udp& operator=(const Udp&) = delete;
  ~Udp() { close(); }

  /// Copies the datagram into the batch; a full batch is flushed at once. Errors:
  /// message_too_large above max_datagram_bytes, invalid_address for a destination this socket
  /// cannot reach (none, the other family, or a WebSocket link), not_connected on a moved-from object. A datagram
  /// the kernel refuses later, in flush, is counted in stats().send_errors.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept;

  /// Sends every queued datagram with as few sendmmsg calls as the kernel allows (and, with
  /// segmentation offload, as few messages).
  void flush() noexcept;

  /// Reads up to `slots.size()` waiting datagrams into `slots`; never blocks. A datagram longer
  /// than max_datagram_bytes (truncated by the kernel) is dropped as too_large.
  [[nodiscard]] std::size_t receive(std::span<Datagram> slots) noexcept;

  /// Nothing is time-driven here.
  void update(TimePoint) noexcept {}

  /// The bound address, with the real port when bound to port 0.
  [[nodiscard]] Address local_address() const noexcept { return local_; }

  [[nodiscard]] const TransportStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const UdpConfig& config() const noexcept { return config_; }
  /// Datagrams waiting in the batch for the next flush.
  [[nodiscard]] std::size_t queued() const noexcept { return queued_; }
  /// The socket descriptor, for poll/epoll; -1 after a move.
  [[nodiscard]] int native_handle() const noexcept { return fd_; }
  /// True while flush merges runs to one peer with UDP segmentation offload.
  [[nodiscard]] bool segmenting() const noexcept { return segmenting_; }
  /// Messages that carried two or more datagrams as segments (stats() counts the datagrams).
  [[nodiscard]] std::uint64_t segmented_messages() const noexcept { return segmented_messages_; }

  /// Socket buffer sizes the kernel granted (Linux reports twice the usable payload bytes).
  [[nodiscard]] std::size_t send_buffer_bytes() const noexcept { return buffer_option(SO_SNDBUF); }
  [[nodiscard]] std::size_t receive_buffer_bytes() const noexcept { return buffer_option(SO_RCVBUF); }

 private:
  /// What open_socket produced: a bound descriptor, or the error and the call that failed.
  struct Opened {
    int fd = -1;
    int family = 0;
    Address local;
    std::error_code ec;
    const char* call = "";
    int sys_error = 0;
  };

  /// One segmented message: queued datagrams [first, first + count) to one peer.
  struct Run {
    std::size_t first = 0;
    std::size_t count = 0;
  };
  /// Room for one UDP_SEGMENT control message (the segment size, a 16-bit value).
  using SegmentControl = std::array<std::byte, CMSG_SPACE(sizeof(std::uint16_t))>;

  /// Preallocated batch storage; every pointer inside points into these vectors' heap blocks,
  /// which a move of the vectors keeps in place.
  struct Buffers {
    std::vector<mmsghdr> send_msgs;
    std::vector<iovec> send_iov;
    std::vector<sockaddr_storage> send_addr;
    std::vector<std::array<std::byte, max_datagram_bytes>> send_payload;
    std::vector<mmsghdr> run_msgs;  // the batch as segmented messages, one per run
    std::vector<Run> runs;
    std::vector<SegmentControl> run_control;
    std::vector<mmsghdr> recv_msgs;
    std::vector<iovec> recv_iov;
    std::vector<sockaddr_storage> recv_addr;
  };

  Udp(const Opened& opened, const UdpConfig& config);

  [[nodiscard]] static Opened opened_or_throw(const Address& bind, const UdpConfig& config);

  [[nodiscard]] static Opened open_socket(const Address& bind, const UdpConfig& config) noexcept;

  static Opened fail(Opened& o, const char* call) noexcept;

  static bool set_option(int fd, int level, int name, int value) noexcept {
    return ::setsockopt(fd, level, name, &value, sizeof(value)) == 0;
  }

  [[nodiscard]] std::size_t buffer_option(int name) const noexcept;

  // Wires every message header to its own address record, iovec and payload once, so send
  // and receive only fill in lengths.
  void allocate_buffers(std::size_t batch);

  static void wire(msghdr& header, sockaddr_storage& address, iovec& iov) noexcept;

  void count_sent(std::size_t first, std::size_t count) noexcept;

  // Sends queued datagrams from `next` on, one message each.
  void flush_each(std::size_t next) noexcept;

  // Groups the batch into runs (one peer; every segment but the last of the full segment size;
  // at most max_segments and max_segmented_bytes) and writes their messages. Returns the count.
  std::size_t group_runs() noexcept;

  // Sends the runs; returns the first queued datagram left unsent because the kernel refused
  // segmentation (segmenting_ is then off), or queued_ when none was.
  std::size_t flush_runs(std::size_t runs) noexcept;

  [[nodiscard]] bool same_peer(std::size_t a, std::size_t b) const noexcept;

  // Whether the kernel accepts UDP_SEGMENT on this socket.
  [[nodiscard]] static bool kernel_segments(int fd) noexcept;

  // The kernel's UDP_MAX_SEGMENTS on every version that has GSO, and the largest UDP payload.
  static constexpr std::size_t max_segments = 64;
  static constexpr std::size_t max_segmented_bytes = 65507;

  // Points the receive batch at the caller's own Datagram buffers: no intermediate copy.
  void prepare_receive(std::span<Datagram> slots) noexcept;

  // Keeps the good datagrams of a received batch at the front of `slots`. Only after a drop
  // does a datagram move down a slot, so the common path copies nothing.
  std::size_t accept_received(std::span<Datagram> slots, std::size_t got) noexcept;

  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    queued_ = 0;
  }

  int fd_ = -1;
  int family_ = 0;
  Address local_;
  UdpConfig config_;
  std::size_t queued_ = 0;
  bool segmenting_ = false;
  std::uint64_t segmented_messages_ = 0;
  Buffers buffers_;
  TransportStats stats_;
};

}  // namespace courier

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/transport/impl/udp.hpp"
#endif
