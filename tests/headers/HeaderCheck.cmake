# Every public header must compile on its own. One generated translation unit per header
# includes it twice (checking its include guard too); the ctest test builds them all.
file(GLOB_RECURSE courier_headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/include
     ${PROJECT_SOURCE_DIR}/include/courier/*.hpp)
# The WebSocket headers need Boost.Beast and OpenSSL: checked when courier::websocket exists.
if(NOT TARGET courier::websocket)
  list(FILTER courier_headers EXCLUDE REGEX "^courier/(transport/websocket/|impl/websocket_src)")
endif()
# The OpenSSL packet cipher needs libcrypto: checked when courier::openssl exists.
if(NOT TARGET courier::openssl)
  list(FILTER courier_headers EXCLUDE REGEX "^courier/crypto/netcode102_openssl\\.hpp$")
endif()
# The browser transport's Emscripten parts compile only with em++: tests/browser checks them,
# and every other header a browser client uses, alone with em++.
list(FILTER courier_headers EXCLUDE REGEX "^courier/transport/browser/(browser_websocket|detail/browser_link)\\.hpp$")
set(header_sources)
foreach(header IN LISTS courier_headers)
  string(REPLACE "/" "__" stem ${header})
  string(REPLACE ".hpp" ".cpp" stem ${stem})
  set(source ${CMAKE_CURRENT_BINARY_DIR}/headers/${stem})
  set(prelude "")
  if(header MATCHES "^courier/impl/(websocket_)?src.hpp$")
    # The separate-compilation translation unit (core/config.hpp) is only ever compiled so.
    set(prelude "#define COURIER_SEPARATE_COMPILATION\n")
  endif()
  file(CONFIGURE OUTPUT ${source} CONTENT "${prelude}#include <${header}>\n#include <${header}>\n")
  list(APPEND header_sources ${source})
endforeach()
add_library(courier_header_check OBJECT ${header_sources})
# Only the compiler's checks matter here, not code: -fsyntax-only parses, instantiates and warns
# like a full compile but generates nothing (the WebSocket definitions' TU drops from ~50 s to ~7 s).
target_compile_options(courier_header_check PRIVATE -fsyntax-only)
target_link_libraries(courier_header_check PRIVATE courier::courier)
if(TARGET courier::websocket)
  target_link_libraries(courier_header_check PRIVATE courier::websocket)
endif()
if(TARGET courier::openssl)
  target_link_libraries(courier_header_check PRIVATE courier::openssl)
endif()
courier_project_target(courier_header_check)
set_target_properties(courier_header_check PROPERTIES EXCLUDE_FROM_ALL ON)
# The longest test: it builds on every core and starts first (COST), so that ctest -j runs the
# short tests beside it rather than leaving it to finish alone.
cmake_host_system_information(RESULT courier_cores QUERY NUMBER_OF_LOGICAL_CORES)
add_test(NAME headers/compile_alone
         COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target courier_header_check
                 --parallel ${courier_cores})
set_tests_properties(headers/compile_alone PROPERTIES LABELS unit COST 10000)
