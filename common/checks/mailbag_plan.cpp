// mbgsplit's plan (mailbag_plan.hpp). Order of the actions, so that a run cut
// off at any point leaves every header in at least one mailbag (a header may
// be in two; never in none):
//   split: create the overflow pairs (KEY, then MBG); the ledger; CONTROL.GLB;
//          then each owner's KEY (bitmap cleared), then its MBG (compacted);
//   merge: each owner's KEY, then its MBG (overflow headers added); then the
//          overflow pairs trimmed or removed; the ledger last.
// A KEY is always replaced before its MBG: a new KEY beside an old MBG shows
// deleted slots as live (nothing hidden), while an old KEY beside a new MBG
// could mark live headers deleted.
#include "mspo/checks/mailbag_plan.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/format/accounts.hpp"
#include "mspo/format/control.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/safety/atomic_file.hpp"
#include "dropped_headers.hpp"
#include "record_stream.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

using checks_detail::RecordRun;
using checks_detail::RecordSource;

std::string n_text(std::uint64_t n) { return std::to_string(n); }

// A live header: its slot and the date it shows (oldest first by date, then slot).
struct LiveHeader {
    std::uint16_t year, month, day, hour, minute;
    std::uint32_t slot;
    auto key() const { return std::tie(year, month, day, hour, minute, slot); }
};

// The live headers of a mailbag under our KEY model, in slot order. Slots
// past the bitmap have no deleted bit: they are live.
// `dropped`, if given, receives the MAI numbers the deleted slots name.
std::vector<LiveHeader> live_headers(const fs::path& mbg, const KeyFile& key,
                                     std::vector<std::uint32_t>* dropped = nullptr) {
    std::vector<LiveHeader> out;
    MbgReader reader(mbg);
    out.reserve(static_cast<std::size_t>(reader.record_count()));
    while (auto item = reader.next()) {
        if (item->index % 4096 == 0) throw_if_interrupted();
        if (item->index < kMailbagLimit && key.slot_deleted(static_cast<std::size_t>(item->index))) {
            if (const auto mai = item->record.mai(); mai && dropped) dropped->push_back(*mai);
            continue;
        }
        const MbgDate d = item->record.date();
        out.push_back({d.year, d.month, d.day, d.hour, d.minute, static_cast<std::uint32_t>(item->index)});
    }
    return out;
}

std::vector<std::uint32_t> slots_of(const std::vector<LiveHeader>& headers) {
    std::vector<std::uint32_t> out;
    out.reserve(headers.size());
    for (const auto& h : headers) out.push_back(h.slot);
    return out;
}

// The KEY after a rewrite: counters and unknown bytes kept, every slot live.
Bytes cleared_key(const KeyFile& key) {
    KeyFile k = key;
    std::fill(k.raw.begin() + KeyFile::kBitmap, k.raw.end(), std::uint8_t{0});
    return k.to_bytes();
}

class Planner {
public:
    Planner(const Postoffice& po, MailbagSurvey survey, const MailbagPlanOptions& options, MailbagPlan& out)
        : po_(po), survey_(std::move(survey)), options_(options), out_(out), ledger_(survey_.ledger) {
        out_.findings = survey_.findings;
        for (std::size_t i = 0; i < out_.findings.size(); ++i) by_file_[out_.findings[i].file].push_back(i);
    }

    void plan() {
        if (options_.merge)
            plan_merges();
        else
            plan_splits();
        assemble();
    }

    /// The MAIs of the deleted slots the plan drops, per mailbag.
    const std::vector<checks_detail::DroppedSlots>& drops() const noexcept { return drops_; }

private:
    // Findings on `relpath` of the given checks: the ones an action repairs.
    std::vector<std::size_t> findings_on(const std::string& relpath, std::initializer_list<CheckId> ids,
                                         const std::string& action) {
        std::vector<std::size_t> out;
        auto it = by_file_.find(relpath);
        if (it == by_file_.end()) return out;
        for (const std::size_t i : it->second)
            if (std::find(ids.begin(), ids.end(), out_.findings[i].code) != ids.end()) {
                out.push_back(i);
                if (!action.empty()) out_.findings[i].action = action;
            }
        return out;
    }

    void note_problem(const MailbagInfo& m) {
        findings_on(m.mbg_relpath, {CheckId::mbg_near_limit, CheckId::mbg_over_limit, CheckId::mbg_overflow},
                    "not changed: " + m.problem);
        findings_on(m.key_relpath, {CheckId::key_bits_beyond}, "not changed: " + m.problem);
    }

    FileAction streamed(FileAction::Kind kind, const std::string& relpath,
                        std::shared_ptr<const RecordSource> src) {
        FileAction a(kind, relpath);
        a.source = checks_detail::record_writer(std::move(src));
        const auto sum = checks_detail::stream_sum(a.source);
        a.source_size = sum.size;
        a.source_crc32 = sum.crc32;
        return a;
    }

    fs::path path_of(const MailbagInfo& m) const { return os::join(po_.root(), m.mbg_relpath); }

    // ---- split ----

    void plan_splits() {
        for (const MailbagInfo& m : survey_.mailbags) {
            if (m.overflow_of) continue;  // overflows are made at most --max long
            const bool crowded = m.records > options_.limits.max;
            if (!crowded && m.bits_beyond == 0) continue;
            if (!m.problem.empty()) {
                note_problem(m);
                continue;
            }
            split_one(m);
        }
    }

    void split_one(const MailbagInfo& m) {
        const KeyFile key = read_key(os::join(po_.root(), m.key_relpath));
        checks_detail::DroppedSlots drop{m.mbg_relpath, {}};
        std::vector<LiveHeader> live = live_headers(path_of(m), key, &drop.mais);
        const std::uint64_t dropped = m.records - live.size();
        std::uint64_t move = 0;
        std::string why_kept;
        if (live.size() > options_.limits.max) {
            if (m.number)
                move = live.size() - options_.limits.max;
            else
                why_kept = "; " + m.stem + " is not an account's mailbag, so no header is moved out";
        }
        // The `move` oldest headers (by date, then slot) go to overflow, in slot order.
        std::vector<std::uint32_t> moved, kept;
        if (move > 0) {
            std::vector<LiveHeader> by_age = live;
            std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(move - 1),
                             by_age.end(),
                             [](const LiveHeader& a, const LiveHeader& b) { return a.key() < b.key(); });
            const LiveHeader cut = by_age[move - 1];  // a copy: key() refers into its header
            std::vector<LiveHeader>().swap(by_age);
            for (const auto& h : live) (h.key() <= cut.key() ? moved : kept).push_back(h.slot);
        } else {
            kept = slots_of(live);
        }
        std::vector<LiveHeader>().swap(live);
        if (dropped == 0 && moved.empty() && m.bits_beyond == 0) {
            findings_on(m.mbg_relpath, {CheckId::mbg_near_limit, CheckId::mbg_over_limit},
                        "not changed: no deleted slot to drop" + why_kept);
            return;
        }

        if (!drop.mais.empty()) drops_.push_back(std::move(drop));
        std::string action;
        if (dropped > 0) action = "compact: drop " + n_text(dropped) + " deleted slots";
        std::vector<std::string> overflow_names;
        for (std::size_t at = 0; at < moved.size(); at += options_.limits.max) {
            const std::size_t end = std::min<std::size_t>(moved.size(), at + options_.limits.max);
            const std::uint32_t number = take_number();
            const std::string stem = format_hex8(number);
            overflow_names.push_back(stem);
            auto src = std::make_shared<RecordSource>();
            src->runs.push_back(
                {path_of(m), std::vector<std::uint32_t>(moved.begin() + static_cast<std::ptrdiff_t>(at),
                                                        moved.begin() + static_cast<std::ptrdiff_t>(end))});
            creates_.emplace_back(FileAction::Kind::create, "KEY/" + stem + ".KEY", KeyFile{}.to_bytes());
            creates_.push_back(streamed(FileAction::Kind::create, "MBG/" + stem + ".MBG", std::move(src)));
            ledger_.entries.push_back({*m.number, number});
            ledger_changed_ = true;
            ++out_.counts.overflows_created;
        }
        if (!moved.empty()) {
            std::string names;
            for (const auto& n : overflow_names) names += (names.empty() ? "" : ", ") + n;
            action += std::string(action.empty() ? "" : "; ") + "move the " + n_text(moved.size()) +
                      " oldest headers to new overflow mailbags " + names;
        }
        if (action.empty())
            action = "clear the " + n_text(m.bits_beyond) + " deleted bits past the last record";
        action += why_kept;
        std::vector<std::size_t> repairs =
            findings_on(m.mbg_relpath, {CheckId::mbg_near_limit, CheckId::mbg_over_limit}, action);
        const auto key_repairs = findings_on(m.key_relpath, {CheckId::key_bits_beyond},
                                             "clear the deleted bits past the last record");
        repairs.insert(repairs.end(), key_repairs.begin(), key_repairs.end());

        FileAction key_action(FileAction::Kind::replace, m.key_relpath, cleared_key(key));
        key_action.repairs = repairs;
        mains_.push_back(std::move(key_action));
        if (dropped > 0 || !moved.empty()) {
            auto src = std::make_shared<RecordSource>();
            src->runs.push_back({path_of(m), std::move(kept)});
            FileAction mbg_action = streamed(FileAction::Kind::replace, m.mbg_relpath, std::move(src));
            mbg_action.repairs = repairs;
            mains_.push_back(std::move(mbg_action));
        }
        if (m.bits_beyond > 0) ++out_.counts.keys_cleaned;
        out_.counts.deleted_dropped += dropped;
        out_.counts.moved_out += moved.size();
        ++out_.counts.mailbags_changed;
    }

    // A fresh mailbag number: CONTROL.GLB's next, past every number in use.
    std::uint32_t take_number() {
        if (!control_) {
            const auto path = po_.find("GLB/CONTROL.GLB");
            if (!path)
                throw Error(Errc::not_found, "no CONTROL.GLB to take new mailbag numbers from",
                            po_.root() / "GLB/CONTROL.GLB");
            control_ = ControlFile::from_bytes(platform::read_file(*path, ControlFile::size + 1));
            if (!control_)
                throw Error(Errc::size_rule, "CONTROL.GLB is not 8 bytes; no new mailbag number can be taken",
                            *path);
            control_rel_ = po_.relative(*path);
            collect_used_numbers();
        }
        std::uint32_t n = control_->next_mailbag();
        while (used_.count(n)) {
            if (n == 0xFFFFFFFFu)
                throw Error(Errc::bad_value, "no mailbag number left", os::join(po_.root(), control_rel_));
            ++n;
        }
        used_.insert(n);
        if (n == 0xFFFFFFFFu)
            throw Error(Errc::bad_value, "no mailbag number left", os::join(po_.root(), control_rel_));
        control_->set_next_mailbag(n + 1);
        return n;
    }

    void collect_used_numbers() {
        static constexpr const char* kDirs[] = {"MBG", "KEY", "USR", "XTN", "NME", "MMF", "INF"};
        for (const char* dir : kDirs)
            for (const auto& [upper, name] : po_.list(dir)) {
                // A toolkit temporary ("00000003.KEY.mspo-tmp.<token>.<n>", left by a run
                // killed part-way) holds no number: apply_plan deletes a dead run's own, and
                // a kept one never clashes with the file it was meant to become.
                if (atomic::is_temp_name(name)) continue;
                std::uint32_t n = 0;
                if (upper.size() > 8 && upper[8] == '.' &&
                    parse_hex8(std::string_view(upper).substr(0, 8), n))
                    used_.insert(n);
            }
        if (po_.find("GLB/ACCESS2.GLB"))
            for (const auto& a : load_accounts(po_).accounts)
                if (a.mailbag) used_.insert(*a.mailbag);
        for (const auto& e : ledger_.entries) {
            used_.insert(e.owner);
            used_.insert(e.overflow);
        }
    }

    // ---- merge ----

    void plan_merges() {
        for (const std::uint32_t owner : survey_.ledger.owners()) merge_one(owner);
    }

    void merge_one(std::uint32_t owner) {
        const MailbagInfo* m = find_mailbag(survey_, format_hex8(owner));
        if (!m) return;  // mbg.overflow-missing says so
        if (!m->problem.empty()) {
            note_problem(*m);
            return;
        }
        struct Overflow {
            const MailbagInfo* info;
            std::vector<std::uint32_t> slots;
        };
        std::vector<Overflow> overflows;
        for (const std::uint32_t o : survey_.ledger.overflows_of(owner)) {
            const MailbagInfo* om = find_mailbag(survey_, format_hex8(o));
            if (!om || !po_.find("KEY/" + om->stem + ".KEY"))
                continue;  // mbg.overflow-missing: nothing to bring back
            if (!om->problem.empty()) {
                note_problem(*om);
                findings_on(m->mbg_relpath, {CheckId::mbg_overflow},
                            "not merged: overflow mailbag " + om->stem + ": " + om->problem);
                return;
            }
            checks_detail::DroppedSlots odrop{om->mbg_relpath, {}};
            overflows.push_back(
                {om, slots_of(live_headers(path_of(*om), read_key(os::join(po_.root(), om->key_relpath)),
                                           &odrop.mais))});
            if (!odrop.mais.empty()) drops_.push_back(std::move(odrop));
        }
        if (overflows.empty()) return;
        const KeyFile key = read_key(os::join(po_.root(), m->key_relpath));
        checks_detail::DroppedSlots drop{m->mbg_relpath, {}};
        std::vector<std::uint32_t> own = slots_of(live_headers(path_of(*m), key, &drop.mais));
        const std::uint64_t max = options_.limits.max;
        const std::uint64_t room = own.size() >= max ? 0 : max - own.size();
        std::uint64_t waiting = 0;
        for (const auto& o : overflows) waiting += o.slots.size();
        const std::uint64_t take = std::min(room, waiting);
        if (take == 0) {
            findings_on(m->mbg_relpath, {CheckId::mbg_overflow},
                        "not merged: the mailbag holds " + n_text(own.size()) +
                            " live headers, no room under --max " + n_text(max));
            return;
        }
        if (!drop.mais.empty()) drops_.push_back(std::move(drop));
        // The newest `take` overflow headers (the end of the overflow sequence) go back in
        // front of the owner's own, so the order of all of them is kept.
        auto src = std::make_shared<RecordSource>();
        std::uint64_t skip = waiting - take;
        for (auto& o : overflows) {
            const std::uint64_t live_here = o.slots.size();
            const std::uint64_t keep_here = std::min<std::uint64_t>(skip, live_here);
            skip -= keep_here;
            std::vector<std::uint32_t> back(o.slots.begin() + static_cast<std::ptrdiff_t>(keep_here),
                                            o.slots.end());
            o.slots.resize(keep_here);
            if (!back.empty()) src->runs.push_back({path_of(*o.info), std::move(back)});
            const std::string okey = o.info->key_relpath, ombg = o.info->mbg_relpath;
            if (o.slots.empty()) {
                tails_.emplace_back(FileAction::Kind::remove, ombg);
                tails_.emplace_back(FileAction::Kind::remove, okey);
                std::erase_if(ledger_.entries,
                              [&](const OverflowEntry& e) { return e.overflow == *o.info->number; });
                ledger_changed_ = true;
                ++out_.counts.overflows_removed;
            } else if (keep_here < live_here) {
                tails_.emplace_back(FileAction::Kind::replace, okey,
                                    cleared_key(read_key(os::join(po_.root(), okey))));
                auto rest = std::make_shared<RecordSource>();
                rest->runs.push_back({path_of(*o.info), o.slots});
                tails_.push_back(streamed(FileAction::Kind::replace, ombg, std::move(rest)));
            }
        }
        const std::uint64_t dropped = m->records - own.size();
        src->runs.push_back({path_of(*m), std::move(own)});
        std::string action =
            "move " + (take == waiting ? "all " + n_text(take) : n_text(take) + " of " + n_text(waiting)) +
            " overflow headers back";
        if (take < waiting)
            action += " (" + n_text(waiting - take) + " stay: no more room under --max " + n_text(max) + ")";
        if (dropped) action += "; compact: drop " + n_text(dropped) + " deleted slots";
        const std::vector<std::size_t> repairs = findings_on(m->mbg_relpath, {CheckId::mbg_overflow}, action);
        FileAction key_action(FileAction::Kind::replace, m->key_relpath, cleared_key(key));
        key_action.repairs = repairs;
        mains_.push_back(std::move(key_action));
        FileAction mbg_action = streamed(FileAction::Kind::replace, m->mbg_relpath, std::move(src));
        mbg_action.repairs = repairs;
        mains_.push_back(std::move(mbg_action));
        out_.counts.moved_back += take;
        out_.counts.deleted_dropped += dropped;
        ++out_.counts.mailbags_changed;
    }

    // ---- the plan ----

    std::vector<FileAction> bookkeeping() {
        std::vector<FileAction> out;
        if (ledger_changed_) {
            const std::string text = render_ledger(ledger_);
            const Bytes bytes(text.begin(), text.end());
            if (survey_.ledger_present)
                out.emplace_back(ledger_.empty() ? FileAction::Kind::remove : FileAction::Kind::replace,
                                 po_.relative(*po_.find(kLedgerRelpath)), ledger_.empty() ? Bytes{} : bytes);
            else
                out.emplace_back(FileAction::Kind::create, std::string(kLedgerRelpath), bytes);
        }
        if (control_) out.emplace_back(FileAction::Kind::replace, control_rel_, control_->to_bytes());
        return out;
    }

    void assemble() {
        auto& actions = out_.plan.actions;
        auto append = [&](std::vector<FileAction>& v) {
            for (auto& a : v) actions.push_back(std::move(a));
            v.clear();
        };
        std::vector<FileAction> books = bookkeeping();
        append(creates_);
        if (!options_.merge) append(books);
        append(mains_);
        append(tails_);
        if (options_.merge) append(books);
    }

    const Postoffice& po_;
    MailbagSurvey survey_;
    const MailbagPlanOptions& options_;
    MailbagPlan& out_;
    std::map<std::string, std::vector<std::size_t>> by_file_;
    OverflowLedger ledger_;
    bool ledger_changed_ = false;
    std::optional<ControlFile> control_;
    std::string control_rel_;
    std::set<std::uint32_t> used_;
    std::vector<FileAction> creates_, mains_, tails_;
    std::vector<checks_detail::DroppedSlots> drops_;
};

// Refuses a plan the MAI counters do not support, unless forced.
void judge(const Postoffice& po, const MailbagPlanOptions& options,
           const std::vector<checks_detail::NeededDrop>& needed, MailbagPlan& out) {
    using V = KeyModelFit::Verdict;
    for (auto& f : check_key_model(po, out.fit)) out.findings.push_back(std::move(f));
    if (out.plan.actions.empty()) return;
    const bool contradicted = out.fit.verdict == V::contradicted;
    const bool unsure = out.fit.verdict == V::inconclusive && out.counts.deleted_dropped > 0;
    if (!contradicted && !unsure && needed.empty()) return;
    std::string first_key = "KEY";
    for (const auto& a : out.plan.actions)
        if (a.relpath.rfind("KEY/", 0) == 0) {
            first_key = a.relpath;
            break;
        }
    std::string why;
    if (contradicted)
        why = "the MAI reference counters contradict our KEY model (" + out.fit.text + ")";
    else if (unsure)
        why = "too few MAI reference counters to confirm our KEY model before dropping " +
              n_text(out.counts.deleted_dropped) + " deleted slots (" + out.fit.text + ")";
    else {
        const auto& n = needed.front();
        first_key = n.relpath;
        why = n.relpath + ": " + n_text(n.needed) + " of the " + n_text(n.dropped) +
              " deleted slots a compaction would drop name messages whose reference counter says a mailbag "
              "still needs them (" +
              mai_relpath(n.mai) + ": counter " + n_text(n.counter) + ", " + n_text(n.live) +
              " live headers), so its KEY may not mean what our model says";
        if (needed.size() > 1) why += "; " + n_text(needed.size() - 1) + " more mailbags alike";
    }
    if (options.force) {
        out.findings.push_back(
            make_finding(CheckId::safety_forced, first_key, "refusal overridden by --force: " + why));
        return;
    }
    out.refusal = why + "; nothing changed; --force changes the mailbags anyway";
    out.refusal_file = first_key;
    out.plan.actions.clear();
}

}  // namespace

MailbagPlan plan_mailbags(const Postoffice& po, MailbagSurvey survey, const MailbagPlanOptions& options) {
    MailbagPlan out;
    out.fit = test_key_model(po);
    Planner planner(po, std::move(survey), options, out);
    planner.plan();
    judge(po, options, checks_detail::find_needed_drops(po, planner.drops()), out);
    return out;
}

}  // namespace mspo
