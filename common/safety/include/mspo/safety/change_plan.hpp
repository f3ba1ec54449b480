// THE path by which every fixer changes a postoffice: plan, lock, check,
// snapshot, verify, apply. No fixer writes a postoffice file any other way.
//
// apply_plan() order (each step named for the test-only StepHook):
//   1. validate the plan (safe, unique paths; replace/remove targets exist,
//      create and make_dir targets do not; the folder of each target exists
//      or is made by an earlier make_dir of the plan) - a dry run stops
//      here, having written nothing, with its prediction of step 4;
//   2. "lock": take the ToolkitLock (Error{in_use} names the holder and
//      --force; with force, a lock another fixer holds is left alone and
//      the run goes on without it, and a stale lock naming another host is
//      taken over: both reported in ApplyResult::overridden);
//   3. refuse (Error{in_use}, unless force) on a fresh External lock in P1 or
//      a lock held on any file about to change;
//   4. if the toolkit lock was stale (its holder died), delete the
//      temporaries that dead run left (provably its own: they carry the run
//      token its lock file names, see atomic_file.hpp), reported in
//      ApplyResult; nothing else is ever deleted here;
//   5. "snapshot-write", "snapshot-verify": snapshot every target (absent
//      ones recorded as absent, planned results recorded too), verified;
//      then ApplyOptions::before_changes, if set;
//   6. per action i, in plan order: check the target is still as
//      snapshotted (Error{changed}), then "write-temp"/"rename"/"fsync-dir"
//      (replace, create), "remove" (remove; its folder's "fsync-dir" comes
//      once per folder after the last action) or "make-dir"/"fsync-dir".
// A failure before step 6 changes nothing. A crash inside step 6 leaves each
// file either old or new, never torn; the snapshot restores the original.
// Every exception that leaves step 6 is an Error carrying the number of
// changes made and the snapshot (Error::after_changes); anything else
// thrown there (std::bad_alloc, a test hook) is wrapped into Error{io}.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/base/finding.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/safety/content_writer.hpp"
#include "mspo/safety/lock.hpp"
#include "mspo/safety/step_hook.hpp"
#include "mspo/safety/snapshot.hpp"

namespace mspo {

namespace fs = std::filesystem;

struct FileAction {
    /// make_dir creates one folder; its target must not exist (a folder already there is refused as
    /// Error{changed}, like a create of an existing file, so a plan never
    /// claims a change it did not make). Its snapshot entry is "absent"
    /// before and a folder after.
    enum class Kind { replace, create, remove, make_dir };

    FileAction() = default;
    FileAction(Kind k, std::string path, Bytes data = {}, std::optional<std::int64_t> mtime = std::nullopt)
        : kind(k), relpath(std::move(path)), contents(std::move(data)), mtime_ns(mtime) {}

    Kind kind = Kind::replace;
    std::string relpath;  // relative to the postoffice; matched case-insensitively
    /// create: the new file's name is written as `relpath` spells it, not
    /// upper-cased (porestore gives back the name the snapshot recorded).
    bool keep_case = false;
    Bytes contents;  // replace/create, unless `source` is set
    /// replace/create: modification time to give the file (porestore);
    /// nullopt = the time of writing.
    std::optional<std::int64_t> mtime_ns;

    /// replace/create: if set, used instead of `contents`.
    ContentWriter source;
    std::uint64_t source_size = 0;  // size and CRC-32 of what `source` yields (the snapshot's planned state)
    std::uint32_t source_crc32 = 0;

    /// Permission bits to give the file or folder (only 0777 is used; set
    /// exactly, whatever the umask). nullopt = a replaced file keeps its
    /// mode; a new file gets 0644, a new folder 0755.
    std::optional<std::uint32_t> mode;
    /// Owner/group to give it where the process may (EPERM is ignored, so a
    /// non-root run keeps its own). nullopt = a replaced file keeps its own.
    std::optional<std::uint32_t> uid;
    std::optional<std::uint32_t> gid;

    /// Indices into the tool's Findings of the findings this action repairs
    /// (see mark_repaired). The plan's executor never reads them.
    std::vector<std::size_t> repairs;
};

struct ChangePlan {
    std::vector<FileAction> actions;
};

struct ApplyOptions {
    std::string tool = "mspo";
    std::optional<fs::path> snapshot_dir;  // nullopt = default_snapshot_dir()
    bool dry_run = false;                  // validate only; write nothing, not even a snapshot
    bool force = false;                    // override the "in use" refusals of steps 2 and 3
    std::chrono::seconds external_lock_freshness = kExternalLockFreshness;
    unsigned snapshot_threads = 2;
    /// Makes apply_plan take the lock (and so do step 4) even with no
    /// actions; step 4 also searches these folders (relative), besides the
    /// root and the two levels of folders below it. porestore passes every
    /// folder of its snapshot.
    std::vector<std::string> tidy_dirs;
    /// Recorded in the snapshot's manifest (porestore: the tool whose change
    /// the restore undoes, so its undo snapshot may touch the same folders).
    std::string undoes;
    StepHook crash_hook;  // test-only: see step_hook.hpp; the steps are named above
    /// Called once with the verified snapshot's path, after step 5 and
    /// before the first change (never on a dry run or an empty plan): for
    /// an output that belongs with the snapshot (palfix's quarantine text).
    /// What it throws stops the run with nothing changed (the snapshot stays).
    std::function<void(const fs::path& snapshot)> before_changes;
};

struct ApplyResult {
    std::optional<fs::path> snapshot;  // set once the snapshot is verified
    /// Actions done, counted from the first: actions run in plan order, so
    /// action i was done exactly when i < actions_done. 0 on a dry run.
    std::size_t actions_done = 0;
    bool dry_run = false;
    std::vector<std::string> overridden;  // refusals overridden by force, for the report
    /// Temporaries of a crashed toolkit run deleted in step 4 (relpaths);
    /// on a dry run, those that would be.
    std::vector<std::string> removed_temps;
    /// The holder text of a stale toolkit lock taken over (on a dry run:
    /// that would be), and the lock file's path.
    std::optional<std::string> stale_lock;
    fs::path lock_file;
    std::vector<std::string> resolved_paths;  // each action's path as on disk
    /// Partial archives of crashed runs found in the snapshot folder (removed
    /// when provably stale), for the report.
    std::vector<PartialLeftover> snapshot_leftovers;
};

/// Applies `plan` to `po` as described above. Throws Error: usage (bad or
/// duplicate path), not_found (a target's folder is missing and no earlier
/// make_dir makes it), changed (a target is not as planned or changed after
/// the snapshot, streamed contents differ from source_size/source_crc32),
/// in_use, snapshot, unsafe_path (a link below the root), io, interrupted.
/// Errors after the first change say how many changes were made and name
/// the snapshot (changes_made() > 0). An empty plan with no tidy_dirs does
/// nothing (no lock, no snapshot).
ApplyResult apply_plan(const Postoffice& po, const ChangePlan& plan, const ApplyOptions& options);

/// Marks `fixed` on every finding that at least one action of `plan` repairs
/// (FileAction::repairs) and all of whose repairing actions were done
/// (result.actions_done). A dry run marks nothing. Throws Error{usage} (and
/// marks nothing) if an action names an index outside `findings`.
void mark_repaired(Findings& findings, const ChangePlan& plan, const ApplyResult& result);

/// What apply_plan did besides the plan, as findings for the report: a
/// warning "safety.stale-lock-taken" for a stale toolkit lock taken over
/// (file: the lock, relative to the postoffice, e.g. "../MAILDATA.mspo.lock")
/// and a note "safety.temp-removed" per temporary of that crashed run
/// deleted; on a dry run, worded as what would be done. Then the partial
/// snapshot archives found in the snapshot folder
/// (partial_leftover_findings(), snapshot.hpp).
Findings apply_notes(const ApplyResult& result);

}  // namespace mspo
