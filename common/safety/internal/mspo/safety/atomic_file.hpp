// Atomic, link-safe changes to files inside a postoffice.
//
// Every change goes through an open handle of the file's folder, and that
// folder is reached from the postoffice root one component at a time with
// O_NOFOLLOW|O_DIRECTORY: a symbolic link anywhere below the root (folder or
// file) is refused with Error{unsafe_path}, so no change can leave the
// postoffice. The root itself is opened as given (following links).
//
// A replacement is: temporary file in the same folder (O_EXCL), write, give it
// the original's owner/mode (and a requested mtime), fsync, rename over the
// target, fsync the folder. A crash leaves either the old or the new file,
// plus at worst a temporary named "<NAME>.mspo-tmp.<pid>.<n>" that
// remove_stale_temps() deletes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/base/platform.hpp"

namespace mspo::atomic {

namespace fs = std::filesystem;

/// Splits a postoffice-relative path ("GLB/ACCESS.GLB") into components.
/// Throws Error{unsafe_path} if it is empty or absolute, or has an empty, "."
/// or ".." component, a backslash or a NUL.
std::vector<std::string> split_relpath(std::string_view relpath);

/// A folder below (or equal to) the postoffice root, opened without links.
class SafeDir {
public:
    /// Opens `root`, then each component of `reldir` ("" = the root itself).
    /// Throws Error{unsafe_path} if a component is a link or not a folder,
    /// Error{not_found} if one is missing.
    static SafeDir open(const fs::path& root, std::string_view reldir);

    const platform::Handle& handle() const noexcept { return handle_; }
    /// root/reldir, for messages.
    const fs::path& path() const noexcept { return path_; }

private:
    SafeDir(platform::Handle h, fs::path p) : handle_(std::move(h)), path_(std::move(p)) {}
    platform::Handle handle_;
    fs::path path_;
};

/// Folder handles below one root, each opened once (by SafeDir::open's
/// rules) and kept for the cache's life. A fixer touching 100,000 files in
/// one folder opens that folder once instead of once per file and step.
class DirCache {
public:
    explicit DirCache(fs::path root) : root_(std::move(root)) {}
    /// The folder root/reldir; throws like SafeDir::open (a failure is not cached).
    const SafeDir& get(const std::string& reldir);
    const fs::path& root() const noexcept { return root_; }

private:
    fs::path root_;
    std::map<std::string, SafeDir> dirs_;
};

/// Called before each step ("write-temp", "rename", "fsync-dir", "remove")
/// so tests can simulate a crash by throwing. Empty = no hook.
using StepHook = std::function<void(std::string_view step)>;

struct WriteOptions {
    /// Modification time to give the new file; nullopt = now.
    std::optional<std::int64_t> mtime_ns;
    /// Permission bits for a new file; a replaced file keeps owner and mode.
    unsigned mode = 0644;
    StepHook hook;
};

/// Splits relpath into (folder, file name); the folder may be "".
std::pair<std::string, std::string> split_parent(std::string_view relpath);

/// Atomically replaces or creates root/relpath with `contents`. An existing
/// target must be a regular file (a link or folder: Error{unsafe_path}).
/// On an error the target is unchanged and the temporary is removed.
void replace_file(const fs::path& root, std::string_view relpath, ByteSpan contents,
                  const WriteOptions& options = {});

/// Deletes the regular file root/relpath through its folder handle, then
/// fsyncs the folder (unless !sync_dir: a caller removing many files from one
/// folder fsyncs it once with sync_folder afterwards; each unlink is atomic
/// either way). Error{not_found} if absent, Error{unsafe_path} if a link.
void remove_file(const fs::path& root, std::string_view relpath, const StepHook& hook = {},
                 bool sync_dir = true);

/// remove_file for the file `name` in an already open folder.
void remove_file_in(const SafeDir& dir, const std::string& name, const StepHook& hook = {},
                    bool sync_dir = true);

/// fsyncs the folder root/reldir (no link followed below root).
void sync_folder(const fs::path& root, std::string_view reldir);

/// Renames root/from to root/to (same folder only: Error{usage} otherwise),
/// replacing `to` atomically, then fsyncs the folder. Both must be regular
/// files or absent (`to`); links are refused.
void rename_file(const fs::path& root, std::string_view from, std::string_view to, const StepHook& hook = {});

/// True for names made by replace_file for its temporaries.
bool is_temp_name(std::string_view name) noexcept;

/// Deletes leftover temporaries (is_temp_name) in root/reldir; returns their
/// names. Only call while holding the ToolkitLock.
std::vector<std::string> remove_stale_temps(const fs::path& root, std::string_view reldir);

}  // namespace mspo::atomic
