// NME address lists: the postoffice list ADMIN.NME and its shadow ADMINSHD.NME,
// personal address lists <hexid>.NME, GAL.NME and gateway lists. Every .NME is
// 45-byte records with no header (KB Q77926, Q135932); what a record means is
// described in KB Q107767. Field offsets are our model (docs/FORMATS.md).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "mspo/base/bytes.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// Alias types named in KB Q107767 (local users are type 1 in our model).
/// Other values occur in damaged or unfamiliar lists: records keep them as
/// they are and nme_type() reports them as unknown.
enum class NmeType : std::uint8_t {
    local = 1,     // local user; the pointer leads to the ACCESS2.GLB record
    external = 2,  // external user or group; the pointer is a byte offset into NETPO.GLB
    group = 4,     // postoffice group; the pointer is a byte offset into ADMIN.GRP
};

/// The NmeType of a raw type byte, or nullopt if the value is not one we know.
std::optional<NmeType> nme_type(std::uint8_t code) noexcept;

/// "local", "external", "group", or "unknown (7)" for any other value.
std::string nme_type_name(std::uint8_t code);

/// One address-list entry, our model:
///   0x00 31  alias, CP850, NUL-padded (30 chars + NUL)
///   0x1F  4  TID (uint32); for a group also the .MEM file number
///   0x23  1  alias type (NmeType)
///   0x24  4  pointer (uint32 byte offset, see NmeType)
///   0x28  5  unknown, kept
struct NmeRecord {
    static constexpr std::size_t size = 45;
    static constexpr std::size_t kAlias = 0x00, kAliasWidth = 31;
    static constexpr std::size_t kTid = 0x1F;
    static constexpr std::size_t kType = 0x23;
    static constexpr std::size_t kPointer = 0x24;
    static constexpr std::size_t kUnknown = 0x28, kUnknownWidth = 5;
    std::array<std::uint8_t, size> raw{};

    std::string alias() const { return get_cstr(raw, kAlias, kAliasWidth); }  // raw CP850
    /// Writes the alias and NUL-pads the rest of its field. Throws
    /// std::length_error if `cp850` is longer than 30 bytes.
    void set_alias(const std::string& cp850) { put_cstr(raw, kAlias, kAliasWidth, cp850); }
    std::uint32_t tid() const { return get_u32(raw, kTid); }
    void set_tid(std::uint32_t v) { put_u32(raw, kTid, v); }
    /// The type byte as stored, known or not.
    std::uint8_t type_code() const { return raw[kType]; }
    void set_type_code(std::uint8_t v) { raw[kType] = v; }
    /// The type, or nullopt if the byte holds a value we do not know.
    std::optional<NmeType> type() const { return nme_type(raw[kType]); }
    void set_type(NmeType t) { raw[kType] = static_cast<std::uint8_t>(t); }
    std::uint32_t pointer() const { return get_u32(raw, kPointer); }
    void set_pointer(std::uint32_t v) { put_u32(raw, kPointer, v); }
};

using NmeTable = Table<NmeRecord>;

/// Default read limit for an .NME file: far above any real list (a million
/// entries), low enough that a damaged size cannot exhaust memory.
inline constexpr std::uint64_t kNmeReadLimit = 64ull * 1024 * 1024;

/// Splits an .NME image into records. Never throws: a partial last record
/// lands in `trailing` (check size_violation(rules::nme, ...) for the finding).
NmeTable decode_nme(ByteSpan data);
/// The bytes of a table; encode_nme(decode_nme(x)) == x for every x.
Bytes encode_nme(const NmeTable& table);

/// Reads and decodes an .NME file. Throws Error like platform::read_file
/// (size_rule if the file is larger than `max_bytes`).
NmeTable read_nme(const std::filesystem::path& path, std::uint64_t max_bytes = kNmeReadLimit);

/// Index of the first record whose TID is `tid`, or nullopt.
std::optional<std::size_t> find_tid(const NmeTable& table, std::uint32_t tid) noexcept;

}  // namespace mspo
