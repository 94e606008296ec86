# The HTML report's script, style and markup checked as files with node (no
# browser): tests/render/report_assets_test.mjs. Without node it is skipped.
find_program(PROCTRACE_NODE node)
if(PROCTRACE_NODE)
  add_test(NAME render.report_assets
           COMMAND ${PROCTRACE_NODE} ${CMAKE_CURRENT_LIST_DIR}/report_assets_test.mjs
                   ${CMAKE_SOURCE_DIR}/src/render/report)
else()
  add_test(NAME render.report_assets COMMAND sh -c "echo 'SKIP: node not found; run scripts/install-deps.sh'; exit 77")
endif()
set_tests_properties(render.report_assets PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60)
