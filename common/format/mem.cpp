#include "mspo/format/mem.hpp"

#include <string>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

MemTable decode_mem(ByteSpan data) { return decode_table<MemRecord>(data, rules::mem); }

Bytes encode_mem(const MemTable& table) { return encode_table(table); }

MemTable read_mem(const std::filesystem::path& path, std::uint64_t max_bytes) {
    const Bytes data = platform::read_file(path, max_bytes);
    return decode_mem(data);
}

std::vector<std::uint32_t> mem_mailbags(const MemTable& table) {
    std::vector<std::uint32_t> out;
    out.reserve(table.records.size());
    for (const auto& r : table.records) out.push_back(r.mailbag());
    return out;
}

Bytes build_mem(std::span<const std::uint32_t> mailbags) {
    if (mailbags.size() > kMemMaxMembers)
        throw Error(Errc::bad_value, "a .MEM file holds at most " + std::to_string(kMemMaxMembers) +
                                         " members, not " + std::to_string(mailbags.size()));
    MemTable t;
    t.records.resize(mailbags.size());
    for (std::size_t i = 0; i < mailbags.size(); ++i) t.records[i].set_mailbag(mailbags[i]);
    return encode_mem(t);
}

}  // namespace mspo
