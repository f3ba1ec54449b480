#include "mspo/safety/change_plan.hpp"

#include <set>

#include "mspo/safety/atomic_file.hpp"
#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/safety/snapshot.hpp"

namespace mspo {

namespace {

using Kind = FileAction::Kind;

/// The path of `relpath` as on disk: existing components keep their case,
/// a missing file name is upper-cased. Its folder must exist.
std::string resolve(const Postoffice& po, const std::string& relpath) {
    auto [reldir, name] = atomic::split_parent(relpath);
    if (auto found = po.find(relpath)) return po.relative(*found);
    std::string dir;
    if (!reldir.empty()) {
        auto d = po.find(reldir);
        if (!d) throw Error(Errc::not_found, "folder missing", po.root() / reldir);
        dir = po.relative(*d) + "/";
    }
    return dir + to_upper(name);
}

platform::FileInfo stat_in_po(atomic::DirCache& dirs, const std::string& relpath) {
    auto [reldir, name] = atomic::split_parent(relpath);
    const auto& dir = dirs.get(reldir);
    return platform::stat_at(dir.handle(), name, dir.path() / name);
}

FileState planned_state(const FileAction& a) {
    FileState s;
    if (a.kind == Kind::remove) return s;
    s.present = true;
    s.size = a.contents.size();
    s.crc32 = crc32(a.contents);
    return s;
}

void hook(const ApplyOptions& o, std::string_view step, std::size_t i) {
    if (o.crash_hook) o.crash_hook(step, i);
}

void check_in_use(const Postoffice& po, atomic::DirCache& dirs, const std::vector<std::string>& paths,
                  const ApplyOptions& o, ApplyResult& result) {
    std::vector<std::string> refusals;
    for (const auto& lock : scan_external_locks(po, o.external_lock_freshness)) {
        if (lock.fresh)
            refusals.push_back("fresh External lock " + lock.relpath + " (younger than " +
                               std::to_string(o.external_lock_freshness.count()) + " s)");
    }
    for (const auto& p : paths) {
        auto [reldir, name] = atomic::split_parent(p);
        const auto& dir = dirs.get(reldir);
        if (platform::stat_at(dir.handle(), name, dir.path() / name).type != platform::EntryType::regular)
            continue;
        auto file = platform::open_read_at(dir.handle(), name, dir.path() / name);
        if (auto held = platform::probe_lock(file, dir.path() / name))
            refusals.push_back(p + " is locked by another process (" + *held + ")");
    }
    if (refusals.empty()) return;
    if (!o.force)
        throw Error(Errc::in_use, "postoffice in use: " + refusals.front() + "; use --force to override",
                    po.root());
    result.overridden = refusals;
}

}  // namespace

ApplyResult apply_plan(const Postoffice& po, const ChangePlan& plan, const ApplyOptions& o) {
    ApplyResult result;
    result.dry_run = o.dry_run;
    if (plan.actions.empty() && (o.tidy_dirs.empty() || o.dry_run)) return result;

    // 1. Validate.
    atomic::DirCache handles(po.root());
    std::set<std::string> seen;
    for (const auto& a : plan.actions) {
        atomic::split_relpath(a.relpath);
        std::string p = resolve(po, a.relpath);
        if (!seen.insert(to_upper(p)).second) throw Error(Errc::usage, "file planned twice", p);
        auto info = stat_in_po(handles, p);
        if (info.type == platform::EntryType::symlink)
            throw Error(Errc::unsafe_path, "is a symbolic link; not changed", po.root() / p);
        if (info.type != platform::EntryType::regular && info.type != platform::EntryType::missing)
            throw Error(Errc::unsafe_path, "not a regular file; not changed", po.root() / p);
        bool exists = info.type == platform::EntryType::regular;
        if (a.kind == Kind::create && exists)
            throw Error(Errc::changed, "planned to create, but it exists", po.root() / p);
        if (a.kind != Kind::create && !exists)
            throw Error(Errc::changed, "planned to change, but it is missing", po.root() / p);
        result.resolved_paths.push_back(std::move(p));
    }
    if (o.dry_run) return result;

    // 2-4. Lock, refuse if in use, clear leftovers.
    throw_if_interrupted();
    hook(o, "lock", 0);
    ToolkitLock lock(po.root(), o.tool);
    result.stale_lock = lock.stale_holder();
    check_in_use(po, handles, result.resolved_paths, o, result);
    std::set<std::string> dirs;
    for (const auto& p : result.resolved_paths) dirs.insert(atomic::split_parent(p).first);
    for (const auto& d : o.tidy_dirs) {
        if (d.empty()) continue;
        auto found = po.find(d);
        if (found && platform::stat_nofollow(*found).type == platform::EntryType::directory)
            dirs.insert(po.relative(*found));
    }
    for (const auto& d : dirs) {
        for (const auto& name : atomic::remove_stale_temps(po.root(), d))
            result.removed_temps.push_back(d.empty() ? name : d + "/" + name);
    }

    if (plan.actions.empty()) return result;

    // 5. Snapshot.
    std::vector<SnapshotItem> items;
    for (std::size_t i = 0; i < plan.actions.size(); ++i)
        items.push_back({result.resolved_paths[i], planned_state(plan.actions[i])});
    SnapshotOptions so;
    so.tool = o.tool;
    so.dir = o.snapshot_dir;
    so.threads = o.snapshot_threads;
    so.hook = [&o](std::string_view step) { hook(o, step, 0); };
    auto snap = write_snapshot(po.root(), items, so);
    result.snapshot = snap.path;

    // 6. Apply. Removals defer their folder fsync: one per folder at the end
    // (or on the way out of an error) instead of one per file, which made a
    // P1 cleanup of 100,000 files take minutes. Each unlink is atomic anyway.
    std::set<std::string> unsynced;
    auto sync_removals = [&]() {
        for (const auto& d : unsynced) {
            hook(o, "fsync-dir", plan.actions.size());
            atomic::sync_folder(po.root(), d);
        }
        unsynced.clear();
    };
    for (std::size_t i = 0; i < plan.actions.size(); ++i) {
        const auto& a = plan.actions[i];
        const auto& p = result.resolved_paths[i];
        try {
            throw_if_interrupted();  // stop between files, never inside one
            auto now = stat_in_po(handles, p);
            const FileState& before = snap.manifest.files[i].before;
            bool present = now.type == platform::EntryType::regular;
            if (present != before.present ||
                (present && (now.size != before.size || now.mtime_ns != before.mtime_ns)))
                throw Error(Errc::changed, "changed after the snapshot was taken", po.root() / p);
            atomic::StepHook step = [&o, i](std::string_view s) { hook(o, s, i); };
            if (a.kind == Kind::remove) {
                atomic::remove_file_in(handles.get(atomic::split_parent(p).first),
                                       atomic::split_parent(p).second, step, false);
                unsynced.insert(atomic::split_parent(p).first);
            } else {
                atomic::WriteOptions wo;
                wo.mtime_ns = a.mtime_ns;
                wo.hook = step;
                atomic::replace_file(po.root(), p, a.contents, wo);
            }
            ++result.actions_done;
        } catch (const Error& e) {
            try {
                sync_removals();
            } catch (...) {  // the original error matters more
            }
            throw Error::after_changes(e, result.actions_done, snap.path);
        }
    }
    sync_removals();
    po.refresh();
    return result;
}

void make_folder(const Postoffice& po, const std::string& relpath) {
    platform::make_dirs(po.root() / relpath);
    po.refresh();
}

}  // namespace mspo
