#pragma once
/// \file
/// EncryptionManager's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/netcode/encryption_manager.hpp"

namespace courier::netcode {

COURIER_DECL EncryptionMapping* EncryptionManager::add(const EncryptionMapping& m, TimePoint now) noexcept {
  std::uint32_t* at = index_.find(m.address);
  std::uint32_t slot = 0;
  if (at != nullptr) {
    slot = *at;
  } else if (!take_slot(now, slot)) {
    return nullptr;
  }
  EncryptionMapping& e = pool_[slot];
  e = m;
  e.last_access = now;
  e.has_timeout = m.timeout_seconds > 0;
  e.timeout = std::chrono::seconds(m.timeout_seconds > 0 ? m.timeout_seconds : 0);
  e.has_expire = m.timeout_seconds >= 0;
  e.expire = now + std::chrono::seconds(m.timeout_seconds >= 0 ? m.timeout_seconds : 0);
  index_.insert(m.address, slot);
  return &e;
}

COURIER_DECL EncryptionMapping* EncryptionManager::find(const Address& address, TimePoint now) noexcept {
  std::uint32_t* at = index_.find(address);
  if (at == nullptr) return nullptr;
  EncryptionMapping& e = pool_[*at];
  if (expired(e, now)) {
    remove(address);
    return nullptr;
  }
  e.last_access = now;
  return &e;
}

COURIER_DECL bool EncryptionManager::remove(const Address& address) noexcept {
  std::uint32_t* at = index_.find(address);
  if (at == nullptr) return false;
  free_.push_back(*at);  // never grows past the reserved capacity
  index_.erase(address);
  return true;
}

COURIER_DECL void EncryptionManager::clear() noexcept {
  index_.clear();
  free_.clear();
  for (std::size_t i = 0; i < pool_.size(); ++i)
    free_.push_back(static_cast<std::uint32_t>(pool_.size() - 1 - i));
}

COURIER_DECL bool EncryptionManager::take_slot(TimePoint now, std::uint32_t& slot) noexcept {
  if (free_.empty() && pool_.size() < capacity_) {
    slot = static_cast<std::uint32_t>(pool_.size());
    pool_.emplace_back();  // within the reserve: mappings never move
    return true;
  }
  if (free_.empty()) {
    for (const auto& e : pool_) {
      const std::uint32_t* at = index_.find(e.address);
      if (at != nullptr && &pool_[*at] == &e && expired(e, now)) {
        remove(e.address);
        break;
      }
    }
  }
  if (free_.empty()) return false;
  slot = free_.back();
  free_.pop_back();
  return true;
}

}  // namespace courier::netcode
