#include "record/kernel_btf_cache.h"

#include <algorithm>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace proctrace {

namespace {

constexpr const char* kKernelBtf = "/sys/kernel/btf/vmlinux";
// A copy holds a few hundred types: anything near this is not ours.
constexpr off_t kMaxCopyBytes = 16 << 20;
constexpr const char* kFilePrefix = "btf-";

// Tells BPF objects apart (FNV-1a over 8-byte words); not cryptographic:
// the files it names are root's own.
std::uint64_t object_hash(const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::uint64_t h = 0xcbf29ce484222325ull ^ size;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes + i, 8);
    h = (h ^ word) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; i < size; ++i) h = (h ^ bytes[i]) * 0x100000001b3ull;
  return h;
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

// A directory only root can have written to: root-owned, no access for
// group or others.
bool is_private_root_dir(int dir_fd) {
  struct stat st {};
  return fstat(dir_fd, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 && (st.st_mode & 077) == 0;
}

// Copies for older kernels or builds of proctrace pile up otherwise. Not
// one only: two builds used in turn (a package and a development build,
// or a benchmark comparing them) would each delete the other's and read
// the kernel's whole BTF again at every start.
constexpr std::size_t kKeptCopies = 4;

// Removes all but the kKeptCopies most recently written copies; `kept` (just
// written) stays whatever the clock says.
void remove_old_copies(int dir_fd, const std::string& kept) {
  std::vector<std::pair<struct timespec, std::string>> copies;
  if (DIR* entries = fdopendir(::dup(dir_fd))) {
    while (struct dirent* entry = readdir(entries)) {
      std::string_view file = entry->d_name;
      struct stat st {};
      if (file.rfind(kFilePrefix, 0) != 0 || file == kept ||
          fstatat(dir_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        continue;
      copies.emplace_back(st.st_mtim, std::string(file));
    }
    closedir(entries);
  }
  if (copies.size() < kKeptCopies) return;
  std::sort(copies.begin(), copies.end(), [](const auto& a, const auto& b) {
    return a.first.tv_sec != b.first.tv_sec ? a.first.tv_sec > b.first.tv_sec : a.first.tv_nsec > b.first.tv_nsec;
  });
  for (std::size_t i = kKeptCopies - 1; i < copies.size(); ++i) ::unlinkat(dir_fd, copies[i].second.c_str(), 0);
}

bool is_root_file(int fd) {
  struct stat st {};
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 && (st.st_mode & 022) == 0 &&
         st.st_size > 0 && st.st_size < kMaxCopyBytes;
}

// "___flavor" suffixes name local variants of one kernel type (libbpf's
// rule): the kernel type has the name before them.
std::string_view essential_name(std::string_view name) {
  auto cut = name.find("___");
  return cut == std::string_view::npos ? name : name.substr(0, cut);
}

bool is_named_relocation_root(const struct btf_type* t) {
  switch (btf_kind(t)) {
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
    case BTF_KIND_TYPEDEF:
      return t->name_off != 0;
    default:
      return false;
  }
}

// Copies kernel types into `out` with their references renumbered.
class TypeCopier {
 public:
  TypeCopier(const struct btf* kernel, struct btf* out) : kernel_(kernel), out_(out) {}

  // The copy's id of kernel type `id`; negative on error.
  long copy(__u32 id) {
    if (id == 0) return 0;
    if (auto it = copied_.find(id); it != copied_.end()) return it->second;
    const struct btf_type* t = btf__type_by_id(kernel_, id);
    if (!t) return -EINVAL;
    int new_id = btf__add_type(out_, kernel_, t);
    if (new_id < 0) return new_id;
    copied_[id] = static_cast<__u32>(new_id);
    // Each copy() below may grow `out` and move its types: find ours again
    // after every one.
    auto mine = [&] { return const_cast<struct btf_type*>(btf__type_by_id(out_, static_cast<__u32>(new_id))); };
    switch (btf_kind(t)) {
      case BTF_KIND_PTR:
        mine()->type = 0;  // an access path never crosses a pointer
        break;
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG:
      case BTF_KIND_FUNC:
      case BTF_KIND_VAR:
      case BTF_KIND_DECL_TAG: {
        long ref = copy(t->type);
        if (ref < 0) return ref;
        mine()->type = static_cast<__u32>(ref);
        break;
      }
      case BTF_KIND_ARRAY: {
        long elem = copy(btf_array(t)->type);
        long index = elem < 0 ? elem : copy(btf_array(t)->index_type);
        if (index < 0) return index;
        btf_array(mine())->type = static_cast<__u32>(elem);
        btf_array(mine())->index_type = static_cast<__u32>(index);
        break;
      }
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
        for (int i = 0; i < btf_vlen(t); ++i) {
          long member = copy(btf_members(t)[i].type);
          if (member < 0) return member;
          btf_members(mine())[i].type = static_cast<__u32>(member);
        }
        break;
      case BTF_KIND_FUNC_PROTO: {
        long ret = copy(t->type);
        if (ret < 0) return ret;
        mine()->type = static_cast<__u32>(ret);
        for (int i = 0; i < btf_vlen(t); ++i) {
          long param = copy(btf_params(t)[i].type);
          if (param < 0) return param;
          btf_params(mine())[i].type = static_cast<__u32>(param);
        }
        break;
      }
      case BTF_KIND_DATASEC:
        return -EINVAL;  // not reachable from a named type
      default:  // int, float, enum, forward declaration: no references
        break;
    }
    return new_id;
  }

 private:
  const struct btf* kernel_;
  struct btf* out_;
  std::unordered_map<__u32, __u32> copied_;
};

}  // namespace

std::string kernel_build_id() {
  // /sys/kernel/notes: the kernel image's ELF notes, each a header of three
  // 32-bit words (name size, descriptor size, type) and the two, padded to 4.
  int fd = ::open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  unsigned char buf[4096];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  constexpr __u32 kNtGnuBuildId = 3;
  auto pad = [](std::size_t v) { return (v + 3) & ~std::size_t{3}; };
  for (std::size_t at = 0; n > 0 && at + 12 <= static_cast<std::size_t>(n);) {
    __u32 header[3];
    std::memcpy(header, buf + at, sizeof header);
    std::size_t name = at + 12, desc = name + pad(header[0]), next = desc + pad(header[1]);
    if (next > static_cast<std::size_t>(n) || next <= at) break;
    if (header[2] == kNtGnuBuildId && header[0] == 4 && std::memcmp(buf + name, "GNU", 4) == 0 && header[1] > 0)
      return hex(buf + desc, header[1]);
    at = next;
  }
  return {};
}

struct btf* minimal_kernel_btf(const struct btf* kernel, const struct btf* program) {
  std::unordered_set<std::string_view> wanted;
  for (__u32 id = 1; id < btf__type_cnt(program); ++id) {
    const struct btf_type* t = btf__type_by_id(program, id);
    if (is_named_relocation_root(t)) wanted.insert(essential_name(btf__name_by_offset(program, t->name_off)));
  }
  struct btf* out = btf__new_empty();
  if (!out) return nullptr;
  TypeCopier copier(kernel, out);
  for (__u32 id = 1; id < btf__type_cnt(kernel); ++id) {
    const struct btf_type* t = btf__type_by_id(kernel, id);
    if (!is_named_relocation_root(t) || !wanted.count(btf__name_by_offset(kernel, t->name_off))) continue;
    if (copier.copy(id) < 0) {
      btf__free(out);
      return nullptr;
    }
  }
  return out;
}

KernelBtfCache::KernelBtfCache(std::string dir, const void* object, std::size_t object_size)
    : dir_(std::move(dir)) {
  if (dir_.empty()) return;
  std::string build_id = kernel_build_id();
  struct stat kernel_btf {};
  if (build_id.empty() || ::stat(kKernelBtf, &kernel_btf) != 0) return;
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(object_hash(object, object_size)));
  name_ = kFilePrefix + build_id + "-" + std::to_string(kernel_btf.st_size) + "-" + hash + ".btf";

  int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd < 0) return;
  if (is_private_root_dir(dir_fd)) {
    fd_ = ::openat(dir_fd, name_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd_ >= 0 && !is_root_file(fd_)) {
      spdlog::debug("ignoring {}/{}: not a root-owned regular file of a plausible size", dir_, name_);
      ::close(fd_);
      fd_ = -1;
    }
  }
  ::close(dir_fd);
  if (fd_ >= 0) path_ = "/proc/self/fd/" + std::to_string(fd_);
}

KernelBtfCache::~KernelBtfCache() {
  if (fd_ >= 0) ::close(fd_);
}

void KernelBtfCache::discard() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd < 0) return;
  if (is_private_root_dir(dir_fd)) ::unlinkat(dir_fd, name_.c_str(), 0);
  ::close(dir_fd);
}

void KernelBtfCache::store_if_missing(const struct btf* program_btf) {
  if (fd_ >= 0 || name_.empty() || !program_btf || geteuid() != 0) return;
  if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    spdlog::debug("cannot create {}: {}", dir_, std::strerror(errno));
    return;
  }
  int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd < 0) return;
  if (!is_private_root_dir(dir_fd)) {
    spdlog::debug("not caching kernel BTF: {} is not a root-owned directory of mode 0700", dir_);
    ::close(dir_fd);
    return;
  }
  struct btf* kernel = btf__load_vmlinux_btf();
  struct btf* copy = kernel ? minimal_kernel_btf(kernel, program_btf) : nullptr;
  __u32 size = 0;
  const void* raw = copy ? btf__raw_data(copy, &size) : nullptr;
  std::string temp = name_ + ".tmp" + std::to_string(getpid());
  int fd = raw ? ::openat(dir_fd, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644) : -1;
  bool ok = fd >= 0 && ::fchmod(fd, 0644) == 0 && ::write(fd, raw, size) == static_cast<ssize_t>(size);
  if (fd >= 0) ::close(fd);
  if (ok && ::renameat(dir_fd, temp.c_str(), dir_fd, name_.c_str()) == 0) {
    spdlog::debug("cached {} kernel BTF types ({} bytes) as {}/{}", btf__type_cnt(copy) - 1, size, dir_, name_);
    remove_old_copies(dir_fd, name_);
  } else {
    spdlog::debug("cannot cache kernel BTF in {}: {}", dir_, std::strerror(errno));
    if (fd >= 0) ::unlinkat(dir_fd, temp.c_str(), 0);
  }
  btf__free(copy);
  btf__free(kernel);
  ::close(dir_fd);
}

}  // namespace proctrace
