#include "mspo/format/netpo.hpp"

#include "mspo/base/error.hpp"

namespace mspo {

static_assert(NetpoRecord::rule.record == NetpoRecord::size);
static_assert(NetpoRecord::rule.header == 4);
static_assert(NetpoRecord::kUnknown + 1 == NetpoRecord::size);

NetpoTable decode_netpo(ByteSpan data) { return decode_table<NetpoRecord>(data, NetpoRecord::rule); }

Bytes encode_netpo(const NetpoTable& table) { return encode_table(table); }

std::optional<std::uint32_t> netpo_delete_chain(const NetpoTable& table) {
    if (table.header.size() < 4) return std::nullopt;
    return get_u32(table.header, 0);
}

void set_netpo_delete_chain(NetpoTable& table, std::uint32_t value) {
    if (table.header.size() < 4)
        throw Error(Errc::truncated, "NETPO.GLB header is " + std::to_string(table.header.size()) +
                                         " bytes, not 4; no delete-chain pointer to set");
    put_u32(table.header, 0, value);
}

std::optional<std::uint64_t> netpo_record_at(std::uint64_t byte_offset) noexcept {
    const std::uint64_t header = NetpoRecord::rule.header;
    if (byte_offset < header) return std::nullopt;
    const std::uint64_t body = byte_offset - header;
    if (body % NetpoRecord::size != 0) return std::nullopt;
    return body / NetpoRecord::size;
}

}  // namespace mspo
