#pragma once
// The shipped schemas as one type list, for the tests that hold for every schema: typed tests
// run over it with BOOST_AUTO_TEST_CASE_TEMPLATE(name, Schema, Schemas); seeded property tests,
// which Boost cannot template, run BOOST_DATA_TEST_CASE over `schema_names * seeds` and turn the
// name back into its type with `with_schema`. Not a test file itself.

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>
#include <courier/schema/schema.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <string_view>
#include <tuple>

namespace schema_samples {

using Schemas = std::tuple<courier::BitPacked, courier::ByteAligned>;

/// A schema's name in test logs: one specialization per entry of Schemas.
template <courier::Schema S>
struct SchemaName;
template <>
struct SchemaName<courier::BitPacked> {
  static constexpr std::string_view value = "BitPacked";
};
template <>
struct SchemaName<courier::ByteAligned> {
  static constexpr std::string_view value = "ByteAligned";
};

/// The names of Schemas, in order: the schema half of a property test's dataset.
inline constexpr auto schema_names = []<class... S>(std::tuple<S...>*) {
  return std::array{SchemaName<S>::value...};
}(static_cast<Schemas*>(nullptr));

/// Every schema name paired with each seed 0..seeds-1: a seeded property test's dataset.
inline auto schemas_and_seeds(int seeds = 50) {
  return boost::unit_test::data::make(schema_names) * boost::unit_test::data::xrange(seeds);
}

/// Runs `f.template operator()<S>()` for the schema S of Schemas called `name`.
template <class F>
void with_schema(std::string_view name, F&& f) {
  const bool found = [&]<class... S>(std::tuple<S...>*) {
    return ((name == SchemaName<S>::value && (f.template operator()<S>(), true)) || ...);
  }(static_cast<Schemas*>(nullptr));
  if (!found) BOOST_FAIL("no schema called " << name);
}

}  // namespace schema_samples
