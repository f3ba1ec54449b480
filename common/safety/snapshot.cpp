#include "mspo/safety/snapshot.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <algorithm>
#include <cerrno>
#include <ctime>
#include <future>
#include <memory>
#include <set>

#include "mspo/safety/atomic_file.hpp"
#include "mspo/safety/duplicate_paths.hpp"
#include "mspo/base/crc32.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/time.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/safety/postoffice_id.hpp"
#include "mspo/safety/snapshot_gzip.hpp"
#include "mspo/safety/snapshot_write.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

bool is_inside(const fs::path& inner, const fs::path& outer) {
    auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
    return o == outer.end();
}

fs::path canonical_root(const fs::path& root) {
    std::error_code ec;
    fs::path canon = fs::canonical(root, ec);
    if (ec) throw Error(Errc::not_found, "cannot resolve the postoffice path (" + ec.message() + ")", root);
    return canon;
}

struct WriteClient {
    gz::ParallelWriter* gz = nullptr;
    std::string error;
};

la_ssize_t write_cb(struct archive* a, void* client, const void* buffer, size_t length) {
    auto* c = static_cast<WriteClient*>(client);
    try {
        c->gz->write(ByteSpan(static_cast<const std::uint8_t*>(buffer), length));
        return static_cast<la_ssize_t>(length);
    } catch (const std::exception& e) {
        c->error = e.what();
        archive_set_error(a, EIO, "%s", e.what());
        return -1;
    }
}

using ArchivePtr = std::unique_ptr<struct archive, decltype(&archive_write_free)>;
using EntryPtr = std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)>;

[[noreturn]] void fail(struct archive* a, const WriteClient& c, const std::string& what, const fs::path& p) {
    std::string why = !c.error.empty() ? c.error : archive_error_string(a) ? archive_error_string(a) : "?";
    throw Error(Errc::snapshot, what + " (" + why + ")", p);
}

/// Streams one postoffice file into the archive; returns its state.
FileState add_file(struct archive* a, const WriteClient& client, atomic::DirCache& dirs,
                   const std::string& relpath, const fs::path& archive_path, Bytes& buf) {
    auto [reldir, name] = atomic::split_parent(relpath);
    FileState state;
    const atomic::SafeDir* dir = nullptr;
    try {
        dir = &dirs.get(reldir);
    } catch (const Error& e) {
        if (e.code() == Errc::not_found) return state;  // folder missing: file absent
        throw;
    }
    const fs::path shown = os::join(dir->path(), name);
    // One open (no link followed) and the fstat that checks it is regular
    // tell all: a file gone since precheck_items() (or the caller) looked is
    // absent; a link or a non-regular file is refused by open_read_at.
    platform::FileInfo info;
    std::optional<platform::Handle> opened;
    try {
        opened.emplace(platform::open_read_at(dir->handle(), name, shown, info));
    } catch (const Error& e) {
        if (e.code() == Errc::not_found) return state;
        throw;
    }
    const platform::Handle& file = *opened;
    EntryPtr entry(archive_entry_new(), &archive_entry_free);
    archive_entry_copy_pathname(entry.get(), relpath.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), static_cast<__LA_MODE_T>(info.mode & 07777));
    archive_entry_set_uid(entry.get(), info.uid);
    archive_entry_set_gid(entry.get(), info.gid);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(info.size));
    archive_entry_set_mtime(entry.get(), static_cast<time_t>(floor_seconds(info.mtime_ns)),
                            static_cast<long>(info.mtime_ns - floor_seconds(info.mtime_ns) * kNsPerSecond));
    if (archive_write_header(a, entry.get()) < ARCHIVE_WARN)
        fail(a, client, "cannot write entry " + lossy_utf8(relpath), archive_path);
    Crc32 crc;
    std::uint64_t total = 0;
    // Reads stop at the size fstat gave (no read for the end of file: a
    // small file is one read): a file that grew meanwhile shows in the
    // fstat below, one that shrank as a short read.
    while (total < info.size) {
        std::size_t n = platform::read_some(file, buf.data(), buf.size(), shown);
        if (n == 0) break;
        if (total + n > info.size) throw Error(Errc::changed, "file grew while being saved", shown);
        crc.update(ByteSpan(buf.data(), n));
        if (archive_write_data(a, buf.data(), n) != static_cast<la_ssize_t>(n))
            fail(a, client, "cannot write data of " + lossy_utf8(relpath), archive_path);
        total += n;
    }
    auto after = platform::stat_handle(file, shown);
    if (total != info.size || after.mtime_ns != info.mtime_ns || after.size != info.size)
        throw Error(Errc::changed, "file changed while being saved", shown);
    state.present = true;
    state.size = info.size;
    state.mtime_ns = info.mtime_ns;
    state.crc32 = crc.value();
    state.mode = info.mode & 07777;
    state.uid = info.uid;
    state.gid = info.gid;
    return state;
}

/// Streams the manifest into the archive: one pass to learn its size (the
/// tar header comes first), one to write it, never the whole text in memory.
void add_manifest(struct archive* a, const WriteClient& client, const Manifest& m, const fs::path& path) {
    std::uint64_t size = 0;
    write_manifest_json(m, [&](std::string_view piece) { size += piece.size(); });
    EntryPtr entry(archive_entry_new(), &archive_entry_free);
    archive_entry_copy_pathname(entry.get(), std::string(kManifestName).c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    archive_entry_set_mtime(entry.get(), static_cast<time_t>(floor_seconds(m.created_ns)), 0);
    if (archive_write_header(a, entry.get()) < ARCHIVE_WARN)
        fail(a, client, "cannot write the manifest", path);
    std::string block;
    const auto flush = [&]() {
        if (!block.empty() &&
            archive_write_data(a, block.data(), block.size()) != static_cast<la_ssize_t>(block.size()))
            fail(a, client, "cannot write the manifest", path);
        block.clear();
    };
    write_manifest_json(m, [&](std::string_view piece) {
        block += piece;
        if (block.size() >= 64 * 1024) flush();
    });
    flush();
}

/// Refuses (before anything is written) an item that is a link or not a
/// regular file; a missing file or folder is fine. Returns, per item, whether
/// it is absent: it is then recorded as absent without being looked at again
/// (one that appears meanwhile is refused by apply_plan, which checks every
/// target against its snapshot entry just before changing it).
std::vector<bool> precheck_items(const fs::path& root, const std::vector<ManifestEntry>& items) {
    atomic::DirCache dirs(root);
    std::vector<bool> absent(items.size(), false);
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto [reldir, name] = atomic::split_parent(items[i].path);
        const atomic::SafeDir* dir = nullptr;
        try {
            dir = &dirs.get(reldir);
        } catch (const Error& e) {
            if (e.code() != Errc::not_found) throw;
            absent[i] = true;
            continue;
        }
        const auto type = platform::stat_at(dir->handle(), name, os::join(dir->path(), name)).type;
        absent[i] = type == platform::EntryType::missing;
        if (type == platform::EntryType::symlink)
            throw Error(Errc::unsafe_path, "is a symbolic link; not saved", os::join(dir->path(), name));
        if (type != platform::EntryType::regular && type != platform::EntryType::missing)
            throw Error(Errc::unsafe_path, "not a regular file; not saved", os::join(dir->path(), name));
    }
    return absent;
}

bool all_digits(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The writer's pid from a partial archive's name: "<time>-<tool>-<pid>" or,
/// after a name clash, "<time>-<tool>-<pid>-<n>" (snapshot_file_name()).
std::optional<long> partial_pid(std::string_view base) {
    std::vector<std::string_view> parts;  // the last two '-' separated parts, last first
    for (std::size_t at; parts.size() < 2 && (at = base.rfind('-')) != std::string_view::npos;) {
        parts.push_back(base.substr(at + 1));
        base = base.substr(0, at);
    }
    const auto number = [](std::string_view s) -> std::optional<long> {
        if (!all_digits(s) || s.size() > 9) return std::nullopt;
        return std::stol(std::string(s));
    };
    if (parts.size() == 2 && number(parts[0]) && number(parts[1])) return number(parts[1]);
    if (!parts.empty()) return number(parts[0]);
    return std::nullopt;
}

constexpr std::string_view kPartialSuffix = ".tar.gz.partial";

bool is_partial_name(std::string_view name) noexcept {
    constexpr std::string_view kSuffix = kPartialSuffix;
    return name.size() > 16 + kSuffix.size() && name.substr(name.size() - kSuffix.size()) == kSuffix &&
           all_digits(name.substr(0, 8)) && name[8] == 'T' && all_digits(name.substr(9, 6)) &&
           name[15] == 'Z' && name[16] == '-';
}

/// Writes the archive of `m.files` (their `path` and `after` set), filling
/// in each one's `before` and `m.dirs`.
void write_archive(const fs::path& root, const std::vector<bool>& absent, const SnapshotOptions& opt,
                   const platform::Handle& out, const fs::path& path, Manifest& m) {
    gz::ParallelWriter gzw(out, path, opt.threads, opt.level, std::size_t{1} << 20, opt.store_random);
    WriteClient client{&gzw, {}};
    ArchivePtr a(archive_write_new(), &archive_write_free);
    // Names: the tools run in the C locale, so libarchive stores an ASCII
    // name as is and any other name as its bytes with pax hdrcharset=BINARY
    // (archive_write_header then warns, which is fine): every name
    // round-trips exactly. GNU tar reads such names as bytes, after a warning
    // that it ignores the hdrcharset keyword.
    if (!a || archive_write_set_format_pax(a.get()) != ARCHIVE_OK ||
        archive_write_add_filter_none(a.get()) != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(a.get(), 10240) != ARCHIVE_OK ||
        archive_write_open(a.get(), &client, nullptr, write_cb, nullptr) != ARCHIVE_OK)
        fail(a.get(), client, "cannot start the archive", path);
    Bytes buf(256 * 1024);           // one read buffer for all files
    atomic::DirCache handles(root);  // each folder opened once
    for (std::size_t i = 0; i < m.files.size(); ++i) {
        throw_if_interrupted();
        ManifestEntry& e = m.files[i];
        e.before = absent[i] ? FileState{} : add_file(a.get(), client, handles, e.path, path, buf);
    }
    std::set<std::string> dirs;
    for (const auto& f : m.files) {
        std::string d = atomic::split_parent(f.path).first;
        while (!d.empty() && dirs.insert(d).second) d = atomic::split_parent(d).first;
    }
    for (const auto& d : dirs) {
        auto [parent, name] = atomic::split_parent(d);
        try {
            auto h = atomic::SafeDir::open(root, parent);
            auto info = platform::stat_at(h.handle(), name, os::join(h.path(), name));
            if (info.type == platform::EntryType::directory) m.dirs.emplace_back(d, info.mtime_ns);
        } catch (const Error& e) {
            if (e.code() != Errc::not_found) throw;
        }
    }
    add_manifest(a.get(), client, m, path);
    if (archive_write_close(a.get()) != ARCHIVE_OK) fail(a.get(), client, "cannot finish the archive", path);
    gzw.finish();
}

}  // namespace

fs::path default_snapshot_dir(const fs::path& postoffice_root) {
    fs::path canon = canonical_root(postoffice_root);
    canon += ".snapshots";  // (an ASCII suffix: no narrow conversion of the name)
    return canon;
}

void check_snapshot_dir(const fs::path& postoffice_root, const std::optional<fs::path>& dir) {
    if (!dir) return;  // the default is beside the postoffice
    const fs::path root = canonical_root(postoffice_root);
    std::error_code ec;
    if (is_inside(fs::weakly_canonical(fs::absolute(*dir), ec), root))
        throw Error(Errc::unsafe_path, "the snapshot folder must not be inside the postoffice", *dir);
}

std::string snapshot_file_name(std::string_view tool, std::int64_t time_ns, long pid) {
    std::string clean;
    for (char ch : tool) {
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                  ch == '-' || ch == '_';
        clean += ok ? ch : '_';
    }
    if (clean.empty()) clean = "mspo";
    return utc_text(time_ns, true) + "-" + clean + "-" + std::to_string(pid) + ".tar.gz";
}

std::vector<PartialLeftover> tidy_partial_snapshots(const fs::path& dir, std::optional<std::int64_t> now_ns) {
    constexpr std::int64_t kDay = 24 * 3600 * kNsPerSecond;
    std::vector<PartialLeftover> found;
    platform::Handle h;
    try {
        h = platform::open_dir(dir, true);
    } catch (const Error& e) {
        if (e.code() == Errc::not_found) return found;
        throw;
    }
    const std::int64_t now = now_ns ? *now_ns : mspo::now_ns();
    for (const auto& name : platform::list_dir(h, dir)) {
        if (!is_partial_name(name)) continue;
        const fs::path shown = os::join(dir, name);
        const auto info = platform::stat_at(h, name, shown);
        if (info.type != platform::EntryType::regular) continue;
        PartialLeftover left;
        left.name = name;
        std::optional<std::string> lock;
        try {
            lock = platform::probe_lock(platform::open_read_at(h, name, shown), shown);
        } catch (const Error& e) {
            if (e.code() == Errc::not_found) continue;  // its writer finished meanwhile
            throw;
        }
        const auto pid = partial_pid(std::string_view(name).substr(0, name.size() - kPartialSuffix.size()));
        // Without a pid in the name, only age can prove it stale.
        const bool writer_running = !pid || platform::pid_alive(*pid);
        const bool old = now - info.mtime_ns > kDay;
        if (lock) {
            left.why = "still being written (" + *lock + ")";
        } else if (writer_running && !old) {
            left.why =
                "no lock held, but a process with its writer's pid is running; kept until it is a day old";
        } else {
            platform::unlink_at(h, name, shown);
            left.removed = true;
            left.why = writer_running
                           ? "no lock held and over a day old"
                           : "no lock held and its writer (pid " + std::to_string(*pid) + ") is not running";
        }
        found.push_back(std::move(left));
    }
    if (std::any_of(found.begin(), found.end(), [](const PartialLeftover& l) { return l.removed; }))
        platform::fsync_handle(h, dir);
    return found;
}

Findings partial_leftover_findings(const std::vector<PartialLeftover>& leftovers, const fs::path& dir) {
    Findings out;
    for (const auto& l : leftovers) {
        const std::string file = os::path_text(os::join(dir, l.name));
        if (l.removed) {
            Finding f = make_finding(CheckId::snapshot_partial_removed, file,
                                     "a partial snapshot left by a crashed run: " + l.why);
            f.action = "remove";
            f.fixed = true;
            out.push_back(std::move(f));
        } else {  // a warning, so that it shows: it may be an orphan not yet provably stale
            out.push_back(
                make_finding(CheckId::snapshot_partial_kept, file, "a partial snapshot kept: " + l.why));
        }
    }
    return out;
}

SnapshotResult write_snapshot(const fs::path& postoffice_root, const std::vector<SnapshotItem>& items,
                              const SnapshotOptions& opt) {
    std::vector<ManifestEntry> files;
    files.reserve(items.size());
    for (const auto& item : items) files.push_back({item.relpath, FileState{}, item.after});
    return write_snapshot_entries(postoffice_root, std::move(files), opt);
}

namespace {

/// write_snapshot_entries(); `checked`: as write_checked_snapshot().
SnapshotResult write_entries(const fs::path& postoffice_root, std::vector<ManifestEntry> files,
                             const SnapshotOptions& opt, bool checked) {
    const fs::path root = canonical_root(postoffice_root);
    for (const auto& f : files) {
        atomic::split_relpath(f.path);
        if (f.path == kManifestName) throw Error(Errc::usage, "reserved name", f.path);
    }
    if (const auto twice = safety::first_repeated_path(
            files.size(), [&files](std::size_t i) -> std::string_view { return files[i].path; }))
        throw Error(Errc::usage, "file listed twice in a snapshot", lossy_utf8(files[*twice].path));
    fs::path dir = opt.dir ? *opt.dir : default_snapshot_dir(root);
    check_snapshot_dir(root, dir);
    std::error_code ec;
    const std::vector<bool> absent =
        checked ? std::vector<bool>(files.size(), false) : precheck_items(root, files);

    SnapshotResult result;
    Manifest& m = result.manifest;
    m.files = std::move(files);
    m.tool = opt.tool;
    m.undoes = opt.undoes;
    m.created_ns = mspo::now_ns();
    m.created = utc_text(m.created_ns);
    m.postoffice = root.string();
    m.postoffice_id = postoffice_identity(root);
    m.host = platform::host_name();
    m.pid = platform::current_pid();

    fs::path final_path, partial;
    std::optional<platform::Handle> dir_handle;
    bool partial_exists = false;
    const std::vector<fs::path> created = atomic::missing_folders(dir);
    try {
        platform::make_dirs(dir);
        dir_handle.emplace(platform::open_dir(dir, true));
        result.leftovers = tidy_partial_snapshots(dir);
        std::string base = snapshot_file_name(opt.tool, m.created_ns, m.pid);
        std::optional<platform::Handle> out;
        for (int n = 1; !out; ++n) {
            std::string name =
                n == 1 ? base : base.substr(0, base.size() - 7) + "-" + std::to_string(n) + ".tar.gz";
            if (platform::stat_at(*dir_handle, name, os::join(dir, name)).type !=
                platform::EntryType::missing)
                continue;
            try {
                out.emplace(
                    platform::create_exclusive_at(*dir_handle, name + ".partial", 0600, os::join(dir, name)));
                final_path = os::join(dir, name);
                partial = os::join(dir, name + ".partial");
            } catch (const Error& e) {
                if (e.code() != Errc::changed || n > 100) throw;
            }
        }
        partial_exists = true;
        // Held until the handle closes: tells tidy_partial_snapshots() in
        // other processes that this partial archive is alive.
        platform::try_lock_exclusive(*out, partial);
        if (opt.hook) opt.hook("snapshot-write", 0);
        write_archive(root, absent, opt, *out, partial, m);
        // The fsyncs (the disk's copy) and the read-back check (every byte
        // the file holds, read back as any reader will) need not wait for
        // each other: both run at once and both must pass before the rename.
        // The check reads what the fsync writes out; it costs CPU, the fsync
        // waits for the disk (docs/PERFORMANCE.md, "Snapshots of random bytes").
        std::future<void> synced = std::async(std::launch::async, [&]() {
            platform::fsync_handle(*out, partial);
            platform::fsync_handle(*dir_handle, dir);
        });
        VerifyResult v;
        try {
            if (opt.hook) opt.hook("snapshot-verify", 0);
            v = verify_written_snapshot(partial, m);
        } catch (...) {
            synced.wait();
            throw;
        }
        synced.get();  // an fsync's error first, as when they ran one after the other
        if (!v.ok())
            throw Error(Errc::snapshot, "read-back check failed: " + v.problems.front(), partial, v.offset);
        platform::rename_at(*dir_handle, partial.filename().string(), final_path.filename().string(),
                            final_path);
        partial_exists = false;
        platform::fsync_handle(*dir_handle, dir);
        out.reset();  // drops the lock; the archive is verified and in place
    } catch (...) {
        // The folder's handle closes first: Windows removes a folder still
        // open only when the handle closes, so its parents would not be empty.
        dir_handle.reset();
        if (partial_exists) fs::remove(partial, ec);
        for (const auto& folder : created) fs::remove(folder, ec);  // only if empty; deepest first
        try {
            throw;
        } catch (const Error& e) {
            if (e.code() == Errc::snapshot || e.code() == Errc::interrupted ||
                e.code() == Errc::unsafe_path || e.code() == Errc::changed)
                throw;
            throw Error(Errc::snapshot, "snapshot failed: " + e.detail(), e.file(), e.offset());
        }
    }
    result.path = final_path;
    return result;
}

}  // namespace

SnapshotResult write_snapshot_entries(const fs::path& postoffice_root, std::vector<ManifestEntry> files,
                                      const SnapshotOptions& opt) {
    return write_entries(postoffice_root, std::move(files), opt, false);
}

SnapshotResult safety::write_checked_snapshot(const fs::path& postoffice_root,
                                              std::vector<ManifestEntry> files, const SnapshotOptions& opt) {
    return write_entries(postoffice_root, std::move(files), opt, true);
}

}  // namespace mspo
