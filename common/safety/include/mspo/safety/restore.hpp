// Putting a snapshot back (the library half of porestore).
//
// A snapshot is untrusted input. Before anything is written, the whole archive
// is verified (streaming), and:
//   - a snapshot taken of another postoffice (neither its canonical path nor
//     its identity, postoffice_id.hpp, matches) is refused as a whole unless
//     force;
//   - a file outside the folders the snapshot's tool may change
//     (tool_scope.hpp) is refused, and listed, unless force; the others are
//     restored;
//   - every folder whose mtime will be put back is resolved.
// Then, per file of the manifest, the current file is compared with the two
// states the manifest records: "before" (what the archive holds) and "after"
// (what the fixer planned to leave). Content = presence, size and CRC-32.
//   - current == before (same mtime and mode): nothing to do;
//   - current == before, other mtime or mode: rewrite to restore them;
//   - current == after:                   restore (replace, create or remove);
//   - anything else (or no "after"):      CHANGED SINCE THE SNAPSHOT - someone
//     or something changed the file after the fixer did; the whole restore is
//     refused unless force, which restores it anyway.
// The restore itself goes through apply_plan, so it takes the toolkit lock,
// refuses while External is live and snapshots what it overwrites (that
// snapshot undoes the restore; its manifest names the tool the restore
// undid, so it may touch the same folders). File contents are streamed from
// the archive as they are written; memory does not grow with file sizes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/base/finding.hpp"
#include "mspo/safety/change_plan.hpp"
#include "mspo/safety/snapshot.hpp"
#include "mspo/safety/snapshot_manifest.hpp"

namespace mspo {

namespace fs = std::filesystem;

struct RestoreItem {
    enum class Current { as_before, as_after, changed };
    std::string path;
    Current current = Current::changed;
    std::string why;  // for changed: what differs
    bool needs_action = false;
    /// Outside the folders the snapshot's tool may change: not restored
    /// unless forced (then restored, and reported as such).
    bool outside_scope = false;
};

struct RestorePlan {
    Manifest manifest;
    std::vector<RestoreItem> items;      // one per file of the manifest, same order
    std::vector<std::string> conflicts;  // paths changed since the snapshot (in scope or forced)
    std::vector<std::string> refused;    // paths outside the tool's scope, not restored (without force)
    /// Set when the snapshot was taken of another postoffice: "taken of A
    /// (identity ...), restoring into B".
    std::optional<std::string> other_postoffice;
    /// Folders whose mtime is put back after the files: (path as on disk, mtime).
    std::vector<std::pair<std::string, std::int64_t>> dirs;
    ChangePlan changes;  // every change, conflicts included, in archive order
    /// Streams the archive's entries for `changes`; shared by its actions.
    std::shared_ptr<SnapshotReader> reader;
};

/// Verifies the whole snapshot and plans the restore into `po`. Refuses
/// nothing by itself: conflicts, refusals and another postoffice are recorded
/// for restore() (or a listing) to act on; with `force`, files outside the
/// scope are planned too. Throws Error{snapshot} if the archive does not
/// verify (bad CRC, truncated, unsafe entry, link, device, an entry the
/// manifest does not list, ...: the message names the problem and offset),
/// Error{unsafe_path} if a current file is a link.
RestorePlan plan_restore(const Postoffice& po, const fs::path& snapshot, bool force = false);

/// What restore() did, and the findings that describe it.
struct RestoreOutcome {
    RestorePlan plan;
    ApplyResult applied;
    /// One per file that needed (or would need) something, each refusal,
    /// another postoffice forced, and apply_notes() (a stale lock taken
    /// over, a dead run's temporaries, partial snapshot archives tidied).
    Findings findings;
    /// Set when the restore was refused as a whole because files changed
    /// since the snapshot (without force): nothing was written, the findings
    /// list the files; the caller reports them and then throws this.
    std::optional<Error> refusal;
};

/// plan_restore, then (unless refused) apply_plan(options), then the folder
/// mtimes. options.tool names the writer of the undo snapshot. Throws
/// Error{snapshot} before any change for a damaged snapshot or one of another
/// postoffice (unless options.force; one line naming both). Everything that
/// can be checked is checked before the first change; an error after it is
/// Error::after_changes (how many changes, and the undo snapshot). With
/// options.dry_run nothing is written.
RestoreOutcome restore(const Postoffice& po, const fs::path& snapshot, const ApplyOptions& options);

/// restore(), throwing the refusal (Error{changed} listing the first
/// conflict and --force) instead of returning it. `plan_out` receives the plan.
ApplyResult restore_snapshot(const Postoffice& po, const fs::path& snapshot, const ApplyOptions& options,
                             RestorePlan* plan_out = nullptr);

/// Findings for `porestore --list`: one "snapshot.file" note per file of the
/// manifest with its recorded states and, given a plan, its state now.
Findings snapshot_list_findings(const Manifest& manifest, const RestorePlan* plan);

/// Findings for `porestore --verify`: one "snapshot.damaged" error per problem.
Findings snapshot_verify_findings(const VerifyResult& result, const fs::path& snapshot);

}  // namespace mspo
