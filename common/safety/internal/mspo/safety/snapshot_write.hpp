// What apply_plan asks of the snapshot writer beyond snapshot.hpp.
#pragma once

#include <filesystem>
#include <vector>

#include "mspo/safety/snapshot.hpp"

namespace mspo::safety {

/// write_snapshot_entries() for files the caller has just found regular or
/// missing (apply_plan's step 1): they are not looked up once more before
/// the archive is started. A link or a non-regular file found since is still
/// refused, by the open that copies it (Error{unsafe_path}; the partial
/// archive, and a snapshot folder this call made, are removed again).
SnapshotResult write_checked_snapshot(const std::filesystem::path& postoffice_root,
                                      std::vector<ManifestEntry> files, const SnapshotOptions& options);

}  // namespace mspo::safety
