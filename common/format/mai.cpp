#include "mspo/format/mai.hpp"

#include <string>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

namespace {

[[noreturn]] void throw_short(const std::filesystem::path& file) {
    throw Error(
        Errc::truncated,
        "MAI file ends before its reference counter (needs " + std::to_string(kMaiMinSize) + " bytes)", file,
        kMaiRefcountOffset);
}

}  // namespace

std::uint16_t read_mai_refcount(const std::filesystem::path& path) {
    Bytes two;
    try {
        two = platform::read_range(path, kMaiRefcountOffset, 2);
    } catch (const Error& e) {
        if (e.code() != Errc::truncated) throw;
        // read_range names the offset where the file ended; we name the field.
        throw_short(path);
    }
    return get_u16(two, 0);
}

std::uint16_t mai_refcount(const Postoffice& po, std::uint32_t n, const std::filesystem::path& path) {
    auto& memo = po.mai_refcount_memo();
    if (const auto it = memo.find(n); it != memo.end()) return it->second;
    const std::uint16_t counter = read_mai_refcount(path);
    memo.emplace(n, counter);
    return counter;
}

std::uint16_t get_refcount(ByteSpan mai) {
    if (mai.size() < kMaiMinSize) throw_short({});
    return get_u16(mai, kMaiRefcountOffset);
}

void set_refcount(Bytes& mai, std::uint16_t count) {
    if (mai.size() < kMaiMinSize) throw_short({});
    put_u16(mai, kMaiRefcountOffset, count);
}

}  // namespace mspo
