// The manifest inside every snapshot archive: the entry "MSPO-MANIFEST.json",
// written last. It records, per file, the state before the change (what the
// archive holds, with its mode and owner) and the state the change is planned
// to leave, so porestore can tell "changed by the fixer" from "changed by
// someone since"; and which postoffice it was taken of.
//
// Names are bytes. A path (or the postoffice path) that is valid UTF-8 is
// written as a JSON string; one that is not is written as "path" holding a
// readable form (each invalid byte shown as U+FFFD) plus "path_hex" holding
// every byte as two lower-case hex digits, which is authoritative when
// present. So any name round-trips exactly (docs/RELIABILITY.md, section 2).
//
// The writer is streaming (one file entry per line, never a whole JSON tree
// in memory) and the reader is too (it keeps one small ManifestEntry per
// file), so a manifest of 200,000 files costs a few tens of MB, not hundreds.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mspo/base/utf8.hpp"  // is_valid_utf8, lossy_utf8 (the manifest's readable form of a name)

namespace mspo {

inline constexpr std::string_view kManifestName = "MSPO-MANIFEST.json";
/// Written: 2 (adds mode/uid/gid, path_hex, postoffice_id, undoes). Read: 1 and 2.
inline constexpr int kManifestVersion = 2;
inline constexpr int kManifestOldestVersion = 1;

/// One file's state. mtime_ns is 0 (unknown) in a planned "after" state;
/// mode/uid/gid are recorded in "before" states (nullopt in version 1
/// manifests and in "after" states).
/// `folder`: the path is (or is planned to be) a folder, not a file: a
/// folder a fixer creates (FileAction::make_dir) is recorded as absent
/// before and a folder after; size and CRC are 0 and the archive holds no
/// entry for it. Written to JSON only when true ("folder": true).
struct FileState {  // (the two flags last: 48 bytes, not 56, in every manifest entry)
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint32_t crc32 = 0;
    std::optional<std::uint32_t> mode;  // permission bits as on disk (07777)
    std::optional<std::uint32_t> uid;
    std::optional<std::uint32_t> gid;
    bool present = false;
    bool folder = false;

    /// Same presence, kind, size and CRC (mtime, mode and owner are not compared).
    bool same_content(const FileState& other) const noexcept {
        return present == other.present &&
               (!present || (folder == other.folder && size == other.size && crc32 == other.crc32));
    }
    /// Every member equal (the read-back check of a snapshot just written).
    bool operator==(const FileState&) const = default;
};

struct ManifestEntry {
    std::string path;                // relative to the postoffice, '/' separated; any bytes
    FileState before;                // what the archive holds (present) or "absent"
    std::optional<FileState> after;  // the planned result; nullopt = not recorded

    bool operator==(const ManifestEntry&) const = default;
};

struct Manifest {
    int version = kManifestVersion;
    std::string tool;
    std::string created;  // ISO 8601 UTC
    std::int64_t created_ns = 0;
    std::string postoffice;  // canonical path at snapshot time; any bytes
    /// What identifies the postoffice beyond its path (postoffice_id.hpp);
    /// nullopt if it had no usable GLB/MASTER.GLB.
    std::optional<std::uint32_t> postoffice_id;
    /// For a snapshot written by porestore: the tool whose change the restore
    /// undid (so restoring this snapshot may touch the same folders). Empty
    /// otherwise.
    std::string undoes;
    std::string host;
    long pid = 0;
    std::vector<ManifestEntry> files;
    /// mtimes of the folders holding the files (relative paths, root
    /// excluded), so a restore can put them back too.
    std::vector<std::pair<std::string, std::int64_t>> dirs;
};

/// Writes the manifest as JSON text, piece by piece, to `sink`. Never
/// throws for any bytes in any string field (see above); the output is
/// always valid UTF-8 JSON. Deterministic: the same manifest gives the same text.
void write_manifest_json(const Manifest& m, const std::function<void(std::string_view)>& sink);

/// write_manifest_json() into one string.
std::string manifest_to_json(const Manifest& m);

/// Parses a manifest of version kManifestOldestVersion..kManifestVersion.
/// Throws Error{snapshot} (never a JSON library exception) if the text is not
/// such a manifest: malformed JSON, a missing or mistyped member, bad hex.
/// The stream overload reads incrementally and keeps no JSON tree of the
/// whole file list.
Manifest manifest_from_json(std::string_view text);
Manifest manifest_from_json(std::istream& in);
/// The stream parser, handing each element of "files" to `on_file` as soon
/// as it is parsed instead of keeping it: the returned manifest's `files`
/// stays empty, so memory does not grow with the number of files. Throws as
/// above; an exception from `on_file` passes through.
Manifest manifest_from_json(std::istream& in, const std::function<void(ManifestEntry&&)>& on_file);

}  // namespace mspo
