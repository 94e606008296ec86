# Target programs for the recorder's tests (tests/CMakeLists.txt:
# proctrace_test_helper). Only built with the recorder: they are Linux
# programs for tests that record.
set(helpers ${CMAKE_CURRENT_LIST_DIR}/helpers)
# Multi-threaded.
proctrace_test_helper(proctrace_threads_helper ${helpers}/threads_helper.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/bpf_recorder_test.cpp PROCTRACE_THREADS_HELPER)
target_link_libraries(proctrace_threads_helper PRIVATE Threads::Threads)
# Known amounts of memory, CPU and I/O, with what getrusage() and
# /proc/self/io say of them (bpf_usage_test.cpp).
proctrace_test_helper(proctrace_usage_helper ${helpers}/usage_helper.cpp
                      ${CMAKE_CURRENT_LIST_DIR}/bpf_usage_test.cpp PROCTRACE_USAGE_HELPER)
# A process in D state (a vfork parent), for why's tests.
proctrace_test_helper(proctrace_vfork_helper ${helpers}/vfork_helper.cpp
                      ${CMAKE_CURRENT_SOURCE_DIR}/analyze/why_test.cpp PROCTRACE_VFORK_HELPER)
