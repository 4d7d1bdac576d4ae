# Every courier header the browser test client uses (read from em++'s dependency file of its
# translation unit) compiles alone with em++, warnings as errors: the browser's counterpart of
# tests/headers/HeaderCheck.cmake, whose g++ and clang check cannot compile the Emscripten
# headers. Run by ctest: cmake -DDEPFILE=... -DWORK=... -DEMXX=... -DCOURIER_INCLUDE=...
# -DINCLUDES=<system include dirs> -P HeaderCheck.cmake
file(READ ${DEPFILE} deps)
string(REGEX MATCHALL "[^ \\\\\n]*/include/courier/[^ \\\\\n]*\\.hpp" headers "${deps}")
list(REMOVE_DUPLICATES headers)
list(LENGTH headers count)
if(count LESS 20)
  message(FATAL_ERROR "only ${count} courier headers in ${DEPFILE}: build courier_browser_test_client first")
endif()
file(REMOVE_RECURSE ${WORK})
set(sources)
foreach(path IN LISTS headers)
  string(REGEX REPLACE ".*/include/(courier/.*)$" "\\1" header ${path})
  string(REPLACE "/" "__" stem ${header})
  string(REPLACE ".hpp" ".cpp" stem ${stem})
  file(WRITE ${WORK}/${stem} "#include <${header}>\n#include <${header}>\n")
  list(APPEND sources ${WORK}/${stem})
endforeach()
set(flags -std=c++20 -fexceptions -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I${COURIER_INCLUDE})
foreach(dir IN LISTS INCLUDES)
  list(APPEND flags -isystem ${dir})
endforeach()
message(STATUS "em++: ${count} courier headers, each alone")
execute_process(COMMAND ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs ${EMXX} ${flags} ${sources}
                WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "a courier header does not compile alone with em++ (above)")
endif()
