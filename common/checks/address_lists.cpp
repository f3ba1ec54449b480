// check_address_book: judges each entry of the POL and of every PAL against
// the accounts, ADMIN.GRP, GROUP.GLB and NETPO.GLB, walks the group chains,
// and compares each shadow with its main file (docs/FORMATS.md, "Address
// lists"; KB Q107767, Q125252, Q132744).
#include <algorithm>
#include <array>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "address_lookup.hpp"
#include "mspo/base/codepage.hpp"
#include "mspo/format/access.hpp"
#include "shadow_compare.hpp"

namespace mspo {

namespace {

using checks_detail::AddressLookup;
using Status = EntryVerdict::Status;

std::string hex_tid(std::uint32_t tid) {
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "0x%08X", static_cast<unsigned>(tid));
    return buf.data();
}

std::string shown_alias(const std::string& cp850) { return "\"" + cp850_to_utf8(cp850) + "\""; }

std::uint64_t nme_offset(std::uint64_t record, std::size_t field) { return record * NmeRecord::size + field; }

// A source text for an alias, if it can be one (1..30 bytes, no control byte).
std::optional<std::string> usable_alias(const std::string& cp850) {
    if (cp850.empty() || cp850.size() >= NmeRecord::kAliasWidth) return std::nullopt;
    NmeRecord probe;
    probe.set_alias(cp850);
    if (alias_problem(probe)) return std::nullopt;
    return cp850;
}

// What a PAL is judged against: the POL, its verdicts, its TIDs.
struct PolContext {
    const NmeTable* table = nullptr;
    const std::vector<EntryVerdict>* verdicts = nullptr;
    std::unordered_map<std::uint32_t, std::uint64_t> by_tid;  // first record of each TID
};

class ListJudge {
public:
    ListJudge(const AddressLookup& lookup, const NmeFile& file, const PolContext* pol, Findings* out)
        : lookup_(lookup), book_(lookup.book()), file_(file), pol_(pol), out_(out) {}

    ListReport run() {
        ListReport report;
        report.fit = checks_detail::nme_fit(lookup_, file_);
        if (report.fit.contradicts) out_ = nullptr;  // no per-record findings on a model the file contradicts
        std::unordered_map<std::uint32_t, std::uint64_t> seen;
        const auto& records = file_.table.records;
        report.verdicts.reserve(records.size());
        for (std::uint64_t i = 0; i < records.size(); ++i) {
            const NmeRecord& r = records[i];
            EntryVerdict v = judge(i, r);
            auto [it, fresh] = seen.emplace(r.tid(), i);
            if (!fresh) {
                v.duplicate_of = it->second;
                v.status = Status::duplicate_tid;
                emit(CheckId::nme_duplicate_tid, i, nme_offset(i, NmeRecord::kTid),
                     entry(i, r) + " has the TID of entry " + std::to_string(it->second) +
                         "; the later one is removed");
            }
            report.verdicts.push_back(std::move(v));
        }
        return report;
    }

private:
    const AddressLookup& lookup_;
    const AddressBook& book_;
    const NmeFile& file_;
    const PolContext* pol_;
    Findings* out_;

    void emit(CheckId id, std::uint64_t record, std::uint64_t offset, std::string message) {
        if (out_) out_->push_back(make_finding(id, file_.relpath, record, offset, std::move(message)));
    }

    static std::string entry(std::uint64_t i, const NmeRecord& r) {
        return "entry " + std::to_string(i) + " " + shown_alias(r.alias()) + " (TID " + hex_tid(r.tid()) +
               ")";
    }

    // The first problem in EntryVerdict's order wins the status.
    static void raise(EntryVerdict& v, Status s) {
        if (rank(s) < rank(v.status)) v.status = s;
    }
    static int rank(Status s) {
        switch (s) {
            case Status::duplicate_tid:
                return 0;
            case Status::account_gone:
                return 1;
            case Status::local_stale:
                return 2;
            case Status::group_pointer:
                return 3;
            case Status::external_pointer:
                return 4;
            case Status::bad_alias:
                return 5;
            case Status::unknown_type:
                return 6;
            case Status::ok:
                return 7;
        }
        return 7;
    }

    EntryVerdict judge(std::uint64_t i, const NmeRecord& r) {
        EntryVerdict v;
        std::optional<std::uint64_t> pol_match;
        if (pol_) {
            auto it = pol_->by_tid.find(r.tid());
            if (it != pol_->by_tid.end() && (*pol_->verdicts)[it->second].status == Status::ok)
                pol_match = v.pol_entry = it->second;
        }
        const auto type = r.type();
        if (!type) {
            raise(v, Status::unknown_type);
            emit(CheckId::nme_unknown_type, i, nme_offset(i, NmeRecord::kType),
                 entry(i, r) + " has type " + nme_type_name(r.type_code()));
        } else if (*type == NmeType::local) {
            judge_local(i, r, v);
        } else if (*type == NmeType::group) {
            judge_group(i, r, v);
        } else {
            judge_external(i, r, v);
        }
        if (pol_match) {
            const NmeRecord& p = pol_->table->records[*pol_match];
            if (!v.fix_pointer && p.type_code() == r.type_code() && p.pointer() != r.pointer() &&
                (v.status == Status::group_pointer || v.status == Status::external_pointer))
                v.fix_pointer = p.pointer();
            if (auto a = usable_alias(p.alias())) v.fix_alias = a;  // a PAL entry is a copy of its POL entry
        }
        if (auto problem = alias_problem(r)) {
            raise(v, Status::bad_alias);
            std::string msg = entry(i, r) + ": alias " + *problem;
            msg += v.fix_alias ? "; rewritable as " + shown_alias(*v.fix_alias)
                               : "; no source to rewrite it from";
            emit(CheckId::nme_bad_alias, i, nme_offset(i, NmeRecord::kAlias), std::move(msg));
        } else {
            v.fix_alias.reset();  // a valid alias is never rewritten
        }
        return v;
    }

    void judge_local(std::uint64_t i, const NmeRecord& r, EntryVerdict& v) {
        const auto& accounts = book_.accounts.accounts;
        const auto at = lookup_.account_at(r.pointer());
        if (at && !accounts[*at].deleted && accounts[*at].tid == r.tid()) {
            v.account = at;
            set_alias_from_account(v);
            return;
        }
        std::string how = "by TID";
        auto found = lookup_.active_by_tid(r.tid());
        if (!found && !alias_problem(r)) {
            found = lookup_.active_by_name(r.alias());
            how = "by name";
        }
        const std::string where =
            at ? "ACCESS2.GLB record " + std::to_string(*at) +
                     (accounts[*at].deleted ? " (deleted)" : " (TID " + hex_tid(accounts[*at].tid) + ")")
               : "byte " + std::to_string(r.pointer()) + ", not an ACCESS2.GLB record";
        if (!found) {
            raise(v, Status::account_gone);
            emit(CheckId::nme_account_gone, i, nme_offset(i, NmeRecord::kPointer),
                 "local " + entry(i, r) + " points at " + where + "; no active account has its TID or name");
            return;
        }
        raise(v, Status::local_stale);
        v.account = found;
        v.fix_pointer = static_cast<std::uint32_t>(*found * Access2Record::size);
        v.fix_tid = accounts[*found].tid;
        set_alias_from_account(v);
        emit(CheckId::nme_local_stale, i, nme_offset(i, NmeRecord::kPointer),
             "local " + entry(i, r) + " points at " + where + "; its account is record " +
                 std::to_string(*found) + " (" + shown_alias(accounts[*found].mailbox) + "), found " + how);
    }

    void set_alias_from_account(EntryVerdict& v) const {
        const Account& a = book_.accounts.accounts[*v.account];
        v.fix_alias = usable_alias(a.full_name);
        if (!v.fix_alias) v.fix_alias = usable_alias(a.mailbox);
    }

    // A group entry is right when its pointer is a node of ADMIN.GRP (or 0,
    // an empty chain, unless GROUP.GLB gives its group a chain) and GROUP.GLB
    // holds its TID.
    void judge_group(std::uint64_t i, const NmeRecord& r, EntryVerdict& v) {
        const GrpTable& grp = book_.grp.table;
        v.group = lookup_.group_by_tid(r.tid());
        std::optional<std::uint32_t> glb_chain;  // where GROUP.GLB puts its chain, if that lands
        if (v.group) {
            const GroupRecord& g = book_.groups.records[*v.group];
            v.fix_alias = usable_alias(g.alias());
            if (g.grp_offset() == 0 || checks_detail::grp_node_at(grp, g.grp_offset()))
                glb_chain = g.grp_offset();
        }
        const bool on_node = checks_detail::grp_node_at(grp, r.pointer());
        const bool emptied = r.pointer() == 0 && glb_chain && *glb_chain != 0;
        if ((on_node || r.pointer() == 0) && v.group && !emptied) return;
        raise(v, Status::group_pointer);
        std::string msg = "group " + entry(i, r);
        if (!v.group) {
            msg += " is not in GROUP.GLB";
        } else if (!on_node) {
            msg += emptied ? " has an empty chain (pointer 0)"
                           : " points at byte " + std::to_string(r.pointer()) + ", not a node of " +
                                 book_.grp.relpath;
            v.fix_pointer = glb_chain;
            msg += v.fix_pointer ? "; GROUP.GLB gives its chain at byte " + std::to_string(*v.fix_pointer)
                                 : "; no chain found for it";
        }
        emit(CheckId::nme_group_pointer, i, nme_offset(i, NmeRecord::kPointer), std::move(msg));
    }

    void judge_external(std::uint64_t i, const NmeRecord& r, EntryVerdict& v) {
        const auto& netpo = book_.netpo.records;
        const auto at = lookup_.netpo_at(r.pointer());
        if (at && !netpo[*at].deleted() && netpo[*at].tid() == r.tid()) {
            v.netpo = at;
            return;
        }
        raise(v, Status::external_pointer);
        const std::string where =
            at ? "NETPO.GLB record " + std::to_string(*at) +
                     (netpo[*at].deleted() ? " (deleted)" : " (TID " + hex_tid(netpo[*at].tid()) + ")")
               : "byte " + std::to_string(r.pointer()) + ", not a NETPO.GLB record";
        std::string msg = "external " + entry(i, r) + " points at " + where;
        if (auto found = lookup_.netpo_by_tid(r.tid())) {
            v.netpo = found;
            v.fix_pointer =
                static_cast<std::uint32_t>(record_offset(rules::netpo, *found, NetpoRecord::size));
            msg += "; its record is " + std::to_string(*found) + " (byte " + std::to_string(*v.fix_pointer) +
                   ")";
        } else {
            msg += "; no NETPO.GLB record has its TID";
        }
        emit(CheckId::nme_external_pointer, i, nme_offset(i, NmeRecord::kPointer), std::move(msg));
    }
};

std::optional<std::uint64_t> first_difference(const Bytes& a, const Bytes& b) {
    const std::size_t n = std::min(a.size(), b.size());
    auto [ia, ib] = std::mismatch(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin());
    if (ia == a.begin() + static_cast<std::ptrdiff_t>(n)) return std::nullopt;
    return static_cast<std::uint64_t>(ia - a.begin());
}

// Findings for a main/shadow pair; true if they differ at all.
template <class File, class Encode>
bool compare_pair(CheckId id, const File& main, const File& shadow, const char* main_rel,
                  const char* shadow_rel, std::uint64_t header, std::uint64_t record, Encode encode,
                  Findings& out) {
    if (!main.present && !shadow.present) return false;  // glb.missing reports them
    if (!main.present || !shadow.present) {              // one copy good, perhaps: a fixer copies it
        const File& gone = main.present ? shadow : main;
        const File& there = main.present ? main : shadow;
        out.push_back(make_finding(id, gone.relpath,
                                   std::string(shadow_rel) + " and " + main_rel + " differ: " + gone.relpath +
                                       " is missing, " + there.relpath + " is not"));
        return true;
    }
    const std::size_t before = out.size();
    checks_detail::pair_findings(
        id, shadow.relpath, main_rel, shadow_rel, {main.size, main.mtime_ns}, {shadow.size, shadow.mtime_ns},
        first_difference(encode(main.table), encode(shadow.table)), header, record, out);
    return out.size() != before || encode(main.table) != encode(shadow.table);
}

void partial_record(const NmeFile& file, Findings& out) {
    if (file.table.trailing.empty()) return;
    const std::uint64_t n = file.table.records.size();
    out.push_back(make_finding(CheckId::nme_partial_record, file.relpath, n, n * NmeRecord::size,
                               "NME " + size_violation(rules::nme, file.size).value_or("partial record") +
                                   ": the last " + std::to_string(file.table.trailing.size()) +
                                   " bytes are not a whole record"));
}

// Judges one list; its findings (model fit, partial record, entries) go to
// `out` unless `out` is null.
ListReport judge_list(const AddressLookup& lookup, const NmeFile& file, const PolContext* pol,
                      Findings* out) {
    Findings mine;
    ListReport report = ListJudge(lookup, file, pol, &mine).run();
    if (!out) return report;
    if (report.fit.contradicts)
        out->push_back(make_finding(CheckId::nme_model_mismatch, file.relpath, report.fit.summary()));
    partial_record(file, *out);
    out->insert(out->end(), std::make_move_iterator(mine.begin()), std::make_move_iterator(mine.end()));
    return report;
}

// The chain of each group entry: at its pointer, or where its pointer lands
// on no node, at the chain GROUP.GLB gives its group (the pointer a repair
// gives it), so that a chain broken behind a lost pointer is found, and cut,
// in the same run.
std::vector<ChainReport> walk_chains(const AddressBook& book, const AddressLookup& lookup,
                                     const GrpTable& grp) {
    std::vector<ChainReport> out;
    const auto& records = book.pol.table.records;
    for (std::uint64_t i = 0; i < records.size(); ++i) {
        const NmeRecord& r = records[i];
        if (r.type() != NmeType::group) continue;
        std::uint64_t start = r.pointer();
        if (start == 0 || !checks_detail::grp_node_at(grp, start)) {
            const auto g = lookup.group_by_tid(r.tid());
            if (!g) continue;
            start = book.groups.records[*g].grp_offset();
            if (start == 0 || !checks_detail::grp_node_at(grp, start)) continue;
        }
        out.push_back(ChainReport{i, walk_chain(grp, start)});
    }
    return out;
}

void chain_findings(const AddressBook& book, const std::vector<ChainReport>& chains, Findings& out) {
    for (const auto& c : chains) {
        if (c.walk.status == ChainStatus::ok) continue;
        const NmeRecord& r = book.pol.table.records[c.group_record];
        const std::uint64_t from = c.walk.bad_from ? c.walk.bad_from : r.pointer();
        out.push_back(make_finding(
            CheckId::grp_chain_broken, book.grp.relpath, (from - kGrpHeaderSize) / GrpNode::size, from,
            "chain of group " + shown_alias(r.alias()) + " (POL entry " + std::to_string(c.group_record) +
                ") is broken at the node at byte " + std::to_string(from) + ": next offset " +
                std::to_string(c.walk.bad_offset) + " is " + chain_damage_text(c.walk.status) + " (" +
                std::to_string(c.walk.tids.size()) + " members read before it)"));
    }
}

}  // namespace

AddressReport check_address_book(const AddressBook& book) {
    AddressReport report;
    Findings& out = report.findings;
    const AddressLookup lookup(book);

    const bool nme_differs =
        compare_pair(CheckId::shadow_nme_mismatch, book.pol, book.pol_shadow, "NME/ADMIN.NME",
                     "NME/ADMINSHD.NME", 0, NmeRecord::size, encode_nme, out);
    const bool grp_differs =
        compare_pair(CheckId::shadow_grp_mismatch, book.grp, book.grp_shadow, "GRP/ADMIN.GRP",
                     "GRP/ADMINSHD.GRP", kGrpHeaderSize, GrpNode::size, encode_grp, out);

    report.pol = judge_list(lookup, book.pol, nullptr, &out);
    if (nme_differs) report.pol_shadow = judge_list(lookup, book.pol_shadow, nullptr, nullptr);

    report.grp_fit = checks_detail::grp_fit(lookup, book.grp);
    report.chains = walk_chains(book, lookup, book.grp.table);
    if (report.grp_fit.contradicts || report.grp_fit.zero_filled())  // zero nodes: no chain to judge
        out.push_back(make_finding(CheckId::nme_model_mismatch, book.grp.relpath, report.grp_fit.summary()));
    else
        chain_findings(book, report.chains, out);
    if (grp_differs) {
        report.grp_shadow_fit = checks_detail::grp_fit(lookup, book.grp_shadow);
        report.grp_shadow_chains = walk_chains(book, lookup, book.grp_shadow.table);
    }

    std::unordered_map<std::uint32_t, std::uint64_t> pol_tids;
    std::unordered_set<std::uint32_t> typed_tids;  // of entries of a type we know
    for (std::uint64_t i = 0; i < book.pol.table.records.size(); ++i) {
        pol_tids.emplace(book.pol.table.records[i].tid(), i);
        if (book.pol.table.records[i].type()) typed_tids.insert(book.pol.table.records[i].tid());
    }
    // An account is missing if no entry of a type we know has its TID and
    // none resolves to it (a stale entry found by name will be given its
    // TID): an entry of an unknown type with its TID is not its local entry.
    std::unordered_set<std::uint64_t> resolved;
    for (const auto& v : report.pol.verdicts)
        if (v.account && v.status != Status::duplicate_tid) resolved.insert(*v.account);
    const auto& accounts = book.accounts.accounts;
    for (std::uint64_t i = 0; i < accounts.size(); ++i) {
        const Account& a = accounts[i];
        if (a.deleted || typed_tids.count(a.tid) || resolved.count(i)) continue;
        report.missing_accounts.push_back(i);
        if (!report.pol.fit.contradicts)
            out.push_back(
                make_finding(CheckId::pol_missing_account, book.pol.relpath, std::nullopt, std::nullopt,
                             "active account " + std::to_string(i) + " (" + shown_alias(a.mailbox) +
                                 ", TID " + hex_tid(a.tid) + ") has no entry in the POL" +
                                 (pol_tids.count(a.tid) ? " (entry " + std::to_string(pol_tids.at(a.tid)) +
                                                              " has its TID but a type we do not know)"
                                                        : std::string())));
    }

    // A group is missing if no group entry has its TID and no group entry
    // whose TID names no GROUP.GLB record has its alias (a garbled TID).
    std::unordered_set<std::uint32_t> group_tids;
    std::unordered_set<std::string> unresolved_aliases;
    for (std::uint64_t i = 0; i < book.pol.table.records.size(); ++i) {
        const NmeRecord& r = book.pol.table.records[i];
        if (r.type() != NmeType::group) continue;
        group_tids.insert(r.tid());
        if (!report.pol.verdicts[i].group) unresolved_aliases.insert(to_upper(r.alias()));
    }
    for (std::uint64_t i = 0; i < book.groups.records.size(); ++i) {
        const GroupRecord& g = book.groups.records[i];
        if (g.deleted() || group_tids.count(g.tid()) || unresolved_aliases.count(to_upper(g.alias())))
            continue;
        report.missing_groups.push_back(i);
        if (!report.pol.fit.contradicts)
            out.push_back(
                make_finding(CheckId::pol_missing_group, book.pol.relpath, std::nullopt, std::nullopt,
                             "group " + std::to_string(i) + " " + shown_alias(g.alias()) + " (TID " +
                                 hex_tid(g.tid()) + ") of GROUP.GLB has no entry in the POL"));
    }

    PolContext pol;
    pol.table = &book.pol.table;
    pol.verdicts = &report.pol.verdicts;
    pol.by_tid = std::move(pol_tids);
    for (const auto& pal : book.pals) report.pals.push_back(judge_list(lookup, pal, &pol, &out));
    return report;
}

}  // namespace mspo
