#include "mspo/format/access.hpp"

namespace mspo {

std::optional<std::uint32_t> Access2Record::mailbag() const {
    std::uint32_t n = 0;
    if (!parse_hex8(mailbag_text(), n)) return std::nullopt;
    return n;
}

}  // namespace mspo
