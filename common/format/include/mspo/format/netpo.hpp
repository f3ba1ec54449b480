// GLB/NETPO.GLB: the external addresses of the postoffice address list. A
// 4-byte header, the delete-chain pointer (KB Q110100: PODIAG resets a bad
// one to 0), then 43-byte records holding network, postoffice and mailbox
// names, the mailbag number of that external postoffice's definition and a
// TID (KB Q107767). An NME entry of type 2 points here by byte offset.
// Offsets are our model (docs/FORMATS.md).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "mspo/base/bytes.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// NETPO.GLB record, our model:
///   0x00  1  delete flag: 1 = deleted
///   0x01 11  network name, CP850, NUL-padded (10 chars + NUL)
///   0x0C 11  postoffice name (10 + NUL)
///   0x17 11  mailbox name (10 + NUL)
///   0x22  4  mailbag number of the external postoffice's definition (uint32;
///            its MBG/KEY/USR file prefix)
///   0x26  4  TID (uint32)
///   0x2A  1  unknown, kept
struct NetpoRecord {
    static constexpr std::size_t size = 43;
    static constexpr const SizeRule& rule = rules::netpo;
    static constexpr std::size_t kDeleteFlag = 0x00;
    static constexpr std::size_t kNameWidth = 11;
    static constexpr std::size_t kNetwork = 0x01;
    static constexpr std::size_t kPostoffice = 0x0C;
    static constexpr std::size_t kMailbox = 0x17;
    static constexpr std::size_t kMailbag = 0x22;
    static constexpr std::size_t kTid = 0x26;
    static constexpr std::size_t kUnknown = 0x2A;
    std::array<std::uint8_t, size> raw{};

    std::uint8_t delete_flag() const { return raw[kDeleteFlag]; }
    bool deleted() const { return raw[kDeleteFlag] == 1; }
    void set_deleted(bool d) { raw[kDeleteFlag] = d ? 1 : 0; }
    // Names are raw CP850; the setters throw std::length_error over 10 bytes.
    std::string network() const { return get_cstr(raw, kNetwork, kNameWidth); }
    void set_network(const std::string& cp850) { put_cstr(raw, kNetwork, kNameWidth, cp850); }
    std::string postoffice() const { return get_cstr(raw, kPostoffice, kNameWidth); }
    void set_postoffice(const std::string& cp850) { put_cstr(raw, kPostoffice, kNameWidth, cp850); }
    std::string mailbox() const { return get_cstr(raw, kMailbox, kNameWidth); }
    void set_mailbox(const std::string& cp850) { put_cstr(raw, kMailbox, kNameWidth, cp850); }
    std::uint32_t mailbag() const { return get_u32(raw, kMailbag); }
    void set_mailbag(std::uint32_t v) { put_u32(raw, kMailbag, v); }
    std::uint32_t tid() const { return get_u32(raw, kTid); }
    void set_tid(std::uint32_t v) { put_u32(raw, kTid, v); }
};

using NetpoTable = Table<NetpoRecord>;

/// decode_table over the NETPO.GLB rule; never throws on damaged input.
NetpoTable decode_netpo(ByteSpan data);
/// The bytes of a NETPO.GLB table (encode_table).
Bytes encode_netpo(const NetpoTable& table);

/// The header's delete-chain pointer, or nullopt if the header is short (file under 4 bytes).
std::optional<std::uint32_t> netpo_delete_chain(const NetpoTable& table);
/// Writes the delete-chain pointer. Throws Error{truncated} if the header is short.
void set_netpo_delete_chain(NetpoTable& table, std::uint32_t value);

/// The index of the record that starts at `byte_offset` in NETPO.GLB (as an
/// NME "file pointer" gives it), or nullopt if no record can start there
/// (inside the header, or not on a record boundary). The index may still be
/// past the end of the table: callers compare it with records.size().
std::optional<std::uint64_t> netpo_record_at(std::uint64_t byte_offset) noexcept;

}  // namespace mspo
