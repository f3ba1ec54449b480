// Who else is using a postoffice.
//
// (a) ToolkitLock: one per postoffice, so two fixers never run at once. The
//     lock file lives BESIDE the postoffice, never inside it:
//     "<parent>/<postoffice folder name>.mspo.lock" (from the canonical path,
//     so a link to the postoffice finds the same lock). It holds an OFD write
//     lock (F_OFD_SETLK) for the holder's lifetime, and a text line naming
//     the holder and its run token (the mark on its temporary files, see
//     atomic_file.hpp). The kernel drops the OFD lock when the holder dies,
//     so a lock file without a lock is stale and is taken over.
// (b) External's own locks: fresh "*.0LK" or "LOCKP1ID.P??" files in P1
//     (KB Q135902, Q237695), and byte-range/flock locks on a file we are
//     about to change.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/format/layout.hpp"

namespace mspo {

namespace fs = std::filesystem;

/// How recent an External lock file's mtime must be to count as "in use":
/// twice External's default 5-minute poll interval (KB Q135902, Q237695). A
/// live External touches its locks at least once per cycle, so a lock older
/// than two cycles belongs to a transfer that is no longer running.
inline constexpr std::chrono::seconds kExternalLockFreshness{600};

/// "<parent>/<name>.mspo.lock" for the canonical path of `postoffice_root`.
fs::path toolkit_lock_path(const fs::path& postoffice_root);

/// Exclusive lock of one postoffice for one toolkit process. RAII: released
/// (and its file removed) by the destructor.
class ToolkitLock {
public:
    /// Takes the lock. Throws Error{in_use} naming the holder ("pid 42 on host
    /// h, tool p1clean, since ...") and --force if another process (or
    /// another ToolkitLock in this process) holds it, or if the lock file is
    /// not held but names a holder on another host (foreign_lock_refusal: an
    /// OFD lock taken there may not be seen here); Error{io} if the lock
    /// file cannot be made. With `force` neither refuses: a lock held by
    /// another is left alone and this one holds nothing (held() false), a
    /// foreign one is taken over; overridden() says which, for the report.
    ToolkitLock(const fs::path& postoffice_root, std::string_view tool, bool force = false);
    ToolkitLock(const ToolkitLock&) = delete;
    ToolkitLock& operator=(const ToolkitLock&) = delete;
    ~ToolkitLock();

    const fs::path& path() const noexcept { return path_; }
    /// The text left by a holder that died without releasing, if any
    /// ("pid 42 on host h, tool p1clean, since T, run <token>").
    const std::optional<std::string>& stale_holder() const noexcept { return stale_; }
    /// The refusal `force` overrode, if any (text for the report).
    const std::optional<std::string>& overridden() const noexcept { return overridden_; }
    /// True if this process holds the lock.
    bool held() const noexcept { return held_ != nullptr; }

private:
    fs::path path_;
    struct Held;  // the open, locked file (platform handle), private to lock.cpp
    std::unique_ptr<Held> held_;
    std::optional<std::string> stale_;
    std::optional<std::string> overridden_;
};

/// The host a toolkit lock text names ("pid 42 on host h, tool ..."), or nullopt.
std::optional<std::string> lock_holder_host(std::string_view text);

/// Why a stale toolkit lock text must not be taken over without --force:
/// it names another host than this one (text without the --force hint),
/// or nullopt (this host, or no host named).
std::optional<std::string> foreign_lock_refusal(std::string_view text);

/// The text of a stale toolkit lock of `postoffice_root`: a lock file that
/// exists, holds text, and that no process holds. nullopt if there is no
/// lock file, it is empty, or someone holds it. Reads only (takes no lock,
/// writes nothing): a dry run predicts with it what ToolkitLock would take
/// over. Error{io} if the file exists but cannot be read.
std::optional<std::string> probe_stale_toolkit_lock(const fs::path& postoffice_root);

/// An External lock file found in P1.
struct ExternalLock {
    std::string relpath;  // "P1/0000002A.0LK"
    std::int64_t mtime_ns = 0;
    bool fresh = false;  // mtime within the freshness window (or in the future)
};

/// True for "*.0LK" and "LOCKP1ID.P??" (case-insensitive).
bool is_external_lock_name(std::string_view name) noexcept;

/// Every External lock file in the postoffice's P1 folder (none if P1 is
/// missing), each marked fresh or stale against `now_ns` (default: now).
std::vector<ExternalLock> scan_external_locks(const Postoffice& po,
                                              std::chrono::seconds freshness = kExternalLockFreshness,
                                              std::optional<std::int64_t> now_ns = std::nullopt);

/// Describes a lock another process holds on the regular file `path` (POSIX
/// or OFD byte-range lock, or an exclusive flock), nullopt if none or if the
/// file is missing. Never follows a link (Error{unsafe_path}).
std::optional<std::string> probe_file_lock(const fs::path& path);

}  // namespace mspo
