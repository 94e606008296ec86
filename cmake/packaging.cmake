# `cpack -G DEB` in the build directory: a Debian package of what
# `cmake --install` puts in place (binary, man page, completions), with its
# Depends computed from the binary's shared libraries by dpkg-shlibdeps.
# Included from the top-level CMakeLists.txt after every install() rule.
include(GNUInstallDirs)

install(FILES ${CMAKE_SOURCE_DIR}/LICENSE-APACHE ${CMAKE_SOURCE_DIR}/LICENSE-MIT ${CMAKE_SOURCE_DIR}/cmake/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME proctrace)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The proctrace developers")
set(CPACK_PACKAGE_CONTACT "The proctrace developers <maintainers@users.noreply.h-seed-7ad24763.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "record and analyze process lifecycles")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The build is RelWithDebInfo: without this the package carries ~90 MB of debug info.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps cannot see libcurl: it is dlopened by the network exports
# (src/export/curl_library.h). 7.85 added the CURLOPT_PROTOCOLS_STR they set.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.85.0)")
# strace is the recorder's fallback without eBPF rights; setcap grants them.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS strace)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS libcap2-bin)
# The first line of the control field is CPACK_PACKAGE_DESCRIPTION_SUMMARY.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "proctrace records every fork, exec (full argv), exit, setpgid and setsid in a
command's process subtree with an eBPF program (or strace), and turns the
recording or an strace log into views: a process tree, a Mermaid Gantt chart,
an HTML report, syscall analyses, why a job failed or hung, and exports to
SQLite, ClickHouse, Perfetto and OpenTelemetry. In CI, record --report-dir
writes a report and a job summary when the wrapped command fails.
This package grants no capabilities: its postinst says how.")

set(PROCTRACE_DEB_BINARY ${CPACK_PACKAGING_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/proctrace)
configure_file(${CMAKE_SOURCE_DIR}/cmake/debian/postinst.in ${CMAKE_BINARY_DIR}/debian/postinst @ONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/debian/postinst)
# Maintainer scripts 0755 and the control files 0644, whatever the umask.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
