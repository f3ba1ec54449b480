#include "mspo/format/grp.hpp"

#include "mspo/base/platform.hpp"

namespace mspo {

GrpTable decode_grp(ByteSpan data) { return decode_table<GrpNode>(data, rules::grp); }

Bytes encode_grp(const GrpTable& table) { return encode_table(table); }

GrpTable read_grp(const std::filesystem::path& path, std::uint64_t max_bytes) {
    const Bytes data = platform::read_file(path, max_bytes);
    return decode_grp(data);
}

const char* chain_status_name(ChainStatus s) noexcept {
    switch (s) {
        case ChainStatus::ok:
            return "ok";
        case ChainStatus::misaligned:
            return "misaligned";
        case ChainStatus::past_end:
            return "past_end";
        case ChainStatus::cycle:
            return "cycle";
    }
    return "unknown";
}

const char* chain_damage_text(ChainStatus s) noexcept {
    switch (s) {
        case ChainStatus::ok:
            return "ok";
        case ChainStatus::misaligned:
            return "not on a node boundary";
        case ChainStatus::past_end:
            return "past the last whole node";
        case ChainStatus::cycle:
            return "a node already visited (the chain loops)";
    }
    return "unknown";
}

ChainResult walk_chain(const GrpTable& grp, std::uint64_t start) {
    ChainResult result;
    const std::uint64_t nodes = grp.records.size();
    // A node is only whole if the header is whole too (decode_table puts no
    // records after a short header), so the end of the last whole node is:
    const std::uint64_t end = grp_node_offset(nodes);
    std::vector<bool> seen(static_cast<std::size_t>(nodes), false);

    std::uint64_t offset = start;
    std::uint64_t from = 0;
    while (offset != 0) {
        ChainStatus bad = ChainStatus::ok;
        if (offset < kGrpHeaderSize || (offset - kGrpHeaderSize) % GrpNode::size != 0)
            bad = ChainStatus::misaligned;
        else if (offset >= end)
            bad = ChainStatus::past_end;
        if (bad != ChainStatus::ok) {
            result.status = bad;
            result.bad_offset = offset;
            result.bad_from = from;
            return result;
        }
        const auto index = static_cast<std::size_t>((offset - kGrpHeaderSize) / GrpNode::size);
        if (seen[index]) {
            result.status = ChainStatus::cycle;
            result.bad_offset = offset;
            result.bad_from = from;
            return result;
        }
        seen[index] = true;
        const GrpNode& node = grp.records[index];
        result.tids.push_back(node.tid());
        result.offsets.push_back(offset);
        from = offset;
        offset = node.next();
    }
    return result;
}

}  // namespace mspo
