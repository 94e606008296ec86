// The files of `record --report-dir` and the job summary, opened by the user
// who ran `sudo proctrace record` (record/user_rights.h): root opens nothing
// on their behalf, so each open happens in a child that already is the
// user. Without sudo, they are opened here. Each returns a descriptor
// (close-on-exec) or -errno.
#pragma once

#include <optional>
#include <string>

#include "record/user_rights.h"

namespace proctrace {

// Creates the directory (0755) unless it exists; a symbolic link is not
// followed (-ELOOP). Returns a descriptor of the directory.
[[nodiscard]] int make_directory_as(const std::optional<InvokingUser>& user, const std::string& path);
// Creates or truncates a file (0644); a symbolic link is not followed.
[[nodiscard]] int create_file_as(const std::optional<InvokingUser>& user, const std::string& path);
// Opens a file to read, with the user's rights.
[[nodiscard]] int open_read_as(const std::optional<InvokingUser>& user, const std::string& path);
// Opens an existing regular file to append to (GITHUB_STEP_SUMMARY): never
// created, never through a symbolic link, and -EINVAL for a FIFO, device or
// directory, which could block or write where no file is.
[[nodiscard]] int open_append_as(const std::optional<InvokingUser>& user, const std::string& path);

}  // namespace proctrace
