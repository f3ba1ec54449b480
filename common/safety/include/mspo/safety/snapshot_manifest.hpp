// The manifest inside every snapshot archive: the entry "MSPO-MANIFEST.json",
// written last. It records, per file, the state before the change (what the
// archive holds) and the state the change is planned to leave, so porestore
// can tell "changed by the fixer" from "changed by someone since".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mspo {

inline constexpr std::string_view kManifestName = "MSPO-MANIFEST.json";
inline constexpr int kManifestVersion = 1;

/// One file's state. mtime_ns is 0 (unknown) in a planned "after" state.
/// `folder`: the path is (or is planned to be) a folder, not a file: a
/// folder a fixer creates (FileAction::make_dir) is recorded as absent
/// before and a folder after; size and CRC are 0 and the archive holds no
/// entry for it. Written to JSON only when true ("folder": true).
struct FileState {
    bool present = false;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint32_t crc32 = 0;
    bool folder = false;

    /// Same presence, kind, size and CRC (mtime is not compared).
    bool same_content(const FileState& other) const noexcept {
        return present == other.present &&
               (!present || (folder == other.folder && size == other.size && crc32 == other.crc32));
    }
};

struct ManifestEntry {
    std::string path;                // relative to the postoffice, '/' separated
    FileState before;                // what the archive holds (present) or "absent"
    std::optional<FileState> after;  // the planned result; nullopt = not recorded
};

struct Manifest {
    int version = kManifestVersion;
    std::string tool;
    std::string created;  // ISO 8601 UTC
    std::int64_t created_ns = 0;
    std::string postoffice;  // canonical path at snapshot time
    std::string host;
    long pid = 0;
    std::vector<ManifestEntry> files;
    /// mtimes of the folders holding the files (relative paths, root
    /// excluded), so a restore can put them back too.
    std::vector<std::pair<std::string, std::int64_t>> dirs;
};

std::string manifest_to_json(const Manifest& m);
/// Throws Error{snapshot} if the text is not a manifest of a known version.
Manifest manifest_from_json(std::string_view text);

}  // namespace mspo
