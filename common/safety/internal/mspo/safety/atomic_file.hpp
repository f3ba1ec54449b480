// Atomic, link-safe changes to files inside a postoffice.
//
// Every change goes through an open handle of the file's folder, and that
// folder is reached from the postoffice root one component at a time with
// O_NOFOLLOW|O_DIRECTORY: a symbolic link anywhere below the root (folder or
// file) is refused with Error{unsafe_path}, so no change can leave the
// postoffice. The root itself is opened as given (following links).
//
// A replacement is: temporary file in the same folder (O_EXCL), write (from
// memory or streamed from a ContentWriter), give it its owner/mode (and a
// requested mtime), fsync, rename over the target, fsync the folder. A crash
// leaves either the old or the new file, plus at worst a temporary named
// "<NAME>.mspo-tmp.<run token>.<n>". The run token (run_token()) is random
// per process and is written into the toolkit lock file by ToolkitLock; a
// temporary is only ever written while its process holds that lock. So when
// a later run takes over a STALE lock (its holder is dead), the temporaries
// carrying the token named in that lock are provably the dead run's own
// leftovers, and only those are ever deleted (apply_plan, step 4). A file
// that merely looks like a temporary ("X.mspo-tmp.1.2") is never touched.
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
#include "mspo/safety/content_writer.hpp"
#include "mspo/safety/step_hook.hpp"

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

struct WriteOptions {
    /// Modification time to give the new file; nullopt = now.
    std::optional<std::int64_t> mtime_ns;
    /// Permission bits to give the file (only 0777 is used: no set-id or
    /// sticky bit is ever set). nullopt = a replaced file keeps its mode, a
    /// new one gets 0644.
    std::optional<std::uint32_t> mode;
    /// Owner and group to give the file where the process may: a refusal for
    /// lack of privilege (EPERM, any non-root process giving a file away) is
    /// not an error. nullopt = a replaced file keeps its own, a new one gets
    /// the process's.
    std::optional<std::uint32_t> uid;
    std::optional<std::uint32_t> gid;
    /// Called before "write-temp", "rename", "fsync-dir" (index 0).
    StepHook hook;
};

/// What a streamed write must yield: checked before the rename.
struct ExpectedContents {
    std::uint64_t size = 0;
    std::uint32_t crc32 = 0;
};

/// Splits relpath into (folder, file name); the folder may be "".
std::pair<std::string, std::string> split_parent(std::string_view relpath);

/// The folders of `dir` (itself and missing parents) that do not exist yet,
/// deepest first: what platform::make_dirs will create and a failure must
/// remove again. Links are not followed (symlink_status).
std::vector<fs::path> missing_folders(const fs::path& dir);

/// Atomically replaces or creates root/relpath with `contents`. An existing
/// target must be a regular file (a link or folder: Error{unsafe_path}).
/// On an error the target is unchanged and the temporary is removed.
void replace_file(const fs::path& root, std::string_view relpath, ByteSpan contents,
                  const WriteOptions& options = {});

/// replace_file with contents streamed from `source` (called once). If what
/// it yields is not `expected` (size, CRC-32), throws Error{changed} and
/// leaves the target untouched (a source yielding more than expected.size
/// is stopped there). An exception from `source` passes through, the
/// target untouched as well.
void replace_file_from(const fs::path& root, std::string_view relpath, const ContentWriter& source,
                       const ExpectedContents& expected, const WriteOptions& options = {});

/// The two above for the file `name` in an already open folder; `expected`
/// nullopt = no check.
void replace_file_in(const SafeDir& dir, const std::string& name, const ContentWriter& source,
                     const std::optional<ExpectedContents>& expected, const WriteOptions& options = {});

/// A replacement written to its temporary but not yet renamed over its
/// target: replace_file_in in two halves, so that a caller writing many
/// files can make their data durable with one platform::sync_filesystem()
/// instead of one fsync each (apply_plan's write batches).
struct PreparedFile {
    std::string name;  // the target, in its folder
    std::string temp;  // the temporary holding the new contents
};

/// The first half of replace_file_in: checks the target, writes the
/// temporary ("write-temp"), checks `expected`, gives it owner, mode and
/// mtime, fsyncs it only if `sync`, closes it. On an error nothing is left.
PreparedFile prepare_file_in(const SafeDir& dir, const std::string& name, const ContentWriter& source,
                             const std::optional<ExpectedContents>& expected, const WriteOptions& options,
                             bool sync);

/// The second half: checks the target once more and renames the temporary
/// over it ("rename"); no folder fsync (the caller's). On an error the
/// temporary is removed and the target is unchanged.
void commit_prepared_in(const SafeDir& dir, const PreparedFile& prepared, const StepHook& hook);

/// Removes the temporary of a prepared file that will not be committed
/// (errors are ignored: the caller is already handling one).
void discard_prepared_in(const SafeDir& dir, const PreparedFile& prepared) noexcept;

/// Creates the folder `name` in `dir` (mode exactly options.mode, default
/// 0755; owner as options.uid/gid where permitted), then fsyncs
/// `dir`. Error{changed} if anything of that name exists. options.mtime_ns
/// is ignored (the folder's mtime changes as files are added).
void make_dir_in(const SafeDir& dir, const std::string& name, const WriteOptions& options = {});

/// Deletes the regular file root/relpath through its folder handle, then
/// fsyncs the folder (unless !sync_dir: a caller removing many files from one
/// folder fsyncs it once with sync_folder afterwards; each unlink is atomic
/// either way). Error{not_found} if absent, Error{unsafe_path} if a link.
void remove_file(const fs::path& root, std::string_view relpath, const StepHook& hook = {},
                 bool sync_dir = true);

/// remove_file for the file `name` in an already open folder.
void remove_file_in(const SafeDir& dir, const std::string& name, const StepHook& hook = {},
                    bool sync_dir = true);
/// Deletes `name` in `dir` that the caller has just found to be the regular
/// file it means to delete (apply_plan's check against the snapshot): the
/// "remove" hook, then the unlink, without remove_file_in's second look.
/// The folder is not fsynced (sync_folder once afterwards). Error{not_found}
/// if it is gone.
void remove_checked_file_in(const SafeDir& dir, const std::string& name, const StepHook& hook = {});

/// fsyncs the folder root/reldir (no link followed below root).
void sync_folder(const fs::path& root, std::string_view reldir);

/// Renames root/from to root/to (same folder only: Error{usage} otherwise),
/// replacing `to` atomically, then fsyncs the folder. Both must be regular
/// files or absent (`to`); links are refused.
void rename_file(const fs::path& root, std::string_view from, std::string_view to, const StepHook& hook = {});

/// This process's run token: 16 lower-case hex digits, drawn at random
/// once per process. ToolkitLock writes it into the lock file
/// ("..., run <token>"); every temporary this process makes carries it.
const std::string& run_token();

/// The run token in a toolkit lock file's text ("pid 42 on host h, tool t,
/// since T, run 0123456789abcdef"), nullopt if it names none (a lock file
/// written before tokens, or damaged).
std::optional<std::string> run_token_of(std::string_view lock_text);

/// True for names that look like a temporary of the toolkit
/// ("*.mspo-tmp.*", any style). A look-alike proves nothing: see temp_token.
bool is_temp_name(std::string_view name) noexcept;

/// The run token of a temporary made by replace_file,
/// "<NAME>.mspo-tmp.<16 lower-case hex>.<decimal>" with NAME not empty;
/// nullopt for every other name (the older "<NAME>.mspo-tmp.<pid>.<n>" too).
std::optional<std::string> temp_token(std::string_view name);

/// Names of the regular files in `dir` that are temporaries of the run
/// `token` (temp_token(name) == token). Reads the folder only.
std::vector<std::string> find_run_temps(const SafeDir& dir, std::string_view token);

/// Deletes find_run_temps(root/reldir, token) and fsyncs the folder; returns
/// the names. Call only while holding the ToolkitLock taken over from the
/// dead run that wrote `token` (its stale lock is what proves it dead).
std::vector<std::string> remove_stale_temps(const fs::path& root, std::string_view reldir,
                                            std::string_view token);

}  // namespace mspo::atomic
