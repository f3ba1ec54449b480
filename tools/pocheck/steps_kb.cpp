// KB Q237695's six workaround steps, in their order. Each calls the library
// checks the fixers use (p1clean's classification, listuser's account
// checks, palfix's address-list checks, mbgsplit's survey), so that a
// verdict here is what the fixer would find. See steps.hpp.
#include <map>

#include "mspo/base/time.hpp"
#include "mspo/checks/access_checks.hpp"
#include "mspo/checks/address_lists.hpp"
#include "mspo/checks/external_version.hpp"
#include "mspo/checks/file_access.hpp"
#include "mspo/checks/mailbags.hpp"
#include "mspo/checks/p1.hpp"
#include "mspo/safety/lock.hpp"
#include "steps.hpp"
#include "mspo/base/os.hpp"

namespace mspo::pocheck::detail {

Step step_access(const Postoffice& po, Builder& b) {
    const StepHead head{1, "Owners, permissions and locks of the ATT, GLB, KEY, MAI and MBG files",
                        "permissions and locks"};
    return run_step(po, b, head, [&](Step& s) {
        const FileAccessScan scan = scan_file_access(po);
        s.saw.push_back(count(scan.files, "file", "files") +
                        " looked at: " + std::to_string(scan.unreadable) + " unreadable, " +
                        std::to_string(scan.no_owner) + " owned by no user of this system, " +
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
        b.add(s, scan.findings);  // perm.* findings are all errors
        return std::string(
            "manual: give the users External and the Mail clients run as read and write access to these "
            "files (on NetWare, trustee rights), give files with no owner one, and stop the process that "
            "holds a lock (or let it finish)");
    });
}

Step step_p1(const Postoffice& po, const Options& options, Builder& b) {
    const StepHead head{2, "P1 files more than two days old", "P1 files over 2 days old"};
    return run_step(po, b, head, [&](Step& s) {
        const P1Scan scan = scan_p1(po);
        const QueueState queue = read_queue(po);
        std::map<std::string, std::string> held;
        for (const auto& e : scan.entries)
            if (e.kind == P1Kind::lock)
                if (auto who = probe_file_lock(os::join(po.root(), e.relpath))) held.emplace(e.relpath, *who);
        P1Policy policy;
        policy.now_ns = options.now ? *options.now * kNsPerSecond : now_ns();
        P1Cleanup cleanup = plan_p1_cleanup(scan, queue, policy, held);
        std::uint64_t files = 0;
        for (const auto& e : scan.entries)
            if (e.kind != P1Kind::not_regular) ++files;
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
        return "p1clean " + b.po() + (cleanup.fresh_locks.empty() ? "" : " (after External has stopped)");
    });
}

namespace {

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

}  // namespace

// Not run_step: a program --external names that cannot be read stops the
// whole check (the user asked for it); one found beside the postoffice and
// unreadable is "cannot tell".
Step step_external(const Postoffice& po, const Options& options, Builder& b) {
    Step s = begin_step({3, "External version 3.2.18 or later", "External's version"});
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
            where += ", its parent folder " + os::path_text(found.parent) + " or the parent's " +
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
    const StepHead head{4, "ACCESS files not damaged (LISTUSER)", "ACCESS files"};
    return run_step(
        po, b, head,
        [&](Step& s) {
            const Accounts accounts = load_accounts(po);
            std::uint64_t active = 0;
            for (const auto& a : accounts.accounts)
                if (!a.deleted) ++active;
            b.add(s, check_accounts(po, accounts));
            s.saw.push_back(count(accounts.accounts.size(), "account", "accounts") + " (" +
                            std::to_string(active) + " active) in ACCESS.GLB, ACCESS2.GLB and ACCESS3.GLB; " +
                            count(s.findings.size(), "finding", "findings"));
            return "manual: listuser " + b.po() +
                   " lists the damaged accounts; restore ACCESS.GLB, ACCESS2.GLB and ACCESS3.GLB together "
                   "from a backup (KB Q135932)";
        },
        "manual: restore the ACCESS files from a backup (KB Q135932)");
}

Step step_address(const Postoffice& po, Builder& b, BookFits& fits) {
    const StepHead head{5, "POL and PALs not damaged (the administrator's PAL, ADMIN.NME)", "POL and PALs"};
    return run_step(po, b, head, [&](Step& s) {
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
        return checked.pol.fit.contradicts
                   ? "palfix --rebuild-pol " + b.po() +
                         " (the POL does not fit our model: palfix changes nothing in it without "
                         "--rebuild-pol)"
                   : "palfix " + b.po();
    });
}

Step step_mailbags(const Postoffice& po, Builder& b) {
    const StepHead head{6, "Mailbags under the 4096-record limit", "mailbags and the 4096 limit"};
    return run_step(po, b, head, [&](Step& s) {
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
        return "mbgsplit " + b.po();
    });
}

}  // namespace mspo::pocheck::detail
