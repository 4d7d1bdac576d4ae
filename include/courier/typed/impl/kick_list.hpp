#pragma once
/// \file
/// KickList's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/typed/detail/kick_list.hpp"

namespace courier::detail {

COURIER_DECL std::optional<CloseReason> KickList::barred(std::uint64_t client_id, TimePoint now) {
  const auto k = kicked_.find(client_id);
  if (k == kicked_.end()) return std::nullopt;
  if (k->second.until > now) return k->second.reason;
  kicked_.erase(k);
  return std::nullopt;
}

COURIER_DECL void KickList::prune(TimePoint now) {
  if (kicked_.empty() || now < next_prune_) return;
  next_prune_ = now + std::chrono::seconds(1);
  std::erase_if(kicked_, [now](const auto& k) { return k.second.until <= now; });
}

}  // namespace courier::detail
