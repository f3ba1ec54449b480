#include "mspo/format/control.hpp"

#include <algorithm>

namespace mspo {

static_assert(ControlFile::rule.record == 0 && ControlFile::rule.header == ControlFile::size);

std::optional<ControlFile> ControlFile::from_bytes(ByteSpan data) {
    if (data.size() != size) return std::nullopt;
    ControlFile f;
    std::copy(data.begin(), data.end(), f.raw.begin());
    return f;
}

Bytes ControlFile::to_bytes() const { return Bytes(raw.begin(), raw.end()); }

}  // namespace mspo
