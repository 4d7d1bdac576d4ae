#pragma once
/// \file
/// Header-only or separately compiled. By default courier is header-only: every function is
/// defined, inline, in the headers. A program that defines `COURIER_SEPARATE_COMPILATION` in
/// every translation unit (the CMake function `courier_add_compiled_library` does it) sees only
/// the declarations of courier's heaviest non-template functions (the channel connection, the
/// relay client, the UDP socket, ...); their definitions are compiled once, by one translation
/// unit that includes `courier/impl/src.hpp`. Each such TU then compiles about twice as fast
/// (docs/PERFORMANCE.md, "Compile time"). Templates that depend on the user's pack stay in the
/// headers in both modes.
///
/// `COURIER_DECL` marks those definitions: `inline` in header-only mode, nothing in the
/// compiled translation unit.

#if defined(COURIER_SEPARATE_COMPILATION)
#define COURIER_DECL
#else
#define COURIER_DECL inline
#endif
