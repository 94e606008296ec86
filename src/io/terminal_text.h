// Text from inputs (argv, paths, bad lines quoted in messages) made safe to
// print on a terminal: bytes that a terminal would act on instead of showing
// are written as escapes. Every text view and every message goes through
// here; JSON outputs do not (they keep the exact text, JSON-escaped).
#pragma once

#include <string>
#include <string_view>

namespace proctrace {

// Appends s with these shown escaped:
//  - C0 controls (ESC as \x1b, newline as \n, CR as \r; tab too unless
//    keep_tab) and DEL (\x7f);
//  - C1 controls U+0080-U+009F, which some terminals obey like ESC + a
//    letter (U+009B is CSI), as \u009b; and the Unicode controls that reorder
//    or break lines (U+2028/2029, bidi embeddings, overrides and isolates);
//  - bytes that are not valid UTF-8 (a lone 0x9b is CSI to an 8-bit
//    terminal), as \x9b.
// Everything else, backslashes included, is kept: valid text is unchanged.
void append_terminal_safe(std::string& out, std::string_view s, bool keep_tab = true);
std::string terminal_safe(std::string_view s, bool keep_tab = true);

}  // namespace proctrace
