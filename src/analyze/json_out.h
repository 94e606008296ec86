// JSON documents of the analysis views (--json). Small results go through
// nlohmann::ordered_json (keys stay in the order written); lists that can
// hold millions of rows are streamed by their views with io/json_text.h.
#pragma once

#include <nlohmann/json.hpp>

#include "io/output_file.h"
#include "model/process_tree.h"

namespace proctrace {

using Json = nlohmann::ordered_json;

// Writes doc and a newline; bytes that are not UTF-8 (argv is raw bytes)
// become U+FFFD rather than failing.
void write_json(OutputFile& out, const Json& doc);

// {"code": 0} / {"signal": 9, "core_dumped": false} / null while unknown.
Json exit_json(const Process& p);

}  // namespace proctrace
