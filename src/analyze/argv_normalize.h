// Command lines with the parts that change from one run of the same job to
// the next taken out, so `proctrace diff` can match a compile in two
// recordings: temporary file names, process ids, timestamps and hashes.
//
//  - In a name directly inside a temporary directory (/tmp/, /var/tmp/,
//    /dev/shm/), every run of 6 or more letters and digits becomes "*":
//    /tmp/ccAb12Cd.s and /tmp/ccabcdef.s -> /tmp/*.s (mkstemp's letters may
//    all be lower case). Deeper down, where projects keep their files, only
//    runs holding a digit or a capital letter: /tmp/b/x7Rk2P/main.c ->
//    /tmp/b/*/main.c.
//  - Anywhere, a run of 12 or more hex digits holding both a digit and a
//    letter a-f becomes "<hex>" (content hashes, git ids).
//  - A run of 5 or more digits becomes "<n>" when it is a whole argument, a
//    whole path component or the value after '=' (pids, timestamps):
//    /proc/12345/stat, --seed=1700000000. file_12345.c is left alone: a
//    file name is what tells two compiles apart.
#pragma once

#include <string>
#include <string_view>

namespace proctrace {

std::string normalize_argument(std::string_view arg);
// The same, appended to out: a key built of many arguments reuses one buffer.
void append_normalized_argument(std::string& out, std::string_view arg);

}  // namespace proctrace
