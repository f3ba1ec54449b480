// MAI message files are encrypted (KB Q130322), all but one field: the uint16
// at file offset 0x0B counts the mailbags that still hold a header pointing at
// the message; the last owner's delete erases the file (KB Q104423). That
// counter and the file's existence are all the library reads of a .MAI.
#pragma once

#include <cstdint>
#include <filesystem>

#include "mspo/base/bytes.hpp"
#include "mspo/format/layout.hpp"

namespace mspo {

inline constexpr std::size_t kMaiRefcountOffset = 0x0B;
/// Smallest file that holds the counter (0x0B + 2 = 13 bytes).
inline constexpr std::size_t kMaiMinSize = kMaiRefcountOffset + 2;

/// Reads the reference counter of a .MAI file (two bytes, via
/// platform::read_range). Throws Error{truncated} with the file and offset
/// 0x0B if the file is shorter than 13 bytes; otherwise Error as read_range.
std::uint16_t read_mai_refcount(const std::filesystem::path& path);

/// read_mai_refcount() of MAI number `n` at `path` (its file in `po`), read
/// once per Postoffice: pocheck's checks and the KEY model test each ask for
/// every counter, and the second asking costs nothing. Errors are not
/// remembered. The caller has made sure `path` is a regular file.
std::uint16_t mai_refcount(const Postoffice& po, std::uint32_t n, const std::filesystem::path& path);

/// The counter in a .MAI image. Throws Error{truncated} (offset 0x0B) if the
/// image is shorter than 13 bytes.
std::uint16_t get_refcount(ByteSpan mai);

/// Sets the counter in a .MAI image; no other byte changes. Throws
/// Error{truncated} (offset 0x0B) if the image is shorter than 13 bytes.
void set_refcount(Bytes& mai, std::uint16_t count);

}  // namespace mspo
