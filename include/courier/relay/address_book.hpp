#pragma once
/// \file
/// The `AddressBook` policy concept: where the relay keeps each client id's virtual address.
///
/// | expression         | type                              | meaning                                   |
/// |--------------------|-----------------------------------|-------------------------------------------|
/// | `b.assign(id)`     | `std::optional<VirtualAddress>`   | the id's address, assigned (and stored) on first use; nullopt when the book is full or its storage failed |
/// | `b.find(address)`  | `std::optional<std::uint64_t>`    | the client id holding `address`            |
/// | `b.size()`         | `std::size_t`                     | addresses assigned                         |
///
/// An address, once assigned to an id, is never given to another id. Shipped:
/// InMemoryAddressBook (relay/in_memory_address_book.hpp) and SqliteAddressBook
/// (relay/sqlite_address_book.hpp: survives restarts and crashes of the server process).

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "courier/relay/virtual_address.hpp"

namespace courier {

template <class B>
concept AddressBook = requires(B& b, const B& cb, std::uint64_t id, VirtualAddress a) {
  { b.assign(id) } -> std::same_as<std::optional<VirtualAddress>>;
  { cb.find(a) } -> std::same_as<std::optional<std::uint64_t>>;
  { cb.size() } -> std::same_as<std::size_t>;
};

}  // namespace courier
