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
