#include "mspo/format/nme.hpp"

#include "mspo/base/platform.hpp"

namespace mspo {

std::optional<NmeType> nme_type(std::uint8_t code) noexcept {
    switch (code) {
        case static_cast<std::uint8_t>(NmeType::local):
            return NmeType::local;
        case static_cast<std::uint8_t>(NmeType::external):
            return NmeType::external;
        case static_cast<std::uint8_t>(NmeType::group):
            return NmeType::group;
        default:
            return std::nullopt;
    }
}

std::string nme_type_name(std::uint8_t code) {
    const auto t = nme_type(code);
    if (!t) return "unknown (" + std::to_string(code) + ")";
    switch (*t) {
        case NmeType::local:
            return "local";
        case NmeType::external:
            return "external";
        case NmeType::group:
            return "group";
    }
    return "unknown (" + std::to_string(code) + ")";
}

NmeTable decode_nme(ByteSpan data) { return decode_table<NmeRecord>(data, rules::nme); }

Bytes encode_nme(const NmeTable& table) { return encode_table(table); }

NmeTable read_nme(const std::filesystem::path& path, std::uint64_t max_bytes) {
    const Bytes data = platform::read_file(path, max_bytes);
    return decode_nme(data);
}

std::optional<std::size_t> find_tid(const NmeTable& table, std::uint32_t tid) noexcept {
    for (std::size_t i = 0; i < table.records.size(); ++i)
        if (table.records[i].tid() == tid) return i;
    return std::nullopt;
}

}  // namespace mspo
