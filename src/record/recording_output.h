// Where `proctrace record` writes the recording: a file opened with the
// rights of the user who ran sudo (never root's), or stdout.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "io/recording_writer.h"
#include "record/user_rights.h"

namespace proctrace {

struct RecordingOutput {
  std::unique_ptr<RecordingWriter> writer;  // null on error
  std::string error;                        // why the file could not be opened
  // The recording is where proctrace's stdout goes ("-o -", or the same
  // file): the command's stdout must go to stderr, or its bytes would land in
  // the middle of the recording.
  bool shares_stdout = false;
};

// path "-" is stdout. An empty path is a new file in the current directory,
// proctrace-YYYYMMDD-HHMMSS.jsonl (or -2, -3... if taken), named on stderr:
// the command's own stdout stays on stdout. Otherwise the file is created or truncated by a child
// that has become `user` (so it is theirs, with no chown), and a symbolic
// link is followed only when it belongs to that user (or root) and sits in a
// directory nobody else can rewrite: one planted in /tmp by another user
// is refused.
[[nodiscard]] RecordingOutput open_recording_output(const std::string& path, const std::optional<InvokingUser>& user);

// Another file the recorder writes beside the recording (record --all's
// strace log): created or truncated as `user`, symbolic links trusted as
// above. A descriptor or -errno (-ELOOP: an untrusted link).
[[nodiscard]] int open_output_file_as(const std::optional<InvokingUser>& user, const std::string& path);

}  // namespace proctrace
