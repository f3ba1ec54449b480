// The one sanitiser for everything a tool prints. Names and texts from a
// postoffice are bytes: they may hold terminal escape sequences, C1 controls
// or bytes that are not UTF-8. Text output (stdout, stderr, --log) shows
// them as visible escapes; JSON keeps valid UTF-8 as it is and escapes the
// rest, with the exact bytes in hex beside it.
#pragma once

#include <string>
#include <string_view>

#include "mspo/base/utf8.hpp"  // is_valid_utf8

namespace mspo {

/// `bytes` made safe for a terminal, keeping valid printable UTF-8 as it is:
///   C0 controls (0x00-0x1F), DEL and ESC   -> "\x1b", "\x7f", ...
///   C1 controls (U+0080-U+009F)            -> "\u009b", ...
///   line/paragraph separators and the bidirectional overrides and isolates
///   (U+2028, U+2029, U+202A-U+202E, U+2066-U+2069) -> "\u202e", ...
///   each byte that is not part of valid UTF-8 (stray continuation bytes,
///   overlong forms, surrogates, above U+10FFFF, cut-off sequences) -> "\xff"
/// With keep_newlines, '\n' is kept (for multi-line text such as a
/// transcript); otherwise it is "\x0a", so one field stays on one line.
/// The result is valid UTF-8 and sanitising it again changes nothing.
/// Backslashes are kept as they are (DOS paths stay readable).
std::string terminal_safe(std::string_view bytes, bool keep_newlines = false);

/// `bytes` as valid UTF-8 for JSON: valid UTF-8 (control characters
/// included; JSON escapes them) is kept, each invalid byte becomes the four
/// characters "\xff". Identical to `bytes` when is_valid_utf8(bytes).
std::string utf8_or_escaped(std::string_view bytes);

/// Lower-case hex of every byte ("474c42ff"), the exact form of a name that
/// is not UTF-8.
std::string hex_bytes(std::string_view bytes);

/// A path for a command line the report suggests ("porestore SNAPSHOT PO"):
/// as it is when no shell would split or expand it, else in double quotes
/// with '"', '\\', '$' and '`' escaped. Not a sanitiser: show the result
/// terminal_safe().
std::string shell_word(std::string_view path);

}  // namespace mspo
