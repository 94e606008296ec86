# The browser test: Mermaid charts through the real mermaid library and the
# HTML report, in headless Chromium (tests/browser/render_test.mjs). Its npm
# packages come from scripts/install-node-deps.sh; without node, Chromium or
# those packages it is reported as skipped, saying what is missing.
find_program(PROCTRACE_NODE node)
if(PROCTRACE_NODE)
  add_test(NAME browser.render_mermaid_and_html
           COMMAND ${PROCTRACE_NODE} ${CMAKE_CURRENT_LIST_DIR}/render_test.mjs
                   --proctrace $<TARGET_FILE:proctrace>
                   --fixtures ${CMAKE_SOURCE_DIR}/tests/fixtures
                   --out ${CMAKE_BINARY_DIR}/browser)
else()
  add_test(NAME browser.render_mermaid_and_html
           COMMAND sh -c "echo 'SKIP: node not found; run scripts/install-deps.sh'; exit 77")
endif()
set_tests_properties(browser.render_mermaid_and_html PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

# summary.md of record --report-dir: every mermaid block under GitHub's limit
# and rendered by the real mermaid library (tests/browser/summary_test.mjs).
# It records real jobs: only in builds with the recorder.
if(PROCTRACE_NODE AND PROCTRACE_RECORDER)
  add_test(NAME browser.report_summary
           COMMAND ${PROCTRACE_NODE} ${CMAKE_CURRENT_LIST_DIR}/summary_test.mjs
                   --proctrace $<TARGET_FILE:proctrace> --out ${CMAKE_BINARY_DIR}/browser)
else()
  add_test(NAME browser.report_summary COMMAND sh -c "echo 'SKIP: no node, or a build without the recorder'; exit 77")
endif()
set_tests_properties(browser.report_summary PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
