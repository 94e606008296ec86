# The driver scripts/bench/import.sh times: load_trace on strace logs, with
# or without the syscall table, as the commands do. Built with the tests.
add_executable(proctrace_import_bench ${CMAKE_CURRENT_LIST_DIR}/bench/import_bench.cpp)
target_link_libraries(proctrace_import_bench PRIVATE proctrace_lib)
add_dependencies(proctrace_tests proctrace_import_bench)
