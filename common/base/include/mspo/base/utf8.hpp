// UTF-8 validity, in one place for every layer: names from a postoffice are
// bytes, and whatever prints them or writes them into JSON (the snapshot
// manifest, the reports) must know whether they are text.
#pragma once

#include <string>
#include <string_view>

namespace mspo {

/// True if `bytes` is valid UTF-8 (no overlong forms, no surrogates, nothing
/// above U+10FFFF). Control characters are valid UTF-8.
bool is_valid_utf8(std::string_view bytes) noexcept;

/// `bytes` for display: valid UTF-8 sequences kept, every other byte shown
/// as U+FFFD. Always valid UTF-8; equal to `bytes` when is_valid_utf8(bytes).
std::string lossy_utf8(std::string_view bytes);

}  // namespace mspo
