// Snapshot archives: what a fixer saves before it changes anything.
//
// Format: a pax tar (libarchive), gzip-compressed by snapshot_gzip (one or
// more gzip members; GNU tar reads it with `tar tzf`). One entry per file
// that existed, named by its path relative to the postoffice ("GLB/ACCESS.GLB",
// the name's bytes exactly as on disk: a non-ASCII name is stored with pax
// hdrcharset=BINARY), with size,
// mode, owner and nanosecond mtime; then the manifest "MSPO-MANIFEST.json"
// (snapshot_manifest.hpp) as the last entry. The archive is written as
// "<name>.partial" (locked by its writer while it lives), fsynced, read back
// in full and checked (every CRC-32, size, mtime and mode against the
// manifest, every gzip trailer), and only then renamed to its final name, so
// a "*.tar.gz" in a snapshot folder is always complete and verified. See
// docs/RELIABILITY.md.
//
// Memory: the writer keeps one small manifest entry per file and streams
// file data and the manifest; readers stream entries (snapshot_read.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/base/finding.hpp"
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
    int level = 1;         // gzip level, as `gzip -1`: docs/PERFORMANCE.md, "Snapshot compression level"
    /// Runs of random-looking bytes are stored, not deflated (snapshot_gzip.hpp;
    /// docs/PERFORMANCE.md, "Snapshots of random bytes"); false: all deflated.
    bool store_random = true;
    /// Recorded as the manifest's "undoes" (porestore: the tool whose change
    /// the restore undoes; tool_scope.hpp).
    std::string undoes;
    /// Test hook, called with "snapshot-write" and "snapshot-verify" (index 0).
    StepHook hook;
};

/// A "*.tar.gz.partial" left in a snapshot folder, and what was done with it.
struct PartialLeftover {
    std::string name;  // file name in the snapshot folder
    bool removed = false;
    std::string why;  // "no lock held and its writer (pid 4242) is not running", ...
};

/// Deletes the partial archives in `dir` that are provably stale: no
/// process holds the lock every writer keeps on its partial archive, AND the
/// writer's pid (from the name) is not running on this host or the file is
/// over a day old. Others are kept. Every leftover found is returned, removed
/// or not, so the caller reports it. Only names of the form
/// "<yyyymmdd>T<hhmmss>Z-*.tar.gz.partial" that are regular files are
/// considered. A missing folder has none. Throws Error{io} if the folder
/// cannot be read or a stale file cannot be removed.
std::vector<PartialLeftover> tidy_partial_snapshots(const fs::path& dir,
                                                    std::optional<std::int64_t> now_ns = std::nullopt);

/// Findings for the partial archives found in the snapshot folder `dir`: a
/// "snapshot.partial-removed" note (action "remove", done) per removed one,
/// a "snapshot.partial-kept" warning per one kept (warnings set no exit bit).
Findings partial_leftover_findings(const std::vector<PartialLeftover>& leftovers, const fs::path& dir);

/// "<parent>/<postoffice folder name>.snapshots" of the canonical root.
fs::path default_snapshot_dir(const fs::path& postoffice_root);

/// Throws Error{unsafe_path} ("the snapshot folder must not be inside the
/// postoffice") if `dir` (nullopt: the default) is inside `postoffice_root`;
/// write_snapshot_entries refuses so, and a dry run checks it to predict that.
void check_snapshot_dir(const fs::path& postoffice_root, const std::optional<fs::path>& dir);

/// "20261124T221500Z-p1clean-4242.tar.gz": sorts by time, names the tool
/// (reduced to [A-Za-z0-9_-]).
std::string snapshot_file_name(std::string_view tool, std::int64_t time_ns, long pid);

struct SnapshotResult {
    fs::path path;
    Manifest manifest;
    std::vector<PartialLeftover> leftovers;  // partial archives found in the folder
};

/// Writes and verifies a snapshot of `items` (each read without following
/// links; a missing file is recorded as absent). Names are bytes: any name
/// round-trips exactly. The snapshot folder is created only once every item
/// has been looked at (a link or a non-regular file is refused first), and a
/// folder this call created is removed again if the snapshot fails. Stale
/// partial archives in the folder are tidied (tidy_partial_snapshots) and
/// returned. Throws Error{snapshot} for any failure (the partial archive is
/// removed first), Error{unsafe_path} if the folder is inside the postoffice
/// or a path is unsafe, Error{usage} for a duplicate path. Non-mspo exceptions
/// (test hooks) pass through.
SnapshotResult write_snapshot(const fs::path& postoffice_root, const std::vector<SnapshotItem>& items,
                              const SnapshotOptions& options);
/// write_snapshot() from the manifest's file entries, each with its `path` and
/// `after` set (`before` is ignored and filled in): the result's manifest
/// takes them over, so a caller holding many paths does not hold them twice.
SnapshotResult write_snapshot_entries(const fs::path& postoffice_root, std::vector<ManifestEntry> files,
                                      const SnapshotOptions& options);

struct VerifyResult {
    std::vector<std::string> problems;    // empty = good
    std::optional<std::uint64_t> offset;  // compressed offset of the first problem, where known
    std::optional<Manifest> manifest;
    std::size_t entries = 0;  // file entries, manifest excluded
    /// Per file of the manifest (same order): its position among the
    /// archive's file entries (SnapshotReader's index), or kNoEntry if the
    /// manifest records it as absent.
    std::vector<std::size_t> entry_index;
    static constexpr std::size_t kNoEntry = static_cast<std::size_t>(-1);
    bool ok() const noexcept { return problems.empty(); }
};

/// Reads the whole archive, streaming (memory: one small record per entry),
/// and checks it against its manifest: gzip trailers, tar structure, entry
/// types (regular files only), safe paths, every entry listed in the
/// manifest under exactly its name and every present file of the manifest in
/// the archive, sizes, mtimes, modes and CRC-32s. Never throws for a bad
/// archive: the problems are listed (an unopenable file is a problem too),
/// and `offset` is the compressed offset of the first one where it has one.
VerifyResult verify_snapshot(const fs::path& archive);

/// The read-back check of a snapshot just written with manifest `expected`
/// (write_snapshot's own): reads the whole archive, streaming, and checks
/// every gzip trailer and the tar structure; that the entries are exactly
/// the present files of `expected.files`, in that order, each a regular
/// file of that exact name with the recorded size, mtime, mode and CRC-32;
/// and that the manifest entry comes last, parses, holds the same files and
/// header, and is byte for byte the text write_manifest_json(expected)
/// gives (CRC-32 and length). Memory: nothing per entry (verify_snapshot
/// keeps a record per entry, as it must read the manifest last). Never
/// throws for a bad archive: the problems are listed as verify_snapshot's
/// are; `manifest` and `entry_index` stay empty.
VerifyResult verify_written_snapshot(const fs::path& archive, const Manifest& expected);

/// verify_snapshot(), then the manifest. Throws Error{snapshot} naming the
/// first problem (and its offset) if the archive does not verify.
Manifest read_verified_manifest(const fs::path& archive);

/// The manifest of a snapshot (reads the whole archive; does not verify).
/// Throws Error{snapshot} if it cannot be read or has no manifest.
Manifest read_manifest(const fs::path& archive);

/// Verifies the archive and returns its manifest and every file's contents
/// by path, all in memory: for tests and small archives only (porestore
/// streams with SnapshotReader). Throws Error{snapshot} naming the first
/// problem if it does not verify.
std::map<std::string, Bytes> read_snapshot_files(const fs::path& archive, Manifest& manifest);

/// Streams entries of one snapshot archive on demand, for a restore. Each
/// call to stream() delivers one entry's bytes to `sink` in pieces and checks
/// them against the expected size and CRC-32 (Error{snapshot} if they
/// differ, after some pieces may have been delivered: the caller must discard
/// them). Entries asked for in archive order cost one pass over the archive
/// in all; asking for an earlier entry again reopens the archive. Memory:
/// libarchive's buffers and one 256 KiB block. Not thread-safe.
class SnapshotReader {
public:
    explicit SnapshotReader(fs::path archive);
    SnapshotReader(const SnapshotReader&) = delete;
    SnapshotReader& operator=(const SnapshotReader&) = delete;
    ~SnapshotReader();

    /// Delivers the `index`-th file entry (0-based, VerifyResult::entry_index),
    /// which must be named exactly `path` (else Error{snapshot}: the archive
    /// changed since it was verified).
    void stream(std::size_t index, const std::string& path, std::uint64_t size, std::uint32_t crc,
                const std::function<void(ByteSpan)>& sink);

private:
    struct State;
    fs::path archive_;
    std::unique_ptr<State> state_;
};

}  // namespace mspo
