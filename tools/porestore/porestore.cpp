#include "porestore.hpp"

#include <algorithm>
#include <ostream>

#include "mspo/base/error.hpp"
#include "mspo/base/os.hpp"
#include "mspo/cli/exit_codes.hpp"
#include "mspo/cli/output.hpp"
#include "mspo/report/report.hpp"
#include "mspo/safety/restore.hpp"
#include "mspo/safety/snapshot.hpp"

namespace mspo::porestore {

namespace po = boost::program_options;

namespace {

/// The report on stdout (text or JSON) and on the --log that run_tool opened first.
void print(const Options& o, const Report& report, std::ostream& out) {
    cli::print_report(o.common, report, out);
}

Report base_report(const Options& o) {
    Report r;
    r.tool = "porestore";
    r.postoffice = os::path_text(o.common.postoffice);
    r.dry_run = o.common.dry_run;
    return r;
}

void add_manifest_summary(Report& r, const Options& o, const Manifest& m) {
    r.summary.push_back({"snapshot", os::path_text(o.snapshot)});
    r.summary.push_back({"taken by", m.tool + (m.undoes.empty() ? "" : " (undoing " + m.undoes + ")") +
                                         " (pid " + std::to_string(m.pid) + " on " + m.host + ")"});
    r.summary.push_back({"taken at", m.created});
    r.summary.push_back({"taken of", lossy_utf8(m.postoffice)});
}

int verify(const Options& o, std::ostream& out) {
    Report r = base_report(o);
    const VerifyResult v = verify_snapshot(o.snapshot);
    if (v.manifest)
        add_manifest_summary(r, o, *v.manifest);
    else
        r.summary.push_back({"snapshot", os::path_text(o.snapshot)});
    r.summary.push_back({"files", std::to_string(v.entries)});
    r.summary.push_back({"result", v.ok() ? "verified" : "DAMAGED"});
    r.findings = snapshot_verify_findings(v, o.snapshot);
    print(o, r, out);
    if (!v.ok())
        throw Error(Errc::snapshot, "snapshot does not verify: " + v.problems.front(), o.snapshot, v.offset);
    return cli::kClean;
}

int list(const Options& o, std::ostream& out) {
    Report r = base_report(o);
    std::optional<RestorePlan> plan;
    if (!o.common.postoffice.empty()) plan = plan_restore(Postoffice(o.common.postoffice), o.snapshot);
    const Manifest m = plan ? plan->manifest : read_verified_manifest(o.snapshot);
    add_manifest_summary(r, o, m);
    r.summary.push_back({"files", std::to_string(m.files.size())});
    if (plan && plan->other_postoffice) r.summary.push_back({"note", *plan->other_postoffice});
    r.findings = snapshot_list_findings(m, plan ? &*plan : nullptr);
    TextOptions text = cli::text_options(o.common);  // the listing is the report: every file, notes included
    text.per_check = 0;
    text.notes = true;
    cli::print_report(o.common, r, out, text);
    return cli::kClean;
}

int restore(const Options& o, std::ostream& out, std::ostream& err, bool progress) {
    ApplyOptions apply;
    apply.tool = "porestore";
    apply.snapshot_dir = o.common.snapshot_dir;
    apply.dry_run = o.common.dry_run;
    apply.force = o.common.force;
    if (progress) err << "porestore: verifying " << os::path_text(o.snapshot) << "...\n";
    Report r = base_report(o);
    RestoreOutcome done = mspo::restore(Postoffice(o.common.postoffice), o.snapshot, apply);
    add_manifest_summary(r, o, done.plan.manifest);
    r.findings = std::move(done.findings);
    if (done.refusal) {
        print(o, r, out);
        throw *done.refusal;
    }
    const std::size_t unchanged =
        static_cast<std::size_t>(std::count_if(done.plan.items.begin(), done.plan.items.end(),
                                               [](const RestoreItem& i) { return !i.needs_action; }));
    r.summary.push_back(
        {o.common.dry_run ? "would restore" : "restored", std::to_string(done.plan.changes.actions.size())});
    r.summary.push_back({"refused", std::to_string(done.plan.refused.size())});
    r.summary.push_back({"already as in the snapshot", std::to_string(unchanged)});
    if (done.applied.snapshot) r.snapshot = done.applied.snapshot->string();
    try {
        print(o, r, out);
    } catch (const Error& e) {  // e.g. --log: the files are already back
        if (done.applied.actions_done == 0) throw;
        throw Error::after_changes(e, done.applied.actions_done, done.applied.snapshot.value_or(""));
    }
    return cli::exit_code_for(r);
}

}  // namespace

const cli::ToolSpec& spec() {
    static const cli::ToolSpec s = [] {
        cli::ToolSpec t;
        t.name = "porestore";
        t.summary =
            "Put the files of a toolkit snapshot back into the postoffice, byte for byte with their mtimes,\n"
            "modes and (as root) owners.";
        t.usage =
            "The whole snapshot is read and every CRC-32 checked before anything is written; a\n"
            "damaged snapshot, or one holding links, devices, absolute or '..' paths, or entries\n"
            "its manifest does not list, is refused (exit 8). A snapshot taken of another\n"
            "postoffice is refused (exit 8) unless --force. Files outside the folders the\n"
            "snapshot's tool may change (p1clean: P1) are refused and listed (exit 4) unless\n"
            "--force. A file changed since the snapshot (neither as the snapshot holds it nor as\n"
            "the fixer left it) refuses the whole restore (exit 8) unless --force. porestore takes\n"
            "the toolkit lock, refuses while External is running, and first snapshots what it\n"
            "overwrites, so a restore can itself be undone with porestore.\n"
            "porestore's exit codes: 0 restored as asked (or nothing to do), 4 some files\n"
            "refused (listed), 8 nothing restored, 9 stopped after some files were restored\n"
            "(the message names the snapshot that undoes them).";
        t.examples =
            "porestore --verify SNAP.tar.gz                # check a snapshot's CRCs only\n"
            "porestore --list SNAP.tar.gz M:\\MAILDATA      # what it holds, and each file's state now\n"
            "porestore -n SNAP.tar.gz M:\\MAILDATA          # what a restore would change\n"
            "porestore SNAP.tar.gz M:\\MAILDATA             # restore (after snapshotting what it "
            "overwrites)";
        t.writes = true;
        t.positionals = {
            {"SNAPSHOT", "the snapshot archive (*.tar.gz) written by a toolkit fixer", true},
            {"POSTOFFICE", "the postoffice root folder (not needed for --verify or --list)", false}};
        return t;
    }();
    return s;
}

const po::options_description& options_description() {
    static const po::options_description d = [] {
        po::options_description o("porestore options");
        o.add_options()("list", "list the snapshot's files (and their state now, if POSTOFFICE is given)")(
            "verify", "read the whole snapshot and check every CRC-32, size and mtime; change nothing");
        return o;
    }();
    return d;
}

Options options_from(const cli::Parsed& parsed) {
    Options o;
    o.common = parsed.common;
    o.snapshot = os::path_from_text(parsed.positional("SNAPSHOT").value_or(""));
    o.list = parsed.vm.count("list") > 0;
    o.verify = parsed.vm.count("verify") > 0;
    if (o.snapshot.empty()) throw Error(Errc::usage, "missing SNAPSHOT: the snapshot archive");
    if (o.list && o.verify) throw Error(Errc::usage, "--list and --verify exclude each other");
    if (!o.list && !o.verify && o.common.postoffice.empty())
        throw Error(Errc::usage, "missing POSTOFFICE: the folder to restore into");
    return o;
}

int run(const Options& options, std::ostream& out, std::ostream& err, bool progress) {
    if (options.verify) return verify(options, out);
    if (options.list) return list(options, out);
    return restore(options, out, err, progress);
}

}  // namespace mspo::porestore
