# What `cmake --install` and the .deb ship beside the binary: the man page and
# the shell completions generated from --help (cmake/cli_docs.cmake).
add_test(NAME packaging.cli_docs
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_docs_test.sh $<TARGET_FILE:proctrace> ${PROCTRACE_CLI_DOCS_DIR})
set_tests_properties(packaging.cli_docs PROPERTIES TIMEOUT 120)

# cpack -G DEB, then the package unpacked with dpkg -x and its binary run: it
# records /bin/true (in builds with the recorder) and renders the recording.
add_test(NAME packaging.deb
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/deb_test.sh ${CMAKE_BINARY_DIR}
                 $<IF:$<BOOL:${PROCTRACE_RECORDER}>,ON,OFF> ${CMAKE_SOURCE_DIR}/tests/fixtures/recordings/make.jsonl)
set_tests_properties(packaging.deb PROPERTIES TIMEOUT 120)

# The GitHub Action's run step (scripts/github-action.sh) with the variables
# GitHub sets pointing at temporary files. It records: recorder builds only.
if(PROCTRACE_RECORDER)
  add_test(NAME packaging.github_action
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/github_action_test.sh ${CMAKE_SOURCE_DIR} $<TARGET_FILE:proctrace>)
  set_tests_properties(packaging.github_action PROPERTIES TIMEOUT 120)
endif()
