#include "porestore.hpp"

#include <ostream>

#include "mspo/cli/exit_codes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/report/report.hpp"
#include "mspo/safety/restore.hpp"
#include "mspo/safety/snapshot.hpp"

namespace mspo::porestore {

namespace po = boost::program_options;

namespace {

std::string describe(const FileState& s) {
    if (!s.present) return "absent";
    return std::to_string(s.size) + " bytes, CRC-32 " + std::to_string(s.crc32);
}

void print(const Options& o, const Report& report, std::ostream& out) {
    if (o.common.json) {
        out << render_json(report);
    } else {
        TextOptions text;
        text.quiet = o.common.quiet;
        out << render_text(report, text);
    }
    if (o.common.log_file) append_log(*o.common.log_file, report);
}

Report base_report(const Options& o) {
    Report r;
    r.tool = "porestore";
    r.postoffice = o.common.postoffice.string();
    r.dry_run = o.common.dry_run;
    return r;
}

void add_manifest_summary(Report& r, const Options& o, const Manifest& m) {
    r.summary.push_back({"snapshot", o.snapshot.string()});
    r.summary.push_back({"taken by", m.tool + " (pid " + std::to_string(m.pid) + " on " + m.host + ")"});
    r.summary.push_back({"taken at", m.created});
    r.summary.push_back({"taken of", m.postoffice});
}

int verify(const Options& o, std::ostream& out) {
    Report r = base_report(o);
    VerifyResult v = verify_snapshot(o.snapshot);
    if (v.manifest) add_manifest_summary(r, o, *v.manifest);
    r.summary.push_back({"files", std::to_string(v.entries)});
    r.summary.push_back({"result", v.ok() ? "verified" : "DAMAGED"});
    for (const auto& p : v.problems) {
        r.findings.push_back(make_finding(CheckId::snapshot_damaged, o.snapshot.filename().string(), p));
    }
    print(o, r, out);
    if (!v.ok()) throw Error(Errc::snapshot, "snapshot does not verify: " + v.problems.front(), o.snapshot);
    return cli::kClean;
}

int list(const Options& o, std::ostream& out) {
    Report r = base_report(o);
    Manifest m = read_manifest(o.snapshot);
    add_manifest_summary(r, o, m);
    r.summary.push_back({"files", std::to_string(m.files.size())});
    std::optional<RestorePlan> plan;
    if (!o.common.postoffice.empty()) plan = plan_restore(Postoffice(o.common.postoffice), o.snapshot);
    for (std::size_t i = 0; i < m.files.size(); ++i) {
        const auto& e = m.files[i];
        Finding f = make_finding(
            CheckId::snapshot_file, e.path,
            "before: " + describe(e.before) + "; after: " + (e.after ? describe(*e.after) : "not recorded"));
        if (plan) {
            const auto& item = plan->items[i];
            f.message += item.current == RestoreItem::Current::as_before ? "; now: as in the snapshot"
                         : item.current == RestoreItem::Current::as_after
                             ? "; now: as the fixer left it"
                             : "; now: CHANGED SINCE (" + item.why + ")";
        }
        r.findings.push_back(f);
    }
    print(o, r, out);
    return cli::kClean;
}

int restore(const Options& o, std::ostream& out, std::ostream& err, bool progress) {
    Postoffice po(o.common.postoffice);
    ApplyOptions apply;
    apply.tool = "porestore";
    apply.snapshot_dir = o.common.snapshot_dir;
    apply.dry_run = o.common.dry_run;
    apply.force = o.common.force;
    if (progress) err << "porestore: verifying " << o.snapshot.string() << "...\n";
    Report r = base_report(o);
    RestorePlan plan;
    ApplyResult result;
    try {
        result = restore_snapshot(po, o.snapshot, apply, &plan);
    } catch (const Error& e) {
        if (e.code() == Errc::changed && !plan.conflicts.empty()) {
            for (const auto& item : plan.items) {
                if (item.current != RestoreItem::Current::changed) continue;
                Finding f = make_finding(CheckId::restore_changed_since, item.path,
                                         "changed since the snapshot: " + item.why);
                f.action = "refused; use --force to restore anyway";
                r.findings.push_back(f);
            }
            print(o, r, out);
        }
        throw;
    }
    add_manifest_summary(r, o, plan.manifest);
    std::size_t unchanged = 0;
    for (const auto& note : plan.notes) {
        r.findings.push_back(make_finding(CheckId::restore_other_postoffice, ".", note));
    }
    for (const auto& item : plan.items) {
        if (!item.needs_action) {
            ++unchanged;
            continue;
        }
        const bool changed = item.current == RestoreItem::Current::changed;
        Finding f = make_finding(
            changed ? CheckId::restore_changed_since : CheckId::restore_file, item.path,
            changed ? "changed since the snapshot (" + item.why + "); restored anyway (--force)"
            : item.current == RestoreItem::Current::as_before ? "content as in the snapshot; mtime differs"
                                                              : "as the fixer left it");
        if (changed) f.severity = Severity::warning;  // restored anyway under --force
        f.action = "restore";
        f.fixed = !o.common.dry_run;
        r.findings.push_back(f);
    }
    r.summary.push_back(
        {o.common.dry_run ? "would restore" : "restored", std::to_string(plan.changes.actions.size())});
    r.summary.push_back({"already as in the snapshot", std::to_string(unchanged)});
    if (result.snapshot) r.snapshot = result.snapshot->string();
    print(o, r, out);
    return cli::kClean;
}

}  // namespace

const cli::ToolSpec& spec() {
    static const cli::ToolSpec s = [] {
        cli::ToolSpec t;
        t.name = "porestore";
        t.summary =
            "Put the files of a toolkit snapshot back into the postoffice, byte for byte with their mtimes.";
        t.usage =
            "The whole snapshot is read and every CRC-32 checked before anything is written; a\n"
            "damaged snapshot, or one holding links, devices, absolute or '..' paths, is refused\n"
            "(exit 8). A file changed since the snapshot (neither as the snapshot holds it nor as\n"
            "the fixer left it) is refused unless --force. porestore takes the toolkit lock,\n"
            "refuses while External is running, and first snapshots what it overwrites, so a\n"
            "restore can itself be undone with porestore.";
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
    o.snapshot = parsed.positional("SNAPSHOT").value_or("");
    o.list = parsed.vm.count("list") > 0;
    o.verify = parsed.vm.count("verify") > 0;
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
