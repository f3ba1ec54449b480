// Generic codec for "header + fixed-size records" files. A Record type has
//   static constexpr std::size_t size;  std::array<std::uint8_t, size> raw;
// and reads/writes its fields in `raw`, so bytes we do not understand are
// kept exactly: encode(decode(bytes)) == bytes for every input, damaged or not.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/format/file_rules.hpp"

namespace mspo {

template <class Record>
struct Table {
    std::uint64_t file_size = 0;
    Bytes header;                 // the header bytes (short if the file was shorter)
    std::vector<Record> records;  // every whole record
    Bytes trailing;               // bytes after the last whole record (damage; kept)
};

/// Splits `data` per `rule`. Never throws on damaged input: a short header
/// leaves `header` short, a partial last record lands in `trailing`.
template <class Record>
Table<Record> decode_table(ByteSpan data, const SizeRule& rule) {
    static_assert(sizeof(Record::raw) == Record::size);
    Table<Record> t;
    t.file_size = data.size();
    const std::size_t head = std::min<std::size_t>(static_cast<std::size_t>(rule.header), data.size());
    t.header.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(head));
    std::size_t pos = head;
    const std::size_t n = (data.size() - head) / Record::size;
    t.records.resize(n);
    for (std::size_t i = 0; i < n; ++i, pos += Record::size)
        std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(pos), Record::size, t.records[i].raw.begin());
    t.trailing.assign(data.begin() + static_cast<std::ptrdiff_t>(pos), data.end());
    return t;
}

/// The bytes of a table: header, records, trailing bytes.
template <class Record>
Bytes encode_table(const Table<Record>& t) {
    Bytes out;
    out.reserve(t.header.size() + t.records.size() * Record::size + t.trailing.size());
    out.insert(out.end(), t.header.begin(), t.header.end());
    for (const auto& r : t.records) out.insert(out.end(), r.raw.begin(), r.raw.end());
    out.insert(out.end(), t.trailing.begin(), t.trailing.end());
    return out;
}

/// Byte offset of record `index` in a file of this rule.
inline std::uint64_t record_offset(const SizeRule& rule, std::uint64_t index, std::uint64_t record_size) {
    return rule.header + index * record_size;
}

}  // namespace mspo
