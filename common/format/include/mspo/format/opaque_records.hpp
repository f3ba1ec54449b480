// Record files whose size rule is documented but whose fields mostly are not:
// USR (53, KB Q77926), XTN (698, KB Q77926, Q128243), SERVER.GLB (181),
// PROCESS.GLB (512-byte header + 197) and GALINDEX.GLB (52 u32 offsets, then
// 6-byte entries, KB Q86375). The records keep every byte; only GALINDEX
// entries have named fields. Read them with decode_table<R>(bytes, R::rule).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "mspo/base/bytes.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// USR/<8hex>.USR record: one user or group of an external postoffice. Opaque.
struct UsrRecord {
    static constexpr std::size_t size = 53;
    static constexpr const SizeRule& rule = rules::usr;
    std::array<std::uint8_t, size> raw{};
};

/// XTN/<8hex>.XTN record: one postoffice of a network (routing, sign-on,
/// connection, statistics, a pointer to its mailbag; KB Q77926). Opaque.
struct XtnRecord {
    static constexpr std::size_t size = 698;
    static constexpr const SizeRule& rule = rules::xtn;
    std::array<std::uint8_t, size> raw{};
};

/// GLB/SERVER.GLB record. Opaque.
struct ServerRecord {
    static constexpr std::size_t size = 181;
    static constexpr const SizeRule& rule = rules::server;
    std::array<std::uint8_t, size> raw{};
};

/// GLB/PROCESS.GLB record (after the file's 512-byte header). Opaque.
struct ProcessRecord {
    static constexpr std::size_t size = 197;
    static constexpr const SizeRule& rule = rules::process;
    std::array<std::uint8_t, size> raw{};
};

/// GLB/GALINDEX.GLB entry (KB Q86375): which word of a GAL full name this
/// entry indexes, and the byte offset of that name's record in NME/GAL.NME.
///   0x00 2  word number (uint16; which word of the full name)
///   0x02 4  byte offset into GAL.NME (uint32)
struct GalIndexEntry {
    static constexpr std::size_t size = 6;
    static constexpr const SizeRule& rule = rules::galindex;
    static constexpr std::size_t kWord = 0x00;
    static constexpr std::size_t kNmeOffset = 0x02;
    std::array<std::uint8_t, size> raw{};

    std::uint16_t word() const { return get_u16(raw, kWord); }
    void set_word(std::uint16_t v) { put_u16(raw, kWord, v); }
    std::uint32_t nme_offset() const { return get_u32(raw, kNmeOffset); }
    void set_nme_offset(std::uint32_t v) { put_u32(raw, kNmeOffset, v); }
    /// The GAL.NME record index the offset names, or nullopt if the offset is
    /// not on a 45-byte record boundary. May be past the end of GAL.NME.
    std::optional<std::uint64_t> nme_record() const;
};

using UsrTable = Table<UsrRecord>;
using XtnTable = Table<XtnRecord>;
using ServerTable = Table<ServerRecord>;
using ProcessTable = Table<ProcessRecord>;
using GalIndexTable = Table<GalIndexEntry>;

/// Number of u32 offsets in the GALINDEX.GLB header, one per letter (KB Q86375).
inline constexpr std::size_t kGalIndexSlots = 52;

/// The header slot for the first letter of a search word: our model is
/// 'A'..'Z' -> 0..25, then 'a'..'z' -> 26..51 (the KB gives no order).
/// nullopt for any other character.
std::optional<std::size_t> galindex_slot(char letter) noexcept;

/// The file offset in header slot `slot`, or nullopt if slot >= 52 or the
/// header is too short to hold it.
std::optional<std::uint32_t> galindex_slot_offset(const GalIndexTable& table, std::size_t slot);

}  // namespace mspo
