// GLB/NETWORK.GLB: one 122-byte record per network or gateway the postoffice
// knows (no header; KB Q77926). Each names an 8-hex file number: the network's
// XTN/<8hex>.XTN, or the gateway's queue mailbag MBG/<8hex>.MBG (KB Q134377,
// Q199800). Offsets are our model (docs/FORMATS.md).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "mspo/base/bytes.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// NETWORK.GLB record, our model:
///   0x00   1  kind: 0 = network, 1 = gateway
///   0x01  11  network or gateway name, CP850, NUL-padded (10 chars + NUL)
///   0x0C   9  file number, 8 ASCII hex digits + NUL
///   0x15 101  unknown, kept
struct NetworkRecord {
    static constexpr std::size_t size = 122;
    static constexpr const SizeRule& rule = rules::network;
    static constexpr std::uint8_t kKindNetwork = 0, kKindGateway = 1;
    static constexpr std::size_t kKind = 0x00;
    static constexpr std::size_t kName = 0x01, kNameWidth = 11;
    static constexpr std::size_t kHexid = 0x0C, kHexidWidth = 9;
    static constexpr std::size_t kUnknown = 0x15;
    std::array<std::uint8_t, size> raw{};

    std::uint8_t kind() const { return raw[kKind]; }
    void set_kind(std::uint8_t v) { raw[kKind] = v; }
    bool is_network() const { return raw[kKind] == kKindNetwork; }
    bool is_gateway() const { return raw[kKind] == kKindGateway; }
    std::string name() const { return get_cstr(raw, kName, kNameWidth); }  // raw CP850
    /// Throws std::length_error over 10 bytes.
    void set_name(const std::string& cp850) { put_cstr(raw, kName, kNameWidth, cp850); }
    /// The file-number field as stored (up to the NUL).
    std::string hexid_text() const { return get_cstr(raw, kHexid, kHexidWidth); }
    /// The file number, or nullopt if the field is not 8 hex digits.
    std::optional<std::uint32_t> hexid() const;
    void set_hexid(std::uint32_t n) { put_cstr(raw, kHexid, kHexidWidth, format_hex8(n)); }
    /// "XTN/0000002A.XTN" for a network, "MBG/0000002A.MBG" for a gateway;
    /// nullopt if the kind is neither or the file number is not 8 hex digits.
    std::optional<std::string> target_relpath() const;
};

using NetworkTable = Table<NetworkRecord>;

/// decode_table over the NETWORK.GLB rule; never throws on damaged input.
NetworkTable decode_network(ByteSpan data);
/// The bytes of a NETWORK.GLB table (encode_table).
Bytes encode_network(const NetworkTable& table);

}  // namespace mspo
