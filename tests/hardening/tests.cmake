# Each fuzz harness (fuzz/fuzz_TARGET.cpp) is also built without libFuzzer as
# replay_TARGET, and ctest replays the target's committed crash inputs and
# seeds through it: FuzzReplay.TARGET.
file(GLOB PROCTRACE_FUZZ_HARNESSES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/fuzz_*.cpp)
foreach(harness ${PROCTRACE_FUZZ_HARNESSES})
  get_filename_component(harness_name ${harness} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" fuzz_target ${harness_name})
  add_executable(replay_${fuzz_target} ${harness} ${CMAKE_SOURCE_DIR}/fuzz/replay_main.cpp)
  target_link_libraries(replay_${fuzz_target} PRIVATE proctrace_lib)
  target_include_directories(replay_${fuzz_target} PRIVATE ${CMAKE_SOURCE_DIR}/fuzz)
  add_test(NAME FuzzReplay.${fuzz_target}
           COMMAND replay_${fuzz_target}
                   ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/fuzz-regressions/${fuzz_target}
                   ${CMAKE_SOURCE_DIR}/fuzz/corpus/${fuzz_target})
  set_tests_properties(FuzzReplay.${fuzz_target} PROPERTIES TIMEOUT 300)
endforeach()
