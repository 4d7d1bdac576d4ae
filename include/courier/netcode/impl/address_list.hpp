#pragma once
/// \file
/// The address-list codec's definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/netcode/address_list.hpp"

namespace courier::netcode::detail {

COURIER_DECL void write_address_list(courier::detail::ByteWriter& w, const AddressList& list) noexcept {
  if (list.empty()) w.fail(Error::invalid_config);
  w.u32(static_cast<std::uint32_t>(list.size()));
  for (const auto& a : list) {
    if (a.is_ipv4()) {
      w.u8(1);
      w.bytes(a.bytes().data(), 4);
    } else if (a.is_ipv6()) {
      w.u8(2);
      for (std::size_t g = 0; g < 8; ++g) w.u16(a.ipv6_group(g));
    } else {
      w.fail(Error::invalid_config);
    }
    w.u16(a.port());
  }
}

COURIER_DECL bool read_address_list(courier::detail::ByteReader& r, AddressList& out) noexcept {
  out.clear();
  const std::uint32_t count = r.u32();
  if (!r.ok() || count < 1 || count > max_servers_per_connect) return false;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t type = r.u8();
    Address a;
    if (type == 1) {
      std::uint8_t b[4];
      r.bytes(b, 4);
      a = Address::ipv4(b[0], b[1], b[2], b[3], 0);
    } else if (type == 2) {
      std::array<std::uint16_t, 8> groups{};
      for (auto& g : groups) g = r.u16();
      a = Address::ipv6(groups, 0);
    } else {
      return false;
    }
    a.set_port(r.u16());
    if (!r.ok()) return false;
    out.push_back(a);
  }
  return true;
}

}  // namespace courier::netcode::detail
