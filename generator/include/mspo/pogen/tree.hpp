// An in-memory postoffice tree: what pogen builds, damages and writes. Paths
// are relative to the postoffice root, '/'-separated, upper case.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "mspo/base/bytes.hpp"

namespace mspo::pogen {

struct TreeFile {
    /// What stands at the path: a file, or (damage only) a FIFO or a symbolic link.
    enum class Kind { regular, fifo, symlink };

    Bytes data;
    std::int64_t mtime = 0;  // seconds since the Unix epoch (regular files and FIFOs)
    bool read_only = false;
    Kind kind = Kind::regular;
    std::string target{};  // symlink: where it points (written as given, never followed); else empty
};

struct Tree {
    std::set<std::string> dirs;             // every folder to create ("GLB", "MAI/MA3", ...)
    std::map<std::string, TreeFile> files;  // relpath -> contents

    /// The file at `relpath`; throws Error{not_found} if the tree has none.
    TreeFile& at(const std::string& relpath);
    const TreeFile& at(const std::string& relpath) const;
    bool has(const std::string& relpath) const { return files.count(relpath) != 0; }
};

/// True if `name` can be one file name inside OUTDIR: not empty, not "." or
/// "..", and free of '/', '\\' and NUL.
bool is_safe_file_name(std::string_view name) noexcept;

/// True if `relpath` stays inside OUTDIR: relative, '/'-separated components
/// that are each a safe file name (is_safe_file_name); so no "..", no
/// absolute path, no empty component.
bool is_inside_path(std::string_view relpath) noexcept;

/// Throws Error{usage} "pogen: path leaves OUTDIR: <relpath>" unless
/// is_inside_path(relpath).
void require_inside(const std::string& relpath);

/// Writes the tree under `outdir` with std::ofstream, sets every file's mtime
/// and read-only flag, then makes the FIFOs and symbolic links. Every path is
/// checked first (require_inside; no path may lie below a FIFO or link), so
/// nothing is written outside `outdir`, and nothing at all if a path is bad.
/// `outdir` may exist only if empty. Throws Error{usage} if it is not empty
/// or a path is bad, Error{io} if a write fails. Never follows a link it
/// did not create, nor one it did.
void write_tree(const Tree& tree, const std::filesystem::path& outdir);

/// A 64-bit FNV-1a digest over every folder name and every file's path,
/// mtime, read-only flag and bytes, as 16 hex digits. Equal trees give equal digests.
std::string tree_digest(const Tree& tree);

}  // namespace mspo::pogen
