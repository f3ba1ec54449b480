#include "mspo/safety/change_plan.hpp"

#include <map>
#include <mutex>
#include <new>
#include <set>

#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/parallel.hpp"
#include "mspo/safety/atomic_file.hpp"
#include "mspo/safety/duplicate_paths.hpp"
#include "mspo/safety/snapshot.hpp"
#include "mspo/safety/snapshot_write.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

using Kind = FileAction::Kind;

void hook(const ApplyOptions& o, std::string_view step, std::size_t i) {
    if (o.crash_hook) o.crash_hook(step, i);
}

platform::FileInfo stat_in_po(atomic::DirCache& dirs, const std::string& relpath) {
    auto [reldir, name] = atomic::split_parent(relpath);
    const auto& dir = dirs.get(reldir);
    return platform::stat_at(dir.handle(), name, os::join(dir.path(), name));
}

/// Step 1. Resolves every path as on disk into result.resolved_paths
/// (existing components keep their case, missing ones are upper-cased unless
/// the action keeps its case) and
/// checks each target against the disk and the earlier actions.
void validate(const Postoffice& po, atomic::DirCache& handles, const ChangePlan& plan, ApplyResult& result) {
    // A resolved path differs from its planned one only in case, so paths
    // planned twice are found among the planned ones, before any is resolved.
    if (const auto twice = safety::first_repeated_path(
            plan.actions.size(),
            [&plan](std::size_t i) -> std::string_view { return plan.actions[i].relpath; }))
        throw Error(Errc::usage, "file planned twice", plan.actions[*twice].relpath);
    std::map<std::string, std::string> new_dirs;  // upper-case -> as resolved, made by make_dir so far
    result.resolved_paths.reserve(plan.actions.size());
    for (const auto& a : plan.actions) {
        auto [reldir, name] = atomic::split_parent(a.relpath);  // validates the path
        if (a.kind == Kind::make_dir && (!a.contents.empty() || a.source))
            throw Error(Errc::usage, "a folder to create has no contents", a.relpath);
        std::string p;
        bool fresh_dir = false;
        if (auto found = po.find(a.relpath)) {
            p = po.relative(*found);
        } else {
            if (!reldir.empty()) {
                if (auto d = po.find(reldir)) {
                    p = po.relative(*d) + "/";
                } else if (auto it = new_dirs.find(to_upper(reldir)); it != new_dirs.end()) {
                    p = it->second + "/";
                    fresh_dir = true;
                } else {
                    throw Error(Errc::not_found, "folder missing", os::join(po.root(), reldir));
                }
            }
            p += a.keep_case ? std::string(name) : to_upper(name);
        }
        const auto info = fresh_dir ? platform::FileInfo{} : stat_in_po(handles, p);
        if (info.type == platform::EntryType::symlink)
            throw Error(Errc::unsafe_path, "is a symbolic link; not changed", os::join(po.root(), p));
        if (a.kind == Kind::make_dir) {
            if (info.type != platform::EntryType::missing)
                throw Error(Errc::changed, "planned to create a folder, but it exists",
                            os::join(po.root(), p));
            new_dirs.emplace(to_upper(p), p);
        } else {
            if (info.type != platform::EntryType::regular && info.type != platform::EntryType::missing)
                throw Error(Errc::unsafe_path, "not a regular file; not changed", os::join(po.root(), p));
            const bool exists = info.type == platform::EntryType::regular;
            if (a.kind == Kind::create && exists)
                throw Error(Errc::changed, "planned to create, but it exists", os::join(po.root(), p));
            if (a.kind != Kind::create && !exists)
                throw Error(Errc::changed, "planned to change, but it is missing", os::join(po.root(), p));
        }
        result.resolved_paths.push_back(std::move(p));
    }
}

/// Step 3: refusals (or, with force, the overrides for the report).
void check_in_use(const Postoffice& po, atomic::DirCache& dirs, const ChangePlan& plan,
                  const std::vector<std::string>& paths, const ApplyOptions& o, ApplyResult& result) {
    std::vector<std::string> refusals;
    for (const auto& lock : scan_external_locks(po, o.external_lock_freshness)) {
        if (lock.fresh)
            refusals.push_back("fresh External lock " + lock.relpath + " (younger than " +
                               std::to_string(o.external_lock_freshness.count()) + " s)");
    }
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const Kind k = plan.actions[i].kind;
        if (k != Kind::replace && k != Kind::remove) continue;  // only existing files can be locked
        auto [reldir, name] = atomic::split_parent(paths[i]);
        const auto& dir = dirs.get(reldir);
        const fs::path shown = os::join(dir.path(), name);
        // Step 1 found a regular file here. One gone since, or replaced by a
        // link or a non-regular file, cannot be locked by anyone: it is left
        // to the snapshot (which records it absent or refuses it) and the
        // check before each change. The open itself follows no link and the
        // fstat inside it checks the type, so no stat beforehand.
        std::optional<platform::Handle> file;
        try {
            file.emplace(platform::open_read_at(dir.handle(), name, shown));
        } catch (const Error& e) {
            if (e.code() == Errc::not_found || e.code() == Errc::unsafe_path) continue;
            if (e.code() == Errc::in_use) {  // Windows: open in a program that shares nothing
                throw Error(Errc::in_use,
                            "postoffice in use: " + paths[i] +
                                " is open in another program that denies sharing it (share mode); "
                                "--force cannot override this: close that program first",
                            po.root());
            }
            throw;
        }
        // Windows: a program holding the file may refuse to let it be deleted
        // or replaced; the change would fail half-way, so no --force either.
        if (auto denied = platform::change_denied_at(dir.handle(), name, shown))
            throw Error(Errc::in_use,
                        "postoffice in use: " + paths[i] + " is " + *denied +
                            "; --force cannot override this: close that program first",
                        po.root());
        if (auto held = platform::probe_lock_and_close(std::move(*file), shown))
            refusals.push_back(paths[i] + " is locked by another process (" + *held + ")");
    }
    if (refusals.empty()) return;
    if (!o.force)
        throw Error(Errc::in_use, "postoffice in use: " + refusals.front() + "; use --force to override",
                    po.root());
    result.overridden.insert(result.overridden.end(), refusals.begin(), refusals.end());
}

/// Step 4's search (and a dry run's prediction of it): the temporaries of the
/// dead run whose lock text is `stale` in the root, the folders below it
/// and theirs (the depth of a postoffice: MAI/MA0) and `extra` folders, as
/// relpaths; `targets` (the plan's own paths) excluded, since the plan
/// snapshots and changes those itself. Reads only; no link is followed.
std::vector<std::string> find_stale_temps(const Postoffice& po, const std::string& stale,
                                          const std::vector<std::string>& extra,
                                          const std::vector<std::string>& targets) {
    std::vector<std::string> found;
    const auto token = atomic::run_token_of(stale);
    if (!token) return found;  // a run that marked nothing: nothing is provably its own
    std::set<std::string> dirs{""};
    auto add_subdirs = [&](const std::string& reldir) {
        auto dir = atomic::SafeDir::open(po.root(), reldir);
        for (const auto& name : platform::list_dir(dir.handle(), dir.path()))
            if (platform::stat_at(dir.handle(), name, os::join(dir.path(), name)).type ==
                platform::EntryType::directory)
                dirs.insert(reldir.empty() ? name : reldir + "/" + name);
    };
    add_subdirs("");
    for (const auto& top : std::set<std::string>(dirs))
        if (!top.empty()) add_subdirs(top);
    for (const auto& d : extra) {
        auto at = d.empty() ? std::nullopt : po.find(d);
        if (at && platform::stat_nofollow(*at).type == platform::EntryType::directory)
            dirs.insert(po.relative(*at));
    }
    for (const auto& d : dirs) {
        std::optional<atomic::SafeDir> dir;
        try {
            dir.emplace(atomic::SafeDir::open(po.root(), d));
        } catch (const Error& e) {
            if (e.code() == Errc::not_found) continue;  // gone meanwhile
            throw;
        }
        for (const auto& name : atomic::find_run_temps(*dir, *token)) {
            std::string rel = d.empty() ? name : d + "/" + name;
            bool planned = false;
            for (const auto& t : targets) planned = planned || iequals(t, rel);
            if (!planned) found.push_back(std::move(rel));
        }
    }
    return found;
}

/// Step 4: deletes `temps` (from find_stale_temps), fsyncs their folders.
void remove_temps(atomic::DirCache& handles, const std::vector<std::string>& temps) {
    std::set<std::string> touched;
    for (const auto& rel : temps) {
        auto [reldir, name] = atomic::split_parent(rel);
        const auto& dir = handles.get(reldir);
        platform::unlink_at(dir.handle(), name, os::join(dir.path(), name));
        touched.insert(reldir);
    }
    for (const auto& d : touched) {
        const auto& dir = handles.get(d);
        platform::fsync_handle(dir.handle(), dir.path());
    }
}

FileState planned_state(const FileAction& a) {
    FileState s;
    if (a.kind == Kind::remove) return s;
    s.present = true;
    if (a.kind == Kind::make_dir) {
        s.folder = true;
    } else if (a.source) {
        s.size = a.source_size;
        s.crc32 = a.source_crc32;
    } else {
        s.size = a.contents.size();
        s.crc32 = crc32(a.contents);
    }
    return s;
}

atomic::WriteOptions write_options(const FileAction& a, StepHook hook) {
    atomic::WriteOptions wo;
    wo.mtime_ns = a.mtime_ns;
    wo.mode = a.mode;
    wo.uid = a.uid;
    wo.gid = a.gid;
    wo.hook = std::move(hook);
    return wo;
}

/// Throws Error{changed} unless `name` in `dir` is still as the snapshot
/// recorded it (`before`: presence, size, mtime; absent for make_dir).
void check_as_snapshotted(const atomic::SafeDir& dir, const std::string& name, const FileAction& a,
                          const FileState& before) {
    const fs::path shown = os::join(dir.path(), name);
    const auto now = platform::stat_at(dir.handle(), name, shown);
    const bool present = now.type == platform::EntryType::regular;
    if (a.kind == Kind::make_dir
            ? now.type != platform::EntryType::missing
            : present != before.present ||
                  (present && (now.size != before.size || now.mtime_ns != before.mtime_ns)))
        throw Error(Errc::changed, "changed after the snapshot was taken", shown);
}

/// After the snapshot, before any change: each replace/remove target was there and
/// each create target absent when the snapshot was taken, as step 1 found them. A
/// file deleted or made between plan and snapshot stops the plan here (nothing
/// changed, exit 8) instead of being recreated or overwritten by step 6.
void check_still_as_planned(const FileAction& a, const ManifestEntry& f, const fs::path& root) {
    const bool must_exist = a.kind == Kind::replace || a.kind == Kind::remove;
    if ((must_exist || a.kind == Kind::create) && f.before.present != must_exist)
        throw Error(Errc::changed,
                    must_exist ? "gone since the plan was made" : "made since the plan was made",
                    os::join(root, f.path));
}

bool is_write(const FileAction& a) noexcept { return a.kind == Kind::replace || a.kind == Kind::create; }

std::uint64_t write_size(const FileAction& a) noexcept {
    return a.source ? a.source_size : a.contents.size();
}

/// Write batches: a run of consecutive replace/create actions is written as
/// temporaries, made durable with one sync of the file system, then renamed
/// one by one; their folders are fsynced once at the end, as removals'
/// are. Each file is still old or new at any crash (a rename is atomic, and
/// only durable temporaries are renamed), but 10,000 restored files cost one
/// sync instead of 20,000 fsyncs. Bounded so that a crash leaves at most
/// this much in temporaries.
constexpr std::size_t kBatchFiles = 1000;
constexpr std::uint64_t kBatchBytes = std::uint64_t{64} << 20;

/// The end (exclusive) of the write batch starting at action `i`.
std::size_t batch_end(const ChangePlan& plan, std::size_t i) {
    std::size_t j = i;
    std::uint64_t bytes = 0;
    while (j < plan.actions.size() && is_write(plan.actions[j]) && j - i < kBatchFiles &&
           (j == i || bytes + write_size(plan.actions[j]) <= kBatchBytes)) {
        bytes += write_size(plan.actions[j]);
        ++j;
    }
    return j;
}

/// Step 6 for the write batch [first, end) (at least two actions), with
/// the outcome of doing them one by one: when preparing action k fails (or
/// an interrupt comes), the actions before k are still completed, then the
/// error is rethrown. `done` counts the actions renamed, as they are.
void apply_batch(atomic::DirCache& handles, const ChangePlan& plan, const std::vector<ManifestEntry>& snapped,
                 const ApplyOptions& o, std::size_t first, std::size_t end, std::set<std::string>& unsynced,
                 std::size_t& done) {
    struct Pending {
        const atomic::SafeDir* dir;
        atomic::PreparedFile file;
    };
    std::vector<Pending> pending;
    pending.reserve(end - first);
    std::exception_ptr stopped;                                    // what ended the preparation early
    for (std::size_t i = first; i < end && !interrupted(); ++i) {  // stop between files, never inside one
        try {
            const FileAction& a = plan.actions[i];
            auto [reldir, name] = atomic::split_parent(snapped[i].path);
            const auto& dir = handles.get(reldir);
            check_as_snapshotted(dir, name, a, snapped[i].before);
            StepHook step = [&o, i](std::string_view s, std::size_t) { hook(o, s, i); };
            atomic::PreparedFile file =
                a.source ? atomic::prepare_file_in(dir, name, a.source,
                                                   atomic::ExpectedContents{a.source_size, a.source_crc32},
                                                   write_options(a, std::move(step)), false)
                         : atomic::prepare_file_in(
                               dir, name, [&a](const auto& sink) { sink(a.contents); }, std::nullopt,
                               write_options(a, std::move(step)), false);
            pending.push_back({&dir, std::move(file)});
        } catch (...) {
            stopped = std::current_exception();
            break;
        }
    }
    std::size_t committed = 0;
    try {
        if (!pending.empty()) {
            hook(o, "sync-batch", first);
            platform::sync_filesystem(pending.front().dir->handle(), pending.front().dir->path());
        }
        for (; committed < pending.size(); ++committed) {
            const std::size_t i = first + committed;
            const auto& [dir, file] = pending[committed];
            check_as_snapshotted(*dir, file.name, plan.actions[i], snapped[i].before);
            StepHook step = [&o, i](std::string_view s, std::size_t) { hook(o, s, i); };
            atomic::commit_prepared_in(*dir, file, step);
            ++done;
            unsynced.insert(atomic::split_parent(snapped[i].path).first);
        }
    } catch (...) {
        for (std::size_t k = committed; k < pending.size(); ++k)  // (one already gone is fine)
            atomic::discard_prepared_in(*pending[k].dir, pending[k].file);
        throw;
    }
    if (stopped) std::rethrow_exception(stopped);
    if (pending.size() < end - first) throw_if_interrupted();  // stopped between files by an interrupt
}

/// Removal runs: a run of at least twice kRemovalsPerThread consecutive
/// removals is done on up to kRemovalThreads threads. Each removal is its own
/// atomic unlink and waits on the disk alone: on a file system mounted with
/// `discard` each one waits for its blocks' discard, on a network share for
/// the server, and a P1 cleanup of 200,000 envelopes spent three quarters of
/// its time so (docs/PERFORMANCE.md, "p1clean: removals on threads"). Their
/// folders are fsynced once at the end, as before.
constexpr unsigned kRemovalThreads = 8;
constexpr std::size_t kRemovalsPerThread = 16;

/// The end (exclusive) of the run of removals starting at action `i`.
std::size_t removals_end(const ChangePlan& plan, std::size_t i) {
    std::size_t j = i;
    while (j < plan.actions.size() && plan.actions[j].kind == Kind::remove) ++j;
    return j;
}

/// Step 6 for the removals [first, end), on several threads, with the outcome
/// of doing them one by one but for the order: each file is checked as
/// snapshotted just before its removal; the first error or an interrupt
/// stops the removals not yet started, those under way finish, and then the
/// error (of the lowest action that failed) is thrown. `done` counts the
/// files removed.
void apply_removals(atomic::DirCache& handles, const ChangePlan& plan,
                    const std::vector<ManifestEntry>& snapped, const ApplyOptions& o, std::size_t first,
                    std::size_t end, std::set<std::string>& unsynced, std::size_t& done) {
    std::mutex shared;  // guards handles, unsynced and the test hook
    const unsigned threads =
        static_cast<unsigned>(std::min<std::size_t>(kRemovalThreads, (end - first) / kRemovalsPerThread));
    const ParallelOutcome outcome = for_each_index(first, end, threads, [&](std::size_t i) {
        auto [reldir, name] = atomic::split_parent(snapped[i].path);
        const atomic::SafeDir* dir = nullptr;
        {
            const std::lock_guard g(shared);
            dir = &handles.get(reldir);  // (a cached folder stays where it is)
        }
        check_as_snapshotted(*dir, name, plan.actions[i], snapped[i].before);
        StepHook step;
        if (o.crash_hook)
            step = [&o, &shared, i](std::string_view s, std::size_t) {
                const std::lock_guard g(shared);
                hook(o, s, i);
            };
        atomic::remove_checked_file_in(*dir, name, step);
        const std::lock_guard g(shared);
        unsynced.insert(reldir);
    });
    done += outcome.done;
    if (outcome.error) std::rethrow_exception(outcome.error);
    throw_if_interrupted();  // stopped between files by an interrupt
}

/// Step 6 for action i, whose snapshot entry is `before`.
void apply_one(atomic::DirCache& handles, const FileAction& a, const std::string& p, const FileState& before,
               const ApplyOptions& o, std::size_t i, std::set<std::string>& unsynced) {
    auto [reldir, name] = atomic::split_parent(p);
    const auto& dir = handles.get(reldir);
    check_as_snapshotted(dir, name, a, before);
    StepHook step = [&o, i](std::string_view s, std::size_t) { hook(o, s, i); };
    switch (a.kind) {
        case Kind::remove:
            // check_as_snapshotted just found a regular file (not a link)
            // of the snapshotted size and mtime: no second look before the
            // unlink (remove_file_in's would be the same fstatat again).
            atomic::remove_checked_file_in(dir, name, step);
            unsynced.insert(reldir);
            break;
        case Kind::make_dir:
            atomic::make_dir_in(dir, name, write_options(a, std::move(step)));
            break;
        case Kind::replace:
        case Kind::create:
            if (a.source) {
                atomic::replace_file_in(dir, name, a.source,
                                        atomic::ExpectedContents{a.source_size, a.source_crc32},
                                        write_options(a, std::move(step)));
            } else {
                atomic::replace_file_in(
                    dir, name, [&a](const auto& sink) { sink(a.contents); }, std::nullopt,
                    write_options(a, std::move(step)));
            }
            break;
    }
}

/// An exception that is not an mspo::Error, as one (Errc::io).
Error as_error(const std::exception_ptr& ep) {
    try {
        std::rethrow_exception(ep);
    } catch (const Error& e) { return e; } catch (const std::bad_alloc&) {
        return Error(Errc::io, "out of memory");
    } catch (const std::exception& e) {
        return Error(Errc::io, std::string("unexpected error: ") + e.what());
    } catch (...) { return Error(Errc::io, "unexpected error"); }
}

}  // namespace

ApplyResult apply_plan(const Postoffice& po, const ChangePlan& plan, const ApplyOptions& o) {
    ApplyResult result;
    result.dry_run = o.dry_run;
    if (plan.actions.empty() && o.tidy_dirs.empty()) return result;

    // 1. Validate.
    atomic::DirCache handles(po.root());
    validate(po, handles, plan, result);
    result.lock_file = toolkit_lock_path(po.root());
    if (o.dry_run) {
        // The real run's refusals, in its order: steps 2, 3 and 5.
        result.stale_lock = probe_stale_toolkit_lock(po.root());
        if (result.stale_lock)
            if (const auto foreign = foreign_lock_refusal(*result.stale_lock)) {
                if (!o.force)
                    throw Error(Errc::in_use, *foreign + "; use --force to override", result.lock_file);
                result.overridden.push_back(*foreign + ", taken over");
            }
        check_in_use(po, handles, plan, result.resolved_paths, o, result);
        check_snapshot_dir(po.root(), o.snapshot_dir);
        if (result.stale_lock)
            result.removed_temps =
                find_stale_temps(po, *result.stale_lock, o.tidy_dirs, result.resolved_paths);
        return result;
    }

    // 2-4. Lock, refuse if in use, remove what a dead run provably left.
    throw_if_interrupted();
    hook(o, "lock", 0);
    ToolkitLock lock(po.root(), o.tool, o.force);
    result.stale_lock = lock.stale_holder();
    if (lock.overridden()) result.overridden.push_back(*lock.overridden());
    check_in_use(po, handles, plan, result.resolved_paths, o, result);
    if (result.stale_lock) {
        auto temps = find_stale_temps(po, *result.stale_lock, o.tidy_dirs, result.resolved_paths);
        try {
            remove_temps(handles, temps);
        } catch (const Error& e) {
            throw Error(e.code(),
                        e.detail() + " (while deleting the " + std::to_string(temps.size()) +
                            " temporary file(s) of a crashed toolkit run; nothing else was changed)",
                        e.file());
        }
        result.removed_temps = std::move(temps);
    }
    if (plan.actions.empty()) return result;
    // The folder listings found the paths; from here only the resolved paths
    // and the folder handles are used, so the listings (100,000 names for a
    // big P1) are not held through the snapshot.
    po.refresh();
    platform::release_free_memory();

    // 5. Snapshot.
    SnapshotResult snap;
    {
        // The resolved paths move into the manifest, which step 6 reads them
        // from; they come back into the result at the end (held once).
        std::vector<ManifestEntry> files;
        files.reserve(plan.actions.size());
        for (std::size_t i = 0; i < plan.actions.size(); ++i)
            files.push_back(
                {std::move(result.resolved_paths[i]), FileState{}, planned_state(plan.actions[i])});
        std::vector<std::string>().swap(result.resolved_paths);
        SnapshotOptions so;
        so.tool = o.tool;
        so.dir = o.snapshot_dir;
        so.threads = o.snapshot_threads;
        so.undoes = o.undoes;
        so.hook = o.crash_hook;  // steps outside an action: index 0
        snap = safety::write_checked_snapshot(po.root(), std::move(files), so);  // step 1 looked at each
    }
    result.snapshot = snap.path;
    result.snapshot_leftovers = snap.leftovers;
    for (std::size_t i = 0; i < plan.actions.size(); ++i)
        check_still_as_planned(plan.actions[i], snap.manifest.files[i], po.root());
    if (o.before_changes) o.before_changes(snap.path);

    // 6. Apply, in plan order. Removals, and writes in batches, defer their
    // folder fsync: one per folder at the end (or on the way out of an
    // error) instead of one per file, which made a P1 cleanup of 100,000
    // files take minutes. Each unlink and rename is atomic anyway.
    std::set<std::string> unsynced;
    auto sync_removals = [&]() {
        for (const auto& d : unsynced) {
            hook(o, "fsync-dir", plan.actions.size());
            atomic::sync_folder(po.root(), d);
        }
        unsynced.clear();
    };
    try {
        for (std::size_t i = 0; i < plan.actions.size();) {
            throw_if_interrupted();  // stop between files, never inside one
            if (const std::size_t end = batch_end(plan, i); end - i >= 2) {
                apply_batch(handles, plan, snap.manifest.files, o, i, end, unsynced, result.actions_done);
                i = end;
                continue;
            }
            if (const std::size_t end = removals_end(plan, i); end - i >= 2 * kRemovalsPerThread) {
                apply_removals(handles, plan, snap.manifest.files, o, i, end, unsynced, result.actions_done);
                i = end;
                continue;
            }
            apply_one(handles, plan.actions[i], snap.manifest.files[i].path, snap.manifest.files[i].before, o,
                      i, unsynced);
            ++result.actions_done;
            ++i;
        }
        sync_removals();
        po.refresh();
    } catch (...) {
        const Error e = as_error(std::current_exception());
        try {
            sync_removals();
        } catch (...) {  // the original error matters more
        }
        po.refresh();
        throw Error::after_changes(e, result.actions_done, snap.path);
    }
    result.resolved_paths.reserve(snap.manifest.files.size());
    for (auto& f : snap.manifest.files) result.resolved_paths.push_back(std::move(f.path));
    return result;
}

void mark_repaired(Findings& findings, const ChangePlan& plan, const ApplyResult& result) {
    if (result.dry_run) return;
    enum : unsigned char { untouched, all_done, some_not_done };
    std::vector<unsigned char> state(findings.size(), untouched);
    for (std::size_t i = 0; i < plan.actions.size(); ++i) {
        const bool done = i < result.actions_done;
        for (const std::size_t f : plan.actions[i].repairs) {
            if (f >= findings.size())
                throw Error(Errc::usage, "planned action " + std::to_string(i) + " names finding " +
                                             std::to_string(f) + " of " + std::to_string(findings.size()));
            if (!done)
                state[f] = some_not_done;
            else if (state[f] == untouched)
                state[f] = all_done;
        }
    }
    for (std::size_t f = 0; f < findings.size(); ++f)
        if (state[f] == all_done) findings[f].fixed = true;
}

Findings apply_notes(const ApplyResult& result) {
    Findings notes;
    if (result.stale_lock) {
        notes.push_back(make_finding(
            CheckId::safety_stale_lock_taken,
            result.lock_file.empty() ? std::string() : "../" + result.lock_file.filename().string(),
            std::string(result.dry_run ? "would take over" : "took over") +
                " the toolkit lock of a run that ended without releasing it (" + *result.stale_lock +
                "); if it was a fixer, its snapshot restores what it changed"));
    }
    for (const auto& rel : result.removed_temps) {
        Finding f =
            make_finding(CheckId::safety_temp_removed, rel,
                         "temporary file left by that crashed toolkit run (its name carries the run's "
                         "token)");
        f.action = "remove";
        f.fixed = !result.dry_run;
        notes.push_back(std::move(f));
    }
    if (result.snapshot)
        for (auto& f : partial_leftover_findings(result.snapshot_leftovers, result.snapshot->parent_path()))
            notes.push_back(std::move(f));
    return notes;
}

}  // namespace mspo
