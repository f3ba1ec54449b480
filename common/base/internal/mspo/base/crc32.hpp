// CRC-32 (ISO-HDLC, as gzip and zip use it), computed by zlib.
#pragma once

#include <cstdint>

#include "mspo/base/bytes.hpp"

namespace mspo {

/// CRC-32 of `data`, continuing from `previous` (0 to start).
std::uint32_t crc32(ByteSpan data, std::uint32_t previous = 0) noexcept;

/// Incremental CRC-32 over chunks.
class Crc32 {
public:
    void update(ByteSpan data) noexcept { value_ = crc32(data, value_); }
    std::uint32_t value() const noexcept { return value_; }

private:
    std::uint32_t value_ = 0;
};

}  // namespace mspo
