// The shared indexes of the address-list checks, the model fit test and
// alias_problem (docs/FORMATS.md, "Does the file fit the model?").
#include <algorithm>
#include <array>
#include <cstdio>

#include "address_lookup.hpp"
#include "mspo/format/access.hpp"
#include <span>

namespace mspo {

namespace checks_detail {

namespace {
template <class Map, class Key>
std::optional<std::uint64_t> find_in(const Map& map, const Key& key) {
    auto it = map.find(key);
    if (it == map.end()) return std::nullopt;
    return it->second;
}

/// The records of `records` that are nothing but zero bytes.
template <class Record>
std::uint64_t zeroed_records(const std::vector<Record>& records) {
    return static_cast<std::uint64_t>(std::count_if(records.begin(), records.end(), [](const Record& r) {
        return std::all_of(r.raw.begin(), r.raw.end(), [](std::uint8_t b) { return b == 0; });
    }));
}
}  // namespace

AddressLookup::AddressLookup(const AddressBook& book) : book_(book) {
    const auto& accounts = book.accounts.accounts;
    for (std::uint64_t i = 0; i < accounts.size(); ++i) {
        const Account& a = accounts[i];
        known_tids_.insert(a.tid);
        if (a.deleted) continue;
        active_tid_.emplace(a.tid, i);
        if (a.full_name.empty()) continue;
        auto [it, fresh] = active_name_.emplace(a.full_name, i);
        if (!fresh) it->second = std::nullopt;  // several: no unique match
    }
    for (std::uint64_t i = 0; i < book.groups.records.size(); ++i)
        if (!book.groups.records[i].deleted()) group_tid_.emplace(book.groups.records[i].tid(), i);
    for (std::uint64_t i = 0; i < book.netpo.records.size(); ++i) {
        const auto& r = book.netpo.records[i];
        known_tids_.insert(r.tid());
        if (!r.deleted()) netpo_tid_.emplace(r.tid(), i);
    }
    for (const auto& r : book.pol.table.records) known_tids_.insert(r.tid());
}

std::optional<std::uint64_t> AddressLookup::active_by_tid(std::uint32_t tid) const {
    return find_in(active_tid_, tid);
}

std::optional<std::uint64_t> AddressLookup::active_by_name(const std::string& cp850) const {
    auto it = active_name_.find(cp850);
    if (it == active_name_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::uint64_t> AddressLookup::group_by_tid(std::uint32_t tid) const {
    return find_in(group_tid_, tid);
}

std::optional<std::uint64_t> AddressLookup::netpo_by_tid(std::uint32_t tid) const {
    return find_in(netpo_tid_, tid);
}

bool AddressLookup::has_mem(std::uint32_t tid) const {
    return std::binary_search(book_.mem_numbers.begin(), book_.mem_numbers.end(), tid);
}

std::optional<std::uint64_t> AddressLookup::account_at(std::uint32_t pointer) const {
    if (pointer % Access2Record::size != 0) return std::nullopt;
    const std::uint64_t index = pointer / Access2Record::size;
    if (index >= book_.accounts.accounts.size()) return std::nullopt;
    return index;
}

std::optional<std::uint64_t> AddressLookup::netpo_at(std::uint32_t pointer) const {
    auto index = netpo_record_at(pointer);
    if (!index || *index >= book_.netpo.records.size()) return std::nullopt;
    return index;
}

bool grp_node_at(const GrpTable& grp, std::uint64_t pointer) noexcept {
    if (pointer < kGrpHeaderSize || (pointer - kGrpHeaderSize) % GrpNode::size != 0) return false;
    return (pointer - kGrpHeaderSize) / GrpNode::size < grp.records.size();
}

bool nme_record_fits(const AddressLookup& lookup, const NmeRecord& r) {
    if (alias_problem(r)) return false;
    const auto type = r.type();
    if (!type) return false;
    const auto& book = lookup.book();
    switch (*type) {
        case NmeType::local: {
            const auto at = lookup.account_at(r.pointer());
            return at && book.accounts.accounts[*at].tid == r.tid();
        }
        case NmeType::group:
            return (r.pointer() == 0 || grp_node_at(book.grp.table, r.pointer())) &&
                   (lookup.group_by_tid(r.tid()) || lookup.has_mem(r.tid()));
        case NmeType::external: {
            const auto at = lookup.netpo_at(r.pointer());
            return at && book.netpo.records[*at].tid() == r.tid();
        }
    }
    return false;
}

ModelFit make_fit(std::string relpath, std::uint64_t records, std::uint64_t fitting) {
    ModelFit fit;
    fit.relpath = std::move(relpath);
    fit.records = records;
    fit.fitting = fitting;
    const std::uint64_t misfits = records - fitting;
    fit.contradicts = misfits >= kMinMisfits && misfits * 2 > records;
    return fit;
}

ModelFit nme_fit(const AddressLookup& lookup, const NmeFile& file) {
    const auto& records = file.table.records;
    const auto fitting = std::count_if(records.begin(), records.end(),
                                       [&](const NmeRecord& r) { return nme_record_fits(lookup, r); });
    ModelFit fit = make_fit(file.relpath, records.size(), static_cast<std::uint64_t>(fitting));
    fit.zeroed = zeroed_records(records);
    return fit;
}

ModelFit grp_fit(const AddressLookup& lookup, const GrpFile& file) {
    const auto& nodes = file.table.records;
    std::uint64_t fitting = 0;
    for (const auto& n : nodes)
        if (lookup.known_tid(n.tid()) && (n.next() == 0 || grp_node_at(file.table, n.next()))) ++fitting;
    ModelFit fit = make_fit(file.relpath, nodes.size(), fitting);
    fit.zeroed = zeroed_records(nodes);
    return fit;
}

}  // namespace checks_detail

std::optional<std::string> alias_problem(const NmeRecord& record) {
    const auto field = std::span(record.raw).subspan(NmeRecord::kAlias, NmeRecord::kAliasWidth);
    const auto nul = std::find(field.begin(), field.end(), std::uint8_t{0});
    if (nul == field.end()) return "has no NUL in its " + std::to_string(NmeRecord::kAliasWidth) + " bytes";
    if (nul == field.begin()) return std::string("is empty");
    for (auto it = field.begin(); it != nul; ++it)
        if (*it < 0x20 || *it == 0x7F) {
            std::array<char, 8> hex{};
            std::snprintf(hex.data(), hex.size(), "0x%02X", static_cast<unsigned>(*it));
            return "has control byte " + std::string(hex.data()) + " at character " +
                   std::to_string(it - field.begin() + 1);
        }
    return std::nullopt;
}

std::string ModelFit::summary() const {
    const bool grp =
        relpath.size() >= 4 && iequals(std::string_view(relpath).substr(relpath.size() - 4), ".GRP");
    return std::to_string(records - fitting) + " of " + std::to_string(records) + " records do not fit our " +
           (grp ? "GRP" : "NME") + " model" +
           (zero_filled() ? ": every record is zero bytes (a zero-filled file)" : "");
}

}  // namespace mspo
