#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#if defined(__GLIBC__)
#include <malloc.h>
#include <pwd.h>
#endif
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/os.hpp"
#include "mspo/base/platform.hpp"

#include "mspo/base/time.hpp"

namespace mspo::platform {

namespace {

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

std::int64_t to_ns(const struct timespec& ts) {
    return static_cast<std::int64_t>(ts.tv_sec) * kNsPerSecond + ts.tv_nsec;
}

int open_regular(const fs::path& path, struct stat& st) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT) throw Error(Errc::not_found, "file not found", path);
        if (e == ELOOP) throw Error(Errc::unsafe_path, "is a symbolic link; not followed", path);
        throw_errno("cannot open", path, e);
    }
    if (::fstat(fd, &st) != 0) {
        int e = errno;
        ::close(fd);
        throw_errno("cannot stat", path, e);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(Errc::unsafe_path, "not a regular file", path);
    }
    return fd;
}

void read_exact(int fd, const fs::path& path, std::uint64_t offset, Bytes& out) {
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR && !interrupted()) continue;  // a stop request ends the call
            throw_errno("read failed", path, errno);
        }
        if (n == 0) throw Error(Errc::truncated, "file ended early", path, offset + done);
        done += static_cast<std::size_t>(n);
    }
}

FileInfo info_from(const struct stat& st) {
    FileInfo info;
    if (S_ISREG(st.st_mode))
        info.type = EntryType::regular;
    else if (S_ISDIR(st.st_mode))
        info.type = EntryType::directory;
    else if (S_ISLNK(st.st_mode))
        info.type = EntryType::symlink;
    else
        info.type = EntryType::other;
    info.size = static_cast<std::uint64_t>(st.st_size);
    info.mtime_ns = to_ns(st.st_mtim);
    info.mode = static_cast<std::uint32_t>(st.st_mode & 07777);
    info.uid = static_cast<std::uint32_t>(st.st_uid);
    info.gid = static_cast<std::uint32_t>(st.st_gid);
    info.device = static_cast<std::uint64_t>(st.st_dev);
    info.inode = static_cast<std::uint64_t>(st.st_ino);
    return info;
}

}  // namespace

FileInfo stat_nofollow(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return {};
        throw_errno("cannot stat", path, errno);
    }
    return info_from(st);
}

Bytes read_file(const fs::path& path, std::uint64_t max_bytes) {
    struct stat st {};
    Fd fd(open_regular(path, st));
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_bytes)
        throw Error(Errc::size_rule,
                    "file is " + std::to_string(size) + " bytes, over the " + std::to_string(max_bytes) +
                        "-byte limit for its kind",
                    path);
    Bytes out(static_cast<std::size_t>(size));
    read_exact(fd.get(), path, 0, out);
    return out;
}

Bytes read_range(const fs::path& path, std::uint64_t offset, std::uint64_t length) {
    struct stat st {};
    Fd fd(open_regular(path, st));
    Bytes out(static_cast<std::size_t>(length));
    read_exact(fd.get(), path, offset, out);
    return out;
}

// ---------------------------------------------------------------------------
// Handles and the calls of the safety layer.

namespace {

timespec from_ns(std::int64_t ns) {
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(ns / kNsPerSecond);
    ts.tv_nsec = static_cast<long>(ns % kNsPerSecond);
    if (ts.tv_nsec < 0) {
        ts.tv_nsec += kNsPerSecond;
        ts.tv_sec -= 1;
    }
    return ts;
}

[[noreturn]] void throw_open_error(const fs::path& shown, int e) {
    if (e == ENOENT) throw Error(Errc::not_found, "not found", shown);
    if (e == ELOOP) throw Error(Errc::unsafe_path, "is a symbolic link; not followed", shown);
    if (e == ENOTDIR) throw Error(Errc::unsafe_path, "not a folder", shown);
    throw_errno("cannot open", shown, e);
}

Handle checked_regular(int fd, const fs::path& shown, FileInfo* info = nullptr) {
    Handle h(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw_errno("cannot stat", shown, errno);
    if (!S_ISREG(st.st_mode)) throw Error(Errc::unsafe_path, "not a regular file", shown);
    if (info != nullptr) *info = info_from(st);
    return h;
}

}  // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.release();
    }
    return *this;
}

Handle::~Handle() {
    if (fd_ >= 0) ::close(fd_);
}

NativeHandle Handle::release() noexcept {
    int fd = fd_;
    fd_ = -1;
    return fd;
}

void Handle::close(const fs::path& what) {
    int fd = release();
    if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) throw_errno("close failed", what, errno);
}

Handle open_dir(const fs::path& path, bool follow_links) {
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (follow_links ? 0 : O_NOFOLLOW);
    int fd = ::open(path.c_str(), flags);
    if (fd < 0) throw_open_error(path, errno);
    return Handle(fd);
}

Handle open_dir_at(const Handle& dir, const std::string& name, const fs::path& shown) {
    int fd = ::openat(dir.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) throw_open_error(shown, errno);
    return Handle(fd);
}

void make_dirs(const fs::path& path) {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec) throw Error(Errc::io, "cannot create folder (" + ec.message() + ")", path);
}

void make_dir_at(const Handle& dir, const std::string& name, unsigned mode, const fs::path& shown) {
    if (::mkdirat(dir.get(), name.c_str(), static_cast<mode_t>(mode)) == 0) return;
    if (errno == EEXIST) throw Error(Errc::changed, "already exists", shown);
    throw_errno("cannot create folder", shown, errno);
}

void make_fifo(const fs::path& path) {
    if (::mkfifo(path.c_str(), 0644) != 0) throw_errno("cannot create FIFO", path, errno);
}

FileInfo stat_at(const Handle& dir, const std::string& name, const fs::path& shown) {
    struct stat st {};
    if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return {};
        throw_errno("cannot stat", shown, errno);
    }
    return info_from(st);
}

FileInfo stat_handle(const Handle& file, const fs::path& shown) {
    struct stat st {};
    if (::fstat(file.get(), &st) != 0) throw_errno("cannot stat", shown, errno);
    return info_from(st);
}

bool same_inode(const Handle& file, const fs::path& path) {
    struct stat a {
    }, b{};
    if (::fstat(file.get(), &a) != 0) throw_errno("cannot stat", path, errno);
    if (::lstat(path.c_str(), &b) != 0) {
        if (errno == ENOENT) return false;
        throw_errno("cannot stat", path, errno);
    }
    return a.st_nlink > 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

Handle open_read_at(const Handle& dir, const std::string& name, const fs::path& shown) {
    int fd = ::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw_open_error(shown, errno);
    return checked_regular(fd, shown);
}

Handle open_read_at(const Handle& dir, const std::string& name, const fs::path& shown, FileInfo& info) {
    int fd = ::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw_open_error(shown, errno);
    return checked_regular(fd, shown, &info);
}

FileHead read_head_at(const Handle& dir, const std::string& name, std::size_t max, const fs::path& shown) {
    int fd = ::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw_open_error(shown, errno);
    const Handle h(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw_errno("cannot stat", shown, errno);
    if (!S_ISREG(st.st_mode)) throw Error(Errc::unsafe_path, "not a regular file", shown);
    FileHead head{info_from(st), {}};
    head.bytes.resize(static_cast<std::size_t>(std::min<std::uint64_t>(max, head.info.size)));
    read_exact(fd, shown, 0, head.bytes);
    return head;
}

std::size_t read_start_at(const Handle& dir, const std::string& name, std::uint8_t* out, std::size_t max,
                          const fs::path& dir_shown) {
    int fd = ::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw_open_error(dir_shown / name, errno);
    const Fd guard(fd);
    std::size_t done = 0;
    while (done < max) {
        const ssize_t n = ::pread(fd, out + done, max - done, static_cast<off_t>(done));
        if (n < 0) {
            const int e = errno;
            if (e == EINTR && !interrupted()) continue;
            if (e == EISDIR || e == ESPIPE || e == EINVAL)  // a folder, a FIFO or socket, a device
                throw Error(Errc::unsafe_path, "not a regular file", dir_shown / name);
            throw_errno("read failed", dir_shown / name, e);
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

Handle open_read(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw_open_error(path, errno);
    return checked_regular(fd, path);
}

Handle create_exclusive_at(const Handle& dir, const std::string& name, unsigned mode, const fs::path& shown) {
    int fd = ::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      static_cast<mode_t>(mode));
    if (fd < 0) {
        if (errno == EEXIST) throw Error(Errc::changed, "already exists", shown);
        throw_open_error(shown, errno);
    }
    return Handle(fd);
}

Handle open_rw_create(const fs::path& path, unsigned mode) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, static_cast<mode_t>(mode));
    if (fd < 0) throw_open_error(path, errno);
    return checked_regular(fd, path);
}

namespace {

const char* kind_of(mode_t mode) {
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

[[noreturn]] void refuse_not_regular(const fs::path& path, mode_t mode) {
    throw Error(Errc::unsafe_path, std::string("not a regular file (it is ") + kind_of(mode) + ")", path);
}

}  // namespace

Handle open_append_regular(const fs::path& path) {
    struct stat st {};
    // Look first, so a FIFO or a device is never opened (opening either can
    // block or have side effects); the fstat below closes the race.
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) refuse_not_regular(path, st.st_mode);
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0666);
    if (fd < 0) {
        if (errno == ENXIO) refuse_not_regular(path, S_IFIFO);  // a FIFO with no reader, created since
        throw_errno("cannot open for appending", path, errno);
    }
    Handle h(fd);
    if (::fstat(fd, &st) != 0) throw_errno("cannot stat", path, errno);
    if (!S_ISREG(st.st_mode)) refuse_not_regular(path, st.st_mode);
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) throw_errno("cannot open", path, errno);
    return h;
}

void write_all(const Handle& file, ByteSpan data, const fs::path& shown) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(file.get(), data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR && !interrupted()) continue;  // a stop request ends the call
            throw_errno("write failed", shown, errno);
        }
        done += static_cast<std::size_t>(n);
    }
}

std::size_t read_some(const Handle& file, std::uint8_t* out, std::size_t max, const fs::path& shown) {
    for (;;) {
        ssize_t n = ::read(file.get(), out, max);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR || interrupted()) throw_errno("read failed", shown, errno);
    }
}

void truncate(const Handle& file, std::uint64_t size, const fs::path& shown) {
    if (::ftruncate(file.get(), static_cast<off_t>(size)) != 0) throw_errno("truncate failed", shown, errno);
}

void sync_filesystem(const Handle& any, const fs::path& shown) {
    if (::syncfs(any.get()) != 0) throw_errno("syncfs failed", shown, errno);
}

void fsync_handle(const Handle& handle, const fs::path& shown) {
    while (::fsync(handle.get()) != 0) {
        if (errno == EINTR && !interrupted()) continue;  // a stop request ends the call
        // Some file systems cannot fsync a folder handle; that is not a data-loss error.
        if (errno == EINVAL || errno == EROFS) return;
        throw_errno("fsync failed", shown, errno);
    }
}

void copy_owner_mode(const Handle& file, const FileInfo& like, const fs::path& shown) {
    if (::fchown(file.get(), static_cast<uid_t>(like.uid), static_cast<gid_t>(like.gid)) != 0 &&
        errno != EPERM)
        throw_errno("cannot set the owner", shown, errno);
    if (::fchmod(file.get(), static_cast<mode_t>(like.mode)) != 0)
        throw_errno("cannot set the permissions", shown, errno);
}

void set_mtime(const Handle& file, std::int64_t mtime_ns, const fs::path& shown) {
    timespec ts[2] = {from_ns(mtime_ns), from_ns(mtime_ns)};
    if (::futimens(file.get(), ts) != 0) throw_errno("cannot set the modification time", shown, errno);
}

void set_mtime_at(const Handle& dir, const std::string& name, std::int64_t mtime_ns, const fs::path& shown) {
    timespec ts[2] = {from_ns(mtime_ns), from_ns(mtime_ns)};
    if (::utimensat(dir.get(), name.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0)
        throw_errno("cannot set the modification time", shown, errno);
}

void rename_at(const Handle& dir, const std::string& from, const std::string& to, const fs::path& shown) {
    if (::renameat(dir.get(), from.c_str(), dir.get(), to.c_str()) != 0)
        throw_errno("rename failed", shown, errno);
}

void unlink_at(const Handle& dir, const std::string& name, const fs::path& shown) {
    if (::unlinkat(dir.get(), name.c_str(), 0) != 0) {
        if (errno == ENOENT) throw Error(Errc::not_found, "not found", shown);
        throw_errno("delete failed", shown, errno);
    }
}

namespace {

/// Calls `each(entry)` for every entry of `dir` but "." and "..", in
/// readdir's order, from the start of the folder (the handle itself is not
/// moved: the listing reads through a duplicate).
template <class Each>
void each_entry(const Handle& dir, const fs::path& shown, Each&& each) {
    int fd = ::dup(dir.get());
    if (fd < 0) throw_errno("cannot list folder", shown, errno);
    DIR* d = ::fdopendir(fd);
    if (d == nullptr) {
        int e = errno;
        ::close(fd);
        throw_errno("cannot list folder", shown, e);
    }
    const std::unique_ptr<DIR, int (*)(DIR*)> closer(d, ::closedir);
    ::rewinddir(d);
    errno = 0;
    while (const dirent* e = ::readdir(d)) {
        const char* n = e->d_name;
        if (!(n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0)))) each(*e);
        errno = 0;  // readdir() tells the end from an error only by errno
    }
    if (errno != 0) throw_errno("cannot list folder", shown, errno);
}

}  // namespace

std::vector<std::string> list_dir(const Handle& dir, const fs::path& shown,
                                  const std::function<bool(std::string_view)>& keep) {
    std::vector<std::string> names;
    each_entry(dir, shown, [&](const dirent& e) {
        if (!keep || keep(e.d_name)) names.emplace_back(e.d_name);
    });
    return names;
}

std::vector<DirEntry> list_dir_typed(const Handle& dir, const fs::path& shown) {
    std::vector<DirEntry> entries;
    each_entry(dir, shown, [&](const dirent& e) {
        DirEntry entry{e.d_name, EntryType::missing};
        switch (e.d_type) {
            case DT_REG:
                entry.type = EntryType::regular;
                break;
            case DT_DIR:
                entry.type = EntryType::directory;
                break;
            case DT_LNK:
                entry.type = EntryType::symlink;
                break;
            case DT_UNKNOWN:  // some file systems leave the type out: ask
                entry.type = stat_at(dir, entry.name, shown / entry.name).type;
                break;
            default:
                entry.type = EntryType::other;
                break;
        }
        entries.push_back(std::move(entry));
    });
    return entries;
}

bool try_lock_exclusive(const Handle& file, const fs::path& shown) {
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (::fcntl(file.get(), F_OFD_SETLK, &fl) == 0) return true;
    if (errno == EAGAIN || errno == EACCES) return false;
    throw_errno("cannot lock", shown, errno);
}

namespace {

// The flock() locks /proc/locks lists for the file `st` describes, as
// "shared flock() lock held by pid 42"; nullopt if it lists none or cannot
// be read. A line: "1: FLOCK  ADVISORY  READ 42 fe:00:10960679 0 EOF"
// (blocked waiters have "->" after the number and are skipped).
std::optional<std::string> flock_from_proc_locks(const struct stat& st) {
    std::ifstream in("/proc/locks");
    if (!in) return std::nullopt;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string id, type, mode, access, pid, where;
        if (!(fields >> id >> type) || type != "FLOCK") continue;
        if (!(fields >> mode >> access >> pid >> where)) continue;
        unsigned maj = 0, min = 0;
        unsigned long long ino = 0;
        if (std::sscanf(where.c_str(), "%x:%x:%llu", &maj, &min, &ino) != 3) continue;
        if (ino != static_cast<unsigned long long>(st.st_ino) || maj != major(st.st_dev) ||
            min != minor(st.st_dev))
            continue;
        std::string what = access == "READ" ? "shared flock() lock" : "exclusive flock() lock";
        if (!pid.empty() && pid != "-1") what += " held by pid " + pid;
        return what;
    }
    return std::nullopt;
}

}  // namespace

namespace {

// probe_lock(); `unlock` false when the caller closes the handle at once,
// which drops the probing flock without a call of its own.
std::optional<std::string> probe_lock_fd(const Handle& file, const fs::path& shown, bool unlock) {
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (::fcntl(file.get(), F_OFD_GETLK, &fl) != 0) throw_errno("cannot probe lock", shown, errno);
    if (fl.l_type != F_UNLCK) {
        std::string what = fl.l_type == F_RDLCK ? "read lock" : "write lock";
        what += " on bytes " + std::to_string(fl.l_start) + "+" +
                (fl.l_len == 0 ? std::string("(to end)") : std::to_string(fl.l_len));
        if (fl.l_pid > 0) what += " held by pid " + std::to_string(fl.l_pid);
        return what;
    }
    // BSD flock() locks (Samba share modes, some emulators) do not show in
    // F_OFD_GETLK. `file` is an open file description of its own, so an
    // exclusive non-blocking flock on it conflicts with any flock another
    // holder has, shared or exclusive; it is dropped at once.
    if (::flock(file.get(), LOCK_EX | LOCK_NB) == 0) {
        if (unlock) ::flock(file.get(), LOCK_UN);
        return std::nullopt;
    }
    const int e = errno;
    struct stat st {};
    if (::fstat(file.get(), &st) != 0) throw_errno("cannot probe lock", shown, errno);
    if (e == EWOULDBLOCK) {
        if (auto who = flock_from_proc_locks(st)) return who;
        return std::string("flock() lock");
    }
    // flock() is not supported here (some network file systems): /proc/locks
    // is the remaining witness.
    if (auto who = flock_from_proc_locks(st)) return who;
    throw_errno("cannot probe lock", shown, e);
}

}  // namespace

std::optional<std::string> probe_lock(const Handle& file, const fs::path& shown) {
    return probe_lock_fd(file, shown, true);
}

std::optional<std::string> probe_lock_and_close(Handle file, const fs::path& shown) {
    auto held = probe_lock_fd(file, shown, false);
    file.close(shown);  // releases the flock the probe took, if it took one
    return held;
}

std::optional<std::string> change_denied_at(const Handle& /*dir*/, const std::string& /*name*/,
                                            const fs::path& /*shown*/) {
    return std::nullopt;
}

bool can_read_at(const Handle& dir, const std::string& name) noexcept {
    return ::faccessat(dir.get(), name.c_str(), R_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW) == 0;
}

bool user_exists(std::uint32_t uid) noexcept {
    struct passwd pw {};
    struct passwd* found = nullptr;
    char buf[4096];
    return ::getpwuid_r(static_cast<uid_t>(uid), &pw, buf, sizeof buf, &found) == 0 && found != nullptr;
}

std::optional<std::vector<HeldLock>> list_held_locks() {
    // A line: "1: POSIX  ADVISORY  WRITE 42 fe:00:10960679 0 EOF",
    // "2: OFDLCK ADVISORY  READ  -1 fe:00:10960679 0 EOF",
    // "3: FLOCK  ADVISORY  WRITE 7 08:01:1234 0 EOF"; waiters: "1: -> POSIX ...".
    try {
        std::ifstream in("/proc/locks");
        if (!in) return std::nullopt;
        std::vector<HeldLock> out;
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string id, type, mode, access, pid, where;
            if (!(fields >> id >> type) || type == "->") continue;
            if (!(fields >> mode >> access >> pid >> where)) continue;
            unsigned maj = 0, min = 0;
            unsigned long long ino = 0;
            if (std::sscanf(where.c_str(), "%x:%x:%llu", &maj, &min, &ino) != 3) continue;
            HeldLock lock;
            lock.device = static_cast<std::uint64_t>(makedev(maj, min));
            lock.inode = ino;
            const bool shared = access == "READ";
            if (type == "FLOCK")
                lock.what = shared ? "shared flock() lock" : "exclusive flock() lock";
            else
                lock.what = shared ? "read lock" : "write lock";
            if (!pid.empty() && pid != "-1") lock.what += " held by pid " + pid;
            out.push_back(std::move(lock));
        }
        return out;
    } catch (...) { return std::nullopt; }
}

bool pid_alive(long pid) noexcept {
    if (pid <= 0 || pid > INT_MAX) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

long current_pid() noexcept { return static_cast<long>(::getpid()); }

bool may_set_any_owner() noexcept { return ::geteuid() == 0; }

void release_free_memory() noexcept {
#if defined(__GLIBC__)
    ::malloc_trim(0);
#endif
}

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
    return buf;
}

std::uint64_t free_space(const fs::path& path) {
    struct statvfs sv {};
    if (::statvfs(path.c_str(), &sv) != 0) throw_errno("cannot query free space", path, errno);
    return static_cast<std::uint64_t>(sv.f_bavail) * static_cast<std::uint64_t>(sv.f_frsize);
}

}  // namespace mspo::platform

namespace mspo::os {

namespace {
extern "C" void on_stop_signal(int /*signo*/) { mspo::request_interrupt(); }
}  // namespace

bool stderr_is_terminal() noexcept { return ::isatty(STDERR_FILENO) != 0; }

void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    // No SA_RESTART: a blocked call returns EINTR, so the first signal ends
    // the run. SA_RESETHAND: a second signal ends the process at once.
    sa.sa_flags = static_cast<int>(SA_RESETHAND);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

std::vector<std::string> command_line(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return args;
}

std::filesystem::path path_from_text(const std::string& text) { return std::filesystem::path(text); }

std::filesystem::path join(const std::filesystem::path& dir, std::string_view name) {
    return dir / std::filesystem::path(name);
}

std::string path_text(const std::filesystem::path& path) { return path.string(); }

std::string absolute_text(const std::filesystem::path& path) {
    std::error_code ec;
    const auto abs = std::filesystem::absolute(path, ec);
    if (ec) throw Error(Errc::io, "cannot tell the absolute path (" + ec.message() + ")", path);
    return abs.string();
}

}  // namespace mspo::os
