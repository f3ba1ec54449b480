// Snapshot archives: what a fixer saves before it changes anything.
//
// Format: a pax tar (libarchive), gzip-compressed by snapshot_gzip (one or
// more gzip members; GNU tar reads it with `tar tzf`). One entry per file
// that existed, named by its path relative to the postoffice ("GLB/ACCESS.GLB"),
// with size, mode and nanosecond mtime; then the manifest "MSPO-MANIFEST.json"
// (snapshot_manifest.hpp) as the last entry. The archive is written as
// "<name>.partial", fsynced, read back in full and checked (every CRC-32,
// size and mtime against the manifest, every gzip trailer), and only then
// renamed to its final name, so a "*.tar.gz" in a snapshot folder is always
// complete and verified. See docs/RELIABILITY.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/safety/snapshot_manifest.hpp"
#include "mspo/safety/step_hook.hpp"

namespace mspo {

namespace fs = std::filesystem;

/// A file to save: its path relative to the postoffice (as on disk) and,
/// optionally, the state the change is planned to leave.
struct SnapshotItem {
    std::string relpath;
    std::optional<FileState> after;
};

struct SnapshotOptions {
    std::string tool = "mspo";
    /// Folder for the archive; nullopt = default_snapshot_dir(root). Created
    /// if missing. Must not be inside the postoffice (Error{unsafe_path}).
    std::optional<fs::path> dir;
    unsigned threads = 2;  // deflate threads
    int level = 6;         // gzip level, as `gzip -6` (tar czf's default)
    /// Test hook, called with "snapshot-write" and "snapshot-verify" (index 0).
    StepHook hook;
};

/// "<parent>/<postoffice folder name>.snapshots" of the canonical root.
fs::path default_snapshot_dir(const fs::path& postoffice_root);

/// "20261124T221500Z-p1clean-4242.tar.gz": sorts by time, names the tool
/// (reduced to [A-Za-z0-9_-]).
std::string snapshot_file_name(std::string_view tool, std::int64_t time_ns, long pid);

struct SnapshotResult {
    fs::path path;
    Manifest manifest;
};

/// Writes and verifies a snapshot of `items` (each read without following
/// links; a missing file is recorded as absent). Throws Error{snapshot} for
/// any failure (the partial archive is removed first), Error{unsafe_path} if
/// the folder is inside the postoffice or a path is unsafe, Error{usage} for
/// a duplicate path. Non-mspo exceptions (test hooks) pass through.
SnapshotResult write_snapshot(const fs::path& postoffice_root, const std::vector<SnapshotItem>& items,
                              const SnapshotOptions& options);

struct VerifyResult {
    std::vector<std::string> problems;  // empty = good
    std::optional<Manifest> manifest;
    std::size_t entries = 0;  // file entries, manifest excluded
    bool ok() const noexcept { return problems.empty(); }
};

/// Reads the whole archive and checks it against its manifest: gzip
/// trailers, tar structure, entry types (regular files only), safe paths,
/// sizes, mtimes and CRC-32s. Never throws for a bad archive: the problems
/// are listed (an unopenable file is a problem too).
VerifyResult verify_snapshot(const fs::path& archive);

/// The manifest of a snapshot (reads the whole archive; does not verify).
/// Throws Error{snapshot} if it cannot be read or has no manifest.
Manifest read_manifest(const fs::path& archive);

/// Verifies the archive and returns its manifest and file contents by path.
/// Throws Error{snapshot} naming the first problem if it does not verify.
std::map<std::string, Bytes> read_snapshot_files(const fs::path& archive, Manifest& manifest);

}  // namespace mspo
