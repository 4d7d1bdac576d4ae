// expect-error: Type is not in the list
// Asking for the index of a type that is not in a list names the problem in plain words.
#include <courier/core/type_list.hpp>

using List = courier::detail::TypeList<int, double>;
#ifdef COURIER_COMPILE_FAIL_CONTROL
constexpr auto index = courier::detail::index_of_v<List, double>;
#else
constexpr auto index = courier::detail::index_of_v<List, char>;
#endif
int main() { return static_cast<int>(index); }
