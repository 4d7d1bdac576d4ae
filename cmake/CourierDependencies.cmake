# libsodium ships no CMake package on Debian; find it through pkg-config and wrap it in an
# imported target. The target name is namespaced so it never clashes with a parent project's.
find_package(PkgConfig REQUIRED)
pkg_check_modules(COURIER_SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
if(NOT TARGET courier_sodium)
  add_library(courier_sodium INTERFACE IMPORTED GLOBAL)
  target_link_libraries(courier_sodium INTERFACE PkgConfig::COURIER_SODIUM)
endif()

# SQLite is optional: only relay/sqlite_address_book.hpp needs it, and only the courier::sqlite
# target (courier plus SQLite) links it. Without it courier builds and installs as before.
pkg_check_modules(COURIER_SQLITE3 QUIET IMPORTED_TARGET sqlite3>=3.7.17)
if(COURIER_SQLITE3_FOUND AND NOT TARGET courier_sqlite3)
  add_library(courier_sqlite3 INTERFACE IMPORTED GLOBAL)
  target_link_libraries(courier_sqlite3 INTERFACE PkgConfig::COURIER_SQLITE3)
endif()

# The WebSocket transport (transport/websocket/) is optional too: Boost.Beast and Boost.Asio
# (headers), OpenSSL for wss://, and the thread library Asio links. Only the courier::websocket
# target links them; without them courier builds and installs as before.
find_package(Boost 1.74 QUIET)
find_package(OpenSSL QUIET)
find_package(Threads QUIET)
# OpenSSL's libcrypto alone serves crypto/netcode102_openssl.hpp (the netcode 1.02 packet AEAD
# computed by OpenSSL): only the courier::openssl target links it.
if(TARGET OpenSSL::Crypto AND NOT TARGET courier_openssl_deps)
  add_library(courier_openssl_deps INTERFACE IMPORTED GLOBAL)
  target_link_libraries(courier_openssl_deps INTERFACE OpenSSL::Crypto)
endif()
if(TARGET Boost::headers AND TARGET OpenSSL::SSL AND TARGET Threads::Threads AND NOT TARGET courier_websocket_deps)
  add_library(courier_websocket_deps INTERFACE IMPORTED GLOBAL)
  target_link_libraries(courier_websocket_deps INTERFACE Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
endif()
