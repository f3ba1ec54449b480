// pocheck --fix's own repairs: CONTROL.GLB's counters and the MAI reference
// counters (counter_repair.hpp gives the rules).
#include "mspo/checks/counter_repair.hpp"

#include <algorithm>

#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/checks/check.hpp"
#include "mspo/format/control.hpp"
#include "mspo/format/mai.hpp"
#include "record_stream.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

constexpr std::uint64_t kChunk = 64 * 1024;

/// A MAI's bytes as they are, with the counter at 0x0B set to `count`,
/// read in 64 KiB pieces (a MAI with attachments can be large).
ContentWriter patched_mai(fs::path path, std::uint64_t size, std::uint16_t count) {
    return [path = std::move(path), size, count](const std::function<void(ByteSpan)>& sink) {
        for (std::uint64_t at = 0; at < size; at += kChunk) {
            Bytes piece = platform::read_range(path, at, std::min(kChunk, size - at));
            for (std::size_t k = 0; k < 2; ++k) {
                const std::uint64_t byte = kMaiRefcountOffset + k;
                if (byte >= at && byte < at + piece.size())
                    piece[byte - at] = static_cast<std::uint8_t>(count >> (8 * k));
            }
            sink(piece);
        }
    };
}

/// Mailbags whose headers the scan could not count: an MBG that is not a
/// regular file, or a KEY whose MBG is missing.
std::uint64_t unreadable_mailbags(const Postoffice& po, const MailScan& scan) {
    std::uint64_t n = scan.unreadable_mailbags;
    const auto& mbgs = po.list("MBG");
    for (const auto& [upper, name] : po.list("KEY")) {
        if (upper.size() <= 4 || upper.compare(upper.size() - 4, 4, ".KEY") != 0) continue;
        if (!mbgs.count(upper.substr(0, upper.size() - 4) + ".MBG")) ++n;
    }
    return n;
}

class Planner {
public:
    Planner(const Postoffice& po, const CounterRepairOptions& options) : po_(po), options_(options) {}

    CounterRepair run() {
        std::optional<Accounts> accounts;
        try {
            accounts = load_accounts(po_);
        } catch (const Error& e) {
            if (e.code() != Errc::not_found) throw;
        }
        MailScanOptions scan_options;
        scan_options.deleted_refs = true;
        scan_ = scan_mailbags(po_, scan_options);
        const Accounts* acc = accounts ? &*accounts : nullptr;
        out_.findings = check_control(po_, acc, scan_);
        const std::size_t control_count = out_.findings.size();
        for (auto& f : check_mai_refcounts(po_, scan_))
            if (f.code == CheckId::mai_refcount) out_.findings.push_back(std::move(f));
        plan_control(numbers_in_use(po_, acc, scan_), control_count);
        plan_mais(control_count);
        std::uint64_t repaired = 0;
        for (const auto& a : out_.plan.actions) repaired += a.repairs.size();
        for (const auto& f : out_.findings)
            if (f.code != CheckId::safety_forced) ++out_.left;
        out_.left -= repaired;
        return std::move(out_);
    }

private:
    void plan_control(const NumbersInUse& used, std::size_t count) {
        if (count == 0) return;
        const auto path = po_.find("GLB/CONTROL.GLB");
        if (!path) return;
        auto control = ControlFile::from_bytes(platform::read_file(*path, ControlFile::size + 1));
        if (!control) return;  // check_control found it 8 bytes; changed since: leave it
        FileAction action(FileAction::Kind::replace, po_.relative(*path));
        for (std::size_t i = 0; i < count; ++i) {
            Finding& f = out_.findings[i];
            const bool mailbag = f.offset == ControlFile::kNextMailbag;
            const HighestInUse& h = mailbag ? used.mailbag : used.letter;
            if (!h.number) continue;
            if (*h.number == 0xFFFFFFFFu) {
                f.action = "not changed: FFFFFFFF is in use, so no number is above it";
                continue;
            }
            const std::uint32_t next = *h.number + 1;
            if (mailbag)
                control->set_next_mailbag(next);
            else
                control->set_next_letter(next);
            f.action = "set to " + format_hex8(next);
            action.repairs.push_back(i);
            ++out_.counters_raised;
        }
        if (action.repairs.empty()) return;
        action.contents = control->to_bytes();
        out_.plan.actions.push_back(std::move(action));
    }

    void plan_mais(std::size_t first) {
        const std::uint64_t unreadable = unreadable_mailbags(po_, scan_);
        std::vector<FileAction> actions;
        for (std::size_t i = first; i < out_.findings.size(); ++i) {
            throw_if_interrupted();
            Finding& f = out_.findings[i];
            if (f.offset != kMaiRefcountOffset) {
                f.action = "not changed: the file is too short to hold a counter (restore it from a backup)";
                continue;
            }
            const fs::path path = os::join(po_.root(), f.file);
            const std::string name = path.filename().string();
            std::uint32_t n = 0;
            if (name.size() < 8 || !parse_hex8(name.substr(0, 8), n)) continue;
            const auto live_it = scan_.refs.find(n);
            const std::uint64_t live = live_it == scan_.refs.end() ? 0 : live_it->second;
            const std::uint16_t counter = read_mai_refcount(path);
            if (live > 0xFFFF) {
                f.action = "not changed: " + std::to_string(live) + " headers are more than a counter holds";
                continue;
            }
            if (counter > live) {
                const auto del = scan_.deleted_refs.find(n);
                if (del != scan_.deleted_refs.end()) {
                    f.action = "not changed: " + std::to_string(del->second) +
                               " slot(s) marked deleted name it, so the header it counts may be live "
                               "(lowering it could let External erase the message)";
                    continue;
                }
                if (unreadable) {
                    f.action = "not changed: " + std::to_string(unreadable) +
                               " mailbag(s) could not be read, so the header it counts may be there";
                    continue;
                }
            }
            const auto size = platform::stat_nofollow(path).size;
            FileAction a(FileAction::Kind::replace, f.file);
            a.source = patched_mai(path, size, static_cast<std::uint16_t>(live));
            const auto sum = checks_detail::stream_sum(a.source);
            a.source_size = sum.size;
            a.source_crc32 = sum.crc32;
            a.repairs.push_back(i);
            f.action = "set to " + std::to_string(live);
            (counter > live ? out_.mai_lowered : out_.mai_raised) += 1;
            actions.push_back(std::move(a));
        }
        if (actions.empty()) return;
        out_.fit = test_key_model(po_);
        if (out_.fit.verdict != KeyModelFit::Verdict::supported) {
            const std::string why = std::string("the KEY model test is ") +
                                    key_model_verdict_name(out_.fit.verdict) + " (" + out_.fit.text + ")";
            if (!options_.force) {
                out_.refusal = std::to_string(actions.size()) +
                               " MAI reference counter(s) not changed: they count headers our KEY model "
                               "calls live, and " +
                               why + "; --force changes them anyway";
                out_.refusal_file = "KEY";
                for (const auto& a : actions)
                    for (std::size_t i : a.repairs)
                        out_.findings[i].action = "not changed: " + why + " (--force changes it)";
                out_.mai_raised = out_.mai_lowered = 0;
                return;
            }
            out_.findings.push_back(make_finding(CheckId::safety_forced, "KEY",
                                                 "refusal overridden by --force: MAI reference counters "
                                                 "changed although " +
                                                     why));
        }
        for (auto& a : actions) out_.plan.actions.push_back(std::move(a));
    }

    const Postoffice& po_;
    const CounterRepairOptions& options_;
    MailScan scan_;
    CounterRepair out_;
};

}  // namespace

CounterRepair plan_counter_repairs(const Postoffice& po, const CounterRepairOptions& options) {
    return Planner(po, options).run();
}

}  // namespace mspo
