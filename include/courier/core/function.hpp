#pragma once
/// \file
/// std::function, which courier's callbacks (the netcode log) are. With libstdc++ this is
/// <bits/std_function.h>, the part of <functional> that defines it: C++20's full <functional>
/// adds the searchers, std::bind and <unordered_map>, parsed in every translation unit for
/// nothing. A program that wants them includes <functional> itself. Elsewhere: <functional>.

#include <version>  // defines __GLIBCXX__ with libstdc++

#if defined(__GLIBCXX__) && __has_include(<bits/std_function.h>)
#include <bits/std_function.h>
#else
#include <functional>
#endif
