#include "mspo/base/crc32.hpp"

#include <algorithm>
#include <climits>
#include <zlib.h>

namespace mspo {

std::uint32_t crc32(ByteSpan data, std::uint32_t previous) noexcept {
    uLong crc = previous;
    const std::uint8_t* p = data.data();
    std::size_t left = data.size();
    while (left > 0) {  // zlib takes uInt lengths
        auto n = static_cast<uInt>(std::min<std::size_t>(left, UINT_MAX));
        crc = ::crc32(crc, p, n);
        p += n;
        left -= n;
    }
    return static_cast<std::uint32_t>(crc);
}

}  // namespace mspo
