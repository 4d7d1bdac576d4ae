#pragma once
/// \file
/// courier::Result<T>: a value or the error that prevented it, for calls that make something
/// and can fail for a reason the caller should read (a connect token, a parsed key). There is
/// no bool to forget: `value()` (and `*`, `->`) on an error throws std::system_error with the
/// error's message, so an unchecked failure is loud, never a zeroed value used quietly.
///
/// ```cpp
/// auto token = courier::make_connect_token<Pack>(key, client_id, {server}, clock.unix_now());
/// if (!token) return log(token.error().message());
/// client.connect(*token);
/// ```

#include <optional>
#include <system_error>
#include <utility>

#include "courier/core/error.hpp"

namespace courier {

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit, like std::expected
  Result(std::error_code error) noexcept : error_(error) {}  // NOLINT
  Result(Error error) noexcept : error_(make_error_code(error)) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  /// The error (empty when there is a value).
  [[nodiscard]] std::error_code error() const noexcept { return error_; }

  /// The value; throws std::system_error(error()) when there is none.
  [[nodiscard]] T& value() & { return checked(), *value_; }
  [[nodiscard]] const T& value() const& { return checked(), *value_; }
  [[nodiscard]] T&& value() && { return checked(), std::move(*value_); }
  [[nodiscard]] T& operator*() & { return value(); }
  [[nodiscard]] const T& operator*() const& { return value(); }
  [[nodiscard]] T&& operator*() && { return std::move(*this).value(); }
  [[nodiscard]] T* operator->() { return &value(); }
  [[nodiscard]] const T* operator->() const { return &value(); }

 private:
  void checked() const {
    if (!value_) throw std::system_error(error_, "courier::Result holds an error, not a value");
  }

  std::optional<T> value_;
  std::error_code error_;
};

}  // namespace courier
