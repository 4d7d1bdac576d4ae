# libsodium ships no CMake package on Debian; find it through pkg-config and wrap it in an
# imported target. The target name is namespaced so it never clashes with a parent project's.
find_package(PkgConfig REQUIRED)
pkg_check_modules(COURIER_SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
if(NOT TARGET courier_sodium)
  add_library(courier_sodium INTERFACE IMPORTED GLOBAL)
  target_link_libraries(courier_sodium INTERFACE PkgConfig::COURIER_SODIUM)
endif()

# range-v3 is header-only; Debian installs a CMake config for it.
find_package(range-v3 CONFIG QUIET)
