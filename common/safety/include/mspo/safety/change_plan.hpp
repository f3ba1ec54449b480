// THE path by which every fixer changes a postoffice: plan, lock, check,
// snapshot, verify, apply. No fixer writes a postoffice file any other way.
//
// apply_plan() order (each step named for the test-only crash hook):
//   1. validate the plan (safe, unique paths; replace/remove targets exist,
//      create targets do not) - nothing is written on a dry run after this;
//   2. "lock": take the ToolkitLock (Error{in_use} names the holder);
//   3. refuse (Error{in_use}, unless force) on a fresh External lock in P1 or
//      a lock held on any file about to change;
//   4. delete temporaries left by a crashed run in the folders we touch;
//   5. "snapshot-write", "snapshot-verify": snapshot every target (absent
//      ones recorded as absent, planned results recorded too), verified;
//   6. per action i: check the file is still as snapshotted (Error{changed}),
//      then "write-temp"/"rename"/"fsync-dir" (replace, create) or
//      "remove"/"fsync-dir" (remove).
// A failure before step 6 changes nothing. A crash inside step 6 leaves each
// file either old or new, never torn; the snapshot restores the original.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/safety/lock.hpp"

namespace mspo {

namespace fs = std::filesystem;

struct FileAction {
    enum class Kind { replace, create, remove };
    Kind kind = Kind::replace;
    std::string relpath;  // relative to the postoffice; matched case-insensitively
    Bytes contents;       // replace/create
    /// replace/create: modification time to give the file (porestore);
    /// nullopt = the time of writing.
    std::optional<std::int64_t> mtime_ns;
};

struct ChangePlan {
    std::vector<FileAction> actions;
};

/// Test-only: called before each step with its name and the action index
/// (0 for the steps before the actions). Throw (or _exit) to simulate a crash.
using CrashHook = std::function<void(std::string_view step, std::size_t index)>;

struct ApplyOptions {
    std::string tool = "mspo";
    std::optional<fs::path> snapshot_dir;  // nullopt = default_snapshot_dir()
    bool dry_run = false;                  // validate only; write nothing, not even a snapshot
    bool force = false;                    // override the "in use" refusals of step 3 only
    std::chrono::seconds external_lock_freshness = kExternalLockFreshness;
    unsigned snapshot_threads = 2;
    /// More folders (relative) to clear of temporaries left by a crashed run
    /// (step 4 always clears the folders of the plan). porestore passes every
    /// folder of its snapshot. With no actions, only this is done.
    std::vector<std::string> tidy_dirs;
    CrashHook crash_hook;
};

struct ApplyResult {
    std::optional<fs::path> snapshot;  // set once the snapshot is verified
    std::size_t actions_done = 0;
    bool dry_run = false;
    std::vector<std::string> overridden;      // refusals overridden by force, for the report
    std::vector<std::string> removed_temps;   // leftovers of a crashed run (relpaths)
    std::optional<std::string> stale_lock;    // the holder of a stale toolkit lock taken over
    std::vector<std::string> resolved_paths;  // each action's path as on disk
};

/// Stopgap until folder creation is a plan action: creates the folder
/// `relpath` of `po` (mode 0755) if missing.
void make_folder(const Postoffice& po, const std::string& relpath);

/// Applies `plan` to `po` as described above. Throws Error: usage (bad or
/// duplicate path), changed (a target is not as planned or changed after the
/// snapshot), in_use, snapshot, unsafe_path (a link below the root), io.
/// Errors after the first change say how many changes were made and name
/// the snapshot. An empty plan with no tidy_dirs does nothing (no lock, no
/// snapshot).
ApplyResult apply_plan(const Postoffice& po, const ChangePlan& plan, const ApplyOptions& options);

}  // namespace mspo
