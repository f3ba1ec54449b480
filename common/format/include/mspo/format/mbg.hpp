// MBG mailbags: one 116-byte header record per message, no file header, no
// delete flag (deleted status lives in the KEY bitmap; KB Q77926). A 0-byte
// MBG is valid. Records are not encrypted; the field offsets below are derived
// from the two-record dump in KB Q108027 and everything else is kept as raw
// bytes. A freed slot keeps its old bytes until the mailbag is compressed, so
// consult the KEY before trusting a record.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "mspo/base/bytes.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/record_table.hpp"

namespace mspo {

/// The date a header shows, as five uint16 values in file order. The order
/// minute, hour, day, month, year is read off one sample; day/month could be
/// the other way round.
struct MbgDate {
    std::uint16_t minute = 0, hour = 0, day = 0, month = 0, year = 0;
    friend bool operator==(const MbgDate&, const MbgDate&) = default;
};

/// One mailbag header, derived from KB Q108027 (offsets within the record):
///   0x00  2  unknown, kept
///   0x02 11  sender mailbox name, CP850, NUL-padded (10 chars + NUL)
///   0x0D 41  subject, CP850, NUL-padded (40 chars + NUL)
///   0x36  2  unknown, kept
///   0x38 10  date: five uint16 (MbgDate)
///   0x42  1  unknown, kept
///   0x43  9  MAI file number: 8 ASCII hex digits + NUL
///   0x4C 40  unknown, kept
struct MbgRecord {
    static constexpr std::size_t size = 116;
    static constexpr std::size_t kSender = 0x02, kSenderWidth = 11;
    static constexpr std::size_t kSubject = 0x0D, kSubjectWidth = 41;
    static constexpr std::size_t kDate = 0x38;
    static constexpr std::size_t kMai = 0x43, kMaiWidth = 9;
    std::array<std::uint8_t, size> raw{};

    std::string sender() const { return get_cstr(raw, kSender, kSenderWidth); }  // raw CP850
    /// Throws std::length_error over 10 bytes. Pads the field with NULs.
    void set_sender(const std::string& cp850) { put_cstr(raw, kSender, kSenderWidth, cp850); }
    std::string subject() const { return get_cstr(raw, kSubject, kSubjectWidth); }  // raw CP850
    /// Throws std::length_error over 40 bytes. Pads the field with NULs.
    void set_subject(const std::string& cp850) { put_cstr(raw, kSubject, kSubjectWidth, cp850); }
    MbgDate date() const;
    void set_date(const MbgDate& d);
    /// The MAI number field as stored (up to the NUL).
    std::string mai_text() const { return get_cstr(raw, kMai, kMaiWidth); }
    /// The MAI file number, or nullopt if the field is not 8 hex digits.
    std::optional<std::uint32_t> mai() const;
    /// Writes 8 upper-case hex digits and a NUL.
    void set_mai(std::uint32_t n) { put_cstr(raw, kMai, kMaiWidth, format_hex8(n)); }
};

using MbgTable = Table<MbgRecord>;

/// Splits a whole MBG image held in memory. Never throws; a partial last
/// record lands in `trailing`. For files of unknown size use MbgReader.
MbgTable decode_mbg(ByteSpan data);
/// The bytes of a table; encode_mbg(decode_mbg(x)) == x for every x.
Bytes encode_mbg(const MbgTable& table);
/// The bytes of a mailbag holding `records`, in order.
Bytes encode_mbg(std::span<const MbgRecord> records);

struct MbgItem {
    std::uint64_t index = 0;   // record number (slot) in the mailbag
    std::uint64_t offset = 0;  // byte offset of the record in the file
    MbgRecord record;
};

/// Bytes after the last whole record: the mailbag breaks its size rule.
struct MbgPartial {
    std::uint64_t offset = 0;  // where the partial record starts
    Bytes bytes;               // fewer than 116 bytes
};

/// Streams the records of an MBG file through a fixed-size buffer, so memory
/// does not grow with the file. Reads through platform::read_range (no link
/// followed). The file size is taken when the reader is made.
class MbgReader {
public:
    /// Records per read: 565 * 116 = 65,540 bytes, about 64 KiB.
    static constexpr std::size_t kChunkRecords = 565;
    static constexpr std::size_t kChunkBytes = kChunkRecords * MbgRecord::size;

    /// Throws Error: not_found if `path` is missing, unsafe_path if it is a
    /// link or not a regular file, io if it cannot be examined.
    explicit MbgReader(std::filesystem::path path);

    const std::filesystem::path& path() const noexcept { return path_; }
    std::uint64_t file_size() const noexcept { return size_; }
    /// Whole records in the file.
    std::uint64_t record_count() const noexcept { return count_; }
    /// Bytes of a partial trailing record (0 if the size rule holds).
    std::uint64_t trailing_size() const noexcept { return size_ - count_ * MbgRecord::size; }

    /// The next whole record, or nullopt after the last one. Never yields the
    /// partial trailing record: see trailing_size() and read_partial().
    /// Throws Error{truncated} if the file shrank, Error{io} on a read error.
    std::optional<MbgItem> next();

    /// The partial trailing record, or nullopt if there is none. Reads it
    /// from the file (at most 115 bytes) on each call.
    std::optional<MbgPartial> read_partial() const;

private:
    std::filesystem::path path_;
    std::uint64_t size_ = 0;
    std::uint64_t count_ = 0;
    std::uint64_t next_ = 0;         // index of the next record to yield
    std::uint64_t chunk_first_ = 0;  // index of the first record in chunk_
    Bytes chunk_;                    // at most kChunkBytes
};

/// Builds a new mailbag and its KEY in memory, one record at a time, for
/// tools that split or rebuild mailbags (the result goes into a change plan).
/// Refuses to grow past kMailbagLimit records, so what it builds always keeps
/// the KEY limit.
class MbgWriter {
public:
    /// Appends `record` in the next slot and marks that slot deleted in the
    /// KEY if `deleted`. Returns the slot. Throws Error{bad_value} when the
    /// mailbag already holds kMailbagLimit records.
    std::size_t append(const MbgRecord& record, bool deleted = false);

    std::size_t count() const noexcept { return count_; }
    bool full() const noexcept { return count_ >= kMailbagLimit; }
    /// The MBG image so far (116 * count() bytes).
    const Bytes& mbg_bytes() const noexcept { return mbg_; }
    /// The KEY so far: counters zero (set them here if wanted), a deleted bit
    /// for each slot appended as deleted, every other byte zero.
    const KeyFile& key() const noexcept { return key_; }
    KeyFile& key() noexcept { return key_; }

private:
    std::size_t count_ = 0;
    Bytes mbg_;
    KeyFile key_;
};

}  // namespace mspo
