// Putting a snapshot back (the library half of porestore).
//
// Per file of the manifest, the current file is compared with the two states
// the manifest records: "before" (what the archive holds) and "after" (what
// the fixer planned to leave). Content = presence, size and CRC-32.
//   - current == before (and same mtime): nothing to do;
//   - current == before, other mtime:     rewrite to restore the mtime;
//   - current == after:                   restore (replace, create or remove);
//   - anything else (or no "after"):      CHANGED SINCE THE SNAPSHOT - someone
//     or something changed the file after the fixer did; refused unless
//     force, which restores it anyway.
// The restore itself goes through apply_plan, so it takes the toolkit lock,
// refuses while External is live and snapshots what it overwrites (that
// snapshot undoes the restore).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mspo/safety/change_plan.hpp"
#include "mspo/safety/snapshot_manifest.hpp"

namespace mspo {

namespace fs = std::filesystem;

struct RestoreItem {
    enum class Current { as_before, as_after, changed };
    std::string path;
    Current current = Current::changed;
    std::string why;  // for changed: what differs
    bool needs_action = false;
};

struct RestorePlan {
    Manifest manifest;
    std::vector<RestoreItem> items;
    std::vector<std::string> conflicts;  // paths changed since the snapshot
    std::vector<std::string> notes;      // e.g. snapshot taken of another postoffice path
    ChangePlan changes;                  // every change, conflicts included
};

/// Verifies the whole snapshot and plans the restore. Throws Error{snapshot}
/// if the archive does not verify (bad CRC, truncated, unsafe entry, link,
/// device, ...), Error{unsafe_path} if a current file is a link.
RestorePlan plan_restore(const Postoffice& po, const fs::path& snapshot);

/// plan_restore, then apply_plan(options) with options.tool. Throws
/// Error{changed} listing the conflicts unless options.force. With
/// options.dry_run nothing is written. `plan_out` receives the plan.
ApplyResult restore_snapshot(const Postoffice& po, const fs::path& snapshot, const ApplyOptions& options,
                             RestorePlan* plan_out = nullptr);

}  // namespace mspo
