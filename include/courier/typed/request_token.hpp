#pragma once
/// \file
/// RequestToken: the server's obligation to answer one request. Move-only; pass it to
/// Server::respond, acknowledge or reject. A token destroyed unanswered rejects its request,
/// so a client never waits on a request the server forgot. A token that outlives its server
/// (or its client's connection) does nothing.

#include <cstdint>
#include <memory>
#include <utility>

#include "courier/typed/signal.hpp"

namespace courier {

template <class Pack>
class Server;

namespace detail {
/// Where unanswered tokens report; the server clears `owner` when it is destroyed.
struct TokenSink {
  void* owner = nullptr;
  void (*reject)(void* owner, ClientHandle client, std::uint32_t wire_id) noexcept = nullptr;
};
}  // namespace detail

template <class Pack, class Req>
class RequestToken {
 public:
  RequestToken() = default;
  RequestToken(std::shared_ptr<detail::TokenSink> sink, ClientHandle client, std::uint32_t wire_id) noexcept
      : sink_(std::move(sink)), client_(client), wire_id_(wire_id) {}
  RequestToken(RequestToken&& other) noexcept
      : sink_(std::move(other.sink_)), client_(other.client_), wire_id_(other.wire_id_) {}
  RequestToken& operator=(RequestToken&& other) noexcept {
    if (this != &other) {
      reject_if_armed();
      sink_ = std::move(other.sink_);
      client_ = other.client_;
      wire_id_ = other.wire_id_;
    }
    return *this;
  }
  RequestToken(const RequestToken&) = delete;
  RequestToken& operator=(const RequestToken&) = delete;
  ~RequestToken() { reject_if_armed(); }

  /// True until the token is answered, moved from or released.
  [[nodiscard]] bool armed() const noexcept { return sink_ != nullptr; }
  [[nodiscard]] ClientHandle client() const noexcept { return client_; }
  /// The request's id as the client's low 32 bits of RequestId.
  [[nodiscard]] std::uint32_t wire_id() const noexcept { return wire_id_; }

 private:
  friend class Server<Pack>;

  /// True when `sink` is the sink of the server that issued this token.
  [[nodiscard]] bool issued_by(const detail::TokenSink* sink) const noexcept { return sink_.get() == sink; }
  /// Disarms the token once its answer is queued.
  void release() noexcept { sink_.reset(); }

  void reject_if_armed() noexcept {
    if (sink_ && sink_->owner != nullptr) sink_->reject(sink_->owner, client_, wire_id_);
    sink_.reset();
  }

  std::shared_ptr<detail::TokenSink> sink_;
  ClientHandle client_;
  std::uint32_t wire_id_ = 0;
};

}  // namespace courier
