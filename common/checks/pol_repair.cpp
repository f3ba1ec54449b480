#include "mspo/checks/pol_repair.hpp"

#include "address_lookup.hpp"
#include "pol_repair_parts.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

#include "mspo/base/codepage.hpp"
#include "mspo/base/time.hpp"
#include "mspo/format/access.hpp"

namespace mspo {

namespace {

using namespace checks_detail;
using Status = EntryVerdict::Status;

std::string upper(std::string_view s) { return to_upper(s); }

// ---- the planner -------------------------------------------------------

class Planner {
public:
    Planner(const AddressBook& book, const AddressReport& report, Findings findings,
            const RepairOptions& options)
        : book_(book),
          report_(report),
          options_(options),
          out_(with_findings(std::move(findings))),
          index_(out_.findings) {}

    AddressRepair run() {
        if (refuse_if_contradicted()) return std::move(out_);
        plan_pol();
        plan_grp();
        plan_groups();
        if (options_.pals) plan_pals();
        if (out_.pol_changed) {
            Finding f = make_finding(
                CheckId::pol_rebuilt, book_.pol.relpath,
                "after this change to the POL, the GAL and the remote copies of the address lists are "
                "out of date (KB Q125252 step 10)");
            f.action = "run REBUILD -F, then Remote Regenerate in ADMIN";
            out_.findings.push_back(std::move(f));
        }
        return std::move(out_);
    }

private:
    static AddressRepair with_findings(Findings findings) {
        AddressRepair r;
        r.findings = std::move(findings);
        return r;
    }

    // --- model fit ---
    bool refuse(const ModelFit& fit, const std::string& way_out) {
        out_.refused = fit;
        out_.refusal = fit.relpath + ": " + fit.summary() + "; nothing changed" + way_out;
        return true;
    }

    bool pol_in_place() const { return !pol_copy_source() && pol_damaged_anywhere(); }

    bool refuse_if_contradicted() {
        if (!options_.rebuild_pol && report_.pol.fit.contradicts && pol_in_place())
            return refuse(report_.pol.fit, "; --rebuild-pol rebuilds it from the ACCESS files anyway");
        if (report_.grp_fit.contradicts && grp_cut_needed() && !grp_copy_source())
            return refuse(report_.grp_fit, "");
        if (options_.pals)
            for (std::size_t i = 0; i < book_.pals.size() && i < report_.pals.size(); ++i)
                if (report_.pals[i].fit.contradicts && pal_needs_change(i))
                    return refuse(report_.pals[i].fit, "; --pol-only leaves the PALs alone");
        return false;
    }

    // --- the POL ---
    bool pol_main_good() const {
        return book_.pol.present && !report_.pol.fit.contradicts && report_.missing_accounts.empty() &&
               report_.missing_groups.empty() && book_.pol.table.trailing.empty() &&
               !index_.damaged(book_.pol.relpath, {CheckId::shadow_nme_mismatch});
    }
    bool pol_shadow_good() const {
        if (!book_.pol_shadow.present || !report_.pol_shadow) return false;
        return !report_.pol_shadow->fit.contradicts && book_.pol_shadow.table.trailing.empty() &&
               !index_.damaged(book_.pol_shadow.relpath, {CheckId::shadow_nme_mismatch}) &&
               std::all_of(report_.pol_shadow->verdicts.begin(), report_.pol_shadow->verdicts.end(),
                           [](const EntryVerdict& v) {
                               return v.status == Status::ok || v.status == Status::unknown_type;
                           }) &&
               shadow_has_missing_accounts();
    }
    /// True if the shadow holds an entry (by TID) for every account and group ADMIN.NME lacks.
    bool shadow_has_missing_accounts() const {
        for (auto index : report_.missing_accounts)
            if (index < book_.accounts.accounts.size() &&
                !find_tid(book_.pol_shadow.table,
                          book_.accounts.accounts[static_cast<std::size_t>(index)].tid))
                return false;
        for (auto index : report_.missing_groups)
            if (index < book_.groups.records.size() &&
                !find_tid(book_.pol_shadow.table,
                          book_.groups.records[static_cast<std::size_t>(index)].tid()))
                return false;
        return true;
    }
    bool pol_pair_differs() const {
        return !same_copy(encode_nme(book_.pol.table), book_.pol.present, book_.pol.mtime_ns,
                          encode_nme(book_.pol_shadow.table), book_.pol_shadow.present,
                          book_.pol_shadow.mtime_ns);
    }
    /// The copy to write over the other, when the pair differs and one is good.
    const NmeFile* pol_copy_source() const {
        if (options_.rebuild_pol || !pol_pair_differs()) return nullptr;
        if (pol_main_good()) return &book_.pol;
        if (pol_shadow_good()) return &book_.pol_shadow;
        return nullptr;
    }
    bool pol_damaged_anywhere() const { return !pol_main_good() || pol_pair_differs(); }

    void plan_pol() {
        if (options_.rebuild_pol) return rebuild_pol();
        if (const NmeFile* source = pol_copy_source()) return copy_pol(*source);
        if (pol_main_good()) return;  // and the pair agrees
        repair_pol_in_place();
    }

    /// The judgement of `file` (ADMIN.NME, or the shadow when it differs), or null.
    const ListReport* judged(const NmeFile& file) const {
        if (&file == &book_.pol) return &report_.pol;
        return report_.pol_shadow ? &*report_.pol_shadow : nullptr;
    }

    /// True if `result` holds `r`: a record of the same TID, or of the same
    /// alias, type and pointer (the same entry with a garbled TID).
    static bool holds(const NmeTable& result, const NmeRecord& r) {
        return std::any_of(result.records.begin(), result.records.end(), [&](const NmeRecord& k) {
            return k.tid() == r.tid() ||
                   (k.alias() == r.alias() && k.type_code() == r.type_code() && k.pointer() == r.pointer());
        });
    }

    /// Keeps what only `other` (the copy about to be written over) holds:
    /// each of its entries that neither `kept` nor `result` holds (holds())
    /// and that reads fine, or can be repaired as in place (repair_entry), is
    /// appended to `result`; every other one is removed and quarantined;
    /// each gets a finding (its own record findings, else a
    /// shadow.nme-mismatch of that record), linked into `links`. An all-zero
    /// record holds no entry. Returns the number appended.
    std::size_t keep_other_copy_entries(const NmeFile& other, const NmeFile& kept, NmeTable& result,
                                        std::vector<std::size_t>& links) {
        const NmeTable& compared = kept.table;
        const std::string& kept_in = kept.relpath;
        const ListReport* list = judged(other);
        if (list == nullptr) return 0;
        std::size_t added = 0;
        for (std::size_t i = 0; i < other.table.records.size(); ++i) {
            const NmeRecord& r = other.table.records[i];
            if (std::all_of(r.raw.begin(), r.raw.end(), [](std::uint8_t b) { return b == 0; })) continue;
            if (holds(compared, r) || holds(result, r)) continue;
            const EntryVerdict& v = verdict(*list, i);
            const std::string where = "entry " + std::to_string(i) + " \"" + cp850_to_utf8(r.alias()) +
                                      "\" (TID 0x" + format_hex8(r.tid()) + ") is in " + other.relpath +
                                      " but not in " + kept_in;
            std::vector<std::size_t> own =
                &other == &book_.pol ? index_.record(other.relpath, i) : std::vector<std::size_t>{};
            NmeRecord fixed = r;
            const auto repaired = v.status == Status::ok ? std::nullopt : repair_entry(fixed, v);
            if (v.status == Status::ok || repaired) {
                result.records.push_back(fixed);
                ++added;
                ++out_.counts.entries_added;
                if (own.empty()) {
                    out_.findings.push_back(make_finding(CheckId::shadow_nme_mismatch, other.relpath, i,
                                                         i * NmeRecord::size,
                                                         where + (repaired ? "" : "; it reads fine")));
                    own.push_back(out_.findings.size() - 1);
                }
                set_action(out_.findings, own,
                           repaired ? "keep it: " + *repaired + ", and add it to both copies"
                                    : "keep it: add it to both copies");
            } else {
                if (own.empty()) {
                    out_.findings.push_back(make_finding(CheckId::shadow_nme_mismatch, other.relpath, i,
                                                         i * NmeRecord::size,
                                                         where + " and is an " + status_reason(v.status)));
                    own.push_back(out_.findings.size() - 1);
                }
                out_.quarantine.push_back(
                    quarantined(book_, other, i, r, v,
                                std::string(status_reason(v.status)) + ", only in " + other.relpath));
                append(own, index_.warnings(other.relpath, i));
                set_action(out_.findings, own, "remove and quarantine");
                ++out_.counts.entries_removed;
            }
            append(links, own);
        }
        return added;
    }

    /// True if the partial record at the end of `target` is the start of
    /// `source`'s record at that offset (a cut copy of what source holds).
    static bool prefix_of_source(const NmeFile& target, const NmeFile& source) {
        const std::size_t at = target.table.records.size();
        if (at >= source.table.records.size()) return false;
        const auto& raw = source.table.records[at].raw;
        const Bytes& tail = target.table.trailing;
        return tail.size() <= raw.size() && std::equal(tail.begin(), tail.end(), raw.begin());
    }

    /// Writes the good copy `source` over the other (its bytes and its
    /// date); entries only the other holds are kept in both copies or
    /// quarantined (keep_other_copy_entries), and when one is kept both
    /// copies are written with it, one date.
    void copy_pol(const NmeFile& source) {
        const NmeFile& target = &source == &book_.pol ? book_.pol_shadow : book_.pol;
        NmeTable result = source.table;
        std::vector<std::size_t> links;
        const std::size_t merged = keep_other_copy_entries(target, source, result, links);
        if (!target.table.trailing.empty() && !prefix_of_source(target, source))
            out_.quarantine.push_back(trailing_entry(target));
        append(links, index_.code(CheckId::shadow_nme_mismatch));
        append(links, index_.code(CheckId::nme_model_mismatch, &target.relpath));
        append(links, index_.code(CheckId::nme_partial_record, &target.relpath));
        for (std::size_t i = 0; i < out_.findings.size(); ++i)
            if (FindingIndex::is_record_check(out_.findings[i].code) &&
                upper(out_.findings[i].file) == upper(target.relpath))
                append(links, {i});
        if (!target.present)
            append(links, missing_copy_finding(CheckId::shadow_nme_mismatch, target.relpath));
        if (&source == &book_.pol_shadow)  // the shadow holds them (pol_shadow_good)
            append(links, index_.code(CheckId::pol_missing_account));
        ++out_.counts.pairs_copied;
        if (merged == 0) {
            set_action(out_.findings, links, "copy " + source.relpath + " over " + target.relpath);
            new_pol_ = source.table;
            out_.writes.push_back({target.relpath, encode_nme(source.table), !target.present, source.mtime_ns,
                                   std::move(links)});
            out_.pol_changed = &source != &book_.pol;  // the POL itself changes only if ADMIN.NME is written
            return;
        }
        set_action(out_.findings, links,
                   "copy " + source.relpath + " over " + target.relpath + ", with the entries only " +
                       target.relpath + " held");
        result.file_size = result.records.size() * NmeRecord::size;
        const Bytes bytes = encode_nme(result);
        out_.writes.push_back({book_.pol.relpath, bytes, !book_.pol.present, options_.now_ns, links});
        out_.writes.push_back(
            {book_.pol_shadow.relpath, bytes, !book_.pol_shadow.present, options_.now_ns, links});
        new_pol_ = std::move(result);
        out_.pol_changed = true;
    }

    /// The finding a missing copy of a pair is repaired under: the check's
    /// own (check_address_book reports a missing copy), else a new one.
    std::vector<std::size_t> missing_copy_finding(CheckId id, const std::string& relpath) {
        auto found = index_.code(id);
        if (!found.empty()) return found;
        out_.findings.push_back(make_finding(id, relpath, relpath + " is missing"));
        return {out_.findings.size() - 1};
    }

    /// True if group entry `r` will find its chain once the good
    /// ADMINSHD.GRP is copied over a damaged or missing ADMIN.GRP.
    bool chain_in_copied_shadow(const NmeRecord& r, const EntryVerdict& v) const {
        if (v.status != Status::group_pointer || v.fix_pointer || r.pointer() == 0) return false;
        if (grp_copy_source() != &book_.grp_shadow) return false;
        return walk_chain(book_.grp_shadow.table, r.pointer()).status == ChainStatus::ok;
    }

    /// Keeps `r` as it is, its findings repaired by the GRP copy.
    void keep_for_grp_copy(const std::vector<std::size_t>& links) {
        set_action(
            out_.findings, links,
            "keep: its chain is in " + book_.grp_shadow.relpath + ", copied over " + book_.grp.relpath);
        append(grp_copy_links_, links);
    }

    const EntryVerdict& verdict(const ListReport& list, std::size_t i) const {
        static const EntryVerdict ok;
        return i < list.verdicts.size() ? list.verdicts[i] : ok;
    }

    void remove_pol_entry(std::size_t i, const NmeRecord& r, const EntryVerdict& v, const std::string& reason,
                          std::vector<std::size_t> links) {
        out_.quarantine.push_back(quarantined(book_, book_.pol, i, r, v, reason));
        append(links, index_.warnings(book_.pol.relpath, i));
        set_action(out_.findings, links, "remove and quarantine");
        append(pol_repairs_, links);
        if (r.type() == NmeType::group) removed_groups_.push_back({r, links});
        ++out_.counts.entries_removed;
    }

    void repair_pol_in_place() {
        const NmeFile& pol = book_.pol;
        NmeTable next;
        next.records.reserve(pol.table.records.size() + report_.missing_accounts.size());
        for (std::size_t i = 0; i < pol.table.records.size(); ++i) {
            NmeRecord r = pol.table.records[i];
            const EntryVerdict& v = verdict(report_.pol, i);
            const auto links = index_.record(pol.relpath, i);
            if (chain_in_copied_shadow(r, v)) {
                next.records.push_back(r);
                keep_for_grp_copy(links);
            } else if (const auto account = missing_account_of(r, v)) {
                replace_unknown_type(i, r, *account, next);
            } else if (auto action = repair_entry(r, v)) {
                next.records.push_back(r);
                set_action(out_.findings, links, *action);
                append(pol_repairs_, links);
                ++out_.counts.entries_repaired;
            } else if (removable(v.status)) {
                remove_pol_entry(i, r, v, status_reason(v.status), links);
            } else {
                next.records.push_back(r);
            }
        }
        drop_trailing(pol, pol_repairs_);
        keep_shadow_entries(next);
        add_missing_accounts(next);
        add_groups(next, false);
        // Both copies missing or empty: nothing else names the external users.
        if (pol.table.records.empty() && book_.pol_shadow.table.records.empty()) add_externals(next);
        finish_pol(std::move(next), {CheckId::nme_model_mismatch});
    }

    /// Both copies damaged (repaired in place or rebuilt from ADMIN.NME):
    /// the entries only ADMINSHD.NME holds, when it differs, are kept as a
    /// copy over it keeps them (keep_other_copy_entries: appended when they
    /// read or can be repaired, else quarantined), so that an entry the
    /// shadow alone still reads is not lost with it.
    void keep_shadow_entries(NmeTable& next) {
        if (!book_.pol_shadow.present || !report_.pol_shadow) return;
        keep_other_copy_entries(book_.pol_shadow, book_.pol, next, pol_repairs_);
    }

    /// True if `next` holds an entry of `type` with TID `tid` (kept from the shadow).
    static bool holds_tid(const NmeTable& next, std::uint32_t tid, NmeType type) {
        return std::any_of(next.records.begin(), next.records.end(),
                           [&](const NmeRecord& r) { return r.tid() == tid && r.type() == type; });
    }

    /// The missing account (its index in missing_accounts) whose TID the
    /// entry of an unknown type `r` holds, or nullopt.
    std::optional<std::size_t> missing_account_of(const NmeRecord& r, const EntryVerdict& v) const {
        if (v.status != Status::unknown_type) return std::nullopt;
        for (std::size_t k = 0; k < report_.missing_accounts.size(); ++k) {
            const auto index = report_.missing_accounts[k];
            if (index < book_.accounts.accounts.size() &&
                book_.accounts.accounts[static_cast<std::size_t>(index)].tid == r.tid())
                return k;
        }
        return std::nullopt;
    }

    /// An entry of a type we do not know that holds the TID of an active
    /// account with no local entry is that account's entry with its type
    /// damaged: it is replaced, in its place, by the entry ACCTONME would
    /// write (every active account keeps a type-1 entry), and its old bytes
    /// are quarantined. Its warning and the account's pol.missing-account
    /// are repaired by it.
    void replace_unknown_type(std::size_t i, const NmeRecord& r, std::size_t k, NmeTable& next) {
        const auto index = report_.missing_accounts[k];
        const Account& a = book_.accounts.accounts[static_cast<std::size_t>(index)];
        const NmeRecord entry = local_entry(a);
        std::vector<std::size_t> links = index_.warnings(book_.pol.relpath, i);
        const auto missing = index_.code(CheckId::pol_missing_account);
        if (missing.size() == report_.missing_accounts.size()) links.push_back(missing[k]);
        if (alias_problem(entry)) {  // never write an entry that fails its own check: keep it as it is
            next.records.push_back(r);
            return;
        }
        EntryVerdict v;
        v.status = Status::unknown_type;
        out_.quarantine.push_back(
            quarantined(book_, book_.pol, i, r, v,
                        "entry of a type we do not know, with the TID of active account " +
                            std::to_string(index) + "; replaced by its local entry"));
        next.records.push_back(entry);
        replaced_accounts_.push_back(index);
        set_action(out_.findings, links,
                   "replace it by the account's local entry (type 1) and quarantine it");
        append(pol_repairs_, links);
        ++out_.counts.entries_repaired;
    }

    /// Rewrites `r` in place where `v` says how (every fix known, whatever
    /// the status: a stale entry may have a garbled alias too); returns the
    /// action, or nullopt if the entry is kept as it is or must go.
    std::optional<std::string> repair_entry(NmeRecord& r, const EntryVerdict& v) const {
        std::string action;
        switch (v.status) {
            case Status::bad_alias:
                break;
            case Status::local_stale: {
                const Account* a = v.account && *v.account < book_.accounts.accounts.size()
                                       ? &book_.accounts.accounts[static_cast<std::size_t>(*v.account)]
                                       : nullptr;
                if (!v.fix_pointer && a == nullptr) return std::nullopt;
                r.set_pointer(v.fix_pointer.value_or(static_cast<std::uint32_t>(a ? a->access2_offset : 0)));
                if (v.fix_tid || a != nullptr) r.set_tid(v.fix_tid.value_or(a ? a->tid : r.tid()));
                action = "point it at its account again";
                break;
            }
            case Status::group_pointer:
                if (!v.fix_pointer) {  // its GROUP.GLB record, by TID or (a garbled TID) by alias
                    const GroupRecord* g = group_record_for(book_, r);
                    if (g == nullptr || g->grp_offset() == 0 ||
                        walk_chain(final_grp(), g->grp_offset()).status != ChainStatus::ok)
                        return std::nullopt;
                    r.set_pointer(g->grp_offset());
                    r.set_tid(g->tid());
                    action = "point it at its chain again (GROUP.GLB)";
                    break;
                }
                [[fallthrough]];
            case Status::external_pointer:
                if (!v.fix_pointer) return std::nullopt;
                r.set_pointer(*v.fix_pointer);
                if (v.fix_tid) r.set_tid(*v.fix_tid);
                action = v.status == Status::group_pointer ? "point it at its chain again"
                                                           : "point it at its NETPO.GLB record again";
                break;
            default:
                return std::nullopt;
        }
        if (alias_problem(r)) {
            if (!v.fix_alias || !printable_alias(*v.fix_alias)) return std::nullopt;  // the entry must go
            r.set_alias(*v.fix_alias);
            action += action.empty() ? "rewrite the alias" : "; rewrite the alias";
        }
        if (action.empty()) return std::nullopt;
        return action;
    }

    static bool removable(Status s) {
        return s == Status::bad_alias || s == Status::account_gone || s == Status::local_stale ||
               s == Status::group_pointer || s == Status::external_pointer || s == Status::duplicate_tid;
    }

    void drop_trailing(const NmeFile& file, std::vector<std::size_t>& repairs) {
        if (file.table.trailing.empty()) return;
        out_.quarantine.push_back(trailing_entry(file));
        const auto links = index_.code(CheckId::nme_partial_record, &file.relpath);
        set_action(out_.findings, links, "drop and quarantine");
        append(repairs, links);
    }

    /// Adds an entry per missing account, as ACCTONME would, unless its name
    /// would not make a valid alias (blank, or a control byte): palfix never
    /// writes an entry that fails its own check, so that finding stays.
    void add_missing_accounts(NmeTable& next) {
        const auto links = index_.code(CheckId::pol_missing_account);
        const bool one_each = links.size() == report_.missing_accounts.size();  // findings in that order
        bool skipped = false;
        for (std::size_t k = 0; k < report_.missing_accounts.size(); ++k) {
            const auto index = report_.missing_accounts[k];
            if (index >= book_.accounts.accounts.size()) continue;
            if (std::find(replaced_accounts_.begin(), replaced_accounts_.end(), index) !=
                replaced_accounts_.end())
                continue;  // its entry of an unknown type was replaced in place
            const NmeRecord entry = local_entry(book_.accounts.accounts[static_cast<std::size_t>(index)]);
            if (holds_tid(next, entry.tid(), NmeType::local)) {  // kept from the shadow
                if (one_each) {
                    set_action(out_.findings, {links[k]},
                               "add to the POL (its entry in " + book_.pol_shadow.relpath + ")");
                    pol_repairs_.push_back(links[k]);
                }
                continue;
            }
            if (const auto problem = alias_problem(entry)) {
                skipped = true;
                if (one_each)
                    set_action(out_.findings, {links[k]},
                               "not added: its name would make an alias that " + *problem +
                                   "; correct the account's full name first");
                continue;
            }
            next.records.push_back(entry);
            ++out_.counts.entries_added;
            if (one_each) {
                set_action(out_.findings, {links[k]}, "add to the POL");
                pol_repairs_.push_back(links[k]);
            }
        }
        if (!one_each && !skipped) {
            set_action(out_.findings, links, "add to the POL");
            append(pol_repairs_, links);
        }
    }

    /// Adds a group entry (type 4; GROUP.GLB's alias and TID; pointer its
    /// chain's offset) for each group of report_.missing_groups, or under
    /// --rebuild-pol (`all`) for each non-deleted GROUP.GLB group `next`
    /// holds no group entry of, when its chain reads in ADMIN.GRP as it will
    /// be (offset 0: an empty group) and its alias is valid. Each
    /// pol.missing-group finding says what was done or why not.
    void add_groups(NmeTable& next, bool all) {
        const auto links = index_.code(CheckId::pol_missing_group);
        const bool one_each = links.size() == report_.missing_groups.size();
        for (std::size_t i = 0; i < book_.groups.records.size(); ++i) {
            const GroupRecord& g = book_.groups.records[i];
            const auto at = std::find(report_.missing_groups.begin(), report_.missing_groups.end(), i);
            const bool missing = at != report_.missing_groups.end();
            std::optional<std::size_t> link;
            if (missing && one_each)
                link = links[static_cast<std::size_t>(at - report_.missing_groups.begin())];
            const bool held = holds_tid(next, g.tid(), NmeType::group);
            if (!missing && (!all || g.deleted() || held)) continue;
            if (held) {  // missing from ADMIN.NME, kept from the shadow
                if (link) {
                    set_action(out_.findings, {*link},
                               "add to the POL (its entry in " + book_.pol_shadow.relpath + ")");
                    pol_repairs_.push_back(*link);
                }
                continue;
            }
            const std::uint32_t off = g.grp_offset();
            const GrpTable& grp = final_grp();
            std::optional<std::string> why;
            if (!printable_alias(g.alias()))
                why = "its GROUP.GLB alias is not a valid alias";
            else if (off != 0 && (!checks_detail::grp_node_at(grp, off) ||
                                  walk_chain(grp, off).status != ChainStatus::ok))
                why = "its chain at byte " + std::to_string(off) + " does not read in " + book_.grp.relpath;
            if (why) {
                if (link) set_action(out_.findings, {*link}, "not added: " + *why);
                continue;
            }
            NmeRecord r;
            r.set_alias(g.alias());
            r.set_tid(g.tid());
            r.set_type(NmeType::group);
            r.set_pointer(off);
            next.records.push_back(r);
            ++out_.counts.entries_added;
            if (link) {
                set_action(out_.findings, {*link}, "add to the POL");
                pol_repairs_.push_back(*link);
            }
        }
        if (!one_each) {
            set_action(out_.findings, links, "add to the POL");
            append(pol_repairs_, links);
        }
    }

    /// --rebuild-pol, or both POL copies missing or empty: an external entry (type 2; alias its mailbox name,
    /// as NETPO.GLB holds no display name; its TID; pointer the record's offset) for each non-deleted
    /// NETPO.GLB record whose names are set, whose TID `next` does not hold, and whose mailbox name is a
    /// valid alias.
    void add_externals(NmeTable& next) {
        for (std::size_t i = 0; i < book_.netpo.records.size(); ++i) {
            const NetpoRecord& n = book_.netpo.records[i];
            const auto pointer = record_offset(rules::netpo, i, NetpoRecord::size);
            if (!netpo_address(book_.netpo, static_cast<std::uint32_t>(pointer)) ||
                !printable_alias(n.mailbox()))
                continue;
            if (std::any_of(next.records.begin(), next.records.end(),
                            [&](const NmeRecord& r) { return r.tid() == n.tid(); }))
                continue;
            NmeRecord r;
            r.set_alias(n.mailbox());
            r.set_tid(n.tid());
            r.set_type(NmeType::external);
            r.set_pointer(static_cast<std::uint32_t>(pointer));
            next.records.push_back(r);
            ++out_.counts.entries_added;
        }
    }

    /// Writes both POL copies with `next`, one date, if anything changed.
    void finish_pol(NmeTable next, std::initializer_list<CheckId> file_checks) {
        next.file_size = next.records.size() * NmeRecord::size;
        const Bytes bytes = encode_nme(next);
        const bool main_same = book_.pol.present && bytes == encode_nme(book_.pol.table);
        if (main_same && !pol_pair_differs() && pol_repairs_.empty()) return;
        std::vector<std::size_t> links = pol_repairs_;
        for (auto id : file_checks) {
            append(links, index_.code(id, &book_.pol.relpath));
            append(links, index_.code(id, &book_.pol_shadow.relpath));
        }
        const auto shadow = index_.code(CheckId::shadow_nme_mismatch);
        if (!main_same) set_action(out_.findings, shadow, "write both copies identical");
        append(links, shadow);
        if (!book_.pol_shadow.present && book_.pol.present)
            append(links, missing_copy_finding(CheckId::shadow_nme_mismatch, book_.pol_shadow.relpath));
        if (main_same) {  // ADMIN.NME stays as it is: the shadow gets its bytes and its date
            set_action(out_.findings, shadow,
                       "copy " + book_.pol.relpath + " over " + book_.pol_shadow.relpath);
            out_.writes.push_back(
                {book_.pol_shadow.relpath, bytes, !book_.pol_shadow.present, book_.pol.mtime_ns, links});
            return;
        }
        out_.writes.push_back({book_.pol.relpath, bytes, !book_.pol.present, options_.now_ns, links});
        out_.writes.push_back(
            {book_.pol_shadow.relpath, bytes, !book_.pol_shadow.present, options_.now_ns, links});
        new_pol_ = std::move(next);
        out_.pol_changed = true;
    }

    void rebuild_pol() {
        const NmeFile& pol = book_.pol;
        NmeTable next;
        for (const auto& a : book_.accounts.accounts) {
            if (a.deleted) continue;
            if (alias_problem(local_entry(a))) continue;  // never written: the next run reports it missing
            next.records.push_back(local_entry(a));
        }
        const std::size_t locals = next.records.size();
        for (std::size_t i = 0; i < pol.table.records.size(); ++i) {
            NmeRecord r = pol.table.records[i];
            const EntryVerdict& v = verdict(report_.pol, i);
            auto links = index_.record(pol.relpath, i);
            const auto type = r.type();
            if (type == NmeType::local) {
                const bool superseded =
                    (v.account && *v.account < book_.accounts.accounts.size() &&
                     !book_.accounts.accounts[static_cast<std::size_t>(*v.account)].deleted) ||
                    (v.status != Status::account_gone && account_by_tid(book_.accounts, r.tid()) != nullptr);
                if (superseded) {
                    set_action(out_.findings, links, "rebuild the entry from its account");
                    append(pol_repairs_, links);
                    continue;
                }
            } else if (type == NmeType::group || type == NmeType::external) {
                if (chain_in_copied_shadow(r, v)) {
                    next.records.push_back(r);
                    keep_for_grp_copy(links);
                    continue;
                }
                if (v.status == Status::ok) {
                    next.records.push_back(r);
                    continue;
                }
                if (auto action = repair_entry(r, v)) {
                    next.records.push_back(r);
                    set_action(out_.findings, links, *action);
                    append(pol_repairs_, links);
                    ++out_.counts.entries_repaired;
                    continue;
                }
            }
            if (links.empty()) {  // kept by the checks, but a rebuild keeps only what ACCTONME would
                Finding f =
                    make_finding(CheckId::pol_rebuilt, pol.relpath, i, i * NmeRecord::size,
                                 "not kept by the rebuild: entry " + std::to_string(i) + " \"" +
                                     cp850_to_utf8(r.alias()) + "\" of type " + nme_type_name(r.type_code()));
                out_.findings.push_back(std::move(f));
                links.push_back(out_.findings.size() - 1);
            }
            remove_pol_entry(i, r, v,
                             v.status == Status::ok
                                 ? "not kept by the rebuild (" + nme_type_name(r.type_code()) + ")"
                                 : status_reason(v.status),
                             links);
        }
        drop_trailing(pol, pol_repairs_);
        keep_shadow_entries(next);
        add_groups(next, true);
        add_externals(next);
        const auto missing = index_.code(CheckId::pol_missing_account);
        set_action(out_.findings, missing, "add to the POL");
        append(pol_repairs_, missing);
        const auto fit = index_.code(CheckId::nme_model_mismatch, &pol.relpath);
        set_action(out_.findings, fit, "rebuild the POL from the ACCESS files");
        append(pol_repairs_, fit);
        // Counted is what changes: a local entry the old POL did not hold byte for byte.
        std::uint64_t added = 0;
        for (std::size_t i = 0; i < locals; ++i)
            if (std::none_of(pol.table.records.begin(), pol.table.records.end(),
                             [&](const NmeRecord& old) { return old.raw == next.records[i].raw; }))
                ++added;
        finish_pol(std::move(next), {CheckId::nme_model_mismatch});
        if (out_.pol_changed) out_.counts.entries_added += added;
    }

    // --- the GRP pair ---
    bool grp_cut_needed() const {
        return std::any_of(report_.chains.begin(), report_.chains.end(), [](const ChainReport& c) {
            return c.walk.status != ChainStatus::ok && c.walk.bad_from != 0;
        });
    }
    bool grp_main_good() const {
        return book_.grp.present && !report_.grp_fit.contradicts && !grp_cut_needed() &&
               !index_.damaged(book_.grp.relpath, {CheckId::shadow_grp_mismatch});
    }
    bool grp_pair_differs() const {
        return !same_copy(encode_grp(book_.grp.table), book_.grp.present, book_.grp.mtime_ns,
                          encode_grp(book_.grp_shadow.table), book_.grp_shadow.present,
                          book_.grp_shadow.mtime_ns);
    }
    /// The shadow is good when it fits the model and every chain the POL
    /// points at walks whole in it (check_address_book judged it, as it differs).
    bool grp_shadow_good() const {
        if (!book_.grp_shadow.present || book_.grp_shadow.table.header.size() != kGrpHeaderSize) return false;
        if (!book_.grp_shadow.table.trailing.empty()) return false;
        if (!report_.grp_shadow_fit || report_.grp_shadow_fit->contradicts) return false;
        // It walks at least the chains ADMIN.GRP walks, each whole.
        if (report_.grp_shadow_chains.size() < report_.chains.size()) return false;
        return std::all_of(report_.grp_shadow_chains.begin(), report_.grp_shadow_chains.end(),
                           [](const ChainReport& c) { return c.walk.status == ChainStatus::ok; });
    }
    const GrpFile* grp_copy_source() const {
        if (!grp_pair_differs()) return nullptr;
        if (grp_main_good()) return &book_.grp;
        if (grp_shadow_good()) return &book_.grp_shadow;
        return nullptr;
    }

    void plan_grp() {
        if (const GrpFile* source = grp_copy_source()) {
            const GrpFile& target = source == &book_.grp ? book_.grp_shadow : book_.grp;
            GrpTable result = source->table;
            std::vector<std::size_t> kept;
            if (keep_other_copy_members(*source, target, result, kept) != 0) {
                ++out_.counts.pairs_copied;
                append(kept, index_.code(CheckId::shadow_grp_mismatch));
                append(kept, index_.code(CheckId::grp_chain_broken));
                append(kept, grp_copy_links_);
                set_action(out_.findings, kept,
                           "copy " + source->relpath + " over " + target.relpath +
                               ", with the members only " + target.relpath + " held");
                const Bytes bytes = encode_grp(result);
                out_.writes.push_back({book_.grp.relpath, bytes, !book_.grp.present, options_.now_ns, kept});
                out_.writes.push_back(
                    {book_.grp_shadow.relpath, bytes, !book_.grp_shadow.present, options_.now_ns, kept});
                return;
            }
            PlannedWrite w{target.relpath, encode_grp(source->table), !target.present, source->mtime_ns, {}};
            append(w.repairs, kept);
            append(w.repairs, index_.code(CheckId::shadow_grp_mismatch));
            if (source != &book_.grp) append(w.repairs, index_.code(CheckId::grp_chain_broken));
            if (!target.present)
                append(w.repairs, missing_copy_finding(CheckId::shadow_grp_mismatch, target.relpath));
            append(w.repairs, grp_copy_links_);
            set_action(out_.findings, w.repairs, "copy " + source->relpath + " over " + target.relpath);
            out_.writes.push_back(std::move(w));
            ++out_.counts.pairs_copied;
            return;
        }
        if (grp_zero_filled()) return rebuild_grp();
        if (!grp_cut_needed() && !grp_pair_differs()) return;
        GrpTable next = book_.grp.table;
        std::vector<std::pair<std::size_t, const ChainReport*>> cuts;  // quarantine index, chain
        std::vector<std::size_t> links;
        for (const auto& c : report_.chains) {
            if (c.walk.status == ChainStatus::ok || c.walk.bad_from == 0) continue;
            const std::uint64_t node = (c.walk.bad_from - kGrpHeaderSize) / GrpNode::size;
            if (node >= next.records.size()) continue;
            QuarantineEntry q;
            q.file = book_.grp.relpath;
            q.record = node;
            q.offset = c.walk.bad_from;
            const std::string alias =
                c.group_record < book_.pol.table.records.size()
                    ? book_.pol.table.records[static_cast<std::size_t>(c.group_record)].alias()
                    : std::string();
            q.alias = alias;
            q.reason = std::string("group chain cut: the node's next offset ") +
                       std::to_string(c.walk.bad_offset) + " is " + chain_damage_text(c.walk.status) +
                       (c.walk.status == ChainStatus::cycle
                            ? "; every member was read before it (" + std::to_string(c.walk.tids.size()) + ")"
                            : "; members after it could not be read (" + std::to_string(c.walk.tids.size()) +
                                  " read before)");
            q.raw.assign(next.records[static_cast<std::size_t>(node)].raw.begin(),
                         next.records[static_cast<std::size_t>(node)].raw.end());
            if (c.walk.status != ChainStatus::ok && c.walk.status != ChainStatus::cycle)
                cuts.push_back({out_.quarantine.size(), &c});
            out_.quarantine.push_back(std::move(q));
            next.records[static_cast<std::size_t>(node)].set_next(0);
            ++out_.counts.chains_cut;
        }
        name_members_after_cuts(next, cuts);
        const auto broken = index_.code(CheckId::grp_chain_broken);
        set_action(out_.findings, broken, "cut the chain at the damage");
        append(links, broken);
        const auto shadow = index_.code(CheckId::shadow_grp_mismatch);
        set_action(out_.findings, shadow, "write both copies identical");
        append(links, shadow);
        if (!book_.grp_shadow.present && book_.grp.present)
            append(links, missing_copy_finding(CheckId::shadow_grp_mismatch, book_.grp_shadow.relpath));
        const Bytes bytes = encode_grp(next);
        out_.writes.push_back({book_.grp.relpath, bytes, !book_.grp.present, options_.now_ns, links});
        out_.writes.push_back(
            {book_.grp_shadow.relpath, bytes, !book_.grp_shadow.present, options_.now_ns, links});
    }

    /// True if ADMIN.GRP holds whole nodes that are all zero bytes and its
    /// shadow is missing, the same, or zero-filled too: no copy holds a
    /// chain, and zero bytes hold nothing any model could misread.
    bool grp_zero_filled() const {
        if (!book_.grp.present || !report_.grp_fit.zero_filled() || !book_.grp.table.trailing.empty())
            return false;
        if (!book_.grp_shadow.present || !grp_pair_differs()) return true;
        return report_.grp_shadow_fit && report_.grp_shadow_fit->zero_filled() &&
               book_.grp_shadow.table.trailing.empty();
    }

    /// The TIDs of the active accounts a group's MEM file names, in its order.
    std::vector<std::uint32_t> mem_member_tids(std::uint32_t group_tid) const {
        std::vector<std::uint32_t> tids;
        const auto mem = book_.mem_members.find(group_tid);
        if (mem == book_.mem_members.end()) return tids;
        for (auto mailbag : mem->second)
            for (const auto& a : book_.accounts.accounts)
                if (!a.deleted && a.mailbag == mailbag) {
                    if (std::find(tids.begin(), tids.end(), a.tid) == tids.end()) tids.push_back(a.tid);
                    break;
                }
        return tids;
    }

    /// A zero-filled GRP pair (grp_zero_filled): every chain is rebuilt
    /// where the POL and GROUP.GLB point (so neither changes) from its
    /// group's MEM file, the local members in the MEM file's order: the
    /// first at the chain's start, the others in the next nodes no chain
    /// starts at, new nodes appended when the file runs out; the nodes no
    /// chain uses at the end of the file are dropped. The header is kept.
    /// External members are in no MEM file and cannot be rebuilt; a group
    /// whose MEM file names no active account keeps its zero node and gets
    /// a grp.chain-broken finding saying so. Both copies written identical.
    void rebuild_grp() {
        GrpTable next;
        next.header = book_.grp.table.header;
        next.records.assign(book_.grp.table.records.size(), GrpNode{});
        struct Chain {
            std::uint32_t start;
            std::uint32_t tid;
            std::string alias;
        };
        std::vector<Chain> chains;
        const auto add = [&](std::uint32_t start, std::uint32_t tid, const std::string& alias) {
            if (start == 0 || !grp_node_at(next, start)) return;  // an empty group, or a pointer to no node
            for (const auto& c : chains)
                if (c.tid == tid || c.start == start) return;
            chains.push_back({start, tid, alias});
        };
        for (const auto& r : final_pol().records)
            if (r.type() == NmeType::group) add(r.pointer(), r.tid(), r.alias());
        for (const auto& g : book_.groups.records)
            if (!g.deleted()) add(g.grp_offset(), g.tid(), g.alias());
        std::sort(chains.begin(), chains.end(),
                  [](const Chain& a, const Chain& b) { return a.start < b.start; });
        const auto node = [](std::uint64_t offset) {
            return static_cast<std::size_t>((offset - kGrpHeaderSize) / GrpNode::size);
        };
        std::vector<bool> used(next.records.size(), false);
        for (const auto& c : chains) used[node(c.start)] = true;
        std::vector<std::size_t> links;
        std::uint64_t groups = 0, members = 0;
        for (const auto& c : chains) {
            const auto tids = mem_member_tids(c.tid);
            if (tids.empty()) {
                out_.findings.push_back(make_finding(
                    CheckId::grp_chain_broken, book_.grp.relpath, node(c.start), c.start,
                    "the chain of group \"" + cp850_to_utf8(c.alias) + "\" (TID 0x" + format_hex8(c.tid) +
                        ") at byte " + std::to_string(c.start) + " cannot be rebuilt: MEM/" +
                        format_hex8(c.tid) +
                        ".MEM is missing or names no active account; add its members again in ADMIN"));
                continue;
            }
            std::size_t at = node(c.start);
            next.records[at].set_tid(tids[0]);
            std::size_t free = at + 1;
            for (std::size_t k = 1; k < tids.size(); ++k) {
                while (free < used.size() && used[free]) ++free;
                if (free == next.records.size()) {
                    next.records.emplace_back();
                    used.push_back(false);
                }
                used[free] = true;
                next.records[at].set_next(static_cast<std::uint32_t>(grp_node_offset(free)));
                next.records[free].set_tid(tids[k]);
                at = free;
            }
            ++groups;
            members += tids.size();
        }
        while (!next.records.empty() && !used.back()) {
            next.records.pop_back();
            used.pop_back();
        }
        append(links, index_.code(CheckId::nme_model_mismatch, &book_.grp.relpath));
        append(links, index_.code(CheckId::nme_model_mismatch, &book_.grp_shadow.relpath));
        append(links, index_.code(CheckId::shadow_grp_mismatch));
        if (!book_.grp_shadow.present)
            append(links, missing_copy_finding(CheckId::shadow_grp_mismatch, book_.grp_shadow.relpath));
        set_action(out_.findings, links,
                   "rebuild the chains from the MEM files (" + std::to_string(groups) +
                       (groups == 1 ? " group, " : " groups, ") + std::to_string(members) +
                       (members == 1 ? " member" : " members") +
                       "); MEM files list no external member: add those again in ADMIN");
        out_.counts.chains_rebuilt += groups;
        const Bytes bytes = encode_grp(next);
        out_.writes.push_back({book_.grp.relpath, bytes, !book_.grp.present, options_.now_ns, links});
        out_.writes.push_back(
            {book_.grp_shadow.relpath, bytes, !book_.grp_shadow.present, options_.now_ns, links});
    }

    /// Keeps the members only `other` (the GRP copy about to be written
    /// over) holds: for each group entry of the POL, the members its chain
    /// names in `other` but not in `kept` (by TID; a TID no POL entry has is
    /// damage, not a member). Each is appended to the group's chain in
    /// `result` (a new node at the end of the file, linked from the chain's
    /// last node) when the chain walks whole there and is not empty; else it
    /// is quarantined
    /// (a G block of the group with those members). Each group so treated
    /// gets a shadow.grp-mismatch finding, linked into `links`. Returns the
    /// number of members appended.
    std::size_t keep_other_copy_members(const GrpFile& kept, const GrpFile& other, GrpTable& result,
                                        std::vector<std::size_t>& links) {
        if (!other.present || !result.trailing.empty() || result.header.size() != kGrpHeaderSize) return 0;
        std::size_t added = 0;
        const auto& pol = book_.pol.table.records;
        for (std::size_t i = 0; i < pol.size(); ++i) {
            const NmeRecord& g = pol[i];
            if (g.type() != NmeType::group || g.pointer() == 0) continue;
            const ChainResult theirs = walk_chain(other.table, g.pointer());
            const ChainResult ours = walk_chain(kept.table, g.pointer());
            std::vector<std::uint32_t> only;
            for (auto tid : theirs.tids)
                if (find_tid(book_.pol.table, tid) &&  // else damage, not a member
                    std::find(ours.tids.begin(), ours.tids.end(), tid) == ours.tids.end() &&
                    std::find(only.begin(), only.end(), tid) == only.end())
                    only.push_back(tid);
            if (only.empty()) continue;
            const ChainResult now = walk_chain(result, g.pointer());
            const bool can_link = now.status == ChainStatus::ok && !now.offsets.empty();
            std::vector<std::uint32_t> linked, left;
            for (auto tid : only) (can_link ? linked : left).push_back(tid);
            std::uint64_t last = can_link ? now.offsets.back() : 0;
            for (auto tid : linked) {
                const std::uint64_t at = grp_node_offset(result.records.size());
                GrpNode node;
                node.set_tid(tid);
                result.records.push_back(node);
                result.records[static_cast<std::size_t>((last - kGrpHeaderSize) / GrpNode::size)].set_next(
                    static_cast<std::uint32_t>(at));
                last = at;
                ++added;
            }
            std::string message = "the chain of group \"" + cp850_to_utf8(g.alias()) + "\" (POL entry " +
                                  std::to_string(i) + ") names " + std::to_string(only.size()) +
                                  (only.size() == 1 ? " member" : " members") + " in " + other.relpath +
                                  " that " + kept.relpath + " lacks";
            if (!linked.empty()) message += "; " + std::to_string(linked.size()) + " kept";
            if (!left.empty()) {
                message += "; " + std::to_string(left.size()) + " quarantined";
                QuarantineEntry q;
                q.kind = QuarantineEntry::Kind::group;
                q.file = other.relpath;
                q.offset = g.pointer();
                q.alias = g.alias();
                q.reason = "members of group \"" + cp850_to_utf8(g.alias()) + "\" only " + other.relpath +
                           " held, which could not be linked into its chain";
                for (auto tid : left) q.members.push_back(member_of(book_, tid));
                out_.quarantine.push_back(std::move(q));
            }
            out_.findings.push_back(make_finding(CheckId::shadow_grp_mismatch, other.relpath, std::nullopt,
                                                 g.pointer(), std::move(message)));
            links.push_back(out_.findings.size() - 1);
            set_action(out_.findings, {links.back()},
                       left.empty()
                           ? "keep them: link them into the chain in both copies"
                           : (linked.empty() ? "quarantine them" : "keep what links, quarantine the rest"));
        }
        return added;
    }

    /// The members a chain cut at a link past the end or off a node boundary
    /// loses (those after the cut): its group's MEM file names the local
    /// ones (an active account of that mailbag whose TID was not read), and
    /// when one chain only is cut, the nodes no chain reaches any more
    /// (after the cuts in `cut`) name the rest (a TID of a POL entry). Each
    /// cut's quarantine entry (`cuts`: its index and chain) becomes a G block
    /// of those members, so that GIMPORT can put them back.
    void name_members_after_cuts(const GrpTable& cut,
                                 const std::vector<std::pair<std::size_t, const ChainReport*>>& cuts) {
        if (cuts.empty()) return;
        std::vector<bool> reached(cut.records.size(), false);
        for (const auto& r : book_.pol.table.records)
            if (r.type() == NmeType::group)
                for (auto off : walk_chain(cut, r.pointer()).offsets)
                    reached[static_cast<std::size_t>((off - kGrpHeaderSize) / GrpNode::size)] = true;
        for (const auto& [qi, chain] : cuts) {
            if (chain->group_record >= book_.pol.table.records.size()) continue;
            const NmeRecord& g = book_.pol.table.records[static_cast<std::size_t>(chain->group_record)];
            std::vector<std::uint32_t> lost;
            const auto add = [&, &chain = chain](std::uint32_t tid) {
                if (std::find(chain->walk.tids.begin(), chain->walk.tids.end(), tid) ==
                        chain->walk.tids.end() &&
                    std::find(lost.begin(), lost.end(), tid) == lost.end())
                    lost.push_back(tid);
            };
            if (const auto mem = book_.mem_members.find(g.tid()); mem != book_.mem_members.end())
                for (auto mailbag : mem->second)
                    for (const auto& a : book_.accounts.accounts)
                        if (!a.deleted && a.mailbag == mailbag) add(a.tid);
            if (cuts.size() == 1)
                for (std::size_t n = 0; n < cut.records.size(); ++n)
                    if (!reached[n] && find_tid(book_.pol.table, cut.records[n].tid()))
                        add(cut.records[n].tid());
            if (lost.empty()) continue;
            QuarantineEntry& q = out_.quarantine[qi];
            q.kind = QuarantineEntry::Kind::group;
            q.alias = g.alias();
            for (auto tid : lost) q.members.push_back(member_of(book_, tid));
            q.reason += "; the members after it, from its MEM file" +
                        std::string(cuts.size() == 1 ? " and the nodes no chain reaches" : "") + ": " +
                        std::to_string(lost.size());
        }
    }

    /// ADMIN.GRP as it will be: its shadow's bytes if the shadow is copied over it.
    const GrpTable& final_grp() const {
        return grp_copy_source() == &book_.grp_shadow ? book_.grp_shadow.table : book_.grp.table;
    }

    // --- GROUP.GLB: groups removed from the POL are marked deleted ---
    void plan_groups() {
        if (removed_groups_.empty()) return;
        GroupTable next = book_.groups;
        std::vector<std::size_t> links;
        for (const auto& [record, finding_links] : removed_groups_) {
            const GroupRecord* g = group_record_for(book_, record);
            if (g == nullptr || still_in_pol(*g)) continue;  // a duplicate entry went; the group stays
            GroupRecord& target = next.records[static_cast<std::size_t>(g - book_.groups.records.data())];
            if (target.deleted()) continue;
            target.set_deleted(true);
            append(links, finding_links);
            ++out_.counts.groups_deleted;
        }
        if (out_.counts.groups_deleted == 0) return;
        out_.writes.push_back({"GLB/GROUP.GLB", encode_group(next), false, std::nullopt, links});
    }

    /// True if the POL as it will be still holds a group entry for `g`.
    bool still_in_pol(const GroupRecord& g) const {
        for (const auto& r : final_pol().records)
            if (r.type() == NmeType::group && group_record_for(book_, r) == &g) return true;
        return false;
    }

    // --- PALs ---
    const NmeTable& final_pol() const { return new_pol_ ? *new_pol_ : book_.pol.table; }

    std::optional<std::size_t> pol_index_of(std::uint32_t tid) {
        if (tid_index_.empty() && !final_pol().records.empty())
            for (std::size_t i = 0; i < final_pol().records.size(); ++i)
                tid_index_.emplace(final_pol().records[i].tid(), i);  // keeps the first of a TID
        const auto it = tid_index_.find(tid);
        if (it == tid_index_.end()) return std::nullopt;
        return it->second;
    }

    bool pal_needs_change(std::size_t p) const {
        if (!book_.pals[p].table.trailing.empty()) return true;
        for (const auto& v : report_.pals[p].verdicts)
            if (v.status != Status::ok && v.status != Status::unknown_type) return true;
        return false;
    }

    /// The POL entry a PAL entry names (by TID, else its account by name), or nullopt.
    std::optional<std::size_t> pal_target(const NmeRecord& r, const EntryVerdict& v) {
        if (v.pol_entry && *v.pol_entry < book_.pol.table.records.size())
            if (auto at = pol_index_of(book_.pol.table.records[static_cast<std::size_t>(*v.pol_entry)].tid()))
                return at;
        if (v.status == Status::duplicate_tid) return std::nullopt;
        if (v.fix_tid)
            if (auto at = pol_index_of(*v.fix_tid)) return at;
        if (v.status != Status::account_gone)
            if (auto at = pol_index_of(r.tid())) return at;
        if (v.account && *v.account < book_.accounts.accounts.size()) {
            const Account& a = book_.accounts.accounts[static_cast<std::size_t>(*v.account)];
            if (!a.deleted)
                if (auto at = pol_index_of(a.tid)) return at;
        }
        return std::nullopt;
    }

    void plan_pals() {
        for (std::size_t p = 0; p < book_.pals.size() && p < report_.pals.size(); ++p) {
            if (!pal_needs_change(p)) continue;
            const NmeFile& pal = book_.pals[p];
            NmeTable next;
            std::vector<std::size_t> links;
            for (std::size_t i = 0; i < pal.table.records.size(); ++i) {
                const NmeRecord& r = pal.table.records[i];
                const EntryVerdict& v = verdict(report_.pals[p], i);
                if (v.status == Status::ok || v.status == Status::unknown_type) {
                    next.records.push_back(r);
                    continue;
                }
                auto found = index_.record(pal.relpath, i);
                if (auto at = pal_target(r, v)) {
                    next.records.push_back(final_pol().records[*at]);
                    set_action(out_.findings, found, "rewrite it from its POL entry");
                    ++out_.counts.entries_repaired;
                } else if (NmeRecord fixed = r;
                           v.status == Status::bad_alias && v.fix_alias && printable_alias(*v.fix_alias)) {
                    fixed.set_alias(*v.fix_alias);
                    next.records.push_back(fixed);
                    set_action(out_.findings, found, "rewrite the alias");
                    ++out_.counts.entries_repaired;
                } else {
                    out_.quarantine.push_back(quarantined(book_, pal, i, r, v, status_reason(v.status)));
                    append(found, index_.warnings(pal.relpath, i));
                    set_action(out_.findings, found, "remove and quarantine");
                    ++out_.counts.entries_removed;
                }
                append(links, found);
            }
            drop_trailing(pal, links);
            next.file_size = next.records.size() * NmeRecord::size;
            out_.writes.push_back({pal.relpath, encode_nme(next), false, std::nullopt, links});
        }
    }

    const AddressBook& book_;
    const AddressReport& report_;
    const RepairOptions& options_;
    AddressRepair out_;
    FindingIndex index_;
    std::vector<std::size_t> pol_repairs_;
    std::vector<std::size_t> grp_copy_links_;  // findings the copy of ADMINSHD.GRP over ADMIN.GRP repairs
    std::vector<std::pair<NmeRecord, std::vector<std::size_t>>> removed_groups_;
    std::optional<NmeTable> new_pol_;
    std::vector<std::uint64_t> replaced_accounts_;  // accounts whose unknown-type entry became type 1
    std::unordered_map<std::uint32_t, std::size_t> tid_index_;
};

}  // namespace

NmeRecord local_entry(const Account& account) {
    NmeRecord r;
    r.set_alias(printable_alias(account.full_name) ? account.full_name : account.mailbox.substr(0, 30));
    r.set_tid(account.tid);
    r.set_type(NmeType::local);
    r.set_pointer(static_cast<std::uint32_t>(account.index * Access2Record::size));
    return r;
}

AddressRepair plan_address_repair(const AddressBook& book, const AddressReport& report, Findings findings,
                                  const RepairOptions& options) {
    return Planner(book, report, std::move(findings), options).run();
}

}  // namespace mspo
