# Consumer-project tests: a user's project must be able to use courier through
# find_package(courier CONFIG REQUIRED) after an install, and through add_subdirectory.
set(consumer_dir ${CMAKE_CURRENT_LIST_DIR}/consumer)
set(consumer_work ${CMAKE_CURRENT_BINARY_DIR}/consumer)

add_test(NAME cmake/install
         COMMAND ${CMAKE_COMMAND} --install ${PROJECT_BINARY_DIR} --prefix ${consumer_work}/prefix)
set_tests_properties(cmake/install PROPERTIES FIXTURES_SETUP courier_installed LABELS "unit;cmake")

add_test(NAME cmake/find_package
         COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test ${consumer_dir} ${consumer_work}/find_package
                 --build-generator ${CMAKE_GENERATOR}
                 --build-options -DCMAKE_PREFIX_PATH=${consumer_work}/prefix -DCONSUMER_MODE=find_package
                                 -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
                 --test-command consumer)
set_tests_properties(cmake/find_package PROPERTIES FIXTURES_REQUIRED courier_installed LABELS "unit;cmake")

add_test(NAME cmake/add_subdirectory
         COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test ${consumer_dir} ${consumer_work}/add_subdirectory
                 --build-generator ${CMAKE_GENERATOR}
                 --build-options -DCOURIER_SOURCE_DIR=${PROJECT_SOURCE_DIR} -DCONSUMER_MODE=add_subdirectory
                                 -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
                 --test-command consumer)
set_tests_properties(cmake/add_subdirectory PROPERTIES LABELS "unit;cmake")

# The README's install flows, each in a fresh build tree of its own: configure then install with
# no build (the headers and the package; courier-token skipped, and said so), with the tools off,
# and configure, build, install (courier-token too). Each then builds the find_package consumer
# against its prefix.
foreach(flow IN ITEMS no_build no_build_no_tools build)
  set(build OFF)
  set(tools ON)
  if(flow STREQUAL "build")
    set(build ON)
  elseif(flow STREQUAL "no_build_no_tools")
    set(tools OFF)
  endif()
  add_test(NAME cmake/install_${flow}
           COMMAND ${CMAKE_COMMAND} -DCOURIER_SOURCE_DIR=${PROJECT_SOURCE_DIR} -DCONSUMER_DIR=${consumer_dir}
                   -DWORK_DIR=${consumer_work}/install_${flow} -DGENERATOR=${CMAKE_GENERATOR}
                   -DCXX_COMPILER=${CMAKE_CXX_COMPILER} -DBUILD=${build} -DTOOLS=${tools}
                   -P ${CMAKE_CURRENT_LIST_DIR}/InstallFlow.cmake)
  set_tests_properties(cmake/install_${flow} PROPERTIES LABELS cmake)
endforeach()

# A browser client built by a consumer through the installed package's courier_add_browser_client
# (em++, libsodium compiled from COURIER_SODIUM_SOURCE_DIR in the consumer's tree), run under node.
if(COURIER_BUILD_BROWSER)
  find_program(COURIER_NODE NAMES node nodejs)
  add_test(NAME cmake/browser_find_package
           COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test ${CMAKE_CURRENT_LIST_DIR}/browser_consumer
                   ${consumer_work}/browser_find_package --build-generator ${CMAKE_GENERATOR}
                   --build-options -DCMAKE_PREFIX_PATH=${consumer_work}/prefix
                                   -DCOURIER_SODIUM_SOURCE_DIR=${COURIER_SODIUM_SOURCE_DIR}
                   --test-command ${COURIER_NODE} --no-experimental-fetch browser_consumer.js)
  set_tests_properties(cmake/browser_find_package PROPERTIES FIXTURES_REQUIRED courier_installed
                       LABELS "cmake;browser" TIMEOUT 300)
endif()
