// The few operating-system calls the library needs, behind one interface so a
// Windows build can follow (platform_posix.cpp implements it on POSIX).
// No other file in common/ calls the OS directly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "mspo/bytes.hpp"

namespace mspo::platform {

namespace fs = std::filesystem;

enum class EntryType { missing, regular, directory, symlink, other };

struct FileInfo {
    EntryType type = EntryType::missing;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;  // nanoseconds since the Unix epoch
};

/// lstat(): never follows a symbolic link. Throws Error{io} on errors other
/// than "does not exist" (which gives type missing).
FileInfo stat_nofollow(const fs::path& path);

/// Reads a whole regular file without following a final symbolic link.
/// Throws Error: not_found if missing, unsafe_path if it is a link or not a
/// regular file, size_rule if larger than max_bytes (nothing is read then),
/// io on a read error, truncated if it shrank while being read.
Bytes read_file(const fs::path& path, std::uint64_t max_bytes);

/// Reads `length` bytes at `offset` of a regular file (no link followed).
/// Throws like read_file; truncated if the file ends first.
Bytes read_range(const fs::path& path, std::uint64_t offset, std::uint64_t length);

}  // namespace mspo::platform
