#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mspo/error.hpp"
#include "mspo/platform.hpp"

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
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
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
        ssize_t n = ::pread(fd, out.data() + done, out.size() - done,
                            static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno("read failed", path, errno);
        }
        if (n == 0) throw Error(Errc::truncated, "file ended early", path, offset + done);
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

FileInfo stat_nofollow(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return {};
        throw_errno("cannot stat", path, errno);
    }
    FileInfo info;
    if (S_ISREG(st.st_mode)) info.type = EntryType::regular;
    else if (S_ISDIR(st.st_mode)) info.type = EntryType::directory;
    else if (S_ISLNK(st.st_mode)) info.type = EntryType::symlink;
    else info.type = EntryType::other;
    info.size = static_cast<std::uint64_t>(st.st_size);
    info.mtime_ns = to_ns(st.st_mtim);
    return info;
}

Bytes read_file(const fs::path& path, std::uint64_t max_bytes) {
    struct stat st {};
    Fd fd(open_regular(path, st));
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_bytes)
        throw Error(Errc::size_rule,
                    "file is " + std::to_string(size) + " bytes, over the " +
                        std::to_string(max_bytes) + "-byte limit for its kind",
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

}  // namespace mspo::platform
