# A process in D state on demand (a vfork parent), for why's tests.
add_executable(proctrace_vfork_helper ${CMAKE_CURRENT_LIST_DIR}/helpers/vfork_helper.cpp)
if(PROCTRACE_SANITIZE)
  target_compile_options(proctrace_vfork_helper PRIVATE -fno-sanitize=all)
  target_link_options(proctrace_vfork_helper PRIVATE -fno-sanitize=all)
endif()
add_dependencies(proctrace_tests proctrace_vfork_helper)
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/why_test.cpp PROPERTIES COMPILE_DEFINITIONS
  "PROCTRACE_VFORK_HELPER=\"$<TARGET_FILE:proctrace_vfork_helper>\"")
