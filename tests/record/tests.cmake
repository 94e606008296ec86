# A multi-threaded target for the recorder tests, built with the test binary.
add_executable(proctrace_threads_helper ${CMAKE_CURRENT_LIST_DIR}/helpers/threads_helper.cpp)
target_link_libraries(proctrace_threads_helper PRIVATE Threads::Threads)
# Never sanitized: LeakSanitizer's exit-time check clones a tracer process,
# which the recorder rightly records as a fork the test does not expect.
if(PROCTRACE_SANITIZE)
  target_compile_options(proctrace_threads_helper PRIVATE -fno-sanitize=all)
  target_link_options(proctrace_threads_helper PRIVATE -fno-sanitize=all)
endif()
add_dependencies(proctrace_tests proctrace_threads_helper)
# Its path goes into the one test that runs it: on every test object it would
# name this build directory, and no clone or other build would share them.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/bpf_recorder_test.cpp PROPERTIES COMPILE_DEFINITIONS
  "PROCTRACE_THREADS_HELPER=\"$<TARGET_FILE:proctrace_threads_helper>\"")

# A target that uses known amounts of memory, CPU and I/O, and reports what
# getrusage() and /proc/self/io say of it (tests/record/bpf_usage_test.cpp).
add_executable(proctrace_usage_helper ${CMAKE_CURRENT_LIST_DIR}/helpers/usage_helper.cpp)
if(PROCTRACE_SANITIZE)
  target_compile_options(proctrace_usage_helper PRIVATE -fno-sanitize=all)
  target_link_options(proctrace_usage_helper PRIVATE -fno-sanitize=all)
endif()
add_dependencies(proctrace_tests proctrace_usage_helper)
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/bpf_usage_test.cpp PROPERTIES COMPILE_DEFINITIONS
  "PROCTRACE_USAGE_HELPER=\"$<TARGET_FILE:proctrace_usage_helper>\"")
