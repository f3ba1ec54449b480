// The few operating-system calls the library needs, behind one interface:
// platform_posix.cpp implements it on POSIX, platform_win32.cpp on Windows
// (docs/ARCHITECTURE.md, "Windows"). No other file in common/ calls the OS
// directly.
#pragma once

#include <cstdint>
#include <functional>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/base/bytes.hpp"

namespace mspo::platform {

namespace fs = std::filesystem;

enum class EntryType { missing, regular, directory, symlink, other };

struct FileInfo {
    EntryType type = EntryType::missing;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;  // nanoseconds since the Unix epoch
    std::uint32_t mode = 0;     // permission bits (07777)
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::uint64_t device = 0;  // st_dev (matches HeldLock::device)
    std::uint64_t inode = 0;   // st_ino
};

/// lstat(): never follows a symbolic link. Throws Error{io} on errors other
/// than "does not exist" (which gives type missing).
FileInfo stat_nofollow(const fs::path& path);

/// Reads a whole regular file without following a final symbolic link.
/// Throws Error: not_found if missing, unsafe_path if it is a link or not a
/// regular file, size_rule if larger than max_bytes (nothing is read then),
/// io on a read error, truncated if it shrank while being read.
Bytes read_file(const fs::path& path, std::uint64_t max_bytes);

/// Reads `length` bytes at `offset` of a regular file (no link followed).
/// Throws like read_file; truncated if the file ends first.
Bytes read_range(const fs::path& path, std::uint64_t offset, std::uint64_t length);

// ---------------------------------------------------------------------------
// Handles and the calls of the safety layer (atomic_file, lock, snapshot).
// Every call below that takes a Dir works relative to an open folder handle
// and never follows a symbolic link in the last component.

/// The system's handle type: a file descriptor on POSIX; a Win32 HANDLE
/// (as an integer) on Windows.
#if defined(_WIN32)
using NativeHandle = std::intptr_t;
#else
using NativeHandle = int;
#endif

/// An owned file descriptor or Win32 handle (RAII). Move-only.
class Handle {
public:
    Handle() = default;
    explicit Handle(NativeHandle fd) noexcept : fd_(fd) {}
    Handle(Handle&& other) noexcept : fd_(other.release()) {}
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle();
    NativeHandle get() const noexcept { return fd_; }
    bool valid() const noexcept { return fd_ != -1; }
    NativeHandle release() noexcept;
    /// Closes now; throws Error{io} if close() reports an error.
    void close(const fs::path& what);

private:
    NativeHandle fd_ = -1;
};

/// Opens a folder (O_DIRECTORY). With follow_links=false a final symbolic
/// link is refused with Error{unsafe_path}. Error{not_found} if missing.
Handle open_dir(const fs::path& path, bool follow_links);
/// Opens the folder `name` (one component) inside `dir`, never through a link:
/// Error{unsafe_path} if it is a link or not a folder, Error{not_found} if missing.
Handle open_dir_at(const Handle& dir, const std::string& name, const fs::path& shown);
/// Creates the folder `path` (and missing parents, mode 0755). No error if it exists.
void make_dirs(const fs::path& path);
/// Creates the one folder `name` in `dir` (mkdirat; the umask applies to
/// `mode`). Error{changed} if something of that name exists, Error{io} else.
void make_dir_at(const Handle& dir, const std::string& name, unsigned mode, const fs::path& shown);
/// Creates a FIFO (named pipe) at `path`, mode 0644. Throws Error{io} (also
/// if something already stands there). Used by pogen and tests only, to
/// build the damage "a FIFO where a file belongs".
void make_fifo(const fs::path& path);

/// fstatat(AT_SYMLINK_NOFOLLOW) of `name` in `dir`; type missing if absent.
FileInfo stat_at(const Handle& dir, const std::string& name, const fs::path& shown);
/// True if `path` (not followed) is the very file `file` has open (same
/// device and inode) and that file still has a name.
bool same_inode(const Handle& file, const fs::path& path);
/// fstat of an open file.
FileInfo stat_handle(const Handle& file, const fs::path& shown);

/// Opens an existing regular file in `dir` for reading (no link followed):
/// Error{not_found}, Error{unsafe_path} (link, not regular) or Error{io}.
Handle open_read_at(const Handle& dir, const std::string& name, const fs::path& shown);
/// open_read_at(), also filling `info` from the fstat that checks the file
/// is regular (no second fstat to learn its size and times).
Handle open_read_at(const Handle& dir, const std::string& name, const fs::path& shown, FileInfo& info);
/// The first bytes of a regular file, and what fstat says of it.
struct FileHead {
    FileInfo info;
    Bytes bytes;  // min(max, size) bytes from offset 0
};
/// Opens `name` in `dir` as open_read_at() does (the same errors), reads up
/// to `max` bytes from its start, and closes it: four system calls on Linux.
/// Error{truncated} if it shrank while being read.
FileHead read_head_at(const Handle& dir, const std::string& name, std::size_t max, const fs::path& shown);
/// Reads up to `max` bytes (at most 64) from the start of `name` in `dir`
/// into `out` and returns how many it read (fewer if the file is shorter):
/// open without following a link, one read, close (three system calls on
/// Linux, no stat and no path built), for a caller whose folder listing says
/// the entry is a regular file. Error{not_found} if it is gone;
/// Error{unsafe_path} if it is a link or reads as no regular file does (a
/// folder, a FIFO); Error{io} else. Errors name `dir_shown` / `name`.
std::size_t read_start_at(const Handle& dir, const std::string& name, std::uint8_t* out, std::size_t max,
                          const fs::path& dir_shown);
/// Opens a regular file by path for reading, no final link followed.
Handle open_read(const fs::path& path);
/// Creates `name` in `dir` exclusively (O_CREAT|O_EXCL|O_NOFOLLOW), write-only.
/// Error{changed} if it already exists.
Handle create_exclusive_at(const Handle& dir, const std::string& name, unsigned mode, const fs::path& shown);
/// Opens or creates a regular file for reading and writing (no link followed).
Handle open_rw_create(const fs::path& path, unsigned mode);
/// Opens or creates (mode 0666 less the umask) a file for appending, for a
/// transcript the user names (--log): a link is followed, but what it names
/// must be a regular file. A FIFO, folder, device or socket is refused with
/// Error{unsafe_path} naming what it is, and never blocks (a FIFO is not
/// opened for writing at all). Error{io} if it cannot be opened.
Handle open_append_regular(const fs::path& path);

/// Writes all of `data` (retries short writes, EINTR). Throws Error{io}.
void write_all(const Handle& file, ByteSpan data, const fs::path& shown);
/// Reads up to `max` bytes; returns the count (0 at end). Throws Error{io}.
std::size_t read_some(const Handle& file, std::uint8_t* out, std::size_t max, const fs::path& shown);
/// ftruncate.
void truncate(const Handle& file, std::uint64_t size, const fs::path& shown);
/// fsync of a file or a folder handle. Throws Error{io}.
void fsync_handle(const Handle& handle, const fs::path& shown);
/// Makes everything written to the file system holding `any` durable at
/// once (syncfs): one journal commit for many files instead of one fsync
/// each. Throws Error{io} (also for a write-back error it reports).
void sync_filesystem(const Handle& any, const fs::path& shown);
/// Gives an open file the permission bits and (where allowed) the owner of
/// `like`, so a replacement keeps the original's access rights. An owner
/// change refused with EPERM (not root) is ignored.
void copy_owner_mode(const Handle& file, const FileInfo& like, const fs::path& shown);
/// Sets the modification time (and access time to the same value) of an open file.
void set_mtime(const Handle& file, std::int64_t mtime_ns, const fs::path& shown);
/// Sets the modification time of `name` in `dir` without following a link.
void set_mtime_at(const Handle& dir, const std::string& name, std::int64_t mtime_ns, const fs::path& shown);

/// renameat(dir, from, dir, to): replaces `to` atomically. Throws Error{io}.
void rename_at(const Handle& dir, const std::string& from, const std::string& to, const fs::path& shown);
/// unlinkat of a file in `dir`. Throws Error{io}; Error{not_found} if absent.
void unlink_at(const Handle& dir, const std::string& name, const fs::path& shown);
/// Names in a folder (no "." or ".."), in directory order; with `keep`, only
/// the names it accepts (the others are never held: a P1 of 200,000 names
/// searched for its few lock files).
std::vector<std::string> list_dir(const Handle& dir, const fs::path& shown,
                                  const std::function<bool(std::string_view)>& keep = {});
/// An entry of a folder listing and its type, never following a link.
struct DirEntry {
    std::string name;
    EntryType type = EntryType::missing;
};
/// list_dir() with each entry's type: the type the listing itself carries
/// (Linux: d_type, no system call per entry), else stat_at(). Missing if
/// it went while being listed. Throws like list_dir.
std::vector<DirEntry> list_dir_typed(const Handle& dir, const fs::path& shown);

// Locks. OFD locks (F_OFD_SETLK) belong to the open file description, so two
// handles in one process conflict like two processes do, and a lock vanishes
// when the process dies.

/// Tries to take an exclusive OFD write lock on the whole file; false if
/// another open file description holds a conflicting lock.
bool try_lock_exclusive(const Handle& file, const fs::path& shown);
/// Describes a lock another holder has on the file, or nullopt if it is not
/// locked: a POSIX or OFD byte-range lock ("write lock on bytes 0+(to end)
/// held by pid 42") or a flock() lock, shared or exclusive ("shared flock()
/// lock held by pid 42"; the holder from /proc/locks where it lists one).
/// `file` must be an open file description of its own (not one that may
/// hold a flock itself). Probes with F_OFD_GETLK, then a non-blocking
/// exclusive flock() released at once: it takes no lock that outlives the
/// call. Throws Error{io} if the file cannot be probed.
std::optional<std::string> probe_lock(const Handle& file, const fs::path& shown);
/// probe_lock() of a handle the caller has no further use for: it is closed
/// (on Linux the close drops the probing flock, one system call fewer).
std::optional<std::string> probe_lock_and_close(Handle file, const fs::path& shown);

/// Windows: the reason another program forbids changing `name` in `dir` now,
/// which --force cannot override: it has the file open and does not share
/// delete access (an open for DELETE fails with a sharing violation: the file
/// can be neither deleted nor replaced), or holds an exclusive byte-range
/// lock in it (mandatory on Windows: no snapshot could read it); nullopt when
/// it may be changed or is gone.
/// POSIX: always nullopt (locks there are advisory). Opens nothing else,
/// follows no link; throws Error{io} only for an unexpected failure.
std::optional<std::string> change_denied_at(const Handle& dir, const std::string& name,
                                            const fs::path& shown);

/// access(R_OK) of `name` in `dir` for the effective user, no final link
/// followed (faccessat): true if this process may read it. Never throws; a
/// missing file is not readable. No stat is made.
bool can_read_at(const Handle& dir, const std::string& name) noexcept;
/// True if `uid` names a user of this system (getpwuid). Never throws.
bool user_exists(std::uint32_t uid) noexcept;

/// A lock the system lists (Linux: /proc/locks): POSIX, OFD or flock(),
/// on the file whose device and inode are given.
struct HeldLock {
    std::uint64_t device = 0;  // as FileInfo::device
    std::uint64_t inode = 0;
    std::string what;  // "write lock held by pid 42", "shared flock() lock held by pid 7"
};
/// Every lock the system lists, read once (one pass over /proc/locks), so a
/// caller can tell for many files which are locked without opening them.
/// nullopt where the system has no such list or it cannot be read. Blocked
/// waiters are left out. Never throws.
std::optional<std::vector<HeldLock>> list_held_locks();

/// True if a process with this id exists (kill(pid, 0)).
bool pid_alive(long pid) noexcept;
long current_pid() noexcept;
/// True if this process may give files any owner (root: effective uid 0).
bool may_set_any_owner() noexcept;
std::string host_name();
/// Bytes available to an unprivileged user on the file system holding `path`.
std::uint64_t free_space(const fs::path& path);
/// Hands the heap's free pages back to the system (glibc malloc_trim), so
/// that many small blocks freed at once (a listing of 100,000 names) stop
/// counting toward the process's resident size; where the C library has no
/// such call, nothing. Never throws.
void release_free_memory() noexcept;

}  // namespace mspo::platform
