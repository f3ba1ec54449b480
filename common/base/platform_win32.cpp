// The platform interface on Windows (Win32 API; built with mingw-w64).
// docs/ARCHITECTURE.md, "Windows", says what differs from POSIX and why:
//   - names are the UTF-8 bytes of the wide name, as the command line's
//     arguments are (os::command_line), so every name the toolkit builds or
//     lists converts the same way both ways, and reads as on Linux;
//   - every "at" call names its file as the folder handle's final path
//     (GetFinalPathNameByHandleW, always in \\?\ form, so long paths work)
//     plus the name;
//   - a reparse point (symbolic link, junction, mount point) is a link: it is
//     never followed (FILE_FLAG_OPEN_REPARSE_POINT) and is refused as POSIX
//     refuses a symbolic link;
//   - locks are LockFileEx locks on one byte far past the end of a lock file,
//     so its text stays readable; a probe also reports a share-mode conflict
//     (a file another program opened without sharing) as a lock.
#include <windows.h>

#include <io.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <stdexcept>

#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/os.hpp"
#include "mspo/base/platform.hpp"

#include "mspo/base/time.hpp"

namespace mspo::platform {

namespace {

// 100-ns intervals between 1601-01-01 (FILETIME) and 1970-01-01.
constexpr std::int64_t kFiletimeUnixEpoch = 116444736000000000LL;
// The byte a toolkit lock covers: far past the end of any lock file, so the
// lock never stops another program reading the file's text (Windows byte
// range locks are mandatory for the range they cover).
constexpr DWORD kLockOffsetHigh = 0x40000000;
// A handle value with this bit set was created for writing by
// create_exclusive_at; close() flushes it first (see sync_filesystem).
constexpr NativeHandle kFlushOnClose = 1;

HANDLE raw(NativeHandle h) { return reinterpret_cast<HANDLE>(h & ~kFlushOnClose); }
HANDLE raw(const Handle& h) { return raw(h.get()); }
NativeHandle native(HANDLE h) { return reinterpret_cast<NativeHandle>(h); }

// The strerror() text POSIX would give for the common cases, so that
// messages read the same on both systems; otherwise the system's text.
std::string win_text(DWORD err) {
    switch (err) {
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND:
            return "No such file or directory";
        case ERROR_ACCESS_DENIED:
            return "Permission denied";
        case ERROR_FILE_EXISTS:
        case ERROR_ALREADY_EXISTS:
            return "File exists";
        case ERROR_DIRECTORY:
            return "Not a directory";
        case ERROR_DISK_FULL:
        case ERROR_HANDLE_DISK_FULL:
            return "No space left on device";
        case ERROR_SHARING_VIOLATION:
            return "in use by another program: sharing violation";
        case ERROR_LOCK_VIOLATION:
            return "locked by another program: lock violation";
        case ERROR_DIR_NOT_EMPTY:
            return "Directory not empty";
        case ERROR_NOT_SAME_DEVICE:
            return "Invalid cross-device link";
        case ERROR_CANT_RESOLVE_FILENAME:
            return "Too many levels of symbolic links";
        default:
            break;
    }
    char buf[512] = {};
    DWORD n = ::FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, err, 0,
                               buf, sizeof buf, nullptr);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == '.' || buf[n - 1] == ' ')) --n;
    if (n == 0) return "Windows error " + std::to_string(err);
    return std::string(buf, n) + " (Windows error " + std::to_string(err) + ")";
}

bool is_missing(DWORD err) {
    return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND || err == ERROR_INVALID_NAME ||
           err == ERROR_BAD_NETPATH || err == ERROR_BAD_NET_NAME;
}

[[noreturn]] void throw_win(const std::string& what, const fs::path& shown, DWORD err) {
    if (err == ERROR_OPERATION_ABORTED && interrupted())
        throw Error(Errc::interrupted, "interrupted by a signal (" + what + ")", shown);
    throw Error(Errc::io, what + " (" + win_text(err) + ")", shown);
}

[[noreturn]] void throw_open_error(const fs::path& shown, DWORD err) {
    if (is_missing(err)) throw Error(Errc::not_found, "not found", shown);
    if (err == ERROR_SHARING_VIOLATION)
        throw Error(Errc::in_use, "cannot open: open in another program that denies sharing it (share mode)",
                    shown);
    if (err == ERROR_DIRECTORY) throw Error(Errc::unsafe_path, "not a folder", shown);
    throw_win("cannot open", shown, err);
}

// A name (bytes, UTF-8) as a wide string. Bytes that are not UTF-8 become
// U+FFFD: such a name names no file, and opening it says "not found".
// (Not fs::path(name): libstdc++ on Windows reads a narrow string byte by
// byte in the C runtime's "C" locale, while path::string() writes UTF-8, so
// a listed name would not come back.)
std::wstring widen(const std::string& name) {
    if (name.empty()) return {};
    const int n = ::MultiByteToWideChar(CP_UTF8, 0, name.data(), static_cast<int>(name.size()), nullptr, 0);
    std::wstring out(static_cast<std::size_t>(n > 0 ? n : 0), L'\0');
    if (n > 0) ::MultiByteToWideChar(CP_UTF8, 0, name.data(), static_cast<int>(name.size()), out.data(), n);
    return out;
}

// A wide name as bytes, in UTF-8 (as path::string() gives it); a name that is
// not valid UTF-16 (an unpaired surrogate) gets U+FFFD where it is not, and
// then names no file (opening it says "not found").
std::string narrow(const std::wstring& name) {
    if (name.empty()) return {};
    const int n = ::WideCharToMultiByte(CP_UTF8, 0, name.data(), static_cast<int>(name.size()), nullptr, 0,
                                        nullptr, nullptr);
    std::string out(static_cast<std::size_t>(n > 0 ? n : 0), '?');
    if (n > 0)
        ::WideCharToMultiByte(CP_UTF8, 0, name.data(), static_cast<int>(name.size()), out.data(), n, nullptr,
                              nullptr);
    return out;
}

// The path handed to the Win32 calls: as typed, except that a long one
// (near MAX_PATH) is made absolute and given the \\?\ (or \\?\UNC\) prefix
// that lifts the limit.
std::wstring win_path(const fs::path& path) {
    std::wstring w = path.wstring();
    if (w.size() < 240 || w.rfind(L"\\\\?\\", 0) == 0) return w;
    DWORD n = ::GetFullPathNameW(w.c_str(), 0, nullptr, nullptr);
    if (n == 0) return w;
    std::wstring full(n, L'\0');
    n = ::GetFullPathNameW(w.c_str(), n, full.data(), nullptr);
    full.resize(n);
    if (full.rfind(L"\\\\", 0) == 0) return L"\\\\?\\UNC\\" + full.substr(2);
    return L"\\\\?\\" + full;
}

// The final path of an open folder, in \\?\ form.
std::wstring handle_path(const Handle& dir, const fs::path& shown) {
    std::wstring buf(MAX_PATH, L'\0');
    for (;;) {
        DWORD n = ::GetFinalPathNameByHandleW(raw(dir), buf.data(), static_cast<DWORD>(buf.size()),
                                              FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
        if (n == 0) throw_win("cannot tell the path of the open folder", shown, ::GetLastError());
        if (n < buf.size()) {
            buf.resize(n);
            break;
        }
        buf.resize(n + 1);
    }
    if (buf.rfind(L"\\\\?\\", 0) != 0) {
        if (buf.rfind(L"\\\\", 0) == 0)
            buf = L"\\\\?\\UNC\\" + buf.substr(2);
        else
            buf = L"\\\\?\\" + buf;
    }
    if (!buf.empty() && buf.back() != L'\\') buf += L'\\';
    return buf;
}

std::wstring child_path(const Handle& dir, const std::string& name, const fs::path& shown) {
    return handle_path(dir, shown) + widen(name);
}

std::int64_t ns_from_filetime(const FILETIME& ft) {
    const std::int64_t t =
        static_cast<std::int64_t>((static_cast<std::uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime);
    return (t - kFiletimeUnixEpoch) * 100;
}

FILETIME filetime_from_ns(std::int64_t ns) {
    std::int64_t t = ns / 100;
    if (ns % 100 < 0) --t;
    t += kFiletimeUnixEpoch;
    FILETIME ft{};
    ft.dwLowDateTime = static_cast<DWORD>(static_cast<std::uint64_t>(t) & 0xffffffffu);
    ft.dwHighDateTime = static_cast<DWORD>(static_cast<std::uint64_t>(t) >> 32);
    return ft;
}

FileInfo info_from(const BY_HANDLE_FILE_INFORMATION& bh, DWORD file_type) {
    FileInfo info;
    const DWORD a = bh.dwFileAttributes;
    if ((a & FILE_ATTRIBUTE_REPARSE_POINT) != 0)
        info.type = EntryType::symlink;
    else if ((a & FILE_ATTRIBUTE_DIRECTORY) != 0)
        info.type = EntryType::directory;
    else if (file_type == FILE_TYPE_DISK)
        info.type = EntryType::regular;
    else
        info.type = EntryType::other;
    info.size = (static_cast<std::uint64_t>(bh.nFileSizeHigh) << 32) | bh.nFileSizeLow;
    info.mtime_ns = ns_from_filetime(bh.ftLastWriteTime);
    // Windows has no permission bits: read-only is the one we can show.
    const bool read_only = (a & FILE_ATTRIBUTE_READONLY) != 0;
    info.mode = info.type == EntryType::directory ? 0755u : (read_only ? 0444u : 0644u);
    info.uid = 0;
    info.gid = 0;
    info.device = bh.dwVolumeSerialNumber;
    info.inode = (static_cast<std::uint64_t>(bh.nFileIndexHigh) << 32) | bh.nFileIndexLow;
    return info;
}

FileInfo info_of(HANDLE h, const fs::path& shown) {
    BY_HANDLE_FILE_INFORMATION bh{};
    if (!::GetFileInformationByHandle(h, &bh)) throw_win("cannot stat", shown, ::GetLastError());
    return info_from(bh, ::GetFileType(h));
}

constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
constexpr DWORD kNoFollow = FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS;

HANDLE open_raw(const std::wstring& path, DWORD access, DWORD disposition, DWORD flags) {
    return ::CreateFileW(path.c_str(), access, kShareAll, nullptr, disposition, flags, nullptr);
}

// Stat without following a reparse point; missing gives type missing.
FileInfo stat_wide(const std::wstring& path, const fs::path& shown) {
    HANDLE h = open_raw(path, FILE_READ_ATTRIBUTES, OPEN_EXISTING, kNoFollow);
    if (h == INVALID_HANDLE_VALUE) {
        const DWORD e = ::GetLastError();
        if (is_missing(e) || e == ERROR_DIRECTORY) return {};
        // Some files (the paging file, a few held by the system) refuse even
        // an attribute-only open: the folder listing still has their data.
        WIN32_FILE_ATTRIBUTE_DATA ad{};
        if (!::GetFileAttributesExW(path.c_str(), GetFileExInfoStandard, &ad))
            throw_win("cannot stat", shown, e);
        BY_HANDLE_FILE_INFORMATION bh{};
        bh.dwFileAttributes = ad.dwFileAttributes;
        bh.ftLastWriteTime = ad.ftLastWriteTime;
        bh.nFileSizeHigh = ad.nFileSizeHigh;
        bh.nFileSizeLow = ad.nFileSizeLow;
        return info_from(bh, FILE_TYPE_DISK);
    }
    FileInfo info;
    try {
        info = info_of(h, shown);
    } catch (...) {
        ::CloseHandle(h);
        throw;
    }
    ::CloseHandle(h);
    return info;
}

// Opens a regular file (no reparse point followed) with `access`.
Handle open_regular(const std::wstring& path, DWORD access, DWORD disposition, const fs::path& shown) {
    HANDLE h = open_raw(path, access, disposition, kNoFollow);
    if (h == INVALID_HANDLE_VALUE) {
        const DWORD e = ::GetLastError();
        if (e == ERROR_FILE_EXISTS) throw Error(Errc::changed, "already exists", shown);
        throw_open_error(shown, e);
    }
    Handle out(native(h));
    const FileInfo info = info_of(h, shown);
    if (info.type == EntryType::symlink)
        throw Error(Errc::unsafe_path, "is a symbolic link; not followed", shown);
    if (info.type != EntryType::regular) throw Error(Errc::unsafe_path, "not a regular file", shown);
    return out;
}

void read_exact(HANDLE h, const fs::path& path, std::uint64_t offset, Bytes& out) {
    std::size_t done = 0;
    while (done < out.size()) {
        const std::uint64_t at = offset + done;
        OVERLAPPED ov{};
        ov.Offset = static_cast<DWORD>(at & 0xffffffffu);
        ov.OffsetHigh = static_cast<DWORD>(at >> 32);
        const std::size_t want = std::min<std::size_t>(out.size() - done, 1u << 30);
        DWORD n = 0;
        if (!::ReadFile(h, out.data() + done, static_cast<DWORD>(want), &n, &ov)) {
            const DWORD e = ::GetLastError();
            if (e == ERROR_HANDLE_EOF)
                n = 0;
            else
                throw_win("read failed", path, e);
        }
        if (n == 0) throw Error(Errc::truncated, "file ended early", path, offset + done);
        done += n;
    }
}

}  // namespace

FileInfo stat_nofollow(const fs::path& path) { return stat_wide(win_path(path), path); }

Bytes read_file(const fs::path& path, std::uint64_t max_bytes) {
    const Handle h = open_regular(win_path(path), GENERIC_READ, OPEN_EXISTING, path);
    const std::uint64_t size = info_of(raw(h), path).size;
    if (size > max_bytes)
        throw Error(Errc::size_rule,
                    "file is " + std::to_string(size) + " bytes, over the " + std::to_string(max_bytes) +
                        "-byte limit for its kind",
                    path);
    Bytes out(static_cast<std::size_t>(size));
    read_exact(raw(h), path, 0, out);
    return out;
}

Bytes read_range(const fs::path& path, std::uint64_t offset, std::uint64_t length) {
    const Handle h = open_regular(win_path(path), GENERIC_READ, OPEN_EXISTING, path);
    Bytes out(static_cast<std::size_t>(length));
    read_exact(raw(h), path, offset, out);
    return out;
}

// ---------------------------------------------------------------------------
// Handles and the calls of the safety layer.

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        if (valid()) ::CloseHandle(raw(fd_));
        fd_ = other.release();
    }
    return *this;
}

Handle::~Handle() {
    if (valid()) {
        if ((fd_ & kFlushOnClose) != 0) ::FlushFileBuffers(raw(fd_));
        ::CloseHandle(raw(fd_));
    }
}

NativeHandle Handle::release() noexcept {
    NativeHandle fd = fd_;
    fd_ = -1;
    return fd;
}

void Handle::close(const fs::path& what) {
    const NativeHandle fd = release();
    if (fd == -1) return;
    if ((fd & kFlushOnClose) != 0 && !::FlushFileBuffers(raw(fd))) {
        const DWORD e = ::GetLastError();
        ::CloseHandle(raw(fd));
        throw_win("flush failed", what, e);
    }
    if (!::CloseHandle(raw(fd))) throw_win("close failed", what, ::GetLastError());
}

namespace {

Handle open_dir_wide(const std::wstring& path, bool follow_links, const fs::path& shown) {
    const DWORD flags = FILE_FLAG_BACKUP_SEMANTICS | (follow_links ? 0 : FILE_FLAG_OPEN_REPARSE_POINT);
    HANDLE h = open_raw(path, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE, OPEN_EXISTING, flags);
    if (h == INVALID_HANDLE_VALUE) throw_open_error(shown, ::GetLastError());
    Handle out(native(h));
    const FileInfo info = info_of(h, shown);
    if (info.type == EntryType::symlink)
        throw Error(Errc::unsafe_path, "is a symbolic link; not followed", shown);
    if (info.type != EntryType::directory) throw Error(Errc::unsafe_path, "not a folder", shown);
    return out;
}

}  // namespace

Handle open_dir(const fs::path& path, bool follow_links) {
    return open_dir_wide(win_path(path), follow_links, path);
}

Handle open_dir_at(const Handle& dir, const std::string& name, const fs::path& shown) {
    return open_dir_wide(child_path(dir, name, shown), false, shown);
}

void make_dirs(const fs::path& path) {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec) throw Error(Errc::io, "cannot create folder (" + ec.message() + ")", path);
}

void make_dir_at(const Handle& dir, const std::string& name, unsigned /*mode*/, const fs::path& shown) {
    if (::CreateDirectoryW(child_path(dir, name, shown).c_str(), nullptr)) return;
    const DWORD e = ::GetLastError();
    if (e == ERROR_ALREADY_EXISTS || e == ERROR_FILE_EXISTS)
        throw Error(Errc::changed, "already exists", shown);
    throw_win("cannot create folder", shown, e);
}

void make_fifo(const fs::path& path) {
    throw Error(Errc::io, "cannot create FIFO (Windows file systems have none)", path);
}

FileInfo stat_at(const Handle& dir, const std::string& name, const fs::path& shown) {
    return stat_wide(child_path(dir, name, shown), shown);
}

FileInfo stat_handle(const Handle& file, const fs::path& shown) { return info_of(raw(file), shown); }

bool same_inode(const Handle& file, const fs::path& path) {
    FILE_STANDARD_INFO standard{};
    if (::GetFileInformationByHandleEx(raw(file), FileStandardInfo, &standard, sizeof standard) &&
        (standard.DeletePending || standard.NumberOfLinks == 0))
        return false;
    const FileInfo a = info_of(raw(file), path);
    const FileInfo b = stat_nofollow(path);
    if (b.type == EntryType::missing) return false;
    return a.device == b.device && a.inode == b.inode;
}

Handle open_read_at(const Handle& dir, const std::string& name, const fs::path& shown) {
    return open_regular(child_path(dir, name, shown), GENERIC_READ, OPEN_EXISTING, shown);
}

Handle open_read_at(const Handle& dir, const std::string& name, const fs::path& shown, FileInfo& info) {
    Handle h = open_read_at(dir, name, shown);
    info = info_of(raw(h), shown);
    return h;
}

FileHead read_head_at(const Handle& dir, const std::string& name, std::size_t max, const fs::path& shown) {
    const Handle h = open_read_at(dir, name, shown);
    FileHead head{info_of(raw(h), shown), {}};
    head.bytes.resize(static_cast<std::size_t>(std::min<std::uint64_t>(max, head.info.size)));
    read_exact(raw(h), shown, 0, head.bytes);
    return head;
}

std::size_t read_start_at(const Handle& dir, const std::string& name, std::uint8_t* out, std::size_t max,
                          const fs::path& dir_shown) {
    const FileHead head = read_head_at(dir, name, max, dir_shown / name);
    std::copy(head.bytes.begin(), head.bytes.end(), out);
    return head.bytes.size();
}

Handle open_read(const fs::path& path) {
    return open_regular(win_path(path), GENERIC_READ, OPEN_EXISTING, path);
}

Handle create_exclusive_at(const Handle& dir, const std::string& name, unsigned /*mode*/,
                           const fs::path& shown) {
    Handle h = open_regular(child_path(dir, name, shown), GENERIC_READ | GENERIC_WRITE, CREATE_NEW, shown);
    return Handle(h.release() | kFlushOnClose);
}

Handle open_rw_create(const fs::path& path, unsigned /*mode*/) {
    return open_regular(win_path(path), GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS, path);
}

Handle open_append_regular(const fs::path& path) {
    const std::wstring w = win_path(path);
    // Look first, so a folder or a device (NUL, CON, COM1) is never opened.
    const DWORD a = ::GetFileAttributesW(w.c_str());
    if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY) != 0)
        throw Error(Errc::unsafe_path, "not a regular file (it is a folder)", path);
    HANDLE h = ::CreateFileW(w.c_str(), FILE_APPEND_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE, kShareAll,
                             nullptr, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) throw_win("cannot open for appending", path, ::GetLastError());
    Handle out(native(h));
    const DWORD type = ::GetFileType(h);
    if (type == FILE_TYPE_PIPE) throw Error(Errc::unsafe_path, "not a regular file (it is a FIFO)", path);
    if (type != FILE_TYPE_DISK) throw Error(Errc::unsafe_path, "not a regular file (it is a device)", path);
    if (info_of(h, path).type != EntryType::regular)
        throw Error(Errc::unsafe_path, "not a regular file (it is a folder)", path);
    return out;
}

void write_all(const Handle& file, ByteSpan data, const fs::path& shown) {
    std::size_t done = 0;
    while (done < data.size()) {
        const std::size_t want = std::min<std::size_t>(data.size() - done, 1u << 30);
        DWORD n = 0;
        if (!::WriteFile(raw(file), data.data() + done, static_cast<DWORD>(want), &n, nullptr))
            throw_win("write failed", shown, ::GetLastError());
        done += n;
    }
}

std::size_t read_some(const Handle& file, std::uint8_t* out, std::size_t max, const fs::path& shown) {
    DWORD n = 0;
    const std::size_t want = std::min<std::size_t>(max, 1u << 30);
    if (!::ReadFile(raw(file), out, static_cast<DWORD>(want), &n, nullptr)) {
        const DWORD e = ::GetLastError();
        if (e == ERROR_HANDLE_EOF || e == ERROR_BROKEN_PIPE) return 0;
        throw_win("read failed", shown, e);
    }
    return n;
}

void truncate(const Handle& file, std::uint64_t size, const fs::path& shown) {
    FILE_END_OF_FILE_INFO eof{};
    eof.EndOfFile.QuadPart = static_cast<LONGLONG>(size);
    if (!::SetFileInformationByHandle(raw(file), FileEndOfFileInfo, &eof, sizeof eof))
        throw_win("truncate failed", shown, ::GetLastError());
}

void sync_filesystem(const Handle& /*any*/, const fs::path& /*shown*/) {
    // Flushing a whole volume needs an administrator's handle to it; instead
    // every file the toolkit creates for writing is flushed as it is closed
    // (kFlushOnClose), so by now each one is durable, and each rename is
    // written through (MOVEFILE_WRITE_THROUGH).
}

void fsync_handle(const Handle& handle, const fs::path& shown) {
    if (::FlushFileBuffers(raw(handle))) return;
    const DWORD e = ::GetLastError();
    // A folder handle (opened without write access) cannot be flushed; NTFS
    // journals its entries, and renames are written through.
    if (e == ERROR_ACCESS_DENIED || e == ERROR_INVALID_HANDLE || e == ERROR_INVALID_FUNCTION) return;
    throw_win("fsync failed", shown, e);
}

void copy_owner_mode(const Handle& /*file*/, const FileInfo& /*like*/, const fs::path& /*shown*/) {
    // A replacement takes its access rights from the folder's inherited
    // ACL, as a file the postoffice's own programs write does; Windows has
    // no owner or permission bits to copy here.
}

void set_mtime(const Handle& file, std::int64_t mtime_ns, const fs::path& shown) {
    const FILETIME ft = filetime_from_ns(mtime_ns);
    if (!::SetFileTime(raw(file), nullptr, &ft, &ft))
        throw_win("cannot set the modification time", shown, ::GetLastError());
}

void set_mtime_at(const Handle& dir, const std::string& name, std::int64_t mtime_ns, const fs::path& shown) {
    HANDLE h = open_raw(child_path(dir, name, shown), FILE_WRITE_ATTRIBUTES, OPEN_EXISTING, kNoFollow);
    if (h == INVALID_HANDLE_VALUE) throw_win("cannot set the modification time", shown, ::GetLastError());
    const Handle owned(native(h));
    set_mtime(owned, mtime_ns, shown);
}

void rename_at(const Handle& dir, const std::string& from, const std::string& to, const fs::path& shown) {
    const std::wstring base = handle_path(dir, shown);
    if (!::MoveFileExW((base + widen(from)).c_str(), (base + widen(to)).c_str(),
                       MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        throw_win("rename failed", shown, ::GetLastError());
}

void unlink_at(const Handle& dir, const std::string& name, const fs::path& shown) {
    const std::wstring path = child_path(dir, name, shown);
    if (::DeleteFileW(path.c_str())) return;
    DWORD e = ::GetLastError();
    if (is_missing(e)) throw Error(Errc::not_found, "not found", shown);
    // POSIX removes a read-only file (the folder's rights decide); so do we.
    const DWORD a = ::GetFileAttributesW(path.c_str());
    if (e == ERROR_ACCESS_DENIED && a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_READONLY) != 0 &&
        ::SetFileAttributesW(path.c_str(), a & ~static_cast<DWORD>(FILE_ATTRIBUTE_READONLY))) {
        if (::DeleteFileW(path.c_str())) return;
        e = ::GetLastError();
        ::SetFileAttributesW(path.c_str(), a);
    }
    throw_win("delete failed", shown, e);
}

std::vector<std::string> list_dir(const Handle& dir, const fs::path& shown,
                                  const std::function<bool(std::string_view)>& keep) {
    const std::wstring pattern = handle_path(dir, shown) + L"*";
    WIN32_FIND_DATAW fd{};
    HANDLE f = ::FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &fd, FindExSearchNameMatch, nullptr,
                                  FIND_FIRST_EX_LARGE_FETCH);
    std::vector<std::string> names;
    if (f == INVALID_HANDLE_VALUE) {
        const DWORD e = ::GetLastError();
        if (e == ERROR_FILE_NOT_FOUND || e == ERROR_NO_MORE_FILES) return names;
        throw_win("cannot list folder", shown, e);
    }
    DWORD err = 0;
    do {
        const std::wstring n = fd.cFileName;
        if (n != L"." && n != L"..")
            if (std::string name = narrow(n); !keep || keep(name)) names.push_back(std::move(name));
    } while (::FindNextFileW(f, &fd));
    err = ::GetLastError();
    ::FindClose(f);
    if (err != ERROR_NO_MORE_FILES) throw_win("cannot list folder", shown, err);
    return names;
}

std::vector<DirEntry> list_dir_typed(const Handle& dir, const fs::path& shown) {
    // The listing's own type would not tell a reparse point from its target: each is looked at.
    std::vector<DirEntry> entries;
    for (auto& name : list_dir(dir, shown)) {
        const EntryType type = stat_at(dir, name, shown / name).type;
        entries.push_back(DirEntry{std::move(name), type});
    }
    return entries;
}

bool try_lock_exclusive(const Handle& file, const fs::path& shown) {
    OVERLAPPED ov{};
    ov.OffsetHigh = kLockOffsetHigh;
    if (::LockFileEx(raw(file), LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov))
        return true;
    const DWORD e = ::GetLastError();
    if (e == ERROR_LOCK_VIOLATION || e == ERROR_IO_PENDING) return false;
    throw_win("cannot lock", shown, e);
}

std::optional<std::string> probe_lock(const Handle& file, const fs::path& shown) {
    // 1. A share-mode conflict: another program (External, a client) has
    //    the file open and denies others writing or deleting it. Opening it
    //    again for writing (sharing everything ourselves) fails then.
    HANDLE again = INVALID_HANDLE_VALUE;
    {
        std::wstring buf(MAX_PATH, L'\0');
        DWORD n = ::GetFinalPathNameByHandleW(raw(file), buf.data(), static_cast<DWORD>(buf.size()),
                                              FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
        if (n >= buf.size()) {
            buf.resize(n + 1);
            n = ::GetFinalPathNameByHandleW(raw(file), buf.data(), static_cast<DWORD>(buf.size()),
                                            FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
        }
        if (n > 0 && n < buf.size()) {
            buf.resize(n);
            again = open_raw(buf, GENERIC_READ | GENERIC_WRITE, OPEN_EXISTING, kNoFollow);
            if (again == INVALID_HANDLE_VALUE && ::GetLastError() == ERROR_SHARING_VIOLATION)
                return std::string("open in another program that denies sharing (share mode)");
        }
    }
    // 2. A byte-range lock anywhere in the file (LockFileEx, or a DOS
    //    program's share lock through the redirector): an exclusive lock on
    //    every byte, on a handle of our own, is refused while one exists.
    HANDLE h = again != INVALID_HANDLE_VALUE ? again : raw(file);
    OVERLAPPED ov{};
    std::optional<std::string> held;
    if (::LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD, MAXDWORD, &ov)) {
        ::UnlockFileEx(h, 0, MAXDWORD, MAXDWORD, &ov);
    } else {
        const DWORD e = ::GetLastError();
        if (e == ERROR_LOCK_VIOLATION || e == ERROR_IO_PENDING) {
            held = "byte-range lock (LockFileEx)";
        } else {
            if (again != INVALID_HANDLE_VALUE) ::CloseHandle(again);
            throw_win("cannot probe lock", shown, e);
        }
    }
    if (again != INVALID_HANDLE_VALUE) ::CloseHandle(again);
    return held;
}

std::optional<std::string> probe_lock_and_close(Handle file, const fs::path& shown) {
    auto held = probe_lock(file, shown);  // it unlocks what it locked: nothing to save here
    file.close(shown);
    return held;
}

std::optional<std::string> change_denied_at(const Handle& dir, const std::string& name,
                                            const fs::path& shown) {
    // Deleting a file, or replacing it (MoveFileExW onto it), needs DELETE
    // access to it, which a program holding it open must share; and the
    // snapshot must read it, which an exclusive byte-range lock forbids
    // (Windows range locks are mandatory).
    HANDLE h = open_raw(child_path(dir, name, shown), GENERIC_READ | DELETE, OPEN_EXISTING, kNoFollow);
    if (h == INVALID_HANDLE_VALUE) {
        const DWORD e = ::GetLastError();
        if (e == ERROR_SHARING_VIOLATION)
            return std::string(
                "open in another program that does not let it be deleted or replaced (share mode)");
        if (is_missing(e)) return std::nullopt;
        if (e == ERROR_ACCESS_DENIED)
            return std::nullopt;  // read-only or no right: the change itself says so
        throw_win("cannot probe sharing", shown, e);
    }
    OVERLAPPED ov{};
    std::optional<std::string> denied;
    if (::LockFileEx(h, LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD, MAXDWORD, &ov)) {  // shared: fails only
        ::UnlockFileEx(h, 0, MAXDWORD, MAXDWORD, &ov);                             // beside an exclusive one
    } else {
        const DWORD e = ::GetLastError();
        if (e != ERROR_LOCK_VIOLATION && e != ERROR_IO_PENDING) {
            ::CloseHandle(h);
            throw_win("cannot probe lock", shown, e);
        }
        denied =
            "locked by another program against reading (exclusive byte-range lock, LockFileEx): "
            "no snapshot could read it";
    }
    ::CloseHandle(h);
    return denied;
}

bool can_read_at(const Handle& dir, const std::string& name) noexcept {
    try {
        HANDLE h = open_raw(child_path(dir, name, {}), GENERIC_READ, OPEN_EXISTING, kNoFollow);
        if (h == INVALID_HANDLE_VALUE) return ::GetLastError() == ERROR_SHARING_VIOLATION;
        ::CloseHandle(h);
        return true;
    } catch (...) { return false; }
}

bool user_exists(std::uint32_t /*uid*/) noexcept { return true; }

std::optional<std::vector<HeldLock>> list_held_locks() { return std::nullopt; }

bool pid_alive(long pid) noexcept {
    if (pid <= 0 || pid > 0x7fffffffL) return false;
    HANDLE h = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
    if (h == nullptr) return ::GetLastError() == ERROR_ACCESS_DENIED;
    DWORD code = 0;
    const bool alive = ::GetExitCodeProcess(h, &code) && code == STILL_ACTIVE;
    ::CloseHandle(h);
    return alive;
}

long current_pid() noexcept { return static_cast<long>(::GetCurrentProcessId()); }

bool may_set_any_owner() noexcept { return false; }

void release_free_memory() noexcept {}

std::string host_name() {
    char buf[256] = {};
    DWORD n = sizeof buf - 1;
    if (!::GetComputerNameExA(ComputerNameDnsHostname, buf, &n) || n == 0) {
        n = sizeof buf - 1;
        if (!::GetComputerNameA(buf, &n)) return "unknown";
    }
    return std::string(buf, n);
}

std::uint64_t free_space(const fs::path& path) {
    ULARGE_INTEGER avail{};
    if (!::GetDiskFreeSpaceExW(win_path(path).c_str(), &avail, nullptr, nullptr))
        throw_win("cannot query free space", path, ::GetLastError());
    return avail.QuadPart;
}

}  // namespace mspo::platform

namespace mspo::os {

namespace {

std::atomic<int> g_stop_requests{0};

BOOL WINAPI on_console_event(DWORD /*event*/) {
    // The first request asks the run to stop at the next step; a second one
    // ends the process at once (as SA_RESETHAND does on POSIX).
    if (g_stop_requests.fetch_add(1) > 0) return FALSE;
    mspo::request_interrupt();
    return TRUE;
}

}  // namespace

bool stderr_is_terminal() noexcept { return ::_isatty(_fileno(stderr)) != 0; }

std::vector<std::string> command_line(int argc, char** argv) {
    std::vector<std::string> args;
    int n = 0;
    LPWSTR* wide = ::CommandLineToArgvW(::GetCommandLineW(), &n);
    if (wide == nullptr) {
        // Not expected; the C runtime's ANSI argv is what is left.
        for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
        return args;
    }
    for (int i = 1; i < n; ++i) args.push_back(platform::narrow(wide[i]));
    ::LocalFree(wide);
    return args;
}

std::filesystem::path path_from_text(const std::string& text) {
    return std::filesystem::path(platform::widen(text));
}

std::filesystem::path join(const std::filesystem::path& dir, std::string_view name) {
    return dir / std::filesystem::path(platform::widen(std::string(name)));
}

void install_stop_handlers() { ::SetConsoleCtrlHandler(on_console_event, TRUE); }

std::string path_text(const std::filesystem::path& path) {
    std::string s = platform::narrow(path.wstring());
    const auto first = s.find_first_of("/\\");
    if (first != std::string::npos && s[first] == '/')
        for (char& c : s)
            if (c == '\\') c = '/';
    return s;
}

std::string absolute_text(const std::filesystem::path& path) {
    std::error_code ec;
    const auto abs = std::filesystem::absolute(path, ec);  // GetFullPathNameW: every separator a backslash
    if (ec) throw Error(Errc::io, "cannot tell the absolute path (" + ec.message() + ")", path);
    std::string s = platform::narrow(abs.wstring());
    const std::wstring typed = path.wstring();
    const auto first = typed.find_first_of(L"/\\");
    if (first != std::wstring::npos && typed[first] == L'/') std::replace(s.begin(), s.end(), '\\', '/');
    return s;
}

}  // namespace mspo::os
