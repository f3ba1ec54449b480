// Library-only parts of palfix's repair planning (pol_repair.cpp): the
// findings indexed by check, file and record, and how a removed entry is
// described for the quarantine text. Hold no state of their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mspo/base/finding.hpp"
#include "mspo/checks/address_lists.hpp"
#include "mspo/checks/quarantine_text.hpp"

namespace mspo::checks_detail {

/// The findings of a run, indexed once. Holds a reference to the vector: it
/// must outlive the index. Findings added later are not indexed (damaged()
/// sees them).
class FindingIndex {
public:
    explicit FindingIndex(const Findings& findings);
    /// The findings of `file`'s record `record` of the record-level checks
    /// (is_record_check); file names compared case-insensitively.
    std::vector<std::size_t> record(const std::string& file, std::uint64_t record) const;
    /// The nme.unknown-type warnings of `file`'s record `record` (a removed
    /// entry takes them along).
    std::vector<std::size_t> warnings(const std::string& file, std::uint64_t record) const;
    /// Every finding of `code` (of `file`, if given).
    std::vector<std::size_t> code(CheckId code, const std::string* file = nullptr) const;
    /// True if `file` has a finding of severity error whose check is not in `except`.
    bool damaged(const std::string& file, std::initializer_list<CheckId> except = {}) const;
    /// The checks that judge one record: bad alias, account gone, local stale,
    /// group and external pointer, duplicate TID.
    static bool is_record_check(CheckId c) noexcept;

private:
    const Findings& findings_;
    std::map<std::pair<std::string, std::uint64_t>, std::vector<std::size_t>> by_record_;
    std::map<CheckId, std::vector<std::size_t>> by_code_;
};

/// Appends the indices of `from` not yet in `to`.
void append(std::vector<std::size_t>& to, const std::vector<std::size_t>& from);
/// Sets the action of each finding of `which` that has none yet.
void set_action(Findings& findings, const std::vector<std::size_t>& which, const std::string& action);

/// True if two copies of a pair agree: both present or both missing, the same bytes, the same whole second.
bool same_copy(const Bytes& a_bytes, bool a_present, std::int64_t a_mtime, const Bytes& b_bytes,
               bool b_present, std::int64_t b_mtime);
/// True if `cp850` can be an alias: 1 to 30 printable bytes.
bool printable_alias(std::string_view cp850);
/// "PCM:NET/PO/MAILBOX" of the non-deleted NETPO.GLB record at byte `pointer`
/// whose three names are set, or nullopt.
std::optional<std::string> netpo_address(const NetpoTable& netpo, std::uint32_t pointer);
/// The first active account with TID `tid`, or nullptr.
const Account* account_by_tid(const Accounts& accounts, std::uint32_t tid);
/// The non-deleted GROUP.GLB record of group entry `r`: by TID, else (a
/// garbled TID) by alias among the records no POL entry has the TID of.
const GroupRecord* group_record_for(const AddressBook& book, const NmeRecord& r);
/// A group member as the quarantine text names it: its POL entry's alias
/// and address ("TID <8 hex>" and "(not in the POL)" when no entry has `tid`).
QuarantineEntry::Member member_of(const AddressBook& book, std::uint32_t tid);
/// The quarantine entry of record `index` of `file`, removed for `reason`:
/// an external entry whose NETPO.GLB record reads (its own pointer first)
/// is an IMPORT line, a group a GIMPORT group with the members read before
/// any damage, anything else comment lines.
QuarantineEntry quarantined(const AddressBook& book, const NmeFile& file, std::size_t index,
                            const NmeRecord& r, const EntryVerdict& v, const std::string& reason);
/// The quarantine entry of the partial record at the end of `file`.
QuarantineEntry trailing_entry(const NmeFile& file);
/// Why an entry of this status is removed, for the quarantine text.
const char* status_reason(EntryVerdict::Status s);

}  // namespace mspo::checks_detail
