#include "mspo/format/opaque_records.hpp"

namespace mspo {

static_assert(UsrRecord::rule.record == UsrRecord::size && UsrRecord::rule.header == 0);
static_assert(XtnRecord::rule.record == XtnRecord::size && XtnRecord::rule.header == 0);
static_assert(ServerRecord::rule.record == ServerRecord::size && ServerRecord::rule.header == 0);
static_assert(ProcessRecord::rule.record == ProcessRecord::size && ProcessRecord::rule.header == 512);
static_assert(GalIndexEntry::rule.record == GalIndexEntry::size);
static_assert(GalIndexEntry::rule.header == kGalIndexSlots * 4);

std::optional<std::uint64_t> GalIndexEntry::nme_record() const {
    const std::uint64_t off = nme_offset();
    if (off % rules::nme.record != 0) return std::nullopt;
    return off / rules::nme.record;
}

std::optional<std::size_t> galindex_slot(char letter) noexcept {
    if (letter >= 'A' && letter <= 'Z') return static_cast<std::size_t>(letter - 'A');
    if (letter >= 'a' && letter <= 'z') return 26 + static_cast<std::size_t>(letter - 'a');
    return std::nullopt;
}

std::optional<std::uint32_t> galindex_slot_offset(const GalIndexTable& table, std::size_t slot) {
    if (slot >= kGalIndexSlots) return std::nullopt;
    const std::size_t off = slot * 4;
    if (table.header.size() < off + 4) return std::nullopt;
    return get_u32(table.header, off);
}

}  // namespace mspo
