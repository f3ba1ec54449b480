// <8hex>.MEM files: the mailbag numbers of a postoffice group's local members,
// read by the Mailer to resolve the group quickly. 4-byte records, no header,
// at most 2000 bytes = 500 members (KB Q77926). External members are not listed.
// The file number is the group's TID (KB Q107767).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// One member: the mailbag file number (uint32) of a local user.
struct MemRecord {
    static constexpr std::size_t size = 4;
    std::array<std::uint8_t, size> raw{};

    std::uint32_t mailbag() const { return get_u32(raw, 0); }
    void set_mailbag(std::uint32_t v) { put_u32(raw, 0, v); }
};

using MemTable = Table<MemRecord>;

/// The documented maximum number of members (2000 bytes / 4).
inline constexpr std::size_t kMemMaxMembers = 500;
/// Default read limit: well over the documented 2000 bytes, so an oversize
/// file can still be read (and reported by size_violation) but never a huge one.
inline constexpr std::uint64_t kMemReadLimit = 1024 * 1024;

/// Splits a .MEM image. Never throws; a partial last record lands in `trailing`.
MemTable decode_mem(ByteSpan data);
/// The bytes of a table; encode_mem(decode_mem(x)) == x for every x.
Bytes encode_mem(const MemTable& table);
/// Reads and decodes a .MEM file. Throws Error like platform::read_file.
MemTable read_mem(const std::filesystem::path& path, std::uint64_t max_bytes = kMemReadLimit);

/// The member mailbag numbers, in file order.
std::vector<std::uint32_t> mem_mailbags(const MemTable& table);

/// A new .MEM image listing `mailbags`. Throws Error{bad_value} if there are
/// more than kMemMaxMembers (the file would break its size rule).
Bytes build_mem(std::span<const std::uint32_t> mailbags);

}  // namespace mspo
