#pragma once
/// \file
/// KickList: client ids the server closed on purpose, remembered for the reconnect-token
/// lifetime so a kicked client that comes back (its close frame lost, or with a fresh token)
/// is closed again with the same reason.

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "courier/core/chrono.hpp"
#include "courier/core/time.hpp"
#include "courier/typed/close_reason.hpp"

namespace courier::detail {

class KickList {
 public:
  void add(std::uint64_t client_id, CloseReason reason, TimePoint until) { kicked_[client_id] = Kick{reason, until}; }

  /// The reason a client id is still barred at `now`, if it is.
  [[nodiscard]] std::optional<CloseReason> barred(std::uint64_t client_id, TimePoint now) {
    const auto k = kicked_.find(client_id);
    if (k == kicked_.end()) return std::nullopt;
    if (k->second.until > now) return k->second.reason;
    kicked_.erase(k);
    return std::nullopt;
  }

  /// Forgets expired bans, at most once a second.
  void prune(TimePoint now) {
    if (kicked_.empty() || now < next_prune_) return;
    next_prune_ = now + std::chrono::seconds(1);
    std::erase_if(kicked_, [now](const auto& k) { return k.second.until <= now; });
  }

 private:
  struct Kick {
    CloseReason reason;
    TimePoint until;
  };
  std::unordered_map<std::uint64_t, Kick> kicked_;
  TimePoint next_prune_{};
};

}  // namespace courier::detail
