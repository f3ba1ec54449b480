#include "mspo/format/network.hpp"

namespace mspo {

static_assert(NetworkRecord::rule.record == NetworkRecord::size);
static_assert(NetworkRecord::rule.header == 0);

std::optional<std::uint32_t> NetworkRecord::hexid() const {
    std::uint32_t n = 0;
    if (!parse_hex8(hexid_text(), n)) return std::nullopt;
    return n;
}

std::optional<std::string> NetworkRecord::target_relpath() const {
    const auto n = hexid();
    if (!n) return std::nullopt;
    if (is_network()) return "XTN/" + format_hex8(*n) + ".XTN";
    if (is_gateway()) return "MBG/" + format_hex8(*n) + ".MBG";
    return std::nullopt;
}

NetworkTable decode_network(ByteSpan data) { return decode_table<NetworkRecord>(data, NetworkRecord::rule); }

Bytes encode_network(const NetworkTable& table) { return encode_table(table); }

}  // namespace mspo
