#include "mspo/base/bytes.hpp"

#include <stdexcept>

namespace mspo {

namespace {
void need(std::size_t size, std::size_t off, std::size_t len) {
    if (off > size || len > size - off)
        throw std::out_of_range("field at " + std::to_string(off) + "+" + std::to_string(len) +
                                " past buffer of " + std::to_string(size));
}
}  // namespace

std::uint16_t get_u16(ByteSpan b, std::size_t off) {
    need(b.size(), off, 2);
    return static_cast<std::uint16_t>(b[off] | (b[off + 1] << 8));
}

std::uint32_t get_u32(ByteSpan b, std::size_t off) {
    need(b.size(), off, 4);
    return static_cast<std::uint32_t>(b[off]) | (static_cast<std::uint32_t>(b[off + 1]) << 8) |
           (static_cast<std::uint32_t>(b[off + 2]) << 16) | (static_cast<std::uint32_t>(b[off + 3]) << 24);
}

void put_u16(MutableByteSpan b, std::size_t off, std::uint16_t v) {
    need(b.size(), off, 2);
    b[off] = static_cast<std::uint8_t>(v & 0xFF);
    b[off + 1] = static_cast<std::uint8_t>(v >> 8);
}

void put_u32(MutableByteSpan b, std::size_t off, std::uint32_t v) {
    need(b.size(), off, 4);
    for (std::size_t i = 0; i < 4; ++i) b[off + i] = static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF);
}

std::string get_cstr(ByteSpan b, std::size_t off, std::size_t width) {
    need(b.size(), off, width);
    std::string s;
    for (std::size_t i = 0; i < width && b[off + i] != 0; ++i) s.push_back(static_cast<char>(b[off + i]));
    return s;
}

void put_cstr(MutableByteSpan b, std::size_t off, std::size_t width, std::string_view text) {
    need(b.size(), off, width);
    if (text.size() >= width)
        throw std::length_error("text too long for a field of " + std::to_string(width));
    for (std::size_t i = 0; i < width; ++i)
        b[off + i] = i < text.size() ? static_cast<std::uint8_t>(text[i]) : 0;
}

void put_cstr_keep_tail(MutableByteSpan b, std::size_t off, std::size_t width, std::string_view text) {
    need(b.size(), off, width);
    if (text.size() >= width)
        throw std::length_error("text too long for a field of " + std::to_string(width));
    for (std::size_t i = 0; i < text.size(); ++i) b[off + i] = static_cast<std::uint8_t>(text[i]);
    b[off + text.size()] = 0;
}

bool is_hex8(std::string_view s) {
    std::uint32_t ignored = 0;
    return parse_hex8(s, ignored);
}

bool parse_hex8(std::string_view s, std::uint32_t& out) {
    if (s.size() != 8) return false;
    std::uint32_t v = 0;
    for (char c : s) {
        std::uint32_t d = 0;
        if (c >= '0' && c <= '9')
            d = static_cast<std::uint32_t>(c - '0');
        else if (c >= 'A' && c <= 'F')
            d = static_cast<std::uint32_t>(c - 'A' + 10);
        else if (c >= 'a' && c <= 'f')
            d = static_cast<std::uint32_t>(c - 'a' + 10);
        else
            return false;
        v = (v << 4) | d;
    }
    out = v;
    return true;
}

std::string format_hex8(std::uint32_t n) {
    static const char digits[] = "0123456789ABCDEF";
    std::string s(8, '0');
    for (int i = 7; i >= 0; --i) {
        s[static_cast<std::size_t>(i)] = digits[n & 0xF];
        n >>= 4;
    }
    return s;
}

}  // namespace mspo
