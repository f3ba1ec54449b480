// palfix's run: read the address book, judge it (checks/address_lists.hpp),
// plan the repair (checks/pol_repair.hpp), refuse on a file that contradicts
// our model, write the quarantine text, then apply the plan through the
// plan-snapshot-apply path and report.
#include "palfix.hpp"

#include <iostream>

#include "mspo/base/error.hpp"
#include "mspo/base/time.hpp"
#include "mspo/checks/address_lists.hpp"
#include "mspo/checks/pol_repair.hpp"
#include "mspo/checks/quarantine_text.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/cli/run.hpp"
#include "mspo/report/json_writer.hpp"
#include "mspo/report/report.hpp"
#include "mspo/safety/change_plan.hpp"
#include "mspo/safety/output_file.hpp"
#include "mspo/safety/snapshot.hpp"
#include "mspo/base/os.hpp"

namespace mspo::palfix {

namespace {

/// --pal HEXID names an account: refuse a number no account has (nothing to check).
void require_pal_account(const AddressBook& book, std::uint32_t id, const Postoffice& po) {
    for (const auto& a : book.accounts.accounts)
        if (a.mailbag == id) return;
    throw Error(Errc::not_found, "--pal " + format_hex8(id) + ": no account has this mailbag number",
                po.root() / "GLB/ACCESS2.GLB");
}

ChangePlan to_change_plan(const AddressRepair& repair) {
    ChangePlan plan;
    plan.actions.reserve(repair.writes.size());
    for (const auto& w : repair.writes) {
        plan.actions.emplace_back(w.create ? FileAction::Kind::create : FileAction::Kind::replace, w.relpath,
                                  w.contents, w.mtime_ns);
        plan.actions.back().repairs = w.repairs;
    }
    return plan;
}

/// The default quarantine text beside its snapshot, named after it:
/// "<snapshot name without .tar.gz>-quarantine.txt".
fs::path quarantine_beside(const fs::path& snapshot) {
    std::string name = snapshot.filename().string();
    if (name.ends_with(".tar.gz")) name.resize(name.size() - 7);
    return os::join(snapshot.parent_path(), name + "-quarantine.txt");
}

std::string count(std::uint64_t n) { return std::to_string(n); }

void add_summary(Report& report, const AddressBook& book, const AddressRepair& r, bool dry_run) {
    const auto line = [&](const char* done, const char* would, std::uint64_t n) {
        report.summary.emplace_back(dry_run ? would : done, count(n));
    };
    report.summary.emplace_back("POL entries", count(book.pol.table.records.size()));
    // The postoffice's groups as ADMIN lists them: the live GROUP.GLB
    // records (a group missing from the POL or with a broken chain counts).
    const auto groups = std::count_if(book.groups.records.begin(), book.groups.records.end(),
                                      [](const GroupRecord& g) { return !g.deleted(); });
    report.summary.emplace_back("GROUP.GLB groups", count(static_cast<std::uint64_t>(groups)));
    report.summary.emplace_back("PALs", count(book.pals.size()));
    line("pairs copied", "pairs to copy", r.counts.pairs_copied);
    line("entries repaired", "entries to repair", r.counts.entries_repaired);
    line("entries removed", "entries to remove", r.counts.entries_removed);
    line("entries added", "entries to add", r.counts.entries_added);
    line("chains cut", "chains to cut", r.counts.chains_cut);
    if (r.counts.chains_rebuilt != 0)  // only a zero-filled GRP pair
        line("chains rebuilt", "chains to rebuild", r.counts.chains_rebuilt);
    line("groups deleted", "groups to delete", r.counts.groups_deleted);
    line("quarantined", "to quarantine", r.quarantine.size());
}

/// palfix judges the address lists against the accounts, GROUP.GLB and
/// NETPO.GLB: if one of them is itself damaged or missing, an entry could be
/// removed because its evidence is broken, not because it is. Refuses
/// (Error{bad_value}, exit 8, nothing written) naming the file and the damage.
void require_sound_evidence(const Postoffice& po, const AddressBook& book) {
    const auto refuse = [&](const std::string& rel, const std::string& what) {
        throw Error(Errc::bad_value,
                    rel + " " + what +
                        "; palfix judges the address lists against it, so nothing changed (repair or "
                        "restore it first)",
                    os::join(po.root(), rel));
    };
    const AccessFileState* files[] = {&book.accounts.access, &book.accounts.access2, &book.accounts.access3};
    for (const AccessFileState* f : files)
        if (f->rule && f->size != f->rule->header + f->records * f->rule->record)
            refuse(f->relpath, "is not whole " + std::to_string(f->rule->record) + "-byte records (" +
                                   std::to_string(f->size) + " bytes)");
    if (book.accounts.access.records != book.accounts.access2.records ||
        book.accounts.access3.records != book.accounts.access2.records)
        refuse(book.accounts.access2.relpath,
               "holds " + std::to_string(book.accounts.access2.records) + " accounts but ACCESS.GLB " +
                   std::to_string(book.accounts.access.records) + " and ACCESS3.GLB " +
                   std::to_string(book.accounts.access3.records));
    const auto table_ok = [&](const char* rel, std::uint64_t header_size, std::size_t trailing,
                              std::size_t header) {
        if (!po.find(rel)) refuse(rel, "is missing");
        if (header != header_size || trailing != 0) refuse(rel, "is not a header and whole records");
    };
    table_ok("GLB/GROUP.GLB", rules::group.header, book.groups.trailing.size(), book.groups.header.size());
    table_ok("GLB/NETPO.GLB", rules::netpo.header, book.netpo.trailing.size(), book.netpo.header.size());
}

}  // namespace

Result fix(const Options& options, std::ostream& err, bool progress) {
    const bool dry_run = options.common.dry_run;
    cli::Verbose verbose(options.common, "palfix", err);
    Postoffice po(options.common.postoffice);
    // The refusals of the outputs, before anything and alike in a dry run.
    if (options.quarantine) check_new_file(po.root(), *options.quarantine);
    check_snapshot_dir(po.root(), options.common.snapshot_dir);
    if (progress) err << "palfix: reading the address lists...\n";
    PalSelection pals;
    pals.none = options.pol_only;
    pals.only = options.pal;
    const AddressBook book = load_address_book(po, pals);
    if (options.pal) require_pal_account(book, *options.pal, po);
    require_sound_evidence(po, book);
    verbose.phase("read");
    const AddressReport checked = check_address_book(book);
    Findings findings = checked.findings;  // shadow.* included, worded as run_checks words them
    verbose.phase("check");

    RepairOptions repair_options;
    repair_options.pals = !options.pol_only;
    repair_options.rebuild_pol = options.rebuild_pol;
    const std::int64_t now = now_ns();
    repair_options.now_ns = now;
    AddressRepair repair = plan_address_repair(book, checked, std::move(findings), repair_options);
    if (repair.refused)
        throw Error(Errc::model_mismatch, repair.refusal, os::join(po.root(), repair.refused->relpath));
    verbose.phase("plan");

    Report report;
    report.tool = "palfix";
    report.postoffice = os::path_text(options.common.postoffice);
    report.dry_run = dry_run;
    add_summary(report, book, repair, dry_run);
    const ChangePlan plan = to_change_plan(repair);

    // The quarantine text is written once the snapshot is verified, before
    // the first change (an output that cannot be written stops the run with
    // nothing changed), and taken back if the run then changes nothing after
    // all. --quarantine FILE is checked first, in a dry run too, so that -n
    // predicts its refusal.
    std::optional<fs::path> qpath = options.quarantine;
    std::optional<NewFile> qfile;
    const bool quarantines = !repair.quarantine.empty();

    ApplyOptions apply;
    apply.tool = "palfix";
    apply.snapshot_dir = options.common.snapshot_dir;
    apply.dry_run = dry_run;
    apply.force = options.common.force;
    apply.crash_hook = options.crash_hook;
    if (quarantines)
        apply.before_changes = [&](const fs::path& snapshot) {
            if (!qpath) qpath = quarantine_beside(snapshot);
            qfile = write_new_file(
                po.root(), *qpath,
                quarantine_text(repair.quarantine, os::absolute_text(po.root()), utc_text(now)));
        };
    if (progress && !plan.actions.empty())
        err << "palfix: " << (dry_run ? "checking " : "snapshotting and applying ") << plan.actions.size()
            << (plan.actions.size() == 1 ? " change" : " changes") << "...\n";
    // What the run did (all of `applied`'s actions, its snapshot) as the Result.
    const auto finish = [&](const ApplyResult& applied) {
        if (quarantines) {
            const fs::path dir =
                options.common.snapshot_dir ? *options.common.snapshot_dir : default_snapshot_dir(po.root());
            report.summary.emplace_back(dry_run ? "quarantine file (not written)" : "quarantine file",
                                        qpath ? qpath->string()
                                              : os::path_text(dir / "<snapshot name>-quarantine.txt") +
                                                    " (named after the snapshot at run time)");
        }
        if (applied.snapshot) report.snapshot = applied.snapshot->string();
        for (const auto& o : applied.overridden)
            repair.findings.push_back(
                make_finding(CheckId::safety_forced, "", "refusal overridden by --force: " + o));
        mark_repaired(repair.findings, plan, applied);
        for (auto& note : apply_notes(applied)) repair.findings.push_back(std::move(note));
        report.findings = std::move(repair.findings);
        Result done;
        done.report = std::move(report);
        if (quarantines) {
            Quarantine q;
            q.file = qpath;
            q.written = qfile.has_value();
            q.entries = std::move(repair.quarantine);
            done.quarantine = std::move(q);
        }
        return done;
    };
    ApplyResult result;
    try {
        result = apply_plan(po, plan, apply);
    } catch (const Error& e) {
        if (e.changes_made() == 0) {
            if (qfile) remove_new_file(*qfile);
            throw;
        }
        // Stopped after changes (exit 9): the actions run in plan order, so
        // the first changes_made() were done; their findings are fixed.
        ApplyResult partial;
        partial.snapshot = e.undo_snapshot();
        partial.actions_done = e.changes_made();
        throw PartialFix(e, finish(partial));
    }
    verbose.phase("apply");
    return finish(result);
}

namespace {

/// The report on `out` (text, or JSON with the "quarantine" member and,
/// after changes, the "error" member and the exit code).
void print(const Options& options, const Result& result, std::ostream& out, const Error* error) {
    cli::print_report(options.common, result.report, out, [&](JsonWriter& json) {
        json.key("quarantine");
        if (!result.quarantine) {
            json.null();
        } else {
            const Quarantine& q = *result.quarantine;
            json.begin_object();
            if (q.file)
                json.text("file", q.file->string());
            else {
                json.key("file");
                json.null();
            }
            json.boolean("written", q.written);
            json.number("entries", static_cast<std::uint64_t>(q.entries.size()));
            json.end_object();
        }
        if (error != nullptr) {
            json.key("error");
            cli::write_error_object(json, *error);
            json.number("exit_code", static_cast<std::uint64_t>(cli::exit_code_for(*error)));
        }
    });
}

}  // namespace

int run(const Options& options, std::ostream& out, std::ostream& err, bool progress) {
    try {
        const Result result = fix(options, err, progress);
        print(options, result, out, nullptr);
        return cli::exit_code_for(result.report);
    } catch (const PartialFix& e) {
        // The report of what was done, then the error (run_tool prints its
        // line on stderr and exits 9; with --json it adds no second document).
        print(options, e.done(), out, &e);
        throw;
    }
}

}  // namespace mspo::palfix
