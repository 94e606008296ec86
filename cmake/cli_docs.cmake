# The man page and the bash, zsh and fish completions, generated at build time
# from the built binary's own --help (scripts/gen-cli-docs.py): they always
# name the commands and options of the proctrace installed beside them.
# Included from the top-level CMakeLists.txt after the proctrace target.
include(GNUInstallDirs)
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(PROCTRACE_CLI_DOCS_DIR ${CMAKE_BINARY_DIR}/cli-docs)
set(PROCTRACE_CLI_DOCS
    ${PROCTRACE_CLI_DOCS_DIR}/proctrace.1 ${PROCTRACE_CLI_DOCS_DIR}/proctrace.bash
    ${PROCTRACE_CLI_DOCS_DIR}/_proctrace ${PROCTRACE_CLI_DOCS_DIR}/proctrace.fish)
add_custom_command(OUTPUT ${PROCTRACE_CLI_DOCS}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/gen-cli-docs.py $<TARGET_FILE:proctrace>
          ${PROCTRACE_CLI_DOCS_DIR}
  DEPENDS proctrace ${CMAKE_SOURCE_DIR}/scripts/gen-cli-docs.py
  COMMENT "Generating the man page and shell completions from proctrace --help"
  VERBATIM)
add_custom_target(proctrace_cli_docs ALL DEPENDS ${PROCTRACE_CLI_DOCS})

install(FILES ${PROCTRACE_CLI_DOCS_DIR}/proctrace.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Where each shell's own packages put completions that are loaded on demand.
install(FILES ${PROCTRACE_CLI_DOCS_DIR}/proctrace.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME proctrace)
install(FILES ${PROCTRACE_CLI_DOCS_DIR}/_proctrace DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${PROCTRACE_CLI_DOCS_DIR}/proctrace.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
