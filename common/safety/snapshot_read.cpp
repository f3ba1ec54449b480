// Reading snapshot archives back: verify_snapshot, read_manifest,
// read_snapshot_files. The gzip layer is ours (every member's trailer is
// checked); libarchive parses the tar from the inflated bytes.
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <map>
#include <memory>
#include <set>

#include "mspo/safety/atomic_file.hpp"
#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/safety/snapshot.hpp"
#include "mspo/safety/snapshot_gzip.hpp"

#include "mspo/base/time.hpp"

namespace mspo {

namespace {

constexpr std::uint64_t kManifestMax = 64u << 20;

struct ReadClient {
    gz::Reader* gz = nullptr;
    Bytes buf = Bytes(256 * 1024);
    std::string error;
};

la_ssize_t read_cb(struct archive* a, void* client, const void** buffer) {
    auto* c = static_cast<ReadClient*>(client);
    try {
        *buffer = c->buf.data();
        return static_cast<la_ssize_t>(c->gz->read(c->buf.data(), c->buf.size()));
    } catch (const std::exception& e) {
        c->error = e.what();
        archive_set_error(a, EIO, "%s", e.what());
        return -1;
    }
}

struct Scanned {
    std::string path;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint32_t crc = 0;
    Bytes data;
};

struct Scan {
    std::vector<Scanned> entries;
    std::optional<std::string> manifest_text;
    std::vector<std::string> problems;
};

using ReadPtr = std::unique_ptr<struct archive, decltype(&archive_read_free)>;

std::string why(struct archive* a, const ReadClient& c) {
    if (!c.error.empty()) return c.error;
    const char* s = archive_error_string(a);
    return s ? s : "unknown error";
}

/// Reads every entry. Stops at the first structural error (recorded as a problem).
Scan scan_archive(const fs::path& path, bool keep_data) {
    Scan scan;
    platform::Handle in;
    try {
        in = platform::open_read(path);
    } catch (const Error& e) {
        scan.problems.push_back(std::string("cannot open: ") + e.what());
        return scan;
    }
    gz::Reader gzr(in, path);
    ReadClient client;
    client.gz = &gzr;
    ReadPtr a(archive_read_new(), &archive_read_free);
    archive_read_support_format_tar(a.get());
    archive_read_support_filter_none(a.get());
    if (archive_read_open(a.get(), &client, nullptr, read_cb, nullptr) != ARCHIVE_OK) {
        scan.problems.push_back("not a readable archive: " + why(a.get(), client));
        return scan;
    }
    std::set<std::string> seen;
    Bytes buf(256 * 1024);
    for (;;) {
        struct archive_entry* entry = nullptr;
        int rc = archive_read_next_header(a.get(), &entry);
        if (rc == ARCHIVE_EOF) break;
        if (rc < ARCHIVE_WARN) {
            scan.problems.push_back("archive is damaged: " + why(a.get(), client));
            return scan;
        }
        const char* name = archive_entry_pathname(entry);
        std::string p = name ? name : "";
        if (scan.manifest_text) scan.problems.push_back("entry after the manifest: " + p);
        try {
            atomic::split_relpath(p);
        } catch (const Error&) {
            scan.problems.push_back("unsafe entry path refused: '" + p + "'");
            continue;
        }
        if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_hardlink(entry) != nullptr ||
            archive_entry_symlink(entry) != nullptr) {
            scan.problems.push_back("entry is not a regular file (link, device or folder): " + p);
            continue;
        }
        if (!seen.insert(p).second) scan.problems.push_back("entry appears twice: " + p);
        Scanned s;
        s.path = p;
        s.mtime_ns = static_cast<std::int64_t>(archive_entry_mtime(entry)) * kNsPerSecond +
                     archive_entry_mtime_nsec(entry);
        const bool is_manifest = p == kManifestName;
        const auto declared = static_cast<std::uint64_t>(archive_entry_size(entry));
        if (is_manifest && declared > kManifestMax) {
            scan.problems.push_back("manifest is absurdly large");
            return scan;
        }
        Crc32 crc;
        for (;;) {
            la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
            if (n < 0) {
                scan.problems.push_back("cannot read entry " + p + ": " + why(a.get(), client));
                return scan;
            }
            if (n == 0) break;
            auto len = static_cast<std::size_t>(n);
            crc.update(ByteSpan(buf.data(), len));
            if (keep_data || is_manifest) s.data.insert(s.data.end(), buf.begin(), buf.begin() + n);
            s.size += len;
        }
        if (s.size != declared) scan.problems.push_back("entry " + p + " is shorter than its header says");
        s.crc = crc.value();
        if (is_manifest)
            scan.manifest_text = std::string(s.data.begin(), s.data.end());
        else
            scan.entries.push_back(std::move(s));
    }
    // Whatever follows the tar end marker must be zero padding, up to the
    // last gzip trailer (which gz::Reader checks).
    try {
        for (;;) {
            std::size_t n = gzr.read(buf.data(), buf.size());
            if (n == 0) break;
            for (std::size_t i = 0; i < n; ++i) {
                if (buf[i] != 0) {
                    scan.problems.push_back("data after the end of the archive");
                    return scan;
                }
            }
        }
    } catch (const Error& e) { scan.problems.push_back(e.what()); }
    return scan;
}

void check_against_manifest(const Scan& scan, VerifyResult& r) {
    if (!scan.manifest_text) {
        r.problems.push_back("archive has no manifest");
        return;
    }
    try {
        r.manifest = manifest_from_json(*scan.manifest_text);
    } catch (const Error& e) {
        r.problems.push_back(e.detail());
        return;
    }
    std::map<std::string, const Scanned*> by_path;
    for (const auto& s : scan.entries) by_path[s.path] = &s;
    std::set<std::string> listed;
    for (const auto& f : r.manifest->files) {
        try {
            atomic::split_relpath(f.path);
        } catch (const Error&) {
            r.problems.push_back("unsafe path in manifest refused: '" + f.path + "'");
            continue;
        }
        if (!listed.insert(to_upper(f.path)).second) r.problems.push_back("manifest lists twice: " + f.path);
        auto it = by_path.find(f.path);
        if (!f.before.present) {
            if (it != by_path.end()) r.problems.push_back("entry for a file recorded as absent: " + f.path);
            continue;
        }
        if (it == by_path.end()) {
            r.problems.push_back("file missing from the archive: " + f.path);
            continue;
        }
        const Scanned& s = *it->second;
        if (s.size != f.before.size)
            r.problems.push_back("size differs from the manifest: " + f.path);
        else if (s.crc != f.before.crc32)
            r.problems.push_back("CRC-32 differs from the manifest: " + f.path);
        if (s.mtime_ns != f.before.mtime_ns)
            r.problems.push_back("mtime differs from the manifest: " + f.path);
    }
    for (const auto& s : scan.entries) {
        if (!listed.count(to_upper(s.path))) r.problems.push_back("entry not in the manifest: " + s.path);
    }
}

}  // namespace

VerifyResult verify_snapshot(const fs::path& archive) {
    Scan scan = scan_archive(archive, false);
    VerifyResult r;
    r.problems = scan.problems;
    r.entries = scan.entries.size();
    check_against_manifest(scan, r);
    return r;
}

Manifest read_manifest(const fs::path& archive) {
    Scan scan = scan_archive(archive, false);
    if (!scan.manifest_text) {
        std::string why = scan.problems.empty() ? "archive has no manifest" : scan.problems.front();
        throw Error(Errc::snapshot, why, archive);
    }
    return manifest_from_json(*scan.manifest_text);
}

std::map<std::string, Bytes> read_snapshot_files(const fs::path& archive, Manifest& manifest) {
    Scan scan = scan_archive(archive, true);
    VerifyResult r;
    r.problems = scan.problems;
    check_against_manifest(scan, r);
    if (!r.ok()) throw Error(Errc::snapshot, "snapshot does not verify: " + r.problems.front(), archive);
    manifest = *r.manifest;
    std::map<std::string, Bytes> files;
    for (auto& s : scan.entries) files[s.path] = std::move(s.data);
    return files;
}

}  // namespace mspo
