#include "mspo/format/mbg.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"

namespace mspo {

MbgDate MbgRecord::date() const {
    return MbgDate{get_u16(raw, kDate), get_u16(raw, kDate + 2), get_u16(raw, kDate + 4),
                   get_u16(raw, kDate + 6), get_u16(raw, kDate + 8)};
}

void MbgRecord::set_date(const MbgDate& d) {
    put_u16(raw, kDate, d.minute);
    put_u16(raw, kDate + 2, d.hour);
    put_u16(raw, kDate + 4, d.day);
    put_u16(raw, kDate + 6, d.month);
    put_u16(raw, kDate + 8, d.year);
}

std::optional<std::uint32_t> MbgRecord::mai() const {
    std::uint32_t n = 0;
    if (!parse_hex8(mai_text(), n)) return std::nullopt;
    return n;
}

MbgTable decode_mbg(ByteSpan data) { return decode_table<MbgRecord>(data, rules::mbg); }

Bytes encode_mbg(const MbgTable& table) { return encode_table(table); }

Bytes encode_mbg(std::span<const MbgRecord> records) {
    Bytes out;
    out.reserve(records.size() * MbgRecord::size);
    for (const auto& r : records) out.insert(out.end(), r.raw.begin(), r.raw.end());
    return out;
}

MbgReader::MbgReader(std::filesystem::path path) : path_(std::move(path)) {
    const platform::FileInfo info = platform::stat_nofollow(path_);
    switch (info.type) {
        case platform::EntryType::regular:
            break;
        case platform::EntryType::missing:
            throw Error(Errc::not_found, "file not found", path_);
        case platform::EntryType::symlink:
            throw Error(Errc::unsafe_path, "is a symbolic link; not followed", path_);
        default:
            throw Error(Errc::unsafe_path, "not a regular file", path_);
    }
    size_ = info.size;
    count_ = size_ / MbgRecord::size;
}

std::optional<MbgItem> MbgReader::next() {
    if (next_ >= count_) return std::nullopt;
    const std::uint64_t in_chunk = chunk_.size() / MbgRecord::size;
    if (next_ < chunk_first_ || next_ >= chunk_first_ + in_chunk) {
        const std::uint64_t records = std::min<std::uint64_t>(kChunkRecords, count_ - next_);
        Bytes{}.swap(chunk_);  // free the old chunk first: one chunk alive at a time
        chunk_ = platform::read_range(path_, next_ * MbgRecord::size, records * MbgRecord::size);
        chunk_first_ = next_;
    }
    MbgItem item;
    item.index = next_;
    item.offset = next_ * MbgRecord::size;
    const auto at = static_cast<std::ptrdiff_t>((next_ - chunk_first_) * MbgRecord::size);
    std::copy_n(chunk_.begin() + at, MbgRecord::size, item.record.raw.begin());
    ++next_;
    return item;
}

std::optional<MbgPartial> MbgReader::read_partial() const {
    if (trailing_size() == 0) return std::nullopt;
    MbgPartial p;
    p.offset = count_ * MbgRecord::size;
    p.bytes = platform::read_range(path_, p.offset, trailing_size());
    return p;
}

std::size_t MbgWriter::append(const MbgRecord& record, bool deleted) {
    if (full())
        throw Error(Errc::bad_value,
                    "a mailbag holds at most " + std::to_string(kMailbagLimit) + " records (KEY bitmap)");
    const std::size_t slot = count_++;
    mbg_.insert(mbg_.end(), record.raw.begin(), record.raw.end());
    key_.set_slot_deleted(slot, deleted);
    return slot;
}

}  // namespace mspo
