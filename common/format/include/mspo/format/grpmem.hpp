// GLB/GRPMEM.GLB: group-folder membership. A 4-byte header (a reset file is a
// copy of the 4-byte reset GROUP.GLB, KB Q104562) and 128-byte records, each
// holding a user's mailbag number and pointers to the .MEM files of the groups
// the user belongs to (KB Q102669). Offsets are our model (docs/FORMATS.md).
#pragma once

#include <array>
#include <cstdint>

#include "mspo/base/bytes.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// GRPMEM.GLB record, our model:
///   0x00   1  delete flag (polarity uncertain: KB Q102669 says the 2.1 -> 3.0
///             upgrade inverted its meaning, so only the raw byte is offered)
///   0x01   4  the user's mailbag number (uint32)
///   0x05 123  unknown (pointers to .MEM files; layout unknown), kept
struct GrpmemRecord {
    static constexpr std::size_t size = 128;
    static constexpr const SizeRule& rule = rules::grpmem;
    static constexpr std::size_t kDeleteFlag = 0x00;
    static constexpr std::size_t kMailbag = 0x01;
    static constexpr std::size_t kUnknown = 0x05;
    std::array<std::uint8_t, size> raw{};

    std::uint8_t delete_flag() const { return raw[kDeleteFlag]; }
    void set_delete_flag(std::uint8_t v) { raw[kDeleteFlag] = v; }
    std::uint32_t mailbag() const { return get_u32(raw, kMailbag); }
    void set_mailbag(std::uint32_t v) { put_u32(raw, kMailbag, v); }
};

using GrpmemTable = Table<GrpmemRecord>;

/// decode_table over the GRPMEM.GLB rule; never throws on damaged input.
GrpmemTable decode_grpmem(ByteSpan data);
/// The bytes of a GRPMEM.GLB table (encode_table).
Bytes encode_grpmem(const GrpmemTable& table);

}  // namespace mspo
