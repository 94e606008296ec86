#include "export/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "export/export_error.h"

namespace proctrace {

namespace {

// The SONAME of libcurl 7.16 and later (Debian libcurl4): the ABI the
// header we compiled against describes. macOS ships it as a dylib of the
// same ABI version (the analysis-only build runs there).
#ifdef __APPLE__
constexpr const char* kCurlSoname = "libcurl.4.dylib";
#else
constexpr const char* kCurlSoname = "libcurl.so.4";
#endif

std::string missing(const std::string& what) {
  return "the network exports need libcurl (" + std::string(kCurlSoname) + "): " + what +
         "; install it (Debian/Ubuntu: apt install libcurl4)";
}

template <typename Function>
void bind(void* library, const char* name, Function& out) {
  out = reinterpret_cast<Function>(dlsym(library, name));
  if (!out) throw ExportError(missing(std::string(name) + " not found in it"));
}

CurlLibrary load() {
  // Never unloaded: handles and the global state outlive any one client.
  void* library = dlopen(kCurlSoname, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = dlerror();
    throw ExportError(missing(why ? why : "cannot be loaded"));
  }
  CurlLibrary curl{};
  bind(library, "curl_global_init", curl.global_init);
  bind(library, "curl_share_init", curl.share_init);
  bind(library, "curl_share_setopt", curl.share_setopt);
  bind(library, "curl_share_cleanup", curl.share_cleanup);
  bind(library, "curl_easy_init", curl.easy_init);
  bind(library, "curl_easy_setopt", curl.easy_setopt);
  bind(library, "curl_easy_perform", curl.easy_perform);
  bind(library, "curl_easy_getinfo", curl.easy_getinfo);
  bind(library, "curl_easy_strerror", curl.easy_strerror);
  bind(library, "curl_easy_cleanup", curl.easy_cleanup);
  bind(library, "curl_slist_append", curl.slist_append);
  bind(library, "curl_slist_free_all", curl.slist_free_all);
  if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw ExportError(missing("curl_global_init failed"));
  return curl;
}

}  // namespace

const CurlLibrary& curl_library() {
  // A failed load is retried by the next caller (call_once rethrows and
  // stays unset), and reported each time.
  static std::once_flag once;
  static CurlLibrary curl;
  std::call_once(once, [] { curl = load(); });
  return curl;
}

}  // namespace proctrace
