#include "mspo/mai.hpp"

#include <string>

#include "mspo/error.hpp"
#include "mspo/platform.hpp"

namespace mspo {

namespace {

[[noreturn]] void throw_short(std::uint64_t size, const std::filesystem::path& file) {
    throw Error(Errc::truncated,
                "MAI file is " + std::to_string(size) +
                    " bytes, too short for its reference counter (needs " + std::to_string(kMaiMinSize) + ")",
                file, kMaiRefcountOffset);
}

}  // namespace

std::uint16_t read_mai_refcount(const std::filesystem::path& path) {
    Bytes two;
    try {
        two = platform::read_range(path, kMaiRefcountOffset, 2);
    } catch (const Error& e) {
        if (e.code() != Errc::truncated) throw;
        // read_range names the offset where the file ended; we name the field.
        throw_short(e.offset().value_or(0), path);
    }
    return get_u16(two, 0);
}

std::uint16_t get_refcount(ByteSpan mai) {
    if (mai.size() < kMaiMinSize) throw_short(mai.size(), {});
    return get_u16(mai, kMaiRefcountOffset);
}

void set_refcount(Bytes& mai, std::uint16_t count) {
    if (mai.size() < kMaiMinSize) throw_short(mai.size(), {});
    put_u16(mai, kMaiRefcountOffset, count);
}

}  // namespace mspo
