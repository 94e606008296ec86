# What `cmake --install` and the .deb ship beside the binary: the man page and
# the shell completions generated from --help (cmake/cli_docs.cmake).
add_test(NAME packaging.cli_docs
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_docs_test.sh $<TARGET_FILE:proctrace> ${PROCTRACE_CLI_DOCS_DIR})
set_tests_properties(packaging.cli_docs PROPERTIES TIMEOUT 120)

