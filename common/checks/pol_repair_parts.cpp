#include "pol_repair_parts.hpp"

#include <algorithm>

#include "mspo/base/codepage.hpp"
#include "mspo/base/time.hpp"

namespace mspo::checks_detail {

namespace {
using Status = EntryVerdict::Status;
std::string upper(std::string_view s) { return to_upper(s); }
}  // namespace

// ---- findings, found by check, file and record --------------------------

FindingIndex::FindingIndex(const Findings& findings) : findings_(findings) {
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        if (f.record) by_record_[{upper(f.file), *f.record}].push_back(i);
        by_code_[f.code].push_back(i);
    }
}
std::vector<std::size_t> FindingIndex::record(const std::string& file, std::uint64_t record) const {
    std::vector<std::size_t> out;
    const auto it = by_record_.find({upper(file), record});
    if (it == by_record_.end()) return out;
    for (auto i : it->second)
        if (is_record_check(findings_[i].code)) out.push_back(i);
    return out;
}
std::vector<std::size_t> FindingIndex::warnings(const std::string& file, std::uint64_t record) const {
    std::vector<std::size_t> out;
    const auto it = by_record_.find({upper(file), record});
    if (it == by_record_.end()) return out;
    for (auto i : it->second)
        if (findings_[i].code == CheckId::nme_unknown_type) out.push_back(i);
    return out;
}

std::vector<std::size_t> FindingIndex::code(CheckId code, const std::string* file) const {
    std::vector<std::size_t> out;
    const auto it = by_code_.find(code);
    if (it == by_code_.end()) return out;
    for (auto i : it->second)
        if (file == nullptr || upper(findings_[i].file) == upper(*file)) out.push_back(i);
    return out;
}
bool FindingIndex::damaged(const std::string& file, std::initializer_list<CheckId> except) const {
    for (const auto& f : findings_) {
        if (f.severity != Severity::error || upper(f.file) != upper(file)) continue;
        if (std::find(except.begin(), except.end(), f.code) == except.end()) return true;
    }
    return false;
}

bool FindingIndex::is_record_check(CheckId c) noexcept {
    return c == CheckId::nme_bad_alias || c == CheckId::nme_account_gone || c == CheckId::nme_local_stale ||
           c == CheckId::nme_group_pointer || c == CheckId::nme_external_pointer ||
           c == CheckId::nme_duplicate_tid;
}

void append(std::vector<std::size_t>& to, const std::vector<std::size_t>& from) {
    for (auto i : from)
        if (std::find(to.begin(), to.end(), i) == to.end()) to.push_back(i);
}

void set_action(Findings& findings, const std::vector<std::size_t>& which, const std::string& action) {
    for (auto i : which)
        if (findings[i].action.empty()) findings[i].action = action;
}

// ---- reading the address book ------------------------------------------

std::int64_t whole_seconds(std::int64_t ns) { return floor_seconds(ns); }

bool same_copy(const Bytes& a_bytes, bool a_present, std::int64_t a_mtime, const Bytes& b_bytes,
               bool b_present, std::int64_t b_mtime) {
    return a_present == b_present && a_bytes == b_bytes && whole_seconds(a_mtime) == whole_seconds(b_mtime);
}

bool printable_alias(std::string_view cp850) {
    return !cp850.empty() && cp850.size() <= max_length(TextField::full_name) &&
           !first_invalid_char(TextField::full_name, cp850);
}

/// "PCM:NET/PO/MAILBOX" of a NETPO.GLB record that reads, or nullopt.
std::optional<std::string> netpo_address(const NetpoTable& netpo, std::uint32_t pointer) {
    const auto index = netpo_record_at(pointer);
    if (!index || *index >= netpo.records.size()) return std::nullopt;
    const NetpoRecord& r = netpo.records[static_cast<std::size_t>(*index)];
    if (r.deleted()) return std::nullopt;
    if (r.network().empty() || r.postoffice().empty() || r.mailbox().empty()) return std::nullopt;
    return "PCM:" + r.network() + "/" + r.postoffice() + "/" + r.mailbox();
}

const Account* account_by_tid(const Accounts& accounts, std::uint32_t tid) {
    for (const auto& a : accounts.accounts)
        if (a.tid == tid && !a.deleted) return &a;
    return nullptr;
}

QuarantineEntry::Member member_of(const AddressBook& book, std::uint32_t tid) {
    QuarantineEntry::Member m;
    const auto at = find_tid(book.pol.table, tid);
    if (!at) {
        m.alias = "TID " + format_hex8(tid);
        m.address = "(not in the POL)";
        return m;
    }
    const NmeRecord& r = book.pol.table.records[*at];
    m.alias = r.alias();
    if (r.type() == NmeType::external) {
        m.address = netpo_address(book.netpo, r.pointer()).value_or("(no NETPO.GLB record)");
    } else if (r.type() == NmeType::local) {
        const Account* a = account_by_tid(book.accounts, r.tid());
        m.address = a != nullptr ? std::string(kLocalAddressPrefix) + a->mailbox : "(no account)";
    } else {
        m.address = "(a " + nme_type_name(r.type_code()) + " entry)";
    }
    return m;
}

const GroupRecord* group_record_for(const AddressBook& book, const NmeRecord& r) {
    for (const auto& g : book.groups.records)
        if (!g.deleted() && g.tid() == r.tid()) return &g;
    const std::string alias = to_upper(r.alias());
    for (const auto& g : book.groups.records)
        if (!g.deleted() && !alias.empty() && to_upper(g.alias()) == alias &&
            !find_tid(book.pol.table, g.tid()))
            return &g;
    return nullptr;
}

/// The quarantine entry of NME record `index` of `file`, removed for `reason`.
QuarantineEntry quarantined(const AddressBook& book, const NmeFile& file, std::size_t index,
                            const NmeRecord& r, const EntryVerdict& v, const std::string& reason) {
    QuarantineEntry q;
    q.file = file.relpath;
    q.record = index;
    q.offset = static_cast<std::uint64_t>(index) * NmeRecord::size;
    q.reason = reason;
    q.alias = r.alias();
    q.raw.assign(r.raw.begin(), r.raw.end());
    if (r.type() == NmeType::external) {
        // Its own pointer is the best witness (a duplicate TID resolves to
        // the other entry's record), then the record found for it.
        auto address = netpo_address(book.netpo, r.pointer());
        if (!address && v.fix_pointer) address = netpo_address(book.netpo, *v.fix_pointer);
        if (address) {
            q.kind = QuarantineEntry::Kind::external;
            q.address = *address;
        }
    } else if (r.type() == NmeType::group) {
        q.kind = QuarantineEntry::Kind::group;
        ChainResult walk = walk_chain(book.grp.table, r.pointer());
        if (walk.tids.empty() && v.fix_pointer) walk = walk_chain(book.grp.table, *v.fix_pointer);
        if (walk.tids.empty())
            if (const GroupRecord* g = group_record_for(book, r))
                walk = walk_chain(book.grp.table, g->grp_offset());
        for (auto tid : walk.tids) q.members.push_back(member_of(book, tid));
    }
    return q;
}

const char* status_reason(Status s) {
    switch (s) {
        case Status::ok:
            return "entry";
        case Status::bad_alias:
            return "alias with bytes its field may not hold";
        case Status::unknown_type:
            return "entry of a type we do not know";
        case Status::account_gone:
            return "local entry whose account is deleted or missing";
        case Status::local_stale:
            return "local entry whose account was not found";
        case Status::group_pointer:
            return "group entry whose chain could not be found";
        case Status::external_pointer:
            return "external entry whose NETPO.GLB record could not be found";
        case Status::duplicate_tid:
            return "entry with the TID of an earlier entry";
    }
    return "entry";
}

QuarantineEntry trailing_entry(const NmeFile& file) {
    QuarantineEntry q;
    q.file = file.relpath;
    q.offset = static_cast<std::uint64_t>(file.table.records.size()) * NmeRecord::size;
    q.reason =
        "partial record (" + std::to_string(file.table.trailing.size()) + " bytes) at the end of the file";
    q.raw = file.table.trailing;
    return q;
}

}  // namespace mspo::checks_detail
