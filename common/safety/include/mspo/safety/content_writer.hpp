// A file's new contents produced piece by piece, so a change to a large file
// (a 100 MB mailbag, a file coming out of a snapshot archive) never needs the
// whole file in memory.
#pragma once

#include <functional>

#include "mspo/base/bytes.hpp"

namespace mspo {

/// Streams new contents: calls `sink` with successive chunks; may be called more than once, and must yield
/// the same bytes each time. `sink` may throw (a write error; more bytes than
/// the planned size): let its exception pass.
using ContentWriter = std::function<void(const std::function<void(ByteSpan)>& sink)>;

}  // namespace mspo
