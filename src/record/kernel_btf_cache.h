// A small copy of the running kernel's BTF, holding only the types the
// recorder's BPF program could relocate against, kept on disk between runs.
//
// Without it libbpf reads the kernel's whole BTF (5 MB from sysfs), parses
// it and, for every type the program relocates against, scans all of its
// ~150,000 types for candidates: about half of `record`'s start-up CPU. With
// it (bpf_object_open_opts.btf_custom_path) libbpf reads a few hundred KB.
//
// The copy is trusted only when it cannot have been written by anyone but
// root and belongs to this kernel and this program: the directory is
// root-owned and 0700, the file root-owned and not writable by others, and
// its name is the kernel's build id, the size of its BTF and a hash of the
// BPF object, so a new kernel or a new proctrace never reads an old copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

struct btf;

namespace proctrace {

// Where the copies live: root-owned, 0700, created on first use.
inline constexpr const char* kKernelBtfCacheDir = "/var/cache/proctrace";

class KernelBtfCache {
 public:
  // `object` is the BPF object the copy is for (the skeleton's ELF bytes).
  KernelBtfCache(std::string dir, const void* object, std::size_t object_size);
  ~KernelBtfCache();
  KernelBtfCache(const KernelBtfCache&) = delete;
  KernelBtfCache& operator=(const KernelBtfCache&) = delete;

  // A path libbpf can open for the checked copy (/proc/self/fd/N: the very
  // file that was checked), or nullptr when there is none to use. Valid as
  // long as this object, or until discard().
  const char* path() const { return fd_ >= 0 ? path_.c_str() : nullptr; }

  // The copy did not work (libbpf or the kernel refused it): removes it, so
  // the next run builds it again.
  void discard();

  // When no copy was found: builds one from the kernel's BTF for the types
  // named in `program_btf` (the object's own BTF) and stores it. Failures
  // only cost the next run its speed; they are logged at debug level.
  void store_if_missing(const struct btf* program_btf);

  // The file name this kernel and object map to; empty when the kernel's
  // identity cannot be told (no build id), and then nothing is cached.
  const std::string& file_name() const { return name_; }

 private:
  std::string dir_;
  std::string name_;
  std::string path_;
  int fd_ = -1;
};

// Builds the small BTF: every type of `kernel` with the kind and name of a
// named struct, union, enum or typedef of `program`, and the types they
// contain. Pointers in the copy point to void: a CO-RE access path never
// crosses a pointer, and pointer fields match any pointer. nullptr on error.
struct btf* minimal_kernel_btf(const struct btf* kernel, const struct btf* program);

// The GNU build id of the running kernel (/sys/kernel/notes) in hex, or
// empty.
std::string kernel_build_id();

}  // namespace proctrace
