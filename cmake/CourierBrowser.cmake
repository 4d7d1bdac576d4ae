# Browser clients: courier programs compiled to WebAssembly with Emscripten's em++, from the same
# CMake project that builds the native code with g++ or clang (the WebAssembly steps are custom
# commands, not a second toolchain).
#
#   courier_add_browser_client(<target> SOURCES <files>... [PAGE <html> | NO_PAGE]
#                              [INCLUDE_DIRECTORIES <dirs>...] [COMPILE_OPTIONS <opts>...]
#                              [LINK_OPTIONS <opts>...] [DEPENDS <files>...])
#
# builds <target>.js and <target>.wasm in the current binary folder, and copies PAGE there as
# <target>.html (without PAGE, a minimal page that runs the program and shows its output is
# written; NO_PAGE: none, for a program only node runs). `cmake --build . --target <target>` (or `all`) makes them. The program includes
# courier's headers and transport/browser/browser_websocket.hpp, and links libsodium compiled
# for WebAssembly from Debian's source (fetched once by scripts/fetch-sodium-source.sh into
# COURIER_SODIUM_SOURCE_DIR, compiled once per build tree under courier-browser/sodium).
#
# COURIER_EMXX: the em++ found (empty when Emscripten is not installed). Found here, so a
# consumer can test it before calling the function.

include_guard(GLOBAL)

find_program(COURIER_EMXX NAMES em++ DOC "Emscripten's em++, for courier_add_browser_client")
find_program(COURIER_EMCC NAMES emcc DOC "Emscripten's emcc (libsodium for WebAssembly)")
find_program(COURIER_EMAR NAMES emar DOC "Emscripten's emar (libsodium for WebAssembly)")
set(COURIER_SODIUM_SOURCE_DIR /usr/local/src/courier/libsodium CACHE PATH
    "libsodium's source tree for the WebAssembly build (scripts/fetch-sodium-source.sh puts it there)")
# emcc runs JavaScript tools (acorn) with node; Debian's emscripten finds them only through
# Debian's own node module folder, which a node from elsewhere does not search by default.
set(COURIER_EM_ENV ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)

# courier's include folder: next to this file in the source tree (cmake/ → include/), or the
# installed one (lib/cmake/courier/ → include/).
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/../include/courier/courier.hpp)
  get_filename_component(COURIER_BROWSER_INCLUDE_DIR ${CMAKE_CURRENT_LIST_DIR}/../include ABSOLUTE)
else()
  get_filename_component(COURIER_BROWSER_INCLUDE_DIR ${CMAKE_CURRENT_LIST_DIR}/../../../include ABSOLUTE)
endif()
set(COURIER_BROWSER_INCLUDE_DIR ${COURIER_BROWSER_INCLUDE_DIR} CACHE INTERNAL "courier's headers, for em++")
set(COURIER_BROWSER_PAGE_TEMPLATE ${CMAKE_CURRENT_LIST_DIR}/courier_browser_page.html.in CACHE INTERNAL "")

# The flags every browser translation unit and link shares. -fexceptions: courier reports bad
# configuration (and Aes256Gcm's absence in the browser) by throwing std::system_error, which
# Emscripten's default (exceptions caught nowhere) would turn into an abort.
set(COURIER_BROWSER_COMPILE_FLAGS -std=c++20 -O2 -fexceptions)
set(COURIER_BROWSER_LINK_FLAGS -O2 -fexceptions -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=web,node -lwebsocket.js)

# courier_browser_sodium(<var>): the target that makes libsodium.a for WebAssembly (once per
# build tree); sets <var>_LIBRARY and <var>_INCLUDE_DIRS in the caller.
function(courier_browser_sodium var)
  set(dir ${CMAKE_BINARY_DIR}/courier-browser/sodium)
  set(src ${COURIER_SODIUM_SOURCE_DIR}/src/libsodium)
  set(${var}_LIBRARY ${dir}/libsodium.a PARENT_SCOPE)
  set(${var}_INCLUDE_DIRS ${dir}/include PARENT_SCOPE)
  if(TARGET courier_browser_sodium)
    return()
  endif()
  if(NOT EXISTS ${src}/include/sodium.h)
    message(FATAL_ERROR "courier: libsodium's source is not in COURIER_SODIUM_SOURCE_DIR="
            "${COURIER_SODIUM_SOURCE_DIR}; run scripts/fetch-sodium-source.sh (installed as "
            "share/courier/fetch-sodium-source.sh) or point COURIER_SODIUM_SOURCE_DIR at a libsodium 1.0.18 tree")
  endif()
  # The headers, copied with version.h written as libsodium's configure would (1.0.18: library
  # version 10.3); sodium's headers include each other by relative path, so version.h must sit
  # beside them.
  file(COPY ${src}/include/ DESTINATION ${dir}/include PATTERN "*.in" EXCLUDE PATTERN "Makefile*" EXCLUDE)
  file(READ ${src}/include/sodium/version.h.in version_in)
  string(REPLACE "@VERSION@" "1.0.18" version_in "${version_in}")
  string(REPLACE "@SODIUM_LIBRARY_VERSION_MAJOR@" "10" version_in "${version_in}")
  string(REPLACE "@SODIUM_LIBRARY_VERSION_MINOR@" "3" version_in "${version_in}")
  string(REPLACE "@SODIUM_LIBRARY_MINIMAL_DEF@" "" version_in "${version_in}")
  file(CONFIGURE OUTPUT ${dir}/include/sodium/version.h CONTENT "${version_in}")
  file(GLOB_RECURSE sources ${src}/*.c)
  set(objects)
  foreach(source IN LISTS sources)
    get_filename_component(name ${source} NAME_WE)
    list(APPEND objects ${dir}/obj/${name}.o)
  endforeach()
  # One emcc call for every file (each becomes <name>.o in obj/; the names are unique): much
  # quicker than autotools' configure under emconfigure. The defines are what configure finds
  # for wasm32: no assembly, no CPU extensions, little-endian.
  add_custom_command(
    OUTPUT ${dir}/libsodium.a
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}/obj
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}/obj
    COMMAND ${CMAKE_COMMAND} -E chdir ${dir}/obj ${COURIER_EM_ENV} ${COURIER_EMCC} -c -O2
            -DCONFIGURED=1 -DNATIVE_LITTLE_ENDIAN=1 -DHAVE_ALLOCA_H=1
            -I${dir}/include -I${dir}/include/sodium ${sources}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${dir}/libsodium.a
    COMMAND ${COURIER_EM_ENV} ${COURIER_EMAR} rcs ${dir}/libsodium.a ${objects}
    DEPENDS ${dir}/include/sodium/version.h
    COMMENT "courier: compiling libsodium for WebAssembly (emcc, once per build tree)"
    VERBATIM)
  add_custom_target(courier_browser_sodium DEPENDS ${dir}/libsodium.a)
endfunction()

function(courier_add_browser_client target)
  cmake_parse_arguments(ARG "NO_PAGE" "PAGE" "SOURCES;INCLUDE_DIRECTORIES;COMPILE_OPTIONS;LINK_OPTIONS;DEPENDS" ${ARGN})
  if(NOT COURIER_EMXX)
    message(FATAL_ERROR "courier_add_browser_client(${target}): em++ was not found (Debian: apt-get install emscripten)")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "courier_add_browser_client(${target}): give SOURCES")
  endif()
  courier_browser_sodium(sodium)
  set(out ${CMAKE_CURRENT_BINARY_DIR})
  set(includes -I${COURIER_BROWSER_INCLUDE_DIR})
  foreach(dir IN LISTS ARG_INCLUDE_DIRECTORIES)
    get_filename_component(dir ${dir} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND includes -I${dir})
  endforeach()
  foreach(dir IN LISTS sodium_INCLUDE_DIRS)
    list(APPEND includes -isystem ${dir})
  endforeach()

  # One custom command per translation unit, with em++'s own dependency file: editing a header
  # recompiles what includes it, as for native targets.
  set(objects)
  foreach(source IN LISTS ARG_SOURCES)
    get_filename_component(source ${source} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    get_filename_component(name ${source} NAME_WE)
    set(object ${out}/${target}.dir/${name}.o)
    add_custom_command(
      OUTPUT ${object}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out}/${target}.dir
      COMMAND ${COURIER_EM_ENV} ${COURIER_EMXX} ${COURIER_BROWSER_COMPILE_FLAGS} ${ARG_COMPILE_OPTIONS}
              ${includes} -MD -MF ${object}.d -c ${source} -o ${object}
      DEPENDS ${source} ${ARG_DEPENDS}
      DEPFILE ${object}.d
      COMMENT "courier: em++ ${name} (${target}, WebAssembly)"
      VERBATIM)
    list(APPEND objects ${object})
  endforeach()

  add_custom_command(
    OUTPUT ${out}/${target}.js ${out}/${target}.wasm
    COMMAND ${COURIER_EM_ENV} ${COURIER_EMXX} ${COURIER_BROWSER_LINK_FLAGS} ${ARG_LINK_OPTIONS}
            ${objects} ${sodium_LIBRARY} -o ${out}/${target}.js
    DEPENDS ${objects} ${sodium_LIBRARY}
    COMMENT "courier: linking ${target}.js and ${target}.wasm"
    VERBATIM)

  set(page ${out}/${target}.html)
  if(ARG_NO_PAGE)
    set(page)
  elseif(ARG_PAGE)
    get_filename_component(page_source ${ARG_PAGE} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    add_custom_command(OUTPUT ${page} COMMAND ${CMAKE_COMMAND} -E copy ${page_source} ${page}
                       DEPENDS ${page_source} VERBATIM)
  else()
    set(COURIER_TARGET ${target})
    configure_file(${COURIER_BROWSER_PAGE_TEMPLATE} ${page} @ONLY)
  endif()
  add_custom_target(${target} ALL DEPENDS ${out}/${target}.js ${page})
  # libsodium.a is made by a custom command of another folder: order by target, then the file
  # dependency above relinks when it changes.
  add_dependencies(${target} courier_browser_sodium)
endfunction()
