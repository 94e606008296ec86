// The libcurl functions the HTTP client calls, loaded with dlopen on first
// use. Only the network exports (OTLP, ClickHouse) need libcurl, and linking
// it pulls ~30 shared libraries (TLS, Kerberos, LDAP...) whose ~10,000
// symbols the dynamic linker binds at every start of every command: a third
// of what `proctrace record -- /bin/true` spends outside the kernel.
#pragma once

#include <curl/curl.h>

namespace proctrace {

struct CurlLibrary {
  // decltype of the declarations in curl.h: the pointers have exactly the
  // functions' types. (The setopt/getinfo macros of typecheck-gcc.h are
  // function-like: a name without a call is not expanded.)
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_share_init) share_init;
  decltype(&::curl_share_setopt) share_setopt;
  decltype(&::curl_share_cleanup) share_cleanup;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
};

// Loads libcurl once (curl_global_init included) and returns its functions;
// every later call returns the same. Throws ExportError, saying what to
// install, when libcurl or one of these functions is missing.
const CurlLibrary& curl_library();

}  // namespace proctrace
