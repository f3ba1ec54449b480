// Little-endian integers and fixed-width text fields inside record buffers.
// Every access is bounds-checked: a field that does not fit its buffer is a
// programming error in a codec and throws std::out_of_range, never UB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mspo {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;
using MutableByteSpan = std::span<std::uint8_t>;

std::uint16_t get_u16(ByteSpan b, std::size_t off);
std::uint32_t get_u32(ByteSpan b, std::size_t off);
void put_u16(MutableByteSpan b, std::size_t off, std::uint16_t v);
void put_u32(MutableByteSpan b, std::size_t off, std::uint32_t v);

/// The bytes of a NUL-padded text field of `width` bytes, up to the first NUL
/// (raw CP850, not decoded).
std::string get_cstr(ByteSpan b, std::size_t off, std::size_t width);

/// Writes `text` (raw CP850) into a field of `width` bytes: the text, then NUL
/// padding. Throws std::length_error if text.size() >= width (a NUL must fit).
/// Bytes after the terminating NUL are zeroed: callers that must keep
/// unknown trailing bytes use put_cstr_keep_tail.
void put_cstr(MutableByteSpan b, std::size_t off, std::size_t width, std::string_view text);

/// As put_cstr, but only the text and one NUL are written; the rest of the
/// field is left exactly as it was.
void put_cstr_keep_tail(MutableByteSpan b, std::size_t off, std::size_t width, std::string_view text);

/// True if `s` is 8 ASCII hex digits.
bool is_hex8(std::string_view s);
/// Parses 8 hex digits (either case). Returns false if `s` is not hex8.
bool parse_hex8(std::string_view s, std::uint32_t& out);
/// Formats a file number as 8 upper-case hex digits.
std::string format_hex8(std::uint32_t n);

}  // namespace mspo
