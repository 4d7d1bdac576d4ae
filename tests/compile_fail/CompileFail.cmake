# Compile-fail tests: each tests/compile_fail/<name>.cpp is a snippet that must NOT compile.
# Its first line reads `// expect-error: <regex>`: the compiler's output must match it, so the
# snippet fails for the reason intended (a static_assert's plain sentence), not a typo.
# Each snippet also has a control: compiled with -DCOURIER_COMPILE_FAIL_CONTROL it must compile,
# which proves the snippet is otherwise well formed.
file(GLOB compile_fail_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cpp)
get_target_property(sodium_includes PkgConfig::COURIER_SODIUM INTERFACE_INCLUDE_DIRECTORIES)
set(compile_fail_flags -std=c++20 -fsyntax-only -I${PROJECT_SOURCE_DIR}/include)
foreach(dir IN LISTS sodium_includes)
  list(APPEND compile_fail_flags -I${dir})
endforeach()
string(REPLACE ";" "|" compile_fail_flags_arg "${compile_fail_flags}")
foreach(source IN LISTS compile_fail_sources)
  get_filename_component(name ${source} NAME_WE)
  add_test(NAME compile_fail/${name}
           COMMAND ${CMAKE_COMMAND} -DCOMPILER=${CMAKE_CXX_COMPILER} -DSOURCE=${source}
                   "-DFLAGS=${compile_fail_flags_arg}"
                   -P ${CMAKE_CURRENT_LIST_DIR}/check_compile_fail.cmake)
  set_tests_properties(compile_fail/${name} PROPERTIES LABELS unit)
endforeach()
