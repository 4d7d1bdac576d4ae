#pragma once
/// \file
/// KickList: client ids the server closed on purpose, remembered for the reconnect-token
/// lifetime so a kicked client that comes back (its close frame lost, or with a fresh token)
/// is closed again with the same reason.

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "courier/core/chrono.hpp"
#include "courier/core/config.hpp"
#include "courier/core/time.hpp"
#include "courier/typed/close_reason.hpp"

namespace courier::detail {

class KickList {
 public:
  void add(std::uint64_t client_id, CloseReason reason, TimePoint until) { kicked_[client_id] = Kick{reason, until}; }

  /// The reason a client id is still barred at `now`, if it is.
  [[nodiscard]] std::optional<CloseReason> barred(std::uint64_t client_id, TimePoint now);

  /// Forgets expired bans, at most once a second.
  void prune(TimePoint now);

 private:
  struct Kick {
    CloseReason reason;
    TimePoint until;
  };
  std::unordered_map<std::uint64_t, Kick> kicked_;
  TimePoint next_prune_{};
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/typed/impl/kick_list.hpp"
#endif
