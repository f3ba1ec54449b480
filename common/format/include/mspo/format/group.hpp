// GLB/GROUP.GLB: the postoffice groups. A 4-byte header (all zero in a reset
// file, KB Q112905) and 51-byte records. The KB names the fields (delete flag,
// alias, TID = .MEM file name, type, pointer into ADMIN.GRP: KB Q112905,
// Q107767); the offsets below are our model (docs/FORMATS.md).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "mspo/base/bytes.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// GROUP.GLB record, our model:
///   0x00  1  delete flag: 1 = deleted
///   0x01 31  group alias, CP850, NUL-padded (30 chars + NUL)
///   0x20  4  TID (uint32), also the group's MEM/<8hex>.MEM file name
///   0x24  1  type
///   0x25  4  byte offset of the group's first node in GRP/ADMIN.GRP (uint32)
///   0x29 10  unknown, kept
struct GroupRecord {
    static constexpr std::size_t size = 51;
    static constexpr const SizeRule& rule = rules::group;
    static constexpr std::size_t kDeleteFlag = 0x00;
    static constexpr std::size_t kAlias = 0x01, kAliasWidth = 31;
    static constexpr std::size_t kTid = 0x20;
    static constexpr std::size_t kType = 0x24;
    static constexpr std::size_t kGrpOffset = 0x25;
    static constexpr std::size_t kUnknown = 0x29;
    std::array<std::uint8_t, size> raw{};

    std::uint8_t delete_flag() const { return raw[kDeleteFlag]; }
    bool deleted() const { return raw[kDeleteFlag] == 1; }
    void set_deleted(bool d) { raw[kDeleteFlag] = d ? 1 : 0; }
    std::string alias() const { return get_cstr(raw, kAlias, kAliasWidth); }  // raw CP850
    /// Throws std::length_error if `cp850` is over 30 bytes.
    void set_alias(const std::string& cp850) { put_cstr(raw, kAlias, kAliasWidth, cp850); }
    std::uint32_t tid() const { return get_u32(raw, kTid); }
    void set_tid(std::uint32_t v) { put_u32(raw, kTid, v); }
    std::uint8_t type() const { return raw[kType]; }
    void set_type(std::uint8_t v) { raw[kType] = v; }
    std::uint32_t grp_offset() const { return get_u32(raw, kGrpOffset); }
    void set_grp_offset(std::uint32_t v) { put_u32(raw, kGrpOffset, v); }

    /// "0000002A.MEM" for TID 0x2A: the file in MEM/ that lists the members' mailbags.
    std::string mem_filename() const;
};

using GroupTable = Table<GroupRecord>;

/// decode_table over the GROUP.GLB rule; never throws on damaged input.
GroupTable decode_group(ByteSpan data);
/// The bytes of a GROUP.GLB table (encode_table).
Bytes encode_group(const GroupTable& table);

}  // namespace mspo
