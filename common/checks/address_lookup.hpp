// Library-only: the indexes the address-list checks share (accounts, GROUP.GLB
// and NETPO.GLB records by TID, accounts by full name) and where a pointer
// of each entry type lands. Built once per AddressBook; holds references
// into it, so it must not outlive the book.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "mspo/checks/address_lists.hpp"

namespace mspo::checks_detail {

class AddressLookup {
public:
    explicit AddressLookup(const AddressBook& book);

    const AddressBook& book() const noexcept { return book_; }

    /// The first active account with TID `tid`, or nullopt.
    std::optional<std::uint64_t> active_by_tid(std::uint32_t tid) const;
    /// The only active account whose full name is `cp850` (non-empty), or
    /// nullopt (none, or several).
    std::optional<std::uint64_t> active_by_name(const std::string& cp850) const;
    /// The first non-deleted GROUP.GLB / NETPO.GLB record with TID `tid`.
    std::optional<std::uint64_t> group_by_tid(std::uint32_t tid) const;
    std::optional<std::uint64_t> netpo_by_tid(std::uint32_t tid) const;
    /// True if MEM/<8hex of tid>.MEM exists.
    bool has_mem(std::uint32_t tid) const;
    /// True if `tid` is an account's (any), a NETPO record's or a POL entry's.
    bool known_tid(std::uint32_t tid) const { return known_tids_.count(tid) != 0; }

    /// The account a local pointer lands on: a multiple of 69 inside ACCESS2.GLB.
    std::optional<std::uint64_t> account_at(std::uint32_t pointer) const;
    /// The NETPO.GLB record an external pointer lands on (inside the table).
    std::optional<std::uint64_t> netpo_at(std::uint32_t pointer) const;

private:
    const AddressBook& book_;
    std::unordered_map<std::uint32_t, std::uint64_t> active_tid_, group_tid_, netpo_tid_;
    std::unordered_map<std::string, std::optional<std::uint64_t>> active_name_;
    std::unordered_set<std::uint32_t> known_tids_;
};

/// True if `pointer` is a node of `grp`: at or after the header, on a node
/// boundary, inside the whole nodes. 0 is not a node (callers treat 0 as the
/// empty chain where it may be one).
bool grp_node_at(const GrpTable& grp, std::uint64_t pointer) noexcept;

/// True if the record fits the model (ModelFit in address_lists.hpp).
bool nme_record_fits(const AddressLookup& lookup, const NmeRecord& record);

/// The fit of a file of `records` records of which `fitting` fit
/// (contradicts per the thresholds of address_lists.hpp).
ModelFit make_fit(std::string relpath, std::uint64_t records, std::uint64_t fitting);

/// The fit of an NME file (nme_record_fits over every whole record).
ModelFit nme_fit(const AddressLookup& lookup, const NmeFile& file);

/// ADMIN.GRP's (or its shadow's) fit: nodes whose TID is known and whose
/// next offset is 0 or a node of the same file.
ModelFit grp_fit(const AddressLookup& lookup, const GrpFile& file);

}  // namespace mspo::checks_detail
