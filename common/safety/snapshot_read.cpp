// Reading snapshot archives back: verify_snapshot, read_manifest,
// read_snapshot_files, SnapshotReader. The gzip layer is ours (every member's
// trailer is checked); libarchive parses the tar from the inflated bytes.
// Everything streams: an entry's data is never held whole, and the manifest
// is parsed as it is inflated.
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <exception>
#include <map>
#include <memory>
#include <streambuf>
#include <unordered_map>
#include <unordered_set>

#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/time.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/safety/atomic_file.hpp"
#include "mspo/safety/snapshot.hpp"
#include "mspo/safety/snapshot_gzip.hpp"

namespace mspo {

namespace {

/// A manifest larger than this is refused rather than parsed (about 800,000
/// files; the parsed manifest keeps one small entry per file).
constexpr std::uint64_t kManifestMax = std::uint64_t{256} << 20;
constexpr std::size_t kBlock = 256 * 1024;

struct ReadClient {
    gz::Reader* gz = nullptr;
    Bytes buf = Bytes(kBlock);
    std::exception_ptr error;
};

la_ssize_t read_cb(struct archive* a, void* client, const void** buffer) {
    auto* c = static_cast<ReadClient*>(client);
    try {
        *buffer = c->buf.data();
        return static_cast<la_ssize_t>(c->gz->read(c->buf.data(), c->buf.size()));
    } catch (const std::exception& e) {
        c->error = std::current_exception();
        archive_set_error(a, EIO, "%s", e.what());
        return -1;
    }
}

using ReadPtr = std::unique_ptr<struct archive, decltype(&archive_read_free)>;

/// One pass over an archive: entries, their data, then the end check. Every
/// failure is an Error{snapshot} naming the archive and, where it can, the
/// compressed offset.
class ArchiveStream {
public:
    explicit ArchiveStream(fs::path path)
        : path_(std::move(path)), a_(archive_read_new(), &archive_read_free) {
        try {
            in_ = platform::open_read(path_);
        } catch (const Error& e) { throw Error(Errc::snapshot, "cannot open: " + e.detail(), path_); }
        gz_ = std::make_unique<gz::Reader>(in_, path_);
        client_.gz = gz_.get();
        if (!a_) throw Error(Errc::snapshot, "out of memory", path_);
        archive_read_support_format_tar(a_.get());
        archive_read_support_filter_none(a_.get());
        if (archive_read_open(a_.get(), &client_, nullptr, read_cb, nullptr) != ARCHIVE_OK)
            fail("not a readable archive");
    }

    /// The next entry's header, or nullptr at the end of the archive.
    struct archive_entry* next() {
        struct archive_entry* entry = nullptr;
        const int rc = archive_read_next_header(a_.get(), &entry);
        if (rc == ARCHIVE_EOF) return nullptr;
        // ARCHIVE_RETRY: a header that does not check (libarchive would skip
        // on to the next block that does): the headers are out of step, as
        // when an earlier header's size lies. Nothing after it is trusted.
        if (rc == ARCHIVE_RETRY || rc < ARCHIVE_WARN) fail("archive is damaged");
        return entry;
    }

    /// Up to `max` bytes of the current entry's data; 0 at its end.
    std::size_t read(std::uint8_t* out, std::size_t max, const std::string& entry) {
        const la_ssize_t n = archive_read_data(a_.get(), out, max);
        if (n < 0) fail("cannot read entry " + lossy_utf8(entry));
        return static_cast<std::size_t>(n);
    }

    /// After the tar end marker only zero padding may follow, up to the last
    /// gzip trailer (which gz::Reader checks).
    void check_end(Bytes& buf) {
        for (;;) {
            const std::size_t n = gz_->read(buf.data(), buf.size());
            if (n == 0) return;
            for (std::size_t i = 0; i < n; ++i)
                if (buf[i] != 0)
                    throw Error(Errc::snapshot, "data after the end of the archive", path_, gz_->offset());
        }
    }

    std::uint64_t offset() const noexcept { return gz_->offset(); }
    const fs::path& path() const noexcept { return path_; }

private:
    [[noreturn]] void fail(const std::string& what) {
        if (client_.error) {
            try {
                std::rethrow_exception(client_.error);
            } catch (const Error& e) {
                throw Error(Errc::snapshot, what + ": " + e.detail(), path_, e.offset());
            } catch (const std::exception& e) {
                throw Error(Errc::snapshot, what + ": " + e.what(), path_, gz_->offset());
            }
        }
        const char* s = archive_error_string(a_.get());
        throw Error(Errc::snapshot, what + ": " + (s ? s : "unknown error"), path_, gz_->offset());
    }

    fs::path path_;
    platform::Handle in_;
    std::unique_ptr<gz::Reader> gz_;
    ReadClient client_;
    ReadPtr a_;
};

/// The manifest entry's bytes as a std::streambuf, so the manifest is parsed
/// as it is inflated. A read error is kept and rethrown by the caller.
class EntryBuf : public std::streambuf {
public:
    EntryBuf(ArchiveStream& s, std::string entry) : s_(s), entry_(std::move(entry)), buf_(64 * 1024) {}
    std::exception_ptr error;
    std::uint32_t crc() const noexcept { return crc_.value(); }
    std::uint64_t size() const noexcept { return size_; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        std::size_t n = 0;
        try {
            n = s_.read(buf_.data(), buf_.size(), entry_);
        } catch (...) {
            error = std::current_exception();
            return traits_type::eof();
        }
        if (n == 0) return traits_type::eof();
        crc_.update(ByteSpan(buf_.data(), n));
        size_ += n;
        char* p = reinterpret_cast<char*>(buf_.data());
        setg(p, p, p + n);
        return traits_type::to_int_type(*p);
    }

private:
    ArchiveStream& s_;
    std::string entry_;
    Bytes buf_;
    Crc32 crc_;
    std::uint64_t size_ = 0;
};

struct Scanned {
    std::string path;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint32_t crc = 0;
    std::uint32_t mode = 0;
};

struct Scan {
    std::vector<Scanned> entries;
    std::optional<Manifest> manifest;
    std::vector<std::string> problems;
    std::optional<std::uint64_t> offset;  // of the first problem, where known
    bool manifest_seen = false;

    void problem(std::string what, std::optional<std::uint64_t> at = std::nullopt) {
        if (problems.empty()) offset = at;
        problems.push_back(std::move(what));
    }
};

using DataSink = std::function<void(std::size_t index, ByteSpan data)>;

/// Reads every entry (each entry's data through `sink`, if given). Stops at
/// the first structural error (recorded as a problem, with its offset).
Scan scan_archive(const fs::path& path, const DataSink& sink) {
    Scan scan;
    try {
        ArchiveStream s(path);
        Bytes buf(kBlock);
        for (struct archive_entry* entry; (entry = s.next()) != nullptr;) {
            const char* name = archive_entry_pathname(entry);
            std::string p = name ? name : "";
            const std::string shown = lossy_utf8(p);
            if (scan.manifest_seen) scan.problem("entry after the manifest: " + shown, s.offset());
            try {
                atomic::split_relpath(p);
            } catch (const Error&) {
                scan.problem(p.empty() ? std::string("entry with an empty name refused")
                                       : "unsafe entry path refused: '" + shown + "'",
                             s.offset());
                continue;
            }
            if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_hardlink(entry) != nullptr ||
                archive_entry_symlink(entry) != nullptr) {
                scan.problem("entry is not a regular file (link, device or folder): " + shown, s.offset());
                continue;
            }
            const auto declared = static_cast<std::uint64_t>(archive_entry_size(entry));
            if (p == kManifestName && !scan.manifest_seen) {
                scan.manifest_seen = true;
                if (declared > kManifestMax) {
                    scan.problem("manifest is absurdly large", s.offset());
                    return scan;
                }
                EntryBuf eb(s, p);
                std::istream in(&eb);
                try {
                    scan.manifest = manifest_from_json(in);
                } catch (const Error& e) {
                    if (eb.error) std::rethrow_exception(eb.error);
                    scan.problem(e.detail());
                }
                if (eb.error) std::rethrow_exception(eb.error);
                while (eb.sbumpc() != std::streambuf::traits_type::eof()) {
                }  // whatever follows the JSON document (whitespace)
                if (eb.error) std::rethrow_exception(eb.error);
                if (eb.size() != declared)
                    scan.problem("the manifest is shorter than its header says", s.offset());
                continue;
            }
            Scanned e;
            e.path = std::move(p);
            e.mtime_ns = static_cast<std::int64_t>(archive_entry_mtime(entry)) * kNsPerSecond +
                         archive_entry_mtime_nsec(entry);
            e.mode = static_cast<std::uint32_t>(archive_entry_perm(entry)) & 07777;
            Crc32 crc;
            const std::size_t index = scan.entries.size();
            for (std::size_t n; (n = s.read(buf.data(), buf.size(), e.path)) > 0;) {
                crc.update(ByteSpan(buf.data(), n));
                if (sink) sink(index, ByteSpan(buf.data(), n));
                e.size += n;
            }
            if (e.size != declared)
                scan.problem("entry " + shown + " is shorter than its header says", s.offset());
            e.crc = crc.value();
            scan.entries.push_back(std::move(e));
        }
        s.check_end(buf);
    } catch (const Error& e) { scan.problem(e.detail(), e.offset()); }
    return scan;
}

/// Checks the scanned entries against the manifest; fills r.manifest and r.entry_index.
void check_against_manifest(Scan& scan, VerifyResult& r) {
    if (!scan.manifest) {
        if (!scan.manifest_seen) r.problems.push_back("archive has no manifest");
        return;
    }
    const Manifest& m = *scan.manifest;
    std::unordered_map<std::string_view, std::size_t> by_path;  // exact names
    by_path.reserve(scan.entries.size());
    for (std::size_t i = 0; i < scan.entries.size(); ++i) {
        if (!by_path.emplace(scan.entries[i].path, i).second)
            r.problems.push_back("entry appears twice: " + lossy_utf8(scan.entries[i].path));
    }
    std::vector<bool> listed(scan.entries.size(), false);
    std::unordered_set<std::string> upper;  // a name listed twice, in any case, would land on one file
    upper.reserve(m.files.size());
    r.entry_index.assign(m.files.size(), VerifyResult::kNoEntry);
    for (std::size_t k = 0; k < m.files.size(); ++k) {
        const auto& f = m.files[k];
        const std::string shown = lossy_utf8(f.path);
        try {
            atomic::split_relpath(f.path);
        } catch (const Error&) {
            r.problems.push_back("unsafe path in manifest refused: '" + shown + "'");
            continue;
        }
        if (f.path == kManifestName) r.problems.push_back("manifest lists the manifest itself");
        if (!upper.insert(to_upper(f.path)).second) r.problems.push_back("manifest lists twice: " + shown);
        auto it = by_path.find(f.path);
        if (!f.before.present) {
            if (it != by_path.end()) {
                listed[it->second] = true;
                r.problems.push_back("entry for a file recorded as absent: " + shown);
            }
            continue;
        }
        if (it == by_path.end()) {
            r.problems.push_back("file missing from the archive: " + shown);
            continue;
        }
        listed[it->second] = true;
        r.entry_index[k] = it->second;
        const Scanned& s = scan.entries[it->second];
        if (s.size != f.before.size)
            r.problems.push_back("size differs from the manifest: " + shown);
        else if (s.crc != f.before.crc32)
            r.problems.push_back("CRC-32 differs from the manifest: " + shown);
        if (s.mtime_ns != f.before.mtime_ns)
            r.problems.push_back("mtime differs from the manifest: " + shown);
        if (f.before.mode && s.mode != *f.before.mode)
            r.problems.push_back("mode differs from the manifest: " + shown);
    }
    for (const auto& d : m.dirs) {
        try {
            atomic::split_relpath(d.first);
        } catch (const Error&) {
            r.problems.push_back("unsafe folder path in manifest refused: '" + lossy_utf8(d.first) + "'");
        }
    }
    for (std::size_t i = 0; i < scan.entries.size(); ++i)
        if (!listed[i])
            r.problems.push_back("entry not in the manifest: " + lossy_utf8(scan.entries[i].path));
}

VerifyResult verify_scan(Scan& scan) {
    VerifyResult r;
    r.problems = scan.problems;
    r.offset = scan.offset;
    r.entries = scan.entries.size();
    check_against_manifest(scan, r);
    if (scan.manifest) r.manifest = std::move(scan.manifest);
    return r;
}

/// CRC-32 and length of the manifest's text, to compare a manifest read
/// back with the one written without holding either text.
std::pair<std::uint32_t, std::uint64_t> manifest_digest(const Manifest& m) {
    Crc32 crc;
    std::uint64_t size = 0;
    write_manifest_json(m, [&](std::string_view piece) {
        crc.update(ByteSpan(reinterpret_cast<const std::uint8_t*>(piece.data()), piece.size()));
        size += piece.size();
    });
    return {crc.value(), size};
}

/// Everything but the files (which verify_written_snapshot compares one by one).
bool same_header(const Manifest& a, const Manifest& b) {
    return a.version == b.version && a.tool == b.tool && a.created == b.created &&
           a.created_ns == b.created_ns && a.postoffice == b.postoffice &&
           a.postoffice_id == b.postoffice_id && a.undoes == b.undoes && a.host == b.host && a.pid == b.pid &&
           a.dirs == b.dirs;
}

/// verify_written_snapshot's check of the manifest entry (the current one
/// of `s`, `declared` bytes long) against `expected`.
void check_written_manifest(ArchiveStream& s, std::uint64_t declared, const Manifest& expected, Scan& scan) {
    if (declared > kManifestMax) {
        scan.problem("manifest is absurdly large", s.offset());
        return;
    }
    EntryBuf eb(s, std::string(kManifestName));
    std::istream in(&eb);
    std::size_t k = 0;
    bool same = true;
    try {
        const Manifest header = manifest_from_json(in, [&](ManifestEntry&& f) {
            same = same && k < expected.files.size() && f == expected.files[k];
            ++k;
        });
        same = same && k == expected.files.size() && same_header(header, expected);
    } catch (const Error& e) {
        if (eb.error) std::rethrow_exception(eb.error);
        scan.problem(e.detail());
        return;
    }
    if (eb.error) std::rethrow_exception(eb.error);
    while (eb.sbumpc() != std::streambuf::traits_type::eof()) {
    }  // whatever follows the JSON document (whitespace)
    if (eb.error) std::rethrow_exception(eb.error);
    if (eb.size() != declared)
        scan.problem("the manifest is shorter than its header says", s.offset());
    else if (!same || std::pair(eb.crc(), eb.size()) != manifest_digest(expected))
        scan.problem("the manifest read back differs from the one written", s.offset());
}

[[noreturn]] void throw_not_verified(const VerifyResult& r, const fs::path& archive) {
    throw Error(Errc::snapshot, "snapshot does not verify: " + r.problems.front(), archive, r.offset);
}

}  // namespace

VerifyResult verify_snapshot(const fs::path& archive) {
    Scan scan = scan_archive(archive, {});
    return verify_scan(scan);
}

VerifyResult verify_written_snapshot(const fs::path& archive, const Manifest& expected) {
    Scan scan;  // its `entries` stay empty: each entry is checked as it streams by
    std::size_t entries = 0;
    std::size_t next = 0;  // the next file of `expected` the archive must hold
    const auto skip_absent = [&]() {
        while (next < expected.files.size() && !expected.files[next].before.present) ++next;
    };
    try {
        ArchiveStream s(archive);
        Bytes buf(kBlock);
        for (struct archive_entry* entry; (entry = s.next()) != nullptr;) {
            const char* name = archive_entry_pathname(entry);
            const std::string p = name ? name : "";
            const std::string shown = lossy_utf8(p);
            if (scan.manifest_seen) {
                scan.problem("entry after the manifest: " + shown, s.offset());
                continue;
            }
            if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_hardlink(entry) != nullptr ||
                archive_entry_symlink(entry) != nullptr) {
                scan.problem("entry is not a regular file (link, device or folder): " + shown, s.offset());
                continue;
            }
            const auto declared = static_cast<std::uint64_t>(archive_entry_size(entry));
            skip_absent();
            if (p == kManifestName) {
                scan.manifest_seen = true;
                for (; next < expected.files.size(); ++next, skip_absent())
                    scan.problem("file missing from the archive: " + lossy_utf8(expected.files[next].path));
                check_written_manifest(s, declared, expected, scan);
                continue;
            }
            if (next == expected.files.size() || p != expected.files[next].path) {
                scan.problem("entry not in the manifest, or out of its order: " + shown, s.offset());
                continue;
            }
            const FileState& want = expected.files[next++].before;
            Crc32 crc;
            std::uint64_t size = 0;
            for (std::size_t n; (n = s.read(buf.data(), buf.size(), p)) > 0;) {
                crc.update(ByteSpan(buf.data(), n));
                size += n;
            }
            ++entries;
            const std::int64_t mtime_ns =
                static_cast<std::int64_t>(archive_entry_mtime(entry)) * kNsPerSecond +
                archive_entry_mtime_nsec(entry);
            const auto mode = static_cast<std::uint32_t>(archive_entry_perm(entry)) & 07777;
            if (size != declared)
                scan.problem("entry " + shown + " is shorter than its header says", s.offset());
            if (size != want.size)
                scan.problem("size differs from the manifest: " + shown);
            else if (crc.value() != want.crc32)
                scan.problem("CRC-32 differs from the manifest: " + shown);
            if (mtime_ns != want.mtime_ns) scan.problem("mtime differs from the manifest: " + shown);
            if (want.mode && mode != *want.mode) scan.problem("mode differs from the manifest: " + shown);
        }
        s.check_end(buf);
        if (!scan.manifest_seen) scan.problem("archive has no manifest");
    } catch (const Error& e) { scan.problem(e.detail(), e.offset()); }
    VerifyResult r;
    r.problems = std::move(scan.problems);
    r.offset = scan.offset;
    r.entries = entries;
    return r;
}

Manifest read_verified_manifest(const fs::path& archive) {
    VerifyResult r = verify_snapshot(archive);
    if (!r.ok()) throw_not_verified(r, archive);
    return std::move(*r.manifest);
}

Manifest read_manifest(const fs::path& archive) {
    Scan scan = scan_archive(archive, {});
    if (!scan.manifest) {
        std::string why = scan.problems.empty() ? "archive has no manifest" : scan.problems.front();
        throw Error(Errc::snapshot, why, archive, scan.offset);
    }
    return std::move(*scan.manifest);
}

std::map<std::string, Bytes> read_snapshot_files(const fs::path& archive, Manifest& manifest) {
    std::vector<Bytes> data;
    Scan scan = scan_archive(archive, [&](std::size_t index, ByteSpan piece) {
        if (data.size() <= index) data.resize(index + 1);
        data[index].insert(data[index].end(), piece.begin(), piece.end());
    });
    VerifyResult r = verify_scan(scan);
    if (!r.ok()) throw_not_verified(r, archive);
    manifest = std::move(*r.manifest);
    std::map<std::string, Bytes> files;
    for (std::size_t i = 0; i < scan.entries.size(); ++i)
        files[scan.entries[i].path] = i < data.size() ? std::move(data[i]) : Bytes();
    return files;
}

struct SnapshotReader::State {
    std::unique_ptr<ArchiveStream> stream;
    std::size_t next = 0;  // index of the next file entry header
    Bytes buf = Bytes(kBlock);
};

SnapshotReader::SnapshotReader(fs::path archive)
    : archive_(std::move(archive)), state_(std::make_unique<State>()) {}

SnapshotReader::~SnapshotReader() = default;

void SnapshotReader::stream(std::size_t index, const std::string& path, std::uint64_t size, std::uint32_t crc,
                            const std::function<void(ByteSpan)>& sink) {
    State& st = *state_;
    if (!st.stream || index < st.next) {
        st.stream.reset();
        st.stream = std::make_unique<ArchiveStream>(archive_);
        st.next = 0;
    }
    struct Changed {
        State& st;
        const fs::path& archive;
        [[noreturn]] void operator()(const std::string& what) const {
            st.stream.reset();  // start again next time
            throw Error(Errc::snapshot, "the archive changed since it was verified (" + what + ")", archive);
        }
    };
    const Changed changed{st, archive_};
    for (;;) {
        struct archive_entry* entry = st.stream->next();
        if (entry == nullptr) changed("entry " + lossy_utf8(path) + " is missing");
        if (st.next++ < index) continue;  // libarchive skips the data
        const char* name = archive_entry_pathname(entry);
        if (name == nullptr || path != name) changed("entry " + lossy_utf8(path) + " is not where it was");
        Crc32 c;
        std::uint64_t total = 0;
        for (std::size_t n; (n = st.stream->read(st.buf.data(), st.buf.size(), path)) > 0;) {
            c.update(ByteSpan(st.buf.data(), n));
            total += n;
            if (total > size) changed("entry " + lossy_utf8(path) + " grew");
            sink(ByteSpan(st.buf.data(), n));
        }
        if (total != size || c.value() != crc)
            changed("entry " + lossy_utf8(path) + " differs from its manifest");
        return;
    }
}

}  // namespace mspo
