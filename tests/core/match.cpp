#include <courier/core/match.hpp>
#include <courier/core/match.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <variant>

namespace {
struct A { int n = 0; };
struct B { std::string s; };
struct C {};
using V = std::variant<A, B, C>;
}  // namespace

BOOST_AUTO_TEST_SUITE(match_test)

BOOST_AUTO_TEST_CASE(a_handler_with_a_declared_type_wins_over_a_catch_all_whatever_its_constness) {
  V v = B{"b"};
  std::string seen;
  // With plain std::visit + overloaded, `auto&` binds a non-const B exactly and beats
  // `const B&`: the specific handler would silently never run.
  courier::match(v, [&](const B& b) { seen = "B:" + b.s; }, [&](auto&) { seen = "other"; });
  BOOST_TEST(seen == "B:b");
  const V& cv = v;
  courier::match(cv, [&](const B&) { seen = "const B"; }, [&](const auto&) { seen = "other"; });
  BOOST_TEST(seen == "const B");
  courier::match(V{A{3}}, [&](A a) { seen = "A" + std::to_string(a.n); }, [&](auto&&) { seen = "other"; });
  BOOST_TEST(seen == "A3");
}

BOOST_AUTO_TEST_CASE(the_catch_all_takes_what_no_handler_names) {
  V v = C{};
  int calls = 0;
  courier::match(v, [&](A&) { calls += 10; }, [&](auto&) { ++calls; });
  BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(match_returns_the_handlers_value) {
  V v = A{7};
  const int n = courier::match(v, [](A& a) { return a.n; }, [](B&) { return -1; }, [](C&) { return -2; });
  BOOST_TEST(n == 7);
}

BOOST_AUTO_TEST_SUITE_END()
