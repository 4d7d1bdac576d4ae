# One install flow of the README, run as a user would: configure courier into a fresh build tree
# (tests, examples, benchmarks and fuzzers off), build it or not, `cmake --install` into a
# prefix, check what landed there, then build and run the find_package consumer against it.
#
#   cmake -DCOURIER_SOURCE_DIR=<courier> -DCONSUMER_DIR=<tests/cmake/consumer> -DWORK_DIR=<scratch>
#         -DGENERATOR=<generator> -DCXX_COMPILER=<c++> -DBUILD=ON|OFF -DTOOLS=ON|OFF
#         -P InstallFlow.cmake
#
# BUILD=OFF is the header-only first try (configure, install); BUILD=ON builds first, and then
# courier-token must be installed too (when TOOLS=ON).
foreach(var COURIER_SOURCE_DIR CONSUMER_DIR WORK_DIR GENERATOR CXX_COMPILER BUILD TOOLS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "InstallFlow.cmake: set -D${var}=...")
  endif()
endforeach()

# run(<step> <command>...): runs the command; on failure prints its whole output and stops.
# Leaves the output in `step_output` for checks.
function(run step)
  list(JOIN ARGN " " command)
  message(STATUS "${step}: ${command}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${step} failed (${rc}):\n${out}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_file description path_glob)
  file(GLOB_RECURSE found ${path_glob})
  if(NOT found)
    message(FATAL_ERROR "install did not install ${description} (${path_glob})")
  endif()
endfunction()

set(build ${WORK_DIR}/build)
set(prefix ${WORK_DIR}/prefix)
set(consumer ${WORK_DIR}/consumer)
file(REMOVE_RECURSE ${WORK_DIR})

run(configure ${CMAKE_COMMAND} -S ${COURIER_SOURCE_DIR} -B ${build} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_INSTALL_PREFIX=${prefix}
    -DCOURIER_BUILD_TESTS=OFF -DCOURIER_BUILD_EXAMPLES=OFF -DCOURIER_BUILD_BENCHMARKS=OFF
    -DCOURIER_BUILD_FUZZERS=OFF -DCOURIER_BUILD_TOOLS=${TOOLS})
if(BUILD)
  run(build ${CMAKE_COMMAND} --build ${build})
endif()
run(install ${CMAKE_COMMAND} --install ${build})
set(install_output "${step_output}")

expect_file("the umbrella header" ${prefix}/include/courier/courier.hpp)
foreach(file courierConfig.cmake courierConfigVersion.cmake courierTargets.cmake)
  expect_file(${file} ${prefix}/*/cmake/courier/${file})
endforeach()
set(token ${prefix}/bin/courier-token)
if(BUILD AND TOOLS)
  if(NOT EXISTS ${token})
    message(FATAL_ERROR "courier-token was built but not installed:\n${install_output}")
  endif()
  string(REPEAT "01" 32 key)  # any key but the all-zero one, which is refused
  run(courier-token ${token} --key ${key} --protocol 1 --client-id 1 --server 127.0.0.1:40000)
else()
  if(EXISTS ${token})
    message(FATAL_ERROR "courier-token installed without being built: ${token}")
  endif()
  if(TOOLS AND NOT install_output MATCHES "Not installing courier-token")
    message(FATAL_ERROR "install skipped courier-token without saying so:\n${install_output}")
  endif()
endif()

run(consumer-configure ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${consumer} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix} -DCONSUMER_MODE=find_package)
# The consumer must have found this prefix's courier, not one installed elsewhere on the machine.
file(STRINGS ${consumer}/CMakeCache.txt courier_dir REGEX "^courier_DIR:")
string(FIND "${courier_dir}" "${prefix}/" at)
if(NOT at GREATER -1)
  message(FATAL_ERROR "the consumer found courier outside ${prefix}: ${courier_dir}")
endif()
run(consumer-build ${CMAKE_COMMAND} --build ${consumer})
run(consumer-run ${consumer}/consumer)
message(STATUS "${step_output}")
