/* An LD_PRELOAD shim for the reliability tests (tests/reliability/faults/CMakeLists.txt).
 *
 * It counts the "change points" of the process it is loaded into: every call
 * that can change a file system (write, create, rename, unlink, mkdir, sync,
 * truncate, and owner/mode/time changes) and, driven by the environment:
 *   MSPO_FAULT_LOG=FILE   appends one line per point: "N KIND PATH[ -> PATH2] flags=0%o mode=0%o"
 *   MSPO_FAULT_AT=N       acts just before point N (1-based), with
 *   MSPO_FAULT_DO=kill           SIGKILL (no unwinding, like a power cut)
 *                 fail:ERRNO     the call fails with errno ERRNO (28 ENOSPC, 5 EIO)
 *                 unlink:PATH    PATH is deleted, then the call goes ahead
 * No production code knows of it. Writes to fds 0-2 (the report) are not points. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define REAL(name) ((__typeof__(&name))real_fn(#name))

static void* real_fn(const char* name) {
    void* f = dlsym(RTLD_NEXT, name);
    if (f == NULL) abort();
    return f;
}

static unsigned long g_count;

static void fd_path(int fd, char* out, size_t size) {
    char link[64];
    if (fd == AT_FDCWD) {
        if (getcwd(out, size) == NULL) snprintf(out, size, "?");
        return;
    }
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, size - 1);
    out[n < 0 ? 0 : n] = '\0';
}

static void at_path(int dirfd, const char* name, char* out, size_t size) {
    if (name != NULL && name[0] == '/') {
        snprintf(out, size, "%s", name);
        return;
    }
    char dir[2048];
    fd_path(dirfd, dir, sizeof dir);
    snprintf(out, size, "%s/%s", dir, name == NULL ? "" : name);
}

static void log_point(unsigned long n, const char* kind, const char* path, const char* path2, int flags,
                      unsigned mode) {
    const char* file = getenv("MSPO_FAULT_LOG");
    if (file == NULL) return;
    int fd = REAL(open)(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    char line[5000];
    int len = snprintf(line, sizeof line, "%lu %s %s%s%s flags=0%o mode=0%o\n", n, kind, path,
                       path2 ? " -> " : "", path2 ? path2 : "", (unsigned)flags, mode);
    if (len > (int)sizeof line - 1) len = (int)sizeof line - 1;
    (void)!REAL(write)(fd, line, (size_t)len);
    REAL(close)(fd);
}

/* Counts one point and acts on it; returns nonzero if the call must fail (errno set). */
static int point(const char* kind, const char* path, const char* path2, int flags, unsigned mode) {
    unsigned long n = __atomic_add_fetch(&g_count, 1, __ATOMIC_SEQ_CST);
    log_point(n, kind, path, path2, flags, mode);
    const char* at = getenv("MSPO_FAULT_AT");
    const char* what = getenv("MSPO_FAULT_DO");
    if (at == NULL || what == NULL || strtoul(at, NULL, 10) != n) return 0;
    if (strcmp(what, "kill") == 0) {
        kill(getpid(), SIGKILL);
        for (;;) pause();
    }
    if (strncmp(what, "fail:", 5) == 0) {
        errno = atoi(what + 5);
        return 1;
    }
    if (strncmp(what, "unlink:", 7) == 0) REAL(unlink)(what + 7);
    return 0;
}

static int fd_point(const char* kind, int fd) {
    char path[2048];
    fd_path(fd, path, sizeof path);
    return point(kind, path, NULL, 0, 0);
}

static int at_point(const char* kind, int dirfd, const char* name, int flags, unsigned mode) {
    char path[4096];
    at_path(dirfd, name, path, sizeof path);
    return point(kind, path, NULL, flags, mode);
}

/* A write counts when it goes to a regular file other than stdin/out/err. */
static int write_point(int fd) {
    struct stat st;
    if (fd <= 2 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    return fd_point("write", fd);
}

ssize_t write(int fd, const void* buf, size_t n) { return write_point(fd) ? -1 : REAL(write)(fd, buf, n); }
ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
    return write_point(fd) ? -1 : REAL(pwrite)(fd, buf, n, off);
}
ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t off) {
    return write_point(fd) ? -1 : REAL(pwrite64)(fd, buf, n, off);
}
ssize_t writev(int fd, const struct iovec* iov, int cnt) {
    return write_point(fd) ? -1 : REAL(writev)(fd, iov, cnt);
}

static int creates(int flags) { return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE; }

#define OPEN_AT(name, dirfd_expr)                                             \
    int name(OPEN_ARGS, int flags, ...) {                                      \
        unsigned mode = 0;                                                     \
        if (creates(flags)) {                                                  \
            va_list ap;                                                        \
            va_start(ap, flags);                                               \
            mode = va_arg(ap, unsigned);                                       \
            va_end(ap);                                                        \
            if (at_point("create", dirfd_expr, path, flags, mode)) return -1; \
        }                                                                      \
        return OPEN_CALL;                                                      \
    }
#define OPEN_ARGS const char* path
#define OPEN_CALL REAL(open)(path, flags, mode)
OPEN_AT(open, AT_FDCWD)
#undef OPEN_CALL
#define OPEN_CALL REAL(open64)(path, flags, mode)
OPEN_AT(open64, AT_FDCWD)
#undef OPEN_ARGS
#undef OPEN_CALL
#define OPEN_ARGS int dirfd, const char* path
#define OPEN_CALL REAL(openat)(dirfd, path, flags, mode)
OPEN_AT(openat, dirfd)
#undef OPEN_CALL
#define OPEN_CALL REAL(openat64)(dirfd, path, flags, mode)
OPEN_AT(openat64, dirfd)

int creat(const char* path, mode_t mode) {
    if (at_point("create", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode)) return -1;
    return REAL(creat)(path, mode);
}

int rename(const char* a, const char* b) {
    return point("rename", a, b, 0, 0) ? -1 : REAL(rename)(a, b);
}
int renameat(int da, const char* a, int db, const char* b) {
    char pa[4096], pb[4096];
    at_path(da, a, pa, sizeof pa);
    at_path(db, b, pb, sizeof pb);
    return point("rename", pa, pb, 0, 0) ? -1 : REAL(renameat)(da, a, db, b);
}
int renameat2(int da, const char* a, int db, const char* b, unsigned flags) {
    char pa[4096], pb[4096];
    at_path(da, a, pa, sizeof pa);
    at_path(db, b, pb, sizeof pb);
    return point("rename", pa, pb, (int)flags, 0) ? -1 : REAL(renameat2)(da, a, db, b, flags);
}

int unlink(const char* p) { return at_point("unlink", AT_FDCWD, p, 0, 0) ? -1 : REAL(unlink)(p); }
int unlinkat(int d, const char* p, int f) { return at_point("unlink", d, p, f, 0) ? -1 : REAL(unlinkat)(d, p, f); }
int remove(const char* p) { return at_point("unlink", AT_FDCWD, p, 0, 0) ? -1 : REAL(remove)(p); }
int rmdir(const char* p) { return at_point("unlink", AT_FDCWD, p, AT_REMOVEDIR, 0) ? -1 : REAL(rmdir)(p); }

int mkdir(const char* p, mode_t m) { return at_point("mkdir", AT_FDCWD, p, 0, m) ? -1 : REAL(mkdir)(p, m); }
int mkdirat(int d, const char* p, mode_t m) { return at_point("mkdir", d, p, 0, m) ? -1 : REAL(mkdirat)(d, p, m); }

int fsync(int fd) { return fd_point("sync", fd) ? -1 : REAL(fsync)(fd); }
int fdatasync(int fd) { return fd_point("sync", fd) ? -1 : REAL(fdatasync)(fd); }
int syncfs(int fd) { return fd_point("sync", fd) ? -1 : REAL(syncfs)(fd); }

int ftruncate(int fd, off_t len) { return fd_point("truncate", fd) ? -1 : REAL(ftruncate)(fd, len); }
int ftruncate64(int fd, off64_t len) { return fd_point("truncate", fd) ? -1 : REAL(ftruncate64)(fd, len); }
int truncate(const char* p, off_t len) {
    return at_point("truncate", AT_FDCWD, p, 0, 0) ? -1 : REAL(truncate)(p, len);
}

int fchmod(int fd, mode_t m) {
    char path[2048];
    fd_path(fd, path, sizeof path);
    return point("chmod", path, NULL, 0, m) ? -1 : REAL(fchmod)(fd, m);
}
int fchown(int fd, uid_t u, gid_t g) { return fd_point("chown", fd) ? -1 : REAL(fchown)(fd, u, g); }
int futimens(int fd, const struct timespec t[2]) { return fd_point("utime", fd) ? -1 : REAL(futimens)(fd, t); }
int utimensat(int d, const char* p, const struct timespec t[2], int f) {
    return at_point("utime", d, p, f, 0) ? -1 : REAL(utimensat)(d, p, t, f);
}
