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
// reset KEY beside a full MBG must mean. KeyReading names our model and the
// seven other readings of the same bytes that the KEY model test
// (mspo/checks/key_model.hpp) weighs against the MAI reference counters.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "mspo/base/bytes.hpp"

namespace mspo {

/// Records a mailbag can hold: one per bitmap bit (KB Q119088).
inline constexpr std::size_t kMailbagLimit = 4096;

/// A way to read the deleted bit of a slot. `model` is ours (above); the
/// others change one or more of its three guesses: inverted (a clear bit
/// marks the slot deleted), msb_first (slot i is bit 7 - i % 8 of its byte),
/// at_start (the bitmap is bytes 0x00..0x1FF rather than 0x30..0x22F). The
/// values are those three flags (1, 2, 4) combined.
enum class KeyReading : std::uint8_t {
    model,
    inverted,
    msb_first,
    msb_first_inverted,
    at_start,
    at_start_inverted,
    at_start_msb_first,
    at_start_msb_first_inverted,
};

/// Every reading, our model first (the enumerators' order).
inline constexpr std::array<KeyReading, 8> kKeyReadings{
    KeyReading::model,
    KeyReading::inverted,
    KeyReading::msb_first,
    KeyReading::msb_first_inverted,
    KeyReading::at_start,
    KeyReading::at_start_inverted,
    KeyReading::at_start_msb_first,
    KeyReading::at_start_msb_first_inverted,
};

/// A short name for reports: "our model", "inverted polarity", "most
/// significant bit first", "bitmap at offset 0", and their combinations.
std::string_view key_reading_name(KeyReading r) noexcept;

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
    /// True if slot `slot` is marked deleted when the bytes are read the way
    /// `r` says; slot_deleted(s) == slot_deleted_as(s, KeyReading::model).
    /// Throws std::out_of_range if slot >= kMailbagLimit.
    bool slot_deleted_as(std::size_t slot, KeyReading r) const;
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
