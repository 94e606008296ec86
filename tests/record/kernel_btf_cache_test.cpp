// The cached small copy of the kernel's BTF: built from the real kernel BTF
// and the real BPF object, trusted only in a private root directory, and
// replaced when it does not load.
#include "record/kernel_btf_cache.h"

#include <gtest/gtest.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "proctrace.skel.h"
#include "record/bpf_recording.h"
#include "record/bpf_session.h"

namespace proctrace::testing {
namespace {

#define SKIP_UNLESS_KERNEL_BTF()                                                        \
  do {                                                                                  \
    if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) GTEST_SKIP() << "no kernel BTF"; \
    if (kernel_build_id().empty()) GTEST_SKIP() << "the kernel has no build id";        \
    if (geteuid() != 0) GTEST_SKIP() << "only root keeps the cache";                    \
  } while (0)

// The recorder's BPF object, opened (not loaded) for its own BTF.
struct ProgramObject {
  ProgramObject() {
    bytes = proctrace_bpf__elf_bytes(&size);
    object = bpf_object__open_mem(bytes, size, nullptr);
  }
  ~ProgramObject() { bpf_object__close(object); }
  const struct btf* btf() const { return object ? bpf_object__btf(object) : nullptr; }
  const void* bytes = nullptr;
  std::size_t size = 0;
  struct bpf_object* object = nullptr;
};

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

const struct btf_member* member(const struct btf* btf, const char* type, const char* name) {
  int id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);
  if (id <= 0) return nullptr;
  const struct btf_type* t = btf__type_by_id(btf, static_cast<__u32>(id));
  for (int i = 0; i < btf_vlen(t); ++i)
    if (std::string(btf__name_by_offset(btf, btf_members(t)[i].name_off)) == name) return &btf_members(t)[i];
  return nullptr;
}

TEST(KernelBtfCache, CopyKeepsTheOffsetsTheProgramReadsAndLittleElse) {
  SKIP_UNLESS_KERNEL_BTF();
  ProgramObject program;
  ASSERT_NE(program.btf(), nullptr);
  struct btf* kernel = btf__load_vmlinux_btf();
  ASSERT_NE(kernel, nullptr);
  struct btf* copy = minimal_kernel_btf(kernel, program.btf());
  ASSERT_NE(copy, nullptr);
  // Fields read through embedded structs and arrays, as the program does.
  for (auto [type, field] : {std::pair{"task_struct", "tgid"}, {"task_struct", "signal"}, {"task_struct", "se"},
                             {"signal_struct", "ioac"}, {"pid", "numbers"}, {"fs_struct", "pwd"}}) {
    auto* want = member(kernel, type, field);
    auto* got = member(copy, type, field);
    ASSERT_NE(want, nullptr) << type << "." << field;
    ASSERT_NE(got, nullptr) << type << "." << field;
    EXPECT_EQ(got->offset, want->offset) << type << "." << field;
  }
  int upid = btf__find_by_name_kind(copy, "upid", BTF_KIND_STRUCT);
  ASSERT_GT(upid, 0);
  EXPECT_EQ(btf__resolve_size(copy, static_cast<__u32>(upid)),
            btf__resolve_size(kernel, static_cast<__u32>(btf__find_by_name_kind(kernel, "upid", BTF_KIND_STRUCT))));
  // Pointers are cut: a few hundred types, not the kernel's whole graph.
  EXPECT_LT(btf__type_cnt(copy), btf__type_cnt(kernel) / 20);
  btf__free(copy);
  btf__free(kernel);
}

TEST(KernelBtfCache, StoredInAPrivateRootDirectoryAndReadBack) {
  SKIP_UNLESS_KERNEL_BTF();
  TempDir temp;
  std::string dir = temp.file("cache");
  ProgramObject program;
  KernelBtfCache first(dir, program.bytes, program.size);
  EXPECT_EQ(first.path(), nullptr);
  first.store_if_missing(program.btf());
  EXPECT_EQ(mode_of(dir), 0700u);
  ASSERT_FALSE(first.file_name().empty());
  EXPECT_EQ(mode_of(dir + "/" + first.file_name()), 0644u);

  KernelBtfCache second(dir, program.bytes, program.size);
  ASSERT_NE(second.path(), nullptr);
  struct btf* read_back = btf__parse(second.path(), nullptr);
  ASSERT_NE(read_back, nullptr);
  EXPECT_GT(btf__find_by_name_kind(read_back, "task_struct", BTF_KIND_STRUCT), 0);
  btf__free(read_back);

  // Another build of the program has another name: it never reads this one.
  std::string other_object(static_cast<const char*>(program.bytes), program.size);
  other_object.back() ^= 1;
  KernelBtfCache other(dir, other_object.data(), other_object.size());
  EXPECT_NE(other.file_name(), first.file_name());
  EXPECT_EQ(other.path(), nullptr);
}

// Two builds used in turn (a package and a development build) must not
// delete each other's copy; the directory still stays small.
TEST(KernelBtfCache, KeepsTheCopiesOfTheLastFewBuilds) {
  SKIP_UNLESS_KERNEL_BTF();
  TempDir temp;
  std::string dir = temp.file("cache");
  ProgramObject program;
  std::vector<std::string> names;
  for (char build = 1; build <= 6; ++build) {
    std::string object(static_cast<const char*>(program.bytes), program.size);
    object.back() ^= build;
    KernelBtfCache cache(dir, object.data(), object.size());
    cache.store_if_missing(program.btf());
    names.push_back(cache.file_name());
    if (build == 2) {
      // The first build's copy outlived the second's.
      struct stat st {};
      EXPECT_EQ(stat((dir + "/" + names[0]).c_str(), &st), 0);
    }
  }
  std::size_t left = 0;
  for (const std::string& name : names) {
    struct stat st {};
    if (stat((dir + "/" + name).c_str(), &st) == 0) ++left;
  }
  EXPECT_EQ(left, 4u);
  struct stat last {};
  EXPECT_EQ(stat((dir + "/" + names.back()).c_str(), &last), 0);
}

TEST(KernelBtfCache, IgnoresCopiesSomeoneElseCouldHaveWritten) {
  SKIP_UNLESS_KERNEL_BTF();
  TempDir temp;
  std::string dir = temp.file("cache");
  ProgramObject program;
  KernelBtfCache writer(dir, program.bytes, program.size);
  writer.store_if_missing(program.btf());
  std::string file = dir + "/" + writer.file_name();
  auto usable = [&] { return KernelBtfCache(dir, program.bytes, program.size).path() != nullptr; };
  ASSERT_TRUE(usable());

  ASSERT_EQ(chmod(dir.c_str(), 0755), 0);  // others could list it: still root's
  EXPECT_FALSE(usable());
  ASSERT_EQ(chmod(dir.c_str(), 0700), 0);

  ASSERT_EQ(chmod(file.c_str(), 0666), 0);  // anyone could have rewritten it
  EXPECT_FALSE(usable());
  ASSERT_EQ(chmod(file.c_str(), 0644), 0);

  ASSERT_EQ(chown(file.c_str(), 65534, 65534), 0);  // nobody's
  EXPECT_FALSE(usable());
  ASSERT_EQ(chown(file.c_str(), 0, 0), 0);

  std::string elsewhere = temp.file("elsewhere.btf");
  ASSERT_EQ(rename(file.c_str(), elsewhere.c_str()), 0);
  ASSERT_EQ(symlink(elsewhere.c_str(), file.c_str()), 0);  // a link, even to a good copy
  EXPECT_FALSE(usable());
  ASSERT_EQ(unlink(file.c_str()), 0);

  std::string link = temp.file("link");
  ASSERT_EQ(rename(elsewhere.c_str(), file.c_str()), 0);
  ASSERT_EQ(symlink(dir.c_str(), link.c_str()), 0);  // the directory through a link
  EXPECT_EQ(KernelBtfCache(link, program.bytes, program.size).path(), nullptr);
}

TEST(KernelBtfCache, ACopyThatDoesNotLoadIsReplaced) {
  SKIP_UNLESS_KERNEL_BTF();
  SKIP_UNLESS_BPF_RECORDING_POSSIBLE();
  TempDir temp;
  std::string dir = temp.file("cache");
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  ProgramObject program;
  std::string name = KernelBtfCache(dir, program.bytes, program.size).file_name();
  ASSERT_FALSE(name.empty());
  write_file(dir + "/" + name, "not BTF at all");
  ASSERT_EQ(chmod((dir + "/" + name).c_str(), 0644), 0);
  ASSERT_NE(KernelBtfCache(dir, program.bytes, program.size).path(), nullptr);

  BpfSessionOptions options;
  options.btf_cache_dir = dir;
  { BpfSession session(options); }  // loads anyway, from the kernel's own BTF

  KernelBtfCache after(dir, program.bytes, program.size);
  ASSERT_NE(after.path(), nullptr);
  struct btf* read_back = btf__parse(after.path(), nullptr);
  EXPECT_NE(read_back, nullptr) << "the bad copy was not replaced";
  btf__free(read_back);
  { BpfSession session(options); }  // and the new copy loads
}

}  // namespace
}  // namespace proctrace::testing
