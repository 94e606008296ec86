# Builds every bpf/*.bpf.c into a BPF object with clang and wraps it in a
# bpftool-generated skeleton header (<name>.skel.h), so the loader embeds the
# program and needs no files at run time.
find_program(CLANG_BPF NAMES clang-14 clang REQUIRED)
find_program(BPFTOOL NAMES bpftool PATHS /usr/sbin /usr/local/sbin REQUIRED)
# Optional: drops the DWARF that -g adds next to the BTF libbpf needs, so the
# object embedded in proctrace shrinks about tenfold.
find_program(LLVM_STRIP NAMES llvm-strip-14 llvm-strip)

set(PROCTRACE_BPF_INCLUDE_DIR ${CMAKE_BINARY_DIR}/bpf)
file(MAKE_DIRECTORY ${PROCTRACE_BPF_INCLUDE_DIR})

# CO-RE: vmlinux.h only provides type names; relocations adapt to the running
# kernel. Generate it from this machine's BTF when present, else use the
# committed copy.
set(VMLINUX_H ${PROCTRACE_BPF_INCLUDE_DIR}/vmlinux.h)
if(EXISTS /sys/kernel/btf/vmlinux)
  add_custom_command(OUTPUT ${VMLINUX_H}
    COMMAND ${BPFTOOL} btf dump file /sys/kernel/btf/vmlinux format c > ${VMLINUX_H}
    COMMENT "Generating vmlinux.h from kernel BTF")
elseif(EXISTS ${CMAKE_SOURCE_DIR}/bpf/vmlinux.h)
  configure_file(${CMAKE_SOURCE_DIR}/bpf/vmlinux.h ${VMLINUX_H} COPYONLY)
else()
  message(FATAL_ERROR "No /sys/kernel/btf/vmlinux and no bpf/vmlinux.h: cannot build the BPF program")
endif()

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64")
  set(BPF_ARCH x86)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64")
  set(BPF_ARCH arm64)
else()
  set(BPF_ARCH ${CMAKE_SYSTEM_PROCESSOR})
endif()

file(GLOB BPF_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bpf/*.bpf.c)
file(GLOB BPF_HEADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bpf/*.h)
set(BPF_SKELETONS)
foreach(src ${BPF_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  set(obj ${PROCTRACE_BPF_INCLUDE_DIR}/${name}.bpf.o)
  set(skel ${PROCTRACE_BPF_INCLUDE_DIR}/${name}.skel.h)
  add_custom_command(OUTPUT ${obj}
    COMMAND ${CLANG_BPF} -g -O2 -target bpf -D__TARGET_ARCH_${BPF_ARCH}
            -I${PROCTRACE_BPF_INCLUDE_DIR} -I${CMAKE_SOURCE_DIR}/bpf
            -c ${src} -o ${obj}
    COMMAND $<IF:$<BOOL:${LLVM_STRIP}>,${LLVM_STRIP},true> -g ${obj}
    DEPENDS ${src} ${BPF_HEADERS} ${VMLINUX_H}
    COMMENT "Compiling BPF program ${name}")
  add_custom_command(OUTPUT ${skel}
    COMMAND ${BPFTOOL} gen skeleton ${obj} name ${name}_bpf > ${skel}
    DEPENDS ${obj}
    COMMENT "Generating BPF skeleton ${name}.skel.h")
  list(APPEND BPF_SKELETONS ${skel})
endforeach()
add_custom_target(proctrace_bpf_skeletons DEPENDS ${BPF_SKELETONS} ${VMLINUX_H})
