// The checklist: KB Q237695's six workaround steps in their order, then every
// other check (run_checks) and the model report. Each step calls the library
// checks the fixers use (p1clean's classification, listuser's account checks,
// palfix's address-list checks, mbgsplit's survey and KEY model test), so
// that a verdict here is what the fixer would find.
#include <map>
#include <set>
#include <tuple>

#include "mspo/base/error.hpp"
#include "mspo/base/time.hpp"
#include "mspo/checks/access_checks.hpp"
#include "mspo/checks/address_lists.hpp"
#include "mspo/checks/check.hpp"
#include "mspo/checks/external_version.hpp"
#include "mspo/checks/file_access.hpp"
#include "mspo/checks/key_model.hpp"
#include "mspo/checks/mailbags.hpp"
#include "mspo/checks/p1.hpp"
#include "mspo/safety/lock.hpp"
#include "pocheck.hpp"

namespace mspo::pocheck {

namespace {

std::string count(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// The postoffice as the user gave it, quoted where a shell would split it.
std::string shell_arg(const std::string& path) {
    if (!path.empty() && path.find_first_of(" \t'\"$&;|<>()*?`") == std::string::npos) return path;
    std::string q = "\"";
    for (char c : path) {
        if (c == '"' || c == '\\' || c == '$' || c == '`') q += '\\';
        q += c;
    }
    return q + "\"";
}

class Builder {
public:
    explicit Builder(const Options& options) : po_arg_(shell_arg(options.common.postoffice.string())) {}

    const std::string& po() const { return po_arg_; }

    /// Adds `f` to the step (once to the checklist: a finding an earlier
    /// step showed is referred to again, not repeated).
    void add(Step& step, Finding f) {
        f.action.clear();  // pocheck does nothing: the step says what fixes it
        auto key = std::make_tuple(std::string(f.check), f.file, f.record, f.offset, f.message);
        const auto it = index_.find(key);
        std::size_t i = 0;
        if (it != index_.end()) {
            i = it->second;
        } else {
            i = list_.findings.size();
            shown_.insert({std::string(f.check), f.file});
            list_.findings.push_back(std::move(f));
            index_.emplace(std::move(key), i);
        }
        step.findings.push_back(i);
    }
    void add(Step& step, Findings fs) {
        for (auto& f : fs) add(step, std::move(f));
    }
    /// True if a step already showed a finding of this check on this file.
    bool shown(const Finding& f) const { return shown_.count({std::string(f.check), f.file}) != 0; }

    bool step_has_error(const Step& step) const {
        for (std::size_t i : step.findings)
            if (list_.findings[i].severity == Severity::error) return true;
        return false;
    }
    std::size_t step_count(const Step& step, std::string_view check) const {
        std::size_t n = 0;
        for (std::size_t i : step.findings)
            if (list_.findings[i].check == check) ++n;
        return n;
    }

    std::string_view check_of(std::size_t i) const { return list_.findings[i].check; }

    Checklist done(std::vector<Step> steps) {
        list_.steps = std::move(steps);
        return std::move(list_);
    }

private:
    std::string po_arg_;
    Checklist list_;
    std::map<std::tuple<std::string, std::string, std::optional<std::uint64_t>, std::optional<std::uint64_t>,
                        std::string>,
             std::size_t>
        index_;
    std::set<std::pair<std::string, std::string>> shown_;
};

/// A step that could not be judged: the library refused to read something.
void cannot_tell(Step& step, const Error& e, const Postoffice& po) {
    step.verdict = Verdict::cannot_tell;
    std::string what = e.what();
    if (!e.file().empty()) what = po.relative(e.file()) + ": " + what;
    step.saw.push_back("cannot tell: " + what);
}

Step step_access(const Postoffice& po, Builder& b) {
    Step s;
    s.number = 1;
    s.title = "Owners, permissions and locks of the ATT, GLB, KEY, MAI and MBG files";
    s.name = "permissions and locks";
    const FileAccessScan scan = scan_file_access(po);
    s.saw.push_back(count(scan.files, "file", "files") + " looked at: " + std::to_string(scan.unreadable) +
                    " unreadable, " + std::to_string(scan.no_owner) + " owned by no user of this system, " +
                    std::to_string(scan.locked) + " locked by another process");
    if (!scan.locks_known)
        s.saw.push_back("this system lists no locks: files were opened one by one to probe them" +
                        (scan.not_probed
                             ? "; " + count(scan.not_probed, "file", "files") + " could not be probed"
                             : std::string()));
    if (scan.as_root)
        s.saw.push_back(
            "running as root, which may read every file: run as the user External runs as to "
            "test read access");
    s.saw.push_back(
        "cannot be told from here: NetWare trustee rights, and file owners as a NetWare server "
        "keeps them; check them on the server (RIGHTS, NDIR /OWNER)");
    b.add(s, scan.findings);
    if (!scan.findings.empty()) {
        s.verdict = Verdict::problem;
        s.fix =
            "manual: give the users External and the Mail clients run as read and write access to these "
            "files (on NetWare, trustee rights), give files with no owner one, and stop the process that "
            "holds a lock (or let it finish)";
    }
    return s;
}

Step step_p1(const Postoffice& po, const Options& options, Builder& b) {
    Step s;
    s.number = 2;
    s.title = "P1 files more than two days old";
    s.name = "P1 files over 2 days old";
    try {
        const P1Scan scan = scan_p1(po);
        const QueueState queue = read_queue(po);
        std::map<std::string, std::string> held;
        for (const auto& e : scan.entries)
            if (e.kind == P1Kind::lock)
                if (auto who = probe_file_lock(po.root() / e.relpath)) held.emplace(e.relpath, *who);
        P1Policy policy;
        policy.now_ns = options.now ? *options.now * kNsPerSecond : now_ns();
        P1Cleanup cleanup = plan_p1_cleanup(scan, queue, policy, held);
        std::uint64_t files = 0;
        for (const auto& e : scan.entries)
            if (e.kind != P1Kind::not_regular) ++files;
        for (auto& f : cleanup.findings) f.action.clear();
        b.add(s, std::move(cleanup.findings));
        const std::size_t stale = b.step_count(s, "p1.stale") + b.step_count(s, "p1.lock-stale");
        std::string line = scan.p1_missing ? std::string("no P1 folder")
                                           : count(files, "file", "files") +
                                                 " in P1: " + std::to_string(stale) + " older than 2 days";
        if (cleanup.kept_for_queue)
            line += ", " + std::to_string(cleanup.kept_for_queue) + " of them still queued in INQUEUE3.MBG";
        s.saw.push_back(line);
        if (!cleanup.fresh_locks.empty())
            s.saw.push_back("External is running: " + count(cleanup.fresh_locks.size(), "lock", "locks") +
                            " in use (p1clean refuses until it stops)");
        if (b.step_has_error(s)) {
            s.verdict = Verdict::problem;
            s.fix = "p1clean " + b.po();
            if (!cleanup.fresh_locks.empty()) s.fix += " (after External has stopped)";
        }
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        cannot_tell(s, e, po);
    }
    return s;
}

/// The verdict of External's version read from `shown`.
void judge_external(Step& s, Builder& b, const std::string& shown, const ExternalVersion& v) {
    switch (v.verdict) {
        case ExternalVersion::Verdict::ok:
            s.saw.push_back(shown + ": External " + v.version + ", found as the " + v.how);
            break;
        case ExternalVersion::Verdict::old:
            s.verdict = Verdict::problem;
            s.saw.push_back(shown + ": External " + v.version + ", found as the " + v.how);
            b.add(s, make_finding(CheckId::external_old_version, shown, std::nullopt, v.offset,
                                  "External " + v.version + " is older than 3.2.18 (" + v.how + ")"));
            s.fix = "manual: install External 3.2.18 or later (KB Q237695 step 3)";
            break;
        case ExternalVersion::Verdict::unknown:
            s.verdict = Verdict::cannot_tell;
            s.saw.push_back("cannot tell: " + shown + ": " + v.how);
            s.fix = "manual: check the version External prints as it starts";
            break;
    }
}

Step step_external(const Postoffice& po, const Options& options, Builder& b) {
    Step s;
    s.number = 3;
    s.title = "External version 3.2.18 or later";
    s.name = "External's version";
    if (options.external) {
        judge_external(s, b, options.external->string(), read_external_version(*options.external));
        return s;
    }
    const ExternalBeside found = find_external_beside(po.root());
    for (const auto& line : found.passed_over) s.saw.push_back(line);
    if (!found.program) {
        s.verdict = Verdict::cannot_tell;
        std::string where = "the postoffice folder";
        if (!found.parent.empty())
            where += ", its parent folder " + found.parent.string() + " or the parent's " +
                     count(found.subfolders, "other subfolder", "other subfolders");
        s.saw.push_back("cannot tell: no --external given, and no EXTERNAL.EXE in " + where +
                        " (give --external PATH of EXTERNAL.EXE; it is read, never run)");
        s.fix = "manual: pocheck --external PATH " + b.po() +
                ", or check the version External prints as it starts";
        return s;
    }
    s.saw.push_back(
        "no --external given: using the EXTERNAL.EXE found " + found.where +
        " (looked in the postoffice folder, its parent folder, then the parent's subfolders by name)");
    judge_external(s, b, found.program->string(), found.version);
    return s;
}

Step step_accounts(const Postoffice& po, Builder& b) {
    Step s;
    s.number = 4;
    s.title = "ACCESS files not damaged (LISTUSER)";
    s.name = "ACCESS files";
    try {
        const Accounts accounts = load_accounts(po);
        std::uint64_t active = 0;
        for (const auto& a : accounts.accounts)
            if (!a.deleted) ++active;
        b.add(s, check_accounts(po, accounts));
        s.saw.push_back(count(accounts.accounts.size(), "account", "accounts") + " (" +
                        std::to_string(active) + " active) in ACCESS.GLB, ACCESS2.GLB and ACCESS3.GLB; " +
                        count(s.findings.size(), "finding", "findings"));
        if (b.step_has_error(s)) {
            s.verdict = Verdict::problem;
            s.fix = "manual: listuser " + b.po() +
                    " lists the damaged accounts; restore ACCESS.GLB, ACCESS2.GLB and ACCESS3.GLB together "
                    "from a backup (KB Q135932)";
        }
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        cannot_tell(s, e, po);
        s.fix = "manual: restore the ACCESS files from a backup (KB Q135932)";
    }
    return s;
}

struct BookFits {
    bool loaded = false;
    std::vector<std::string> lines;  // one per file judged: "NME/ADMIN.NME: 0 of 13 records do not fit"
    bool contradicts = false;
};

Step step_address(const Postoffice& po, Builder& b, BookFits& fits) {
    Step s;
    s.number = 5;
    s.title = "POL and PALs not damaged (the administrator's PAL, ADMIN.NME)";
    s.name = "POL and PALs";
    try {
        const AddressBook book = load_address_book(po);
        const AddressReport checked = check_address_book(book);
        fits.loaded = true;
        const auto fit = [&](const ModelFit& f) {
            fits.lines.push_back(f.relpath + ": " + f.summary());
            if (f.contradicts) fits.contradicts = true;
        };
        fit(checked.pol.fit);
        if (checked.pol_shadow) fit(checked.pol_shadow->fit);
        fit(checked.grp_fit);
        if (checked.grp_shadow_fit) fit(*checked.grp_shadow_fit);
        std::uint64_t pal_misfits = 0;
        for (const auto& p : checked.pals) {
            if (p.fit.contradicts) {
                fit(p.fit);
                ++pal_misfits;
            }
        }
        fits.lines.push_back(count(checked.pals.size(), "PAL", "PALs") + ": " +
                             (pal_misfits ? std::to_string(pal_misfits) + " contradict our NME model"
                                          : std::string("none contradicts our NME model")));
        b.add(s, checked.findings);
        s.saw.push_back("POL: " + count(book.pol.table.records.size(), "entry", "entries") + "; " +
                        count(checked.chains.size(), "group", "groups") + "; " +
                        count(book.pals.size(), "PAL", "PALs") + "; " +
                        count(s.findings.size(), "finding", "findings"));
        if (checked.pol.fit.contradicts)
            s.saw.push_back(checked.pol.fit.relpath + ": " + checked.pol.fit.summary());
        if (b.step_has_error(s)) {
            s.verdict = Verdict::problem;
            s.fix = checked.pol.fit.contradicts
                        ? "palfix --rebuild-pol " + b.po() +
                              " (the POL does not fit our model: palfix changes nothing in it without "
                              "--rebuild-pol)"
                        : "palfix " + b.po();
        }
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        cannot_tell(s, e, po);
    }
    return s;
}

Step step_mailbags(const Postoffice& po, Builder& b) {
    Step s;
    s.number = 6;
    s.title = "Mailbags under the 4096-record limit";
    s.name = "mailbags and the 4096 limit";
    try {
        const MailbagLimits limits;
        const MailbagSurvey survey = survey_mailbags(po, limits);
        std::uint64_t over = 0, near = 0;
        const MailbagInfo* fullest = nullptr;
        for (const auto& m : survey.mailbags) {
            if (m.records >= kMailbagLimit)
                ++over;
            else if (m.percent() >= limits.warn_percent)
                ++near;
            if (!fullest || m.records > fullest->records) fullest = &m;
        }
        b.add(s, survey.findings);
        std::string line = count(survey.mailbags.size(), "mailbag", "mailbags") + ": " +
                           std::to_string(over) + " at or over 4096 records, " + std::to_string(near) +
                           " near the limit (" + std::to_string(limits.warn_percent) + "% or more)";
        if (fullest)
            line += "; the fullest: " + fullest->mbg_relpath +
                    (fullest->owner.empty() ? std::string() : " (" + fullest->owner + ")") + ", " +
                    count(fullest->records, "record", "records");
        s.saw.push_back(line);
        if (b.step_has_error(s)) {
            s.verdict = Verdict::problem;
            s.fix = "mbgsplit " + b.po();
        }
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        cannot_tell(s, e, po);
    }
    return s;
}

std::string repairer_command(Repairer r, const std::string& po) {
    switch (r) {
        case Repairer::p1clean:
            return "p1clean " + po;
        case Repairer::palfix:
            return "palfix " + po;
        case Repairer::mbgsplit:
            return "mbgsplit " + po;
        default:
            return "";
    }
}

Step step_other(const Postoffice& po, Builder& b) {
    Step s;
    s.number = 7;
    s.title = "Every other check (folders, sizes, shadows, KEY/MBG pairs, counters, MAI references)";
    s.name = "every other check";
    try {
        Findings all = run_checks(po);
        std::uint64_t already = 0;
        std::set<std::string> fixes;
        bool manual = false;
        for (auto& f : all) {
            if (b.shown(f)) {
                ++already;
                continue;
            }
            const std::string cmd = repairer_command(check_row(f.code).repairer, b.po());
            if (f.severity == Severity::error) {
                if (cmd.empty())
                    manual = true;
                else
                    fixes.insert(cmd);
            }
            b.add(s, std::move(f));
        }
        s.saw.push_back(count(all_checks().size(), "check", "checks") + " run: " +
                        count(s.findings.size(), "finding", "findings") + " not shown in a step above" +
                        (already ? ", " + std::to_string(already) + " shown above" : std::string()));
        if (b.step_has_error(s)) {
            s.verdict = Verdict::problem;
            for (const auto& c : fixes) s.fix += (s.fix.empty() ? "" : "; ") + c;
            if (manual)
                s.fix += std::string(s.fix.empty() ? "" : "; ") +
                         "manual: the findings below name the files (docs/FORMATS.md, \"Postoffice checks\")";
        }
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        cannot_tell(s, e, po);
    }
    return s;
}

Step step_models(const Postoffice& po, Builder& b, const BookFits& fits, const Step& address) {
    Step s;
    s.number = 8;
    s.title = "Model report: how the NME files and KEY bitmaps fit our models";
    s.name = "model report";
    bool key_tested = false;
    KeyModelFit fit;
    try {
        fit = test_key_model(po);
        key_tested = true;
        s.saw.push_back(std::string("KEY model ") + key_model_verdict_name(fit.verdict) + ": " + fit.text);
        b.add(s, check_key_model(po, fit));
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        cannot_tell(s, e, po);
    }
    if (fits.loaded) {
        for (const auto& line : fits.lines) s.saw.push_back("NME model: " + line);
        // The nme.model-mismatch findings step 5 showed, referred to again here.
        for (std::size_t i : address.findings)
            if (b.check_of(i) == "nme.model-mismatch") s.findings.push_back(i);
    } else {
        s.saw.push_back("NME model: cannot tell (step 5 could not read the address lists)");
    }
    const bool contradicted =
        (key_tested && fit.verdict == KeyModelFit::Verdict::contradicted) || fits.contradicts;
    if (contradicted) {
        s.verdict = Verdict::problem;
        s.fix =
            "manual: a file that contradicts our model is more likely read wrongly than damaged; the "
            "fixers change nothing in it (palfix --rebuild-pol rebuilds the POL anyway); report it";
    } else if (!key_tested || !fits.loaded || fit.verdict == KeyModelFit::Verdict::inconclusive) {
        s.verdict = Verdict::cannot_tell;
        if (key_tested && fit.verdict == KeyModelFit::Verdict::inconclusive)
            s.saw.push_back(
                "cannot tell whether the KEY model fits: too little evidence in the MAI counters");
    }
    return s;
}

}  // namespace

Checklist run_steps(const Postoffice& po, const Options& options) {
    Builder b(options);
    std::vector<Step> steps;
    steps.push_back(step_access(po, b));
    steps.push_back(step_p1(po, options, b));
    steps.push_back(step_external(po, options, b));
    steps.push_back(step_accounts(po, b));
    BookFits fits;
    steps.push_back(step_address(po, b, fits));
    steps.push_back(step_mailbags(po, b));
    steps.push_back(step_other(po, b));
    steps.push_back(step_models(po, b, fits, steps[4]));
    return b.done(std::move(steps));
}

}  // namespace mspo::pocheck
