// KEY files: the index beside each mailbag, always 560 bytes (KB Q77926,
// Q104279). Documented contents: a new-mail count, an unread count and a
// 512-byte bitmap of deleted MBG slots, hence at most 512 * 8 = 4096 records
// per mailbag (KB Q119088). A KEY of 560 zero bytes is the documented reset
// state and pairs with any MBG, a 0-byte one included (KB Q104279).
//
// Where the counters and the bitmap sit, the bit order and the polarity are
// NOT documented: they are our model, kept in this one file so they can be
// corrected when real fixtures exist. Model:
//   0x00   2  new mail since the last sign-in (uint16)
//   0x02   2  unread items (uint16)
//   0x04  44  unknown, kept
//   0x30 512  bitmap: slot i is byte 0x30 + i / 8, bit i % 8 (least significant
//             first); a set bit marks the slot deleted (free for reuse)
// With this model an all-zero KEY says "every slot live", which is what a
// reset KEY beside a full MBG must mean.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "mspo/base/bytes.hpp"

namespace mspo {

/// Records a mailbag can hold: one per bitmap bit (KB Q119088).
inline constexpr std::size_t kMailbagLimit = 4096;

struct KeyFile {
    static constexpr std::size_t size = 560;
    static constexpr std::size_t kNewMail = 0x00, kUnread = 0x02;
    static constexpr std::size_t kUnknown = 0x04, kUnknownWidth = 0x2C;
    static constexpr std::size_t kBitmap = 0x30, kBitmapSize = 512;
    static_assert(kBitmap + kBitmapSize == size && kBitmapSize * 8 == kMailbagLimit);
    std::array<std::uint8_t, size> raw{};  // all zero: the reset KEY

    /// Throws Error{size_rule} (naming `file`) unless `data` is exactly 560 bytes.
    static KeyFile from_bytes(ByteSpan data, const std::filesystem::path& file = {});
    /// The 560 bytes; to_bytes(from_bytes(x)) == x.
    Bytes to_bytes() const { return Bytes(raw.begin(), raw.end()); }

    std::uint16_t new_mail() const { return get_u16(raw, kNewMail); }
    void set_new_mail(std::uint16_t v) { put_u16(raw, kNewMail, v); }
    std::uint16_t unread() const { return get_u16(raw, kUnread); }
    void set_unread(std::uint16_t v) { put_u16(raw, kUnread, v); }

    /// True if slot `slot` is marked deleted/free. Throws std::out_of_range
    /// if slot >= kMailbagLimit.
    bool slot_deleted(std::size_t slot) const;
    /// Marks slot `slot` deleted (true) or live (false); no other bit changes.
    /// Throws std::out_of_range if slot >= kMailbagLimit.
    void set_slot_deleted(std::size_t slot, bool deleted);

    /// Live slots among the first `record_count` (the MBG's whole records).
    /// Records at or past kMailbagLimit have no bit and are not counted: a
    /// mailbag that long breaks the limit and is a finding of its own.
    std::size_t live_slots(std::uint64_t record_count) const;
    /// Where the next record of an MBG with `record_count` records goes: the
    /// lowest deleted slot below record_count, else record_count itself (an
    /// append) if that is below kMailbagLimit, else nullopt (the mailbag is full).
    std::optional<std::size_t> first_free(std::uint64_t record_count) const;
    /// Deleted bits at slots at or past `record_count`, which name no record.
    std::size_t bits_beyond(std::uint64_t record_count) const;
    /// True if all 560 bytes are zero (the reset state).
    bool all_zero() const;
};

/// Reads a KEY file. Throws Error like platform::read_file, and
/// Error{size_rule} if it is not exactly 560 bytes.
KeyFile read_key(const std::filesystem::path& path);

}  // namespace mspo
