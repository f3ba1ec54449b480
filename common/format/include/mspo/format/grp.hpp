// ADMIN.GRP and its shadow ADMINSHD.GRP: the member chains of every
// postoffice group (KB Q107767, Q135932, Q104562). An 8-byte header, then
// 8-byte nodes; a group's NME record points (byte offset from the start of the
// file) at its first node, each node at the next, and offset 0 ends the chain.
// A reset file is 8 zero bytes.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// One chain node, our model (field order not confirmed by any source):
///   0x00 4  member TID (uint32), the member's TID in ADMIN.NME
///   0x04 4  byte offset of the next node from the start of the file; 0 = end
struct GrpNode {
    static constexpr std::size_t size = 8;
    static constexpr std::size_t kTid = 0, kNext = 4;
    std::array<std::uint8_t, size> raw{};

    std::uint32_t tid() const { return get_u32(raw, kTid); }
    void set_tid(std::uint32_t v) { put_u32(raw, kTid, v); }
    std::uint32_t next() const { return get_u32(raw, kNext); }
    void set_next(std::uint32_t v) { put_u32(raw, kNext, v); }
};

using GrpTable = Table<GrpNode>;

inline constexpr std::uint64_t kGrpHeaderSize = 8;
/// Default read limit for a .GRP file (eight million nodes).
inline constexpr std::uint64_t kGrpReadLimit = 64ull * 1024 * 1024;

/// Splits a .GRP image into header and nodes. Never throws: a short header or
/// a partial last node is kept (header / trailing) for encode_grp.
GrpTable decode_grp(ByteSpan data);
/// The bytes of a table; encode_grp(decode_grp(x)) == x for every x.
Bytes encode_grp(const GrpTable& table);
/// Reads and decodes a .GRP file. Throws Error like platform::read_file.
GrpTable read_grp(const std::filesystem::path& path, std::uint64_t max_bytes = kGrpReadLimit);

/// Byte offset of node `index` (8 + 8 * index).
inline std::uint64_t grp_node_offset(std::uint64_t index) noexcept {
    return kGrpHeaderSize + index * GrpNode::size;
}

enum class ChainStatus {
    ok,          // the chain ended with a next offset of 0
    misaligned,  // an offset is inside the header or not on a node boundary
    past_end,    // an offset is at or past the end of the last whole node
    cycle,       // an offset leads back to a node already visited
};

/// "ok", "misaligned", "past_end", "cycle".
const char* chain_status_name(ChainStatus s) noexcept;
/// What a broken chain's bad next offset is, in words for a report: "not on
/// a node boundary", "past the last whole node", "a node already visited
/// (the chain loops)"; "ok" for ok.
const char* chain_damage_text(ChainStatus s) noexcept;

struct ChainResult {
    ChainStatus status = ChainStatus::ok;
    std::vector<std::uint32_t> tids;     // member TIDs of the nodes visited, in order
    std::vector<std::uint64_t> offsets;  // byte offset of each node visited (parallel to tids)
    std::uint64_t bad_offset = 0;        // the offending offset when status != ok
    std::uint64_t bad_from = 0;          // offset of the node holding it (0 = the start offset)
};

/// Walks the chain that starts at byte offset `start` (0 = an empty chain).
/// Damage is returned, never thrown: the members read before the damage are
/// kept in `tids`. Visits each node at most once, so the work is bounded by
/// the node count whatever the file holds.
ChainResult walk_chain(const GrpTable& grp, std::uint64_t start);

}  // namespace mspo
