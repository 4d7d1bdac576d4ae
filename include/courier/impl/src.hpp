#pragma once
/// \file
/// The definitions courier compiles once under COURIER_SEPARATE_COMPILATION (core/config.hpp).
/// Include this header in exactly one translation unit of a program whose every translation
/// unit defines COURIER_SEPARATE_COMPILATION; the CMake function `courier_add_compiled_library`
/// builds that translation unit as a static library.

#if !defined(COURIER_SEPARATE_COMPILATION)
#error "courier/impl/src.hpp: define COURIER_SEPARATE_COMPILATION for every translation unit of the program (or use courier_add_compiled_library in CMake)"
#endif

#include "courier/channel/impl/connection.hpp"
