#pragma once
/// \file
/// courier's error category: inline in header-only mode, compiled once by courier/impl/src.hpp
/// under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include <string>
#include <system_error>

#include "courier/core/error.hpp"

namespace courier {

namespace detail {

class ErrorCategory final : public std::error_category {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "courier"; }
  [[nodiscard]] std::string message(int value) const override {
    return describe(static_cast<Error>(value));
  }
};

}  // namespace detail

COURIER_DECL const std::error_category& error_category() noexcept {
  static const detail::ErrorCategory category;
  return category;
}

}  // namespace courier
