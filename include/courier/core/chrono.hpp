#pragma once
/// \file
/// std::chrono's clocks and durations, which courier's time types are made of. With libstdc++
/// this is <bits/chrono.h>, the part of <chrono> that defines them (its own <thread> and <mutex>
/// include only that part too): C++20's full <chrono> adds calendars, time zones and their
/// formatting through <sstream>, about 0.4 s of parsing in every translation unit, none of it
/// used here. A program that wants them includes <chrono> itself. Elsewhere: <chrono>.

#include <version>  // defines __GLIBCXX__ with libstdc++

#if defined(__GLIBCXX__) && __has_include(<bits/chrono.h>)
#include <bits/chrono.h>
#else
#include <chrono>
#endif
