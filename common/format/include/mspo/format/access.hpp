// The local account tables GLB/ACCESS.GLB (586-byte records), ACCESS2.GLB (69)
// and ACCESS3.GLB (512): parallel arrays, record n is the same account in each
// (KB Q87402, Q87465, Q135932). Field offsets are our model (docs/FORMATS.md).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "mspo/base/bytes.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// ACCESS2.GLB record, our model:
///   0x00 11  mailbox name, CP850, NUL-padded (10 chars + NUL)
///   0x0B  9  mailbag file number, 8 ASCII hex digits + NUL
///   0x14  4  TID (uint32)
///   0x18  1  status: 0 = active, 1 = deleted
///   0x19 44  unknown, kept
struct Access2Record {
    static constexpr std::size_t size = 69;
    static constexpr std::size_t kMailbox = 0x00, kMailboxWidth = 11;
    static constexpr std::size_t kMailbag = 0x0B, kMailbagWidth = 9;
    static constexpr std::size_t kTid = 0x14;
    static constexpr std::size_t kStatus = 0x18;
    std::array<std::uint8_t, size> raw{};

    std::string mailbox() const { return get_cstr(raw, kMailbox, kMailboxWidth); }  // raw CP850
    void set_mailbox(const std::string& cp850) { put_cstr(raw, kMailbox, kMailboxWidth, cp850); }
    /// The mailbag field as stored (up to the NUL).
    std::string mailbag_text() const { return get_cstr(raw, kMailbag, kMailbagWidth); }
    /// The mailbag number, or nullopt if the field is not 8 hex digits.
    std::optional<std::uint32_t> mailbag() const;
    void set_mailbag(std::uint32_t n) { put_cstr(raw, kMailbag, kMailbagWidth, format_hex8(n)); }
    std::uint32_t tid() const { return get_u32(raw, kTid); }
    void set_tid(std::uint32_t v) { put_u32(raw, kTid, v); }
    std::uint8_t status() const { return raw[kStatus]; }
    bool deleted() const { return raw[kStatus] == 1; }
    void set_deleted(bool d) { raw[kStatus] = d ? 1 : 0; }
};

/// ACCESS.GLB record, our model:
///   0x000  31  full name, CP850, NUL-padded (30 chars + NUL)
///   0x01F 555  unknown (holds the encrypted password and the GRPMEM pointer, KB Q130322, Q99419), kept
struct AccessRecord {
    static constexpr std::size_t size = 586;
    static constexpr std::size_t kFullName = 0x00, kFullNameWidth = 31;
    std::array<std::uint8_t, size> raw{};

    std::string full_name() const { return get_cstr(raw, kFullName, kFullNameWidth); }  // raw CP850
    void set_full_name(const std::string& cp850) { put_cstr(raw, kFullName, kFullNameWidth, cp850); }
};

/// ACCESS3.GLB record: remote-user and folder information; all bytes opaque.
struct Access3Record {
    static constexpr std::size_t size = 512;
    std::array<std::uint8_t, size> raw{};
};

using AccessTable = Table<AccessRecord>;
using Access2Table = Table<Access2Record>;
using Access3Table = Table<Access3Record>;

}  // namespace mspo
