#include "mspo/safety/restore.hpp"

#include <algorithm>
#include <set>

#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/atomic_file.hpp"
#include "mspo/safety/postoffice_id.hpp"
#include "mspo/safety/snapshot.hpp"
#include "mspo/safety/tool_scope.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

/// The current state of a postoffice file (no links followed). `dirs` opens
/// each folder once for the whole plan; `buf` is the read buffer.
FileState current_state(const Postoffice& po, atomic::DirCache& dirs, Bytes& buf,
                        const std::string& relpath) {
    FileState s;
    std::string p = relpath;
    if (auto found = po.find(relpath)) p = po.relative(*found);
    auto [reldir, name] = atomic::split_parent(p);
    const atomic::SafeDir* dir = nullptr;
    try {
        dir = &dirs.get(reldir);
    } catch (const Error& e) {
        if (e.code() == Errc::not_found) return s;
        throw;
    }
    const fs::path shown = os::join(dir->path(), name);
    auto info = platform::stat_at(dir->handle(), name, shown);
    if (info.type == platform::EntryType::missing) return s;
    if (info.type == platform::EntryType::directory) {
        s.present = s.folder = true;
        return s;
    }
    auto file = platform::open_read_at(dir->handle(), name, shown);  // refuses links, non-regular
    Crc32 crc;
    std::uint64_t total = 0;
    for (std::size_t n; (n = platform::read_some(file, buf.data(), buf.size(), shown)) > 0; total += n)
        crc.update(ByteSpan(buf.data(), n));
    s.present = true;
    s.size = total;
    s.mtime_ns = info.mtime_ns;
    s.crc32 = crc.value();
    s.mode = info.mode & 07777;
    s.uid = info.uid;
    s.gid = info.gid;
    return s;
}

/// Mode (permission bits) and, where this process may set it, owner as
/// recorded; what the snapshot does not record counts as the same.
bool same_mode_owner(const FileState& now, const FileState& recorded) {
    if (recorded.mode && now.mode && (*recorded.mode & 0777) != (*now.mode & 0777)) return false;
    if (!platform::may_set_any_owner()) return true;
    return (!recorded.uid || recorded.uid == now.uid) && (!recorded.gid || recorded.gid == now.gid);
}

std::string describe(const FileState& s) {
    if (!s.present) return "absent";
    if (s.folder) return "a folder";
    return std::to_string(s.size) + " bytes, CRC-32 " + std::to_string(s.crc32);
}

/// "/a/MAILDATA" or, when it differs from the UTF-8 text, its readable form.
std::string shown_path(const std::string& bytes) { return lossy_utf8(bytes); }

/// The folders (as on disk) whose recorded mtime is put back: those of the
/// manifest that hold (at any depth) a file the plan changes, that exist and
/// are reached without a link. Resolved before the first change.
std::vector<std::pair<std::string, std::int64_t>> resolve_dirs(const Postoffice& po,
                                                               const RestorePlan& plan) {
    std::set<std::string> touched;  // upper-case folders of changed files and their parents
    for (const auto& a : plan.changes.actions) {
        for (std::string d = atomic::split_parent(a.relpath).first; !d.empty();
             d = atomic::split_parent(d).first)
            touched.insert(to_upper(d));
    }
    std::vector<std::pair<std::string, std::int64_t>> dirs;
    for (const auto& [dir, mtime] : plan.manifest.dirs) {
        if (!touched.count(to_upper(dir))) continue;
        auto found = po.find(dir);
        if (!found) continue;
        const std::string rel = po.relative(*found);
        auto [parent, name] = atomic::split_parent(rel);
        try {
            auto h = atomic::SafeDir::open(po.root(), parent);
            if (platform::stat_at(h.handle(), name, os::join(h.path(), name)).type ==
                platform::EntryType::directory)
                dirs.emplace_back(rel, mtime);
        } catch (const Error& e) {
            if (e.code() != Errc::not_found && e.code() != Errc::unsafe_path) throw;
        }
    }
    return dirs;
}

std::string other_postoffice(const Postoffice& po, const Manifest& m) {
    std::error_code ec;
    const fs::path here = fs::canonical(po.root(), ec);
    if (ec) return {};
    if (here.string() == m.postoffice) return {};
    const auto id = postoffice_identity(po.root());
    if (m.postoffice_id && id && *m.postoffice_id == *id) return {};  // moved or copied
    return "snapshot was taken of postoffice " + shown_path(m.postoffice) + ", not of " +
           shown_path(here.string());
}

/// The findings of a restore (planned, refused or done).
Findings restore_findings(const RestorePlan& plan, const ApplyOptions& o, bool refused) {
    Findings out;
    if (plan.other_postoffice && o.force) {
        Finding f = make_finding(CheckId::restore_other_postoffice, ".",
                                 *plan.other_postoffice + "; restored anyway (--force)");
        f.severity = Severity::warning;
        out.push_back(std::move(f));
    }
    const std::string scope = describe_tool_scope(plan.manifest.tool, plan.manifest.undoes);
    std::string tool(scope_tool(plan.manifest.tool, plan.manifest.undoes));
    tool = tool.empty() ? "'" + lossy_utf8(plan.manifest.tool) + "'" : lossy_utf8(tool);
    for (const auto& item : plan.items) {
        if (!item.needs_action) continue;
        const std::string& file = item.path;  // raw bytes: the report shows them safely, JSON adds file_hex
        const bool changed = item.current == RestoreItem::Current::changed;
        if (item.outside_scope && !o.force) {
            Finding f =
                make_finding(CheckId::restore_outside_scope, file,
                             "outside the folders a " + tool + " snapshot may change (" + scope + ")");
            f.action = "refused; use --force to restore it anyway";
            out.push_back(std::move(f));
            continue;
        }
        if (refused) {  // the whole restore was refused: list the files that changed since
            if (!changed) continue;
            Finding f =
                make_finding(CheckId::restore_changed_since, file, "changed since the snapshot: " + item.why);
            f.action = "refused; use --force to restore anyway";
            out.push_back(std::move(f));
            continue;
        }
        Finding f =
            changed ? make_finding(CheckId::restore_changed_since, file,
                                   "changed since the snapshot (" + item.why + "); restored anyway (--force)")
            : item.outside_scope
                ? make_finding(CheckId::restore_outside_scope, file,
                               "outside the folders a " + tool + " snapshot may change (" + scope +
                                   "); restored anyway (--force)")
                : make_finding(CheckId::restore_file, file,
                               item.current == RestoreItem::Current::as_before
                                   ? "content as in the snapshot; mtime, mode or owner differs"
                                   : "as the fixer left it");
        if (changed || item.outside_scope) f.severity = Severity::warning;  // restored anyway under --force
        f.action = "restore";
        f.fixed = !o.dry_run;
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace

RestorePlan plan_restore(const Postoffice& po, const fs::path& snapshot, bool force) {
    RestorePlan plan;
    VerifyResult v = verify_snapshot(snapshot);
    if (!v.ok())
        throw Error(Errc::snapshot, "snapshot does not verify: " + v.problems.front(), snapshot, v.offset);
    plan.manifest = std::move(*v.manifest);
    plan.reader = std::make_shared<SnapshotReader>(snapshot);
    if (auto other = other_postoffice(po, plan.manifest); !other.empty()) plan.other_postoffice = other;

    std::vector<std::size_t> order;  // archive position of each action, for sorting
    atomic::DirCache dirs(po.root());
    Bytes buf(256 * 1024);
    for (std::size_t k = 0; k < plan.manifest.files.size(); ++k) {
        const auto& f = plan.manifest.files[k];
        RestoreItem item;
        item.path = f.path;
        item.outside_scope = !in_tool_scope(plan.manifest.tool, plan.manifest.undoes, f.path);
        FileState now = current_state(po, dirs, buf, f.path);
        if (f.before.folder || (f.after && f.after->folder)) {
            // A folder the fixer made (FileAction::make_dir): a restore
            // leaves it in place (it removes no folder); its state is shown.
            item.current = now.same_content(f.before)              ? RestoreItem::Current::as_before
                           : f.after && now.same_content(*f.after) ? RestoreItem::Current::as_after
                                                                   : RestoreItem::Current::changed;
            plan.items.push_back(std::move(item));
            continue;
        }
        if (now.same_content(f.before)) {
            item.current = RestoreItem::Current::as_before;
            item.needs_action =
                now.present && (now.mtime_ns != f.before.mtime_ns || !same_mode_owner(now, f.before));
        } else {
            item.needs_action = true;
            if (f.after && now.same_content(*f.after)) {
                item.current = RestoreItem::Current::as_after;
            } else {
                item.current = RestoreItem::Current::changed;
                item.why = "now " + describe(now) + "; snapshot recorded " + describe(f.before) +
                           (f.after ? " before and " + describe(*f.after) + " after the change"
                                    : " (no after-state recorded)");
            }
        }
        const bool planned = item.needs_action && (!item.outside_scope || force);
        if (item.needs_action && item.outside_scope && !force) plan.refused.push_back(f.path);
        if (planned && item.current == RestoreItem::Current::changed) plan.conflicts.push_back(f.path);
        if (planned) {
            FileAction a;
            a.relpath = f.path;
            if (!f.before.present) {
                a.kind = FileAction::Kind::remove;
            } else {
                a.kind = now.present ? FileAction::Kind::replace : FileAction::Kind::create;
                a.keep_case = true;  // a file put back keeps the name the snapshot recorded
                a.mtime_ns = f.before.mtime_ns;
                // Streamed from the archive as it is written; apply_plan
                // checks size and CRC-32 again on the way.
                a.source = [reader = plan.reader, index = v.entry_index[k], path = f.path,
                            size = f.before.size,
                            crc = f.before.crc32](const std::function<void(ByteSpan)>& sink) {
                    reader->stream(index, path, size, crc, sink);
                };
                a.source_size = f.before.size;
                a.source_crc32 = f.before.crc32;
                if (f.before.mode) a.mode = *f.before.mode & 0777;  // never set-id or sticky bits
                a.uid = f.before.uid;
                a.gid = f.before.gid;
            }
            plan.changes.actions.push_back(std::move(a));
            order.push_back(v.entry_index[k]);
        }
        plan.items.push_back(std::move(item));
    }
    // Archive order, so the actions' contents stream in one pass (removals last).
    std::vector<std::size_t> idx(order.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t x, std::size_t y) { return order[x] < order[y]; });
    std::vector<FileAction> sorted;
    sorted.reserve(idx.size());
    for (auto i : idx) sorted.push_back(std::move(plan.changes.actions[i]));
    plan.changes.actions = std::move(sorted);
    plan.dirs = resolve_dirs(po, plan);
    return plan;
}

RestoreOutcome restore(const Postoffice& po, const fs::path& snapshot, const ApplyOptions& options) {
    RestoreOutcome out;
    out.plan = plan_restore(po, snapshot, options.force);
    RestorePlan& plan = out.plan;
    if (plan.other_postoffice && !options.force)
        throw Error(Errc::snapshot, *plan.other_postoffice + "; use --force to restore it here anyway",
                    snapshot);
    if (!plan.conflicts.empty() && !options.force) {
        std::string first;
        for (const auto& i : plan.items)
            if (i.current == RestoreItem::Current::changed && i.needs_action &&
                !(i.outside_scope && !options.force)) {
                first = lossy_utf8(i.path) + " (" + i.why + ")";
                break;
            }
        out.findings = restore_findings(plan, options, true);
        out.refusal =
            Error(Errc::changed,
                  std::to_string(plan.conflicts.size()) + " file(s) changed since the snapshot, first " +
                      first + "; use --force to restore anyway",
                  snapshot);
        return out;
    }
    ApplyOptions o = options;
    o.undoes = std::string(scope_tool(plan.manifest.tool, plan.manifest.undoes));
    // Leftover temporaries of a crashed fixer: in the folders of every file
    // the restore may touch (not only those it changes).
    for (const auto& item : plan.items)
        if (!item.outside_scope || options.force)
            o.tidy_dirs.push_back(atomic::split_parent(item.path).first);
    out.applied = apply_plan(po, plan.changes, o);
    if (out.applied.actions_done > 0) {
        // Folder mtimes last: restoring files changed them.
        try {
            for (const auto& [dir, mtime] : plan.dirs) {
                if (options.crash_hook) options.crash_hook("restore-dir-mtime", out.applied.actions_done);
                auto [parent, name] = atomic::split_parent(dir);
                auto h = atomic::SafeDir::open(po.root(), parent);
                platform::set_mtime_at(h.handle(), name, mtime, os::join(h.path(), name));
            }
        } catch (const Error& e) {
            throw Error::after_changes(e, out.applied.actions_done,
                                       out.applied.snapshot.value_or(fs::path()));
        }
    }
    out.findings = restore_findings(plan, options, false);
    // What apply_plan did besides the plan: a stale lock taken over, a dead
    // run's temporaries, partial snapshot archives tidied.
    for (auto& f : apply_notes(out.applied)) out.findings.push_back(std::move(f));
    return out;
}

ApplyResult restore_snapshot(const Postoffice& po, const fs::path& snapshot, const ApplyOptions& options,
                             RestorePlan* plan_out) {
    RestoreOutcome out = restore(po, snapshot, options);
    if (plan_out) *plan_out = std::move(out.plan);
    if (out.refusal) throw *out.refusal;
    return out.applied;
}

Findings snapshot_list_findings(const Manifest& m, const RestorePlan* plan) {
    Findings out;
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
            if (item.outside_scope) f.message += "; outside the folders its tool may change";
        }
        out.push_back(std::move(f));
    }
    return out;
}

Findings snapshot_verify_findings(const VerifyResult& v, const fs::path& snapshot) {
    Findings out;
    for (std::size_t i = 0; i < v.problems.size(); ++i) {
        Finding f = make_finding(CheckId::snapshot_damaged, snapshot.filename().string(), v.problems[i]);
        if (i == 0) f.offset = v.offset;
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace mspo
